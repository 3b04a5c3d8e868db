import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def require(module: str):
    """Import an optional oracle; skip when absent, fail when CI says it must be there."""
    required = {m.strip() for m in os.environ.get("SYMBRNN_REQUIRE", "").split(",") if m.strip()}
    if module in required:
        return __import__(module)  # an ImportError here fails the test, as it should
    return pytest.importorskip(module)


@pytest.fixture
def data():
    return DATA
