"""The server's own processes and folders, and how it ends: quickly, and leaving nothing.

Sheets' LaTeX is written in one worker process (its time bound needs a main thread);
PDFs are compiled by pdflatex in build folders of ``sheets.compile``. When the server
stops, work still running is abandoned: the worker process and every process the server
started are killed, and the build folders of this server (and their parent folder, when
nothing else is in it) are removed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from pathlib import Path


class Worker:
    """Pure-Python work that holds the interpreter for long (a sheet's LaTeX) runs in one
    worker process, started on first use: the checker's answers keep their latency while a
    class downloads its sheets, and the sheet's time bound applies there (it needs a main
    thread). Errors come back as raised, said in the page's language."""

    def __init__(self):
        self.pool, self.lock = None, threading.Lock()

    def run(self, fn, *args):
        with self.lock:
            if self.pool is None:
                import concurrent.futures
                import multiprocessing

                self.pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn")
                )
            pool = self.pool
        return pool.submit(fn, *args).result()

    def close(self):
        """Stop at once: queued work is cancelled, running work killed with its process."""
        with self.lock:
            pool, self.pool = self.pool, None
        if pool is None:
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(OSError, ValueError):
                process.kill()
        for process in processes:
            with contextlib.suppress(OSError, ValueError, AssertionError):
                process.join(2)


def children() -> list[int]:
    """The live child processes of this process, from Linux's /proc."""
    out = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{os.getpid()}/task").iterdir():
            with contextlib.suppress(OSError):
                out += [int(c) for c in (task / "children").read_text().split()]
    return out


def kill_compilers() -> list[int]:
    """Kill the process groups this server started (pdflatex runs in a session of its
    own, bubblewrap's sandbox with it). Other children (multiprocessing's resource
    tracker) end by themselves with the server. Returns the groups' leaders."""
    leaders = []
    for child in children():
        with contextlib.suppress(OSError):
            if os.getpgid(child) == child:
                os.killpg(child, signal.SIGKILL)
                leaders.append(child)
    for child in leaders:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(child, 0)
    return leaders


def remove_builds(pids) -> None:
    """Remove the LaTeX build folders of these processes, and their parent folder when
    nothing else is left in it."""
    import shutil
    import tempfile

    parent = Path(tempfile.gettempdir()) / f"symbrnn-latex-{os.getuid()}"
    if not parent.is_dir() or parent.is_symlink():
        return
    for pid in pids:
        for build in parent.glob(f"{pid}-*"):
            if build.is_dir() and not build.is_symlink():
                shutil.rmtree(build, ignore_errors=True)
    with contextlib.suppress(OSError):
        parent.rmdir()  # only when empty: another process's build stays


def end() -> None:
    """The server process's last act, once it has stopped serving: the compilers it started
    killed, its build folders removed."""
    kill_compilers()
    remove_builds([os.getpid()])
