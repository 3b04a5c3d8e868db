"""Compile a sheet's LaTeX into a PDF, safely: a private build folder, no shell escape,
no file read or written outside it, bounds that hold in LaTeX's own process, byte-identical
output.

A shared sheet is LaTeX written by someone else. pdflatex runs with
``-no-shell-escape`` and TeX Live's paranoid file access (``openin_any=p``,
``openout_any=p``: no absolute paths, no parent folders, no dot files), in a
folder that holds nothing but the sheet, under a fixed name (so that
``a$b.tex`` compiles too), with ``SOURCE_DATE_EPOCH`` fixed, as many passes
as its log asks (at most ``PASSES``; one where a class's batch hands it the ``.aux`` of a
variant of the same layout and that pass is a fixed point: ``compile_seeded``). Where
bubblewrap starts (``sandbox``), every pass runs in an OS sandbox that shows TeX Live
read-only and the build folder, nothing else; a sheet that is not built in (``shared``) compiles only there.

The bounds live in the LaTeX process itself, so that they hold even when
symbrnn is killed with ``kill -9``: a CPU-time limit (``RLIMIT_CPU``), an
address-space and a file-size limit, and Linux's parent-death signal (the
compiler is killed with symbrnn). symbrnn also stops the whole process group
on its wall-clock bound, on Ctrl-C and on SIGTERM. Build folders live in one
parent folder (``$TMPDIR/symbrnn-latex-UID``), each locked while it is in use;
a folder left by a killed run is removed by the next compile.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from symbrnn.errors import InputError, SymbrnnError
from symbrnn.sheets import sandbox

COMPILE_SECONDS = 180  # wall clock for the whole compile, and CPU seconds for each pass
MEMORY_BYTES = 1536 * 2**20  # the compiler's address space
FILE_BYTES = 256 * 2**20  # the largest file (PDF, log) it may write
PASSES = 3
JOB = "sheet"
_LOCK = ".lock"


class LatexError(SymbrnnError):
    """A sheet that LaTeX could not compile (exit code 1)."""


def require_pdflatex(shared: bool = False, lang: str | None = None) -> None:
    """An InputError, before anything is written, when TeX Live is not installed, or when
    the sheet is ``shared`` (not built in) and the sandbox cannot start (in ``lang``)."""
    if shutil.which("pdflatex") is None:
        raise InputError.said("sheet.error.pdflatex")
    if shared:
        sandbox.require(lang)


TEX_SETTINGS = {  # paranoid file access, fixed dates, one line per message
    "openin_any": "p",
    "openout_any": "p",
    "shell_escape": "f",
    "max_print_line": "10000",
    "SOURCE_DATE_EPOCH": "0",
    "FORCE_SOURCE_DATE": "1",
}


def safe_environment() -> dict:
    """The environment of the LaTeX run outside the sandbox: this one with TeX's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXMF", "TEXINPUTS"))}
    env.update(TEX_SETTINGS)
    return env


def compile_tex(tex: str, name: str = "sheet.tex", *, shared: bool = False) -> bytes:
    """The PDF of a LaTeX source, compiled in a private folder; a LaTeX error is one line.
    ``shared``: a sheet that is not built in, compiled in the sandbox or refused."""
    return compile_seeded(tex, name, shared=shared)[0]


def overfull_boxes(log: str) -> list[tuple[float, str]]:
    r"""(points too wide, where) of every overfull box a LaTeX log reports.

    >>> overfull_boxes("Overfull \\hbox (12.5pt too wide) in paragraph at lines 3--4")
    [(12.5, 'in paragraph at lines 3--4')]
    """
    return [
        (float(m[1]), m[2].strip())
        for m in re.finditer(r"Overfull \\[hv]box \(([\d.]+)pt too \w+\) (.*)", log)
    ]


def compile_seeded(
    tex: str, name: str = "sheet.tex", *, shared: bool = False, aux: bytes | None = None
) -> tuple[bytes, str, bytes | None]:
    """The PDF, the log, and the final ``.aux`` (None where the sheet writes other auxiliary
    files: a table of contents…) of a compile that starts from ``aux``: the ``.aux`` of
    another variant of the same sheet (our own output, compiled in the same sandbox).

    A seeded pass is the last only when it is a fixed point: the log asks for no rerun, the
    ``.aux`` it wrote holds what it read (every label, number and page, the page count),
    and it wrote no other auxiliary file; then its PDF is the one the passes from a fresh
    folder end with. Otherwise the passes go on as from a fresh folder; a seeded compile
    that fails starts again from a fresh folder (within the same time bound)."""
    require_pdflatex(shared)
    deadline = time.monotonic() + COMPILE_SECONDS
    if aux is not None:
        try:
            return _compile(tex, name, aux, deadline)
        except LatexError:
            if time.monotonic() >= deadline:
                raise
    return _compile(tex, name, None, deadline)


