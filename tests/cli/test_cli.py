"""The CLI through its entry point: help, exit codes, one-line errors, formats."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from symbrnn.cli import cli
from tests.processes import symbrnn

ROOT = Path(__file__).parents[2]


def run(*args, stdin=None):
    return symbrnn(*args, stdin=stdin)


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in cli.commands:
        result = run(name, "--help")
        assert result.returncode == 0
        assert "Example" in result.stdout, name
        assert f"symbrnn {name}" in readme, name


def test_params_json_reproduces_the_sheet():
    result = run(
        "params", "--cell", "lstm", "--units", "100,100", "--classes", "8", "--format", "json"
    )
    info = json.loads(result.stdout)
    assert result.returncode == 0
    assert info["total"] == 150408
    assert set(info["layers"][1]) >= {"name", "type", "output_shape", "params", "formula"}


def test_params_latex_is_a_tabular():
    result = run("params", "--cell", "rnn", "--classes", "8", "--format", "latex")
    assert result.stdout.startswith("\\begin{tabular}")
    assert "simple\\_rnn\\_1" in result.stdout
    assert "38{,}208" in result.stdout


def test_explain_from_stdin(data):
    result = run("params", "--explain", "-", stdin=(data / "sheet_gru.md").read_text())
    assert result.returncode == 0
    assert "reset_after=False" in result.stdout
    assert "52,200" in result.stdout


def test_explain_exits_1_on_a_flagged_row():
    result = run("params", "--explain", "-", stdin="| lstm (LSTM) | (None, 100) | 12 |")
    assert result.returncode == 1
    assert "NOT EXPLAINED" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["params", "--units", "0"], r"Invalid value for '--units'"),
        (["params", "--units", "a,b"], r"expected sizes separated by commas"),
        (["params", "--features", "-1"], r"-1 is not in the range 1<=x<=10000000"),
        (["params", "--cell", "transformer"], r"unknown cell 'transformer'"),
        (["params", "--explain", "/nonexistent/x.txt"], r"file not found: /nonexistent/x.txt"),
        (["params", "--explain", "-"], r"no layer rows found"),
        (["nosuchcommand"], r"No such command"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(args, message):
    result = run(*args, stdin="")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("symbrnn: error: ")
    assert re.search(message, lines[0])
    assert "Traceback" not in result.stderr


def test_output_file_is_written(tmp_path):
    target = tmp_path / "table.tex"
    result = run("params", "--format", "latex", "-o", str(target))
    assert result.returncode == 0 and result.stdout == ""
    assert target.read_text().startswith("\\begin{tabular}")


def test_output_into_missing_folder_fails_cleanly(tmp_path):
    result = run("params", "-o", str(tmp_path / "no" / "such.txt"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_the_version_is_the_installed_metadata():
    from importlib.metadata import version

    import symbrnn

    assert symbrnn.__version__ == version("symbrnn")
    result = subprocess.run(
        [sys.executable, "-m", "symbrnn", "--version"], capture_output=True, text=True
    )
    assert result.stdout.strip() == f"symbrnn, version {version('symbrnn')}"


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["params", "-o", "p.txt"], "p.txt"),
        (["expand", "--T", "2", "-o", "e.txt"], "e.txt"),
        (["draw", "cell", "-o", "d.tex"], "d.tex"),
        (["spectral", "--W", "[[0.5]]", "--T", "3", "--plot", "s.svg"], "s.svg"),
    ],
)
def test_every_command_that_writes_a_file_says_so(tmp_path, args, name):
    result = symbrnn(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"wrote {name}" in result.stderr.splitlines()
    assert (tmp_path / name).exists()


def test_shell_completion_completes_commands_and_choices():
    import os
    import subprocess
    import sys

    def complete(words, cword):
        env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(cword)}
        env["_SYMBRNN_COMPLETE"] = "bash_complete"
        run = subprocess.run(
            [sys.executable, "-m", "symbrnn"], env=env, capture_output=True, text=True
        )
        return run.stdout

    assert "plain,check" in complete("symbrnn ch", 1).splitlines()
    assert "plain,latex" in complete("symbrnn expand --format l", 3).splitlines()


@pytest.mark.parametrize(
    "args", [["params", "--units", "0"], ["expand", "--T", "2", "--format", "json"], ["nosuch"]]
)
def test_the_in_process_runner_prints_what_the_process_prints(args):
    """tests/processes.symbrnn, which most CLI tests use, against ``python -m symbrnn``."""
    real = subprocess.run([sys.executable, "-m", "symbrnn", *args], capture_output=True, text=True)
    here = symbrnn(*args)
    assert (here.returncode, here.stdout, here.stderr) == (
        real.returncode,
        real.stdout,
        real.stderr,
    )
