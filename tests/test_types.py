"""The public API type-checks (mypy on the modules ``symbrnn.__all__`` names; the list is
``[tool.mypy] files`` in pyproject.toml)."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def test_the_public_modules_are_the_ones_symbrnn_exports():
    import symbrnn

    files = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]["files"]
    exported = {f"{m.replace('.', '/')}.py" for m in symbrnn._PUBLIC.values()}
    assert exported <= set(files)


def test_mypy_finds_no_error_in_the_public_api(tmp_path):
    pytest.importorskip("mypy", reason="pip install -e '.[test]' installs mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:]