def _compile(tex: str, name: str, aux: bytes | None, deadline: float):
    sandboxed = sandbox.probe().active
    with build_folder() as build:
        (build / f"{JOB}.tex").write_text(tex, encoding="utf-8")
        aux_path = build / f"{JOB}.aux"
        if aux is not None:
            aux_path.write_bytes(aux)
        for number in range(PASSES):
            text = _pass(build, sandboxed, deadline, tex, name)
            if aux is not None and number == 0:
                if _fixed_point(build, aux, text):
                    break
            elif not re.search(RERUN, text):
                break
        final = aux_path.read_bytes() if _only_aux(build) else None
        return (build / f"{JOB}.pdf").read_bytes(), text, final


RERUN = r"Rerun to get|Label\(s\) may have changed|rerunfilecheck"
_OWN = {f"{JOB}.tex", f"{JOB}.log", f"{JOB}.pdf", f"{JOB}.aux", _LOCK}


def _pass(build: Path, sandboxed: bool, deadline: float, tex: str, name: str) -> str:
    """One pdflatex pass in ``build``: its log, or the first LaTeX error as one line."""
    log_path, pdf = build / f"{JOB}.log", build / f"{JOB}.pdf"
    returncode, output = _run(_command(build if sandboxed else None), build, deadline, sandboxed)
    if not log_path.exists() and output.startswith(b"bwrap:"):
        line = output.decode(errors="replace").splitlines()[0][:200]
        raise LatexError.said("sheet.error.sandbox", line=line)
    log = log_path.read_bytes() if log_path.exists() else output
    text = log.decode("utf-8", errors="replace")
    if returncode != 0 or not pdf.exists():
        raise LatexError(latex_error(text, tex, name))
    return text


def _only_aux(build: Path) -> bool:
    """Whether the pass wrote no auxiliary file but the ``.aux`` (no .toc, .lof, .out…)."""
    return all(entry.name in _OWN for entry in build.iterdir())


def _effective(aux: bytes) -> list[bytes]:
    r"""What a pass reads from an ``.aux``: every line but ``\@writefile``'s, which only feed
    files (.toc, .lof) that the caller checks are not written."""
    return [line for line in aux.splitlines() if not line.startswith(b"\\@writefile{")]


def _fixed_point(build: Path, seed: bytes, log: str) -> bool:
    """Whether the pass that read ``seed`` (and wrote ``log``) asks for no other: see
    ``compile_seeded``."""
    aux = build / f"{JOB}.aux"
    return (
        not re.search(RERUN, log)
        and aux.exists()
        and _only_aux(build)
        and _effective(aux.read_bytes()) == _effective(seed)
    )


def _command(build: Path | None = None) -> list[str]:
    """pdflatex (in the sandbox around ``build``, when given), under its own limits where
    util-linux offers them (else set in the child)."""
    latex = ["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error"]
    latex += ["-file-line-error", f"-jobname={JOB}", f"{JOB}.tex"]
    if build is not None:
        latex = sandbox.command(latex, build, TEX_SETTINGS)
    if shutil.which("setpriv") and shutil.which("prlimit"):
        limits = [f"--cpu={COMPILE_SECONDS}", f"--as={MEMORY_BYTES}", f"--fsize={FILE_BYTES}"]
        return [
            "setpriv",
            "--pdeathsig",
            "KILL",
            "--",
            "prlimit",
            *limits,
            "--core=0",
            "--",
            *latex,
        ]
    return latex


def _limit_child() -> None:  # pragma: no cover (runs in the child, where util-linux is missing)
    import ctypes
    import resource

    for limit, value in (
        (resource.RLIMIT_CPU, COMPILE_SECONDS),
        (resource.RLIMIT_AS, MEMORY_BYTES),
        (resource.RLIMIT_FSIZE, FILE_BYTES),
    ):
        resource.setrlimit(limit, (value, value))
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def builds_parent() -> Path:
    """The one folder that holds symbrnn's LaTeX builds: private to this user."""
    parent = Path(tempfile.gettempdir()) / f"symbrnn-latex-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        parent.mkdir(mode=0o700)
    info = os.lstat(parent)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise InputError.said("sheet.error.builds_parent", path=str(parent))
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(parent, 0o700)
    return parent


