"""Small I/O helpers shared by the commands: atomic writes, reading inputs."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from symbrnn.errors import InputError


def check_output_path(path: str | os.PathLike) -> Path:
    """The path as a Path, or an InputError when no file can be written there."""
    if str(path).strip() == "":
        raise InputError("the output file name is empty")
    path = Path(path)
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a folder")
    parent = path.parent
    if not parent.exists():
        if any(p.is_file() for p in parent.parents if p.exists()) or parent.is_file():
            raise InputError(f"cannot write {path}: {parent} is not a folder")
        raise InputError(f"cannot write {path}: folder {parent} does not exist")
    if not parent.is_dir():
        raise InputError(f"cannot write {path}: {parent} is not a folder")
    if not os.access(parent, os.W_OK):
        raise InputError(f"cannot write {path}: folder {parent} is not writable")
    return path


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """A temporary path beside ``path``, renamed onto it when the block succeeds.

    Readers see either the old or the complete new file; the new file gets the
    usual permissions (umask), not mkstemp's 0600; nothing is left on failure.
    """
    path = check_output_path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_atomic(path: str | os.PathLike, data: str | bytes) -> None:
    """Write a file so that readers see either the old or the complete new content."""
    with atomic_path(path) as tmp:
        if isinstance(data, bytes):
            Path(tmp).write_bytes(data)
        else:
            Path(tmp).write_text(data, encoding="utf-8")


MAX_JSON_BYTES = 5_000_000


def parse_json(text: str, what: str):
    """JSON from a user, with one-line errors: syntax, NaN/Infinity, huge numbers, deep nesting."""
    import json

    if len(text) > MAX_JSON_BYTES:
        raise InputError(f"{what} is larger than {MAX_JSON_BYTES:,} characters")

    def constant(name):
        raise InputError(f"{what} holds {name}: give finite numbers")

    try:
        return json.loads(text, parse_constant=constant)
    except InputError:
        raise
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{what} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except ValueError as exc:  # Python's limit on the digits of an integer
        raise InputError(f"{what}: {str(exc).splitlines()[0][:120]}") from None
    except RecursionError:
        raise InputError(f"{what} is nested too deeply") from None


def to_json_value(value):
    """Numbers as JSON has them: a NaN or an infinity becomes null (JSON has no Infinity)."""
    import math

    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    return value


@contextlib.contextmanager
def time_bound(seconds: int, error):
    """Raise ``error`` (an exception) if the block runs longer than ``seconds``.

    SIGALRM, in the main thread only (elsewhere the block runs unbounded): what
    bounds a sheet's template or one row of a class.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum, frame):
        raise error

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def emit_chunks(chunks, output: str | None) -> None:
    """Write text as it is produced, ending with one newline: to stdout, or atomically to
    ``output`` (the file appears whole, or not at all)."""
    if output not in (None, "-"):
        with atomic_path(output) as tmp, open(tmp, "w", encoding="utf-8") as fh:
            _write_ending_in_newline(chunks, fh)
        return
    _write_ending_in_newline(chunks, sys.stdout)


def _write_ending_in_newline(chunks, fh) -> None:
    last = ""
    for chunk in chunks:
        if chunk:
            fh.write(chunk)
            last = chunk
    if not last.endswith("\n"):
        fh.write("\n")


def emit(text: str, output: str | None) -> None:
    """Print to stdout, or write atomically to ``output``, ending with one newline."""
    emit_chunks([text], output)


def read_text(source: str) -> str:
    """Read a file, or standard input for '-', with a clear error."""
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"file not found: {source}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {source}: {exc}") from None
