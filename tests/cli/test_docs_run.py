"""Executable documentation: every command of the README and of the --help examples runs,
and where the README shows output, the output is what the program prints."""

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import need_program
from tests.processes import symbrnn

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = [
    "params", "sheet", "draw", "check", "grade", "exam", "expand", "evaluate", "verify", "spectral"
]  # fmt: skip
# `symbrnn serve` runs until it is stopped: the browser tests start it instead.
LONG_RUNNING = ("symbrnn serve",)


def _sh_commands():
    out = []
    for block in re.findall(r"```sh\n(.*?)\n```", README, flags=re.S):
        for line in block.splitlines():
            if line.startswith("symbrnn ") and not line.startswith(LONG_RUNNING):
                out.append(re.sub(r"\s+#.*$", "", line))
    return out


def _help_commands():
    out = []
    for name in [*COMMANDS, None]:
        printed = symbrnn(*([name] if name else []), "--help")
        assert printed.returncode == 0, printed.stderr
        help_text = printed.stdout
        for line in help_text.splitlines():
            line = line.strip()
            if (
                line.startswith("symbrnn ")
                and "|" not in line
                and not line.startswith(LONG_RUNNING)
            ):
                out.append(line)
    return out


def _console_examples():
    """(command, the lines the README shows for it)."""
    out = []
    for block in re.findall(r"```console\n(.*?)\n```", README, flags=re.S):
        lines = block.splitlines()
        command = lines[0].removeprefix("$ ")
        out.append((command, [line for line in lines[1:] if line and "..." not in line]))
    return out


@pytest.fixture
def workdir(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


def _run(command: str, cwd) -> subprocess.CompletedProcess:
    argv = shlex.split(command)
    assert argv[0] == "symbrnn"
    return symbrnn(*argv[1:], cwd=cwd)


def _fewer_variants(command: str) -> str:
    """A documented batch of many variants, run on its first two seeds: the same options
    and code path (the seeds' parsing is tested in tests/sheets/test_variants_batch.py),
    not 30 or 60 more PDFs that prove nothing new."""
    return re.sub(r"--variants (\d+)-\d+", lambda m: f"--variants {m[1]}-{int(m[1]) + 1}", command)


def _needs_latex(command):
    if "--pdf" in command:
        need_program(
            "latexmk",
            "texlive-latex-base texlive-latex-recommended texlive-pictures texlive-lang-french latexmk",
        )


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(c, marks=pytest.mark.slow) if "--pdf" in c else c
        for c in dict.fromkeys(_sh_commands() + _help_commands())  # each command once
    ],
)
def test_documented_commands_run(workdir, command):
    _needs_latex(command)
    result = _run(_fewer_variants(command), workdir)
    assert "Traceback" not in result.stderr, result.stderr[-800:]
    # 0, or 1 where the example shows a failing check (a wrong answer, a flagged row)
    assert result.returncode in (0, 1), (command, result.returncode, result.stderr[-500:])


def _normalise(text: str) -> str:
    return re.sub(r"\d+\.\d+ s\b", "<t> s", text)


@pytest.mark.parametrize(("command", "shown"), _console_examples())
def test_readme_outputs_are_what_the_program_prints(workdir, command, shown):
    result = _run(command, workdir)
    printed = _normalise(result.stdout)
    for line in shown:
        assert _normalise(line) in printed, (command, line)
