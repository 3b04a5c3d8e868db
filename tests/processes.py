"""The processes a test started, found by a marker in their environment: never the other
processes of the machine (another LaTeX compile, another test run)."""

import contextlib
import os
import subprocess
from pathlib import Path


def processes_with(marker: str) -> list[str]:
    """The command names of the live processes (not zombies, not this one) whose
    environment holds ``marker`` (a variable's name, or ``NAME=value``)."""
    table = _live_processes()
    return [table[pid][1] for pid in sorted(table) if _holds(pid, marker)]


def processes_under(marker: str) -> list[str]:
    """The command names of the live processes whose environment holds ``marker`` and of
    all their descendants: a sandboxed compiler runs with a cleared environment, so it is
    found through its parents."""
    table = _live_processes()
    return [table[pid][1] for pid in sorted(pids_under(marker, table))]


def pids_under(marker: str, table: dict | None = None) -> set[int]:
    """The live processes whose environment holds ``marker``, and all their descendants."""
    table = _live_processes() if table is None else table
    return _with_descendants({pid for pid in table if _holds(pid, marker)}, table)


def processes_below(pid: int) -> list[str]:
    """The command names of the live descendants of process ``pid``."""
    table = _live_processes()
    return [table[p][1] for p in sorted(_with_descendants({pid}, table) - {pid})]


def still_alive(pids: set[int]) -> list[str]:
    """The names of those of ``pids`` that still run (not zombies)."""
    table = _live_processes()
    return [table[pid][1] for pid in sorted(pids) if pid in table]


def _with_descendants(roots: set[int], table: dict) -> set[int]:
    found = set(roots)
    while below := {pid for pid, (parent, _) in table.items() if parent in found} - found:
        found |= below
    return found


def _live_processes() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, command name) of every live process but this one."""
    table = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            if stat[0] != "Z":
                table[int(proc.name)] = (int(stat[1]), (proc / "comm").read_text().strip())
        except (OSError, ValueError, IndexError):
            continue
    return table


def _holds(pid: int, marker: str) -> bool:
    try:
        return marker.encode() in Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False


class _EntryPoint:
    """``symbrnn.cli.main`` as the command Click's test runner invokes: the entry point's
    own error handling (one line, exit codes), not only the Click group's."""

    name = "symbrnn"

    def main(self, args, prog_name, **extra):
        from symbrnn.cli import main

        main(list(args))


def _to_stderr(message) -> None:
    """Show a warning as a fresh Python does: on the (runner's) standard error."""
    import sys
    import warnings

    sys.stderr.write(
        warnings.formatwarning(
            message.message, message.category, message.filename, message.lineno, message.line
        )
    )


def symbrnn(*args, stdin=None, cwd=None, env=None) -> subprocess.CompletedProcess:
    """What ``python -m symbrnn ARGS`` prints and returns, run in this process through the
    entry point: no second Python, SymPy and library to start for each call. An uncaught
    exception is written to stderr as Python would print it (so a test that no traceback
    shows can still fail), and warnings are shown there as a fresh Python would show them.
    A test about the process itself (its imports at start-up, signals, a closed or
    mis-encoded stream, a time limit, an environment read at import) starts a real one."""
    import signal
    import traceback
    import warnings

    from click.testing import CliRunner

    argv = [str(a) for a in args]
    sigterm = signal.getsignal(signal.SIGTERM)
    try:
        with contextlib.chdir(cwd or os.getcwd()), warnings.catch_warnings():
            warnings.resetwarnings()
            for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning):
                warnings.simplefilter("ignore", category)
            warnings.simplefilter("ignore", ResourceWarning)
            warnings.showwarning = warnings._showwarning_orig
            warnings._showwarnmsg_impl = _to_stderr  # pytest's recorder is set here too
            result = CliRunner().invoke(
                _EntryPoint(), argv, input=stdin, env=env, prog_name="symbrnn"
            )
    finally:
        signal.signal(signal.SIGTERM, sigterm)
    stderr = result.stderr
    if result.exc_info is not None and not issubclass(result.exc_info[0], SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return subprocess.CompletedProcess(["symbrnn", *argv], result.exit_code, result.stdout, stderr)
