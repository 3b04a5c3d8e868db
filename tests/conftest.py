import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def need_program(program: str, package: str):
    """Skip when a program (a TeX Live or Debian tool) is missing, saying how to install it;
    fail when ``SYMBRNN_REQUIRE`` names it (CI)."""
    import shutil

    if shutil.which(program) is None:
        required = {m.strip() for m in os.environ.get("SYMBRNN_REQUIRE", "").split(",")}
        # SYMBRNN_REQUIRE names chromium or bwrap, or latexmk for all of TeX Live and poppler
        if {package, program} & required or ("latexmk" in required and package != "chromium"):
            pytest.fail(f"{program} is required here (SYMBRNN_REQUIRE)")
        pytest.skip(f"{program} is not installed: apt-get install {package}")


def require(module: str):
    """Import an optional oracle; skip when absent, fail when CI says it must be there."""
    required = {m.strip() for m in os.environ.get("SYMBRNN_REQUIRE", "").split(",") if m.strip()}
    if module in required:
        return __import__(module)  # an ImportError here fails the test, as it should
    return pytest.importorskip(module, reason=f"{module} is not installed: pip install {module}")


@pytest.fixture
def data():
    return DATA
