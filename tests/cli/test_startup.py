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


CHECK = ["check", "-q", "dh_3/dh_1", "-a", "Diag(sigma'(a_3)) W Diag(sigma'(a_2)) W"]
# what a right answer's check does not need: the table of mistakes (a wrong answer's), the
# other commands' modules (grading, exams, the web server, doctor), the templates
NOT_FOR_A_RIGHT_CHECK = (
    "symbrnn.judge.diagnose",
    "symbrnn.judge.mistakes",
    "symbrnn.judge.mistake_rows",
    "symbrnn.judge.lookup",
    "symbrnn.cli.derivations",
    "symbrnn.cli.doctor",
    "symbrnn.cli.exam",
    "symbrnn.cli.grading",
    "symbrnn.cli.web",
    "symbrnn.exam",
    "symbrnn.web",
    "symbrnn.sheets.sheet",
    "symbrnn.sheets.spec",
    "jinja2",
    "latexify",
    "matplotlib",
)


def _modules_after(args) -> tuple[subprocess.CompletedProcess, set[str]]:
    code = (
        "import sys\nfrom symbrnn.cli import main\n"
        "try:\n    main(sys.argv[1:])\nfinally:\n"
        "    print('\\nMODULES', ' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    listed = result.stderr.rsplit("MODULES", 1)[-1].split()
    return result, set(listed)


def test_right_check_imports_what_it_needs_only():
    result, modules = _modules_after(CHECK)
    assert result.returncode == 0, result.stderr[-500:]
    assert "✓" in result.stdout
    assert "symbrnn.judge.check" in modules  # the listing is the check's own
    assert not modules & set(NOT_FOR_A_RIGHT_CHECK), sorted(modules & set(NOT_FOR_A_RIGHT_CHECK))


def test_wrong_check_still_diagnoses():
    result, modules = _modules_after([*CHECK[:-1], "W Diag(sigma'(a_2)) W"])
    assert result.returncode == 1, result.stderr[-500:]
    assert "✗" in result.stdout
    assert "symbrnn.judge.diagnose" in modules


def test_every_command_has_its_home():
    """The lazy group imports a command's module from HOMES: the table is whole and right."""
    from symbrnn.cli.group import HOMES, cli

    found = {name: command.callback.__module__ for name, command in cli.commands.items()}
    assert found == {name: f"symbrnn.cli.{home}" for name, home in HOMES.items()}
