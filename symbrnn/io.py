"""Small I/O helpers shared by the commands: atomic writes, reading inputs."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from symbrnn.errors import InputError

MAX_NAME_BYTES = 255  # a file name's length on Linux, macOS and Windows file systems


def check_output_path(path: str | os.PathLike, *, probe: bool = True) -> Path:
    """The path as a Path, or an InputError when no file can be written there (``probe``:
    found by creating a temporary beside it, so that it fails before any work)."""
    if str(path).strip() == "":
        raise InputError("the output file name is empty")
    if "\0" in str(path):
        raise InputError("the output file name holds a NUL character")
    path = Path(path)
    shown = _shown(path)
    if len(path.name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        raise InputError(f"cannot write {shown}: a file name is at most {MAX_NAME_BYTES} bytes")
    if len(str(path).encode("utf-8", "surrogateescape")) > 4000:
        raise InputError(f"cannot write {shown}: the path is too long")
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
    if probe:  # a real probe: /proc, a read-only mount or a full quota say no only when asked
        os.unlink(_new_part(path))
    return path


def _new_part(path: Path) -> str:
    """A new empty temporary beside ``path``, named for this process (see
    remove_stale_parts) and ending in the path's suffix, which writers read the format from."""
    suffix = path.suffix if len(path.suffix) <= 16 else ""
    try:
        fd, part = tempfile.mkstemp(
            dir=path.parent, prefix=f"{_PART_PREFIX}{os.getpid()}-", suffix=f".part{suffix}"
        )
    except OSError as exc:
        raise InputError(f"cannot write {_shown(path)}: {exc.strerror or exc}") from None
    os.close(fd)
    return part


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """A temporary path beside ``path``, renamed onto it when the block succeeds.

    Readers see either the old or the complete new file; the new file gets the
    usual permissions (umask), not mkstemp's 0600; nothing is left on failure.
    """
    path = check_output_path(path, probe=False)  # creating the temporary is the probe
    remove_stale_parts(path.parent)
    tmp = _new_part(path)  # a short hidden name: any name admitted has a temporary beside it
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"cannot write {_shown(path)}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


_PART_PREFIX = ".symbrnn-"


def remove_stale_parts(folder: Path) -> None:
    """Remove the temporaries a killed symbrnn left in ``folder`` (``kill -9`` runs no
    clean-up): their name holds the writer's process id, and that process is gone."""
    import re

    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        m = re.fullmatch(re.escape(_PART_PREFIX) + r"(\d+)-[^/]*\.part[^/]*", entry.name)
        if not m or int(m[1]) == os.getpid():
            continue
        try:
            os.kill(int(m[1]), 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
        except (PermissionError, OverflowError):
            continue


def _shown(path, limit: int = 80) -> str:
    """A path as a one-line message shows it: at most ``limit`` characters."""
    text = str(path)
    return text if len(text) <= limit else text[: limit // 2] + "…" + text[-limit // 2 :]


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


MAX_INPUT_BYTES = 5_000_000  # the largest file a command reads, unless it says otherwise


def read_bytes(source: str, limit: int = MAX_INPUT_BYTES, what: str = "") -> bytes:
    """At most ``limit`` bytes of a file, or of standard input for '-': an endless or huge
    input (``/dev/zero``) is one line, never a read of everything."""
    name = what or ("standard input" if source == "-" else _shown(source))
    try:
        if source == "-":
            stream = sys.stdin.buffer if sys.stdin is not None else None
            if stream is None:
                raise InputError("standard input is closed")
            data = stream.read(limit + 1)
        else:
            with open(source, "rb") as fh:
                data = fh.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"file not found: {name}") from None
    except IsADirectoryError:
        raise InputError(f"cannot read {name}: it is a folder") from None
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(f"{name} is larger than {limit:,} bytes")
    return data


def read_text(source: str, limit: int = MAX_INPUT_BYTES, what: str = "") -> str:
    """Read UTF-8 text (a BOM is dropped) from a file, or standard input for '-', with a
    size bound and a clear error."""
    data = read_bytes(source, limit, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        name = what or ("standard input" if source == "-" else _shown(source))
        raise InputError(f"{name} is not UTF-8 text (byte {exc.start})") from None
