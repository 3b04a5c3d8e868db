"""Commands that need no SymPy do not import it: the CLI starts light."""

import subprocess
import sys

import pytest

HEAVY = ("sympy", "numpy", "jinja2", "latexify", "matplotlib")


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["params"],
        ["params", "--cell", "gru", "--format", "json"],
        ["expand", "--help"],
    ],
)
def test_no_heavy_import(args):
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "symbrnn", *args],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-500:]
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))
