"""The word book's sentences: its TOML files read, a key's sentence said in a language.
It imports nothing of symbrnn, so that every error (``symbrnn.errors``) may be said from
the book; ``symbrnn.words`` is its front (see its docstring)."""

from __future__ import annotations

import functools
import re
import string
import tomllib
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).parent  # the TOML files, beside this module
Row = dict[str, str]


@functools.cache
def files() -> dict[str, dict[str, Row]]:
    """Each TOML file's entries, by the file's stem (its room)."""
    return {p.stem: tomllib.loads(p.read_text("utf-8")) for p in sorted(FOLDER.glob("*.toml"))}


_HEADER = re.compile(r'^\["([^"\n]+)"\]\s*$', re.MULTILINE)


@functools.cache
def _where() -> dict[str, str]:
    """Each key's own lines (its header and its languages), found without parsing a file:
    a check says a few sentences, and parsing the whole book would cost it 25 ms."""
    found: dict[str, str] = {}
    for path in sorted(FOLDER.glob("*.toml")):
        text = path.read_text("utf-8")
        heads = list(_HEADER.finditer(text))
        for head, after in zip(heads, [*heads[1:], None], strict=True):
            found.setdefault(head.group(1), text[head.start() : after and after.start()])
    return found


def _row(key: str) -> Row:
    """One key's entry: from the whole book once it is read (it may have been added to),
    else parsed from the key's own lines alone."""
    if book.cache_info().currsize or key not in _where():
        return book()[key]
    return _alone(key)


@functools.cache
def _alone(key: str) -> Row:
    entry = tomllib.loads(_where()[key]).get(key)
    return entry if isinstance(entry, dict) else book()[key]


def known(key: str) -> bool:
    """Whether the book has ``key`` (without reading the whole book when it is not read)."""
    return key in book() if book.cache_info().currsize else key in _where() or key in book()


@functools.cache
def book() -> dict[str, Row]:
    """Every entry of every file, by key (a key written in two files is refused)."""
    found: dict[str, Row] = {}
    where: dict[str, str] = {}
    for room, entries in files().items():
        for key, row in entries.items():
            if key in found:
                raise ValueError(f"word book: {key!r} is in {where[key]}.toml and {room}.toml")
            found[key], where[key] = row, room
    return found


class Table(MutableMapping):
    """A view of the book: the keys of one room (``room``) and/or under ``prefix``, named
    without the prefix. Writing to it adds to the book (a late addition, or a test's)."""

    def __init__(self, prefix: str = "", room: str | None = None):
        self.prefix, self.room = prefix, room

    def _keys(self) -> Iterator[str]:
        keys = book() if self.room is None else files()[self.room]
        return (k for k in list(keys) if k.startswith(self.prefix))

    def __getitem__(self, key: str) -> Row:
        return book()[self.prefix + key]

    def __setitem__(self, key: str, row: Row) -> None:
        book()[self.prefix + key] = row
        if self.room is not None:
            files()[self.room][self.prefix + key] = row

    def __delitem__(self, key: str) -> None:
        del book()[self.prefix + key]
        if self.room is not None:
            files()[self.room].pop(self.prefix + key, None)

    def __iter__(self) -> Iterator[str]:
        return (k[len(self.prefix) :] for k in self._keys())

    def __len__(self) -> int:
        return sum(1 for _ in self._keys())


def plural(count, lang: str) -> bool:
    """Whether ``count`` takes the plural: 0 and 1 are singular in French, only 1 in English."""
    return abs(count) >= 2 if lang == "fr" else count != 1


def number(value, lang: str, spec: str = "") -> str:
    """A number as ``lang`` writes it: ``0,25`` and ``12 345`` (narrow spaces) in French."""
    text = format(value, spec or (".12g" if isinstance(value, float) else ""))
    if lang != "fr":
        return text
    return text.replace(",", "\u202f").replace(".", ",")


class _Words(string.Formatter):
    """``str.format`` with ``{s}``/``{s:name}`` (a plural's s) and French numbers."""

    def __init__(self, lang: str, params: dict):
        self.lang, self.params = lang, params

    def get_value(self, key, args, kwargs):
        return _S if key == "s" and "s" not in kwargs else super().get_value(key, args, kwargs)

    def format_field(self, value, spec: str) -> str:
        if value is _S:
            return "s" if plural(self.params[spec or "count"], self.lang) else ""
        grouped = isinstance(value, int) and not isinstance(value, bool) and "," in spec
        if self.lang == "fr" and (isinstance(value, float) or grouped):
            return number(value, self.lang, spec)
        return super().format_field(value, spec)


_S = object()


def say(key: str, lang: str = "en", /, **params) -> str:
    """The sentence of ``key`` in ``lang`` (fr or en; English otherwise), its parameters
    filled in (a parameter may be a ``Msg``, said in the same language)."""
    row = _row(key)
    shown = {k: v.text(lang) if isinstance(v, Msg) else v for k, v in params.items()}
    lang = lang if lang in row else "en"
    return _Words(lang, shown).vformat(row[lang], (), shown)


def placeholders(template: str) -> set[str]:
    """The parameters a sentence takes (``{s}``, a plural's ending, is not one)."""
    fields = string.Formatter().parse(template)
    return {name for _, name, _, _ in fields if name and name != "s"}


@dataclass(frozen=True)
class Msg:
    """A sentence not yet said: its key and its parameters (a parameter may be a Msg)."""

    key: str
    params: tuple = ()

    @classmethod
    def of(cls, key: str, /, **params) -> Msg:
        if not known(key):
            raise KeyError(f"no message {key!r}")
        return cls(key, tuple(sorted(params.items())))

    def text(self, lang: str = "en") -> str:
        return say(self.key, lang, **dict(self.params))
