"""Small I/O helpers shared by the commands: outputs written all or none, reading inputs."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from symbrnn.errors import InputError
from symbrnn.words import Msg, WordError

MAX_NAME_BYTES = 255  # a file name's length on Linux, macOS and Windows file systems


class OutputError(WordError):
    """A file that cannot be written where it was asked (exit 2), said in either language
    (the word book's ``output.*``); ``str()`` is in the language it was raised in.

    >>> str(OutputError("folder", path="/tmp"))
    'cannot write /tmp: it is a folder; give a file name'
    >>> OutputError("folder", lang="fr", path="/tmp").text("fr")
    "impossible d'écrire /tmp : c'est un dossier ; donnez un nom de fichier"
    """

    def __init__(self, key: str, /, lang: str = "en", **params):
        super().__init__(f"output.{key}", **params)
        self.args = (self.text(lang),)

    def __reduce__(self):  # crosses processes as it was said
        return (_output_error, (self.key.removeprefix("output."), self.params, str(self)))


def _output_error(key, params, shown):
    error = OutputError(key, **params)
    error.args = (shown,)
    return error


_KINDS = ((stat.S_ISCHR, "device"), (stat.S_ISBLK, "device"), (stat.S_ISFIFO, "fifo"))
_KINDS += ((stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "folder"))


def check_output_path(path: str | os.PathLike, *, probe: bool = True, lang: str = "en") -> Path:
    """The path as a Path, or an OutputError when no regular file can be written there: a
    device (``/dev/full``, ``/dev/null``), a named pipe, a socket or a folder is refused, as
    a missing or read-only folder is (``probe``: found by creating a temporary beside it, so
    that it fails before any work)."""
    if str(path).strip() == "":
        raise OutputError("empty", lang)
    if "\0" in str(path):
        raise OutputError("nul", lang)
    path = Path(path)
    shown = _shown(path)
    if len(path.name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        raise OutputError("name_long", lang, path=shown, limit=MAX_NAME_BYTES)
    if len(str(path).encode("utf-8", "surrogateescape")) > 4000:
        raise OutputError("path_long", lang, path=shown)
    with contextlib.suppress(OSError):  # a new path (or one the folder checks below explain)
        mode = os.stat(path).st_mode  # a link is judged by what it points to
        for kind, key in _KINDS:
            if kind(mode):
                raise OutputError(key, lang, path=shown)
    parent = path.parent
    if not parent.is_dir():  # a file, or a missing folder (below a file, or not)
        blocked = parent.exists() or any(p.is_file() for p in parent.parents)
        key = "parent_file" if blocked else "parent_missing"
        raise OutputError(key, lang, path=shown, parent=_shown(parent))
    if not os.access(parent, os.W_OK):
        raise OutputError("parent_locked", lang, path=shown, parent=_shown(parent))
    if probe:  # a real probe: /proc, a read-only mount or a full quota say no only when asked
        os.unlink(_new_part(path, lang))
    return path


def check_outputs(paths, *, lang: str = "en", probe: bool = True) -> list[Path]:
    """Every output of one command checked (see :func:`check_output_path`), and no file
    named twice (``-o r.html --report r.html``)."""
    checked = [check_output_path(p, probe=probe, lang=lang) for p in paths]
    real = [os.path.realpath(path) for path in checked]
    for i, path in enumerate(checked):
        if real[i] in real[:i]:
            raise OutputError("twice", lang, path=_shown(path))
    return checked


def _new_part(path: Path, lang: str = "en") -> str:
    """A new empty temporary beside ``path``, named for this process (see
    remove_stale_parts) and ending in the path's suffix, which writers read the format from."""
    suffix = path.suffix if len(path.suffix) <= 16 else ""
    try:
        fd, part = tempfile.mkstemp(
            dir=path.parent, prefix=f"{_PART_PREFIX}{os.getpid()}-", suffix=f".part{suffix}"
        )
    except OSError as exc:
        raise OutputError("system", lang, path=_shown(path), reason=_reason(exc)) from None
    os.close(fd)
    return part


def _reason(exc: OSError) -> str:
    return str(exc.strerror or exc)


def write_all(files: Mapping[str | os.PathLike, str | bytes], *, lang: str = "en") -> None:
    """Write every file, or none: each goes to a temporary beside it, flushed to the disk;
    only when all are written are they renamed onto their names. A full disk on the last
    file leaves no file written and no temporary behind; readers see each file old or whole.

    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_all({pathlib.Path(folder, "r.csv"): "a\\n", pathlib.Path(folder, "r.html"): b"<p>"})
    ...     sorted(p.name for p in pathlib.Path(folder).iterdir())
    ['r.csv', 'r.html']
    """
    paths = check_outputs(files, lang=lang, probe=False)  # creating a temporary is the probe
    parts: dict[Path, str] = {}
    path = None
    try:
        for path, data in zip(paths, files.values(), strict=True):
            remove_stale_parts(path.parent)
            parts[path] = _new_part(path, lang)  # a short hidden name beside any admitted one
            _write_synced(parts[path], data if isinstance(data, bytes) else data.encode("utf-8"))
        _rename_all(parts, lang)
    except OSError as exc:
        raise OutputError("system", lang, path=_shown(path), reason=_reason(exc)) from None
    finally:
        for part in parts.values():
            with contextlib.suppress(OSError):
                os.unlink(part)


def _rename_all(parts: dict[Path, str], lang: str = "en") -> None:
    """Each temporary onto its name, with the usual permissions (umask), not mkstemp's 0600;
    stopped half-way (a refusal, Ctrl-C), the files that were new go again."""
    umask = os.umask(0)
    os.umask(umask)
    new = [path for path in parts if not os.path.lexists(path)]
    renamed: list[Path] = []
    try:
        for path, part in parts.items():
            os.chmod(part, 0o666 & ~umask)
            check_output_path(path, probe=False, lang=lang)  # still a file, or a new path
            os.replace(part, path)
            renamed.append(path)
    except BaseException:
        for path in renamed:
            if path in new:
                with contextlib.suppress(OSError):
                    os.unlink(path)
        raise


def _write_synced(part: str, data: bytes) -> None:
    """``data`` into the temporary ``part``, on the disk when it returns (a full disk says so
    here, not later)."""
    with open(part, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """A temporary path beside ``path``, renamed onto it when the block succeeds (a file
    written as it is produced; several files at once: :func:`write_all`); nothing is left
    on failure."""
    path = check_output_path(path, probe=False)  # creating the temporary is the probe
    remove_stale_parts(path.parent)
    tmp = _new_part(path)
    try:
        yield tmp
        _rename_all({path: tmp})
    except OSError as exc:
        raise OutputError("system", path=_shown(path), reason=_reason(exc)) from None
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
    write_all({path: data})


MAX_JSON_BYTES = 5_000_000


def parse_json(text: str, what: str):
    """JSON from a user, with one-line errors: syntax, NaN/Infinity, huge numbers, deep nesting."""
    import json

    if len(text) > MAX_JSON_BYTES:
        raise InputError.said("io.error.json_large", what=what, top=MAX_JSON_BYTES)

    def constant(name):
        raise InputError.said("io.error.json_constant", what=what, name=name)

    try:
        return json.loads(text, parse_constant=constant)
    except InputError:
        raise
    except json.JSONDecodeError as exc:
        place = {"line": exc.lineno, "column": exc.colno}
        raise InputError.said("io.error.json", what=what, reason=exc.msg, **place) from None
    except ValueError as exc:  # Python's limit on the digits of an integer
        reason = str(exc).splitlines()[0][:120]
        raise InputError.said("io.error.json_value", what=what, reason=reason) from None
    except RecursionError:
        raise InputError.said("io.error.json_nested", what=what) from None


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


def emit(text, output: str | None) -> None:
    """Print ``text`` (a str, or chunks written as they are produced), ending with one
    newline: to stdout, or atomically to ``output`` (the file appears whole, or not at all)."""
    chunks = [text] if isinstance(text, str) else text
    if output in (None, "-"):
        _write_ending_in_newline(chunks, sys.stdout)
        return
    with atomic_path(output) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        _write_ending_in_newline(chunks, fh)


def _write_ending_in_newline(chunks, fh) -> None:
    last = ""
    for chunk in chunks:
        if chunk:
            fh.write(chunk)
            last = chunk
    if not last.endswith("\n"):
        fh.write("\n")


MAX_INPUT_BYTES = 5_000_000  # the largest file a command reads, unless it says otherwise


def read_bytes(source: str, limit: int = MAX_INPUT_BYTES, what: str = "") -> bytes:
    """At most ``limit`` bytes of a file, or of standard input for '-': an endless or huge
    input (``/dev/zero``) is one line, never a read of everything."""
    name = _named(source, what)
    try:
        if source == "-":
            stream = sys.stdin.buffer if sys.stdin is not None else None
            if stream is None:
                raise InputError.said("io.error.stdin_closed")
            data = stream.read(limit + 1)
        else:
            with open(source, "rb") as fh:
                data = fh.read(limit + 1)
    except FileNotFoundError:
        raise InputError.said("io.error.not_found", name=name) from None
    except IsADirectoryError:
        raise InputError.said("io.error.folder", name=name) from None
    except OSError as exc:
        raise InputError.said("io.error.read", name=name, reason=_reason(exc)) from None
    if len(data) > limit:
        raise InputError.said("io.error.large", name=name, top=limit)
    return data


def read_text(source: str, limit: int = MAX_INPUT_BYTES, what: str = "") -> str:
    """Read UTF-8 text (a BOM is dropped) from a file, or standard input for '-', with a
    size bound and a clear error."""
    data = read_bytes(source, limit, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        name = _named(source, what)
        raise InputError.said("io.error.utf8", name=name, byte=exc.start) from None


def _named(source: str, what: str) -> str | Msg:
    """An input as an error names it: ``what``, else standard input (in the reader's
    language) for '-', else its path."""
    return what or (Msg.of("io.stdin") if source == "-" else _shown(source))
