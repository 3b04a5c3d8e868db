"""Compile a sheet's LaTeX into a PDF, safely: a private build folder, no shell escape,
no file read or written outside it, a time bound, byte-identical output.

A shared sheet is LaTeX written by someone else. latexmk runs pdflatex with
``-no-shell-escape`` and TeX Live's paranoid file access (``openin_any=p``,
``openout_any=p``: no absolute paths, no parent folders, no dot files), in a
temporary folder that holds nothing but the sheet, under a fixed name (so
that ``a$b.tex`` compiles too), with ``SOURCE_DATE_EPOCH`` fixed. The whole
process group is stopped on a time-out, on Ctrl-C and on SIGTERM, and the
folder is removed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from symbrnn.errors import InputError, SymbrnnError

COMPILE_SECONDS = 180
JOB = "sheet"


class LatexError(SymbrnnError):
    """A sheet that LaTeX could not compile (exit code 1)."""


def require_latexmk() -> None:
    """An InputError, before anything is written, when latexmk is not installed."""
    if shutil.which("latexmk") is None:
        raise InputError(
            "--pdf needs latexmk and pdflatex (Debian: texlive-latex-base "
            "texlive-latex-recommended texlive-pictures texlive-lang-french latexmk)"
        )


def safe_environment() -> dict:
    """The environment of the LaTeX run: paranoid file access, fixed dates, one line per message."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXMF", "TEXINPUTS"))}
    env.update(
        openin_any="p",
        openout_any="p",
        shell_escape="f",
        max_print_line="10000",
        SOURCE_DATE_EPOCH="0",
        FORCE_SOURCE_DATE="1",
    )
    return env


def compile_tex(tex: str, name: str = "sheet.tex") -> bytes:
    """The PDF of a LaTeX source, compiled in a private folder; a LaTeX error is one line."""
    return compile_with_log(tex, name)[0]


def overfull_boxes(log: str) -> list[tuple[float, str]]:
    r"""(points too wide, where) of every overfull box a LaTeX log reports.

    >>> overfull_boxes("Overfull \\hbox (12.5pt too wide) in paragraph at lines 3--4")
    [(12.5, 'in paragraph at lines 3--4')]
    """
    return [
        (float(m[1]), m[2].strip())
        for m in re.finditer(r"Overfull \\[hv]box \(([\d.]+)pt too \w+\) (.*)", log)
    ]


def compile_with_log(tex: str, name: str = "sheet.tex") -> tuple[bytes, str]:
    """The PDF of a LaTeX source and the compiler's log (decoded leniently: pdflatex
    writes T1-encoded words in its messages)."""
    require_latexmk()
    with tempfile.TemporaryDirectory(prefix="symbrnn-") as build:
        source = Path(build) / f"{JOB}.tex"
        source.write_text(tex, encoding="utf-8")
        returncode, output = _run(
            [
                "latexmk",
                "-pdf",
                "-no-shell-escape",
                "-interaction=nonstopmode",
                "-halt-on-error",
                "-file-line-error",
                f"-jobname={JOB}",
                f"{JOB}.tex",
            ],
            cwd=build,
        )
        pdf = Path(build) / f"{JOB}.pdf"
        if returncode != 0 or not pdf.exists():
            log = Path(build) / f"{JOB}.log"
            text = log.read_bytes() if log.exists() else output
            raise LatexError(latex_error(text.decode("utf-8", errors="replace"), tex, name))
        log = Path(build) / f"{JOB}.log"
        text = log.read_bytes().decode("utf-8", errors="replace") if log.exists() else ""
        return pdf.read_bytes(), text


def _run(command, cwd) -> tuple[int, bytes]:
    """Run in a process group of its own, killed whole on time-out, Ctrl-C or SIGTERM."""
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=safe_environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    previous = None
    if hasattr(signal, "SIGTERM") and _in_main_thread():
        previous = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    try:
        output, _ = proc.communicate(timeout=COMPILE_SECONDS)
        return proc.returncode, output
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise LatexError(
            f"LaTeX did not finish in {COMPILE_SECONDS} s (a loop in the sheet?)"
        ) from None
    except BaseException:
        _kill_group(proc)
        raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def _kill_group(proc) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


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


__all__ = ["LatexError", "compile_tex", "latex_error", "require_latexmk"]
