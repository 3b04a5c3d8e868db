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


def emit(text: str, output: str | None) -> None:
    """Print to stdout, or write atomically to ``output``."""
    if output in (None, "-"):
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        write_atomic(output, text if text.endswith("\n") else text + "\n")


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