def remove_stale_builds(parent: Path) -> list[str]:
    """Remove the build folders no running compile holds (left by a killed run)."""
    removed = []
    for entry in parent.iterdir():
        if not entry.is_dir() or entry.is_symlink():
            continue
        lock = entry / _LOCK
        try:
            fd = os.open(lock, os.O_RDWR)
        except FileNotFoundError:  # a folder being created, or left before its lock was made
            if time.time() - entry.stat().st_mtime < 600:
                continue
        except OSError:
            continue
        else:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue  # in use
            os.close(fd)
            # a live process may be between making its lock and taking it (another thread
            # of a batch): its folder is left alone unless it is old
            if _alive(entry.name) and time.time() - entry.stat().st_mtime < 600:
                continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry.name)
    return removed


def _alive(folder_name: str) -> bool:
    """Whether the process whose id starts a build folder's name still runs."""
    pid = folder_name.split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


@contextlib.contextmanager
def build_folder():
    """A fresh, locked build folder under builds_parent(), removed afterwards."""
    parent = builds_parent()
    remove_stale_builds(parent)
    build = Path(tempfile.mkdtemp(dir=parent, prefix=f"{os.getpid()}-"))
    fd = os.open(build / _LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield build
    finally:
        shutil.rmtree(build, ignore_errors=True)
        os.close(fd)


def _run(command, cwd, deadline, sandboxed=False) -> tuple[int, bytes]:
    """Run in a process group of its own, killed whole on time-out, Ctrl-C or SIGTERM.
    The sandbox starts with its own environment only: its first process, which the
    compiler sees as /proc/1, carries nothing of this one."""
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=sandbox.environment(TEX_SETTINGS) if sandboxed else safe_environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=None if command[0] == "setpriv" else _limit_child,
    )
    previous = None
    if hasattr(signal, "SIGTERM") and threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    try:
        output, _ = proc.communicate(timeout=max(0.1, deadline - time.monotonic()))
        # killed by its CPU limit (bwrap says 128 + the signal of its child)
        stopped = (signal.SIGXCPU, signal.SIGKILL)
        if proc.returncode in (*(-s for s in stopped), *(128 + s for s in stopped)):
            raise _too_long()
        return proc.returncode, output
    except subprocess.TimeoutExpired:
        _kill_group(proc, cwd if sandboxed else None)
        raise _too_long() from None
    except BaseException:
        _kill_group(proc, cwd if sandboxed else None)
        raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _too_long() -> LatexError:
    return LatexError(f"LaTeX did not finish in {COMPILE_SECONDS} s (a loop in the sheet?)")


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def _kill_group(proc, build=None) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    if build is not None:
        _sandbox_gone(os.fsencode(str(build)))


def _sandbox_gone(build: bytes, seconds: float = 5.0) -> None:
    """Wait until the sandbox's first process (its PID namespace's init, whose command line
    names the build folder) has exited: the kernel kills and reaps every process of the
    namespace before its init becomes a zombie, so none of them outlives the compile."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and any(_holds(pid, build) for pid in os.listdir("/proc")):
        time.sleep(0.01)


def _holds(pid: str, build: bytes) -> bool:
    if not pid.isdigit():
        return False
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return build in f.read()  # a zombie's command line is empty
    except OSError:  # gone meanwhile
        return False


def latex_error(log: str, tex: str, name: str) -> str:
    """The first LaTeX error of a log as one line: message, line number and that line of the source."""
    m = re.search(r"^(?:.*?:(\d+): |! )(.+)$", log, flags=re.M)
    if not m:
        return "LaTeX failed; see the log"
    message = m.group(2).strip()
    line = m.group(1)
    if line is None:
        l_match = re.search(r"^l\.(\d+)", log[m.end() :], flags=re.M)
        line = l_match.group(1) if l_match else None
    if line is None:
        return f"LaTeX error: {message[:200]}"
    lines = tex.splitlines()
    source = lines[int(line) - 1].strip() if 0 < int(line) <= len(lines) else ""
    return f"LaTeX error in {name}, line {line}: {message[:200]}: {source[:120]}"


__all__ = ["LatexError", "compile_seeded", "compile_tex", "latex_error", "require_pdflatex"]
