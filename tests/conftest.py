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


@pytest.fixture(scope="session")
def compiled(tmp_path_factory):
    """``compile_seeded(tex)`` (PDF, log, final .aux) once per test run for each LaTeX
    source: the key of td5 in French or English is compiled by several modules. Kept on
    disk, read-only, where every xdist worker of the run finds it (two workers that
    compile the same source at once both compile; the last rename wins, same bytes)."""
    import hashlib
    import pickle

    from symbrnn.sheets.compile import compile_seeded

    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "compiled"
    folder.mkdir(exist_ok=True)

    def compile_once(tex: str) -> tuple[bytes, str, bytes | None]:
        done = folder / f"{hashlib.sha256(tex.encode()).hexdigest()}.pickle"
        if done.exists():
            return pickle.loads(done.read_bytes())
        result = compile_seeded(tex)
        part = folder / f"{done.stem}.{os.getpid()}.part"
        part.write_bytes(pickle.dumps(result))
        part.replace(done)
        return result

    return compile_once
