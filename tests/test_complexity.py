"""No function of the package above cyclomatic complexity 25, measured by ruff (C901) as
CI runs the tests."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_no_function_of_the_package_is_above_complexity_25():
    from tests.conftest import require

    require("ruff")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--select",
            "C901",
            "--output-format",
            "concise",
            "symbrnn",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_measure_can_fail(tmp_path):
    from tests.conftest import require

    require("ruff")
    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(30))
    (tmp_path / "tangled.py").write_text(f"def tangled(x):\n{branches}\n    return -1\n")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "C901", "tangled.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1 and "C901" in result.stdout
