"""The exceptions symbrnn raises. The CLI turns each into one line on stderr.

The library names an option in its own terms, marked ``⟨T⟩`` (or ``⟨T=3⟩`` with a
value); each front end spells it its way when it shows the error: the command line as
its flag (``--T 3``), the web page as its field. ``str()`` is the library's spelling.

>>> from symbrnn.errors import InputError
>>> error = InputError("⟨T⟩ must be a positive integer, got 0; e.g. ⟨T=3⟩")
>>> str(error)
'T must be a positive integer, got 0; e.g. T = 3'
>>> error.speak(flag)
'--T must be a positive integer, got 0; e.g. --T 3'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Self

LANGS = ("fr", "en")  # every sentence a user reads exists in these languages

_OPTION = re.compile(r"⟨(\w+)(?:=([^⟩]*))?⟩")

Spelling = Callable[[str, "str | None"], str]


def plain(name: str, value: str | None = None) -> str:
    """The library's spelling of an option: its name (``T = 3`` with a value)."""
    return name if value is None else f"{name} = {value}"


def flag(name: str, value: str | None = None) -> str:
    """The command line's spelling of an option: ``--reset-after``, ``--T 3``."""
    spelled = "--" + name.replace("_", "-")
    if value in ("True", "False"):  # a switch: --trusted, --no-bias
        return spelled if value == "True" else "--no-" + spelled[2:]
    return spelled if value is None else f"{spelled} {value}"


def marked(name: str, value: str | None = None) -> str:
    """An option left marked, to be spelled later (an error said again in another language)."""
    return f"⟨{name}⟩" if value is None else f"⟨{name}={value}⟩"


def spell(text: str, spelling: Spelling = plain) -> str:
    """``text`` with every marked option ``⟨name⟩`` or ``⟨name=value⟩`` spelled."""
    return _OPTION.sub(lambda m: spelling(m[1], m[2]), text)


class SymbrnnError(Exception):
    """Base class of every error symbrnn raises on purpose. An error made by :meth:`said`
    carries a key of the word book and its parameters: ``str()`` is English, :meth:`text`
    says it in the reader's language, and it crosses processes as its key. An error made
    from a plain string is English in every language."""

    exit_code = 1
    key: str | None = None
    params: dict = {}  # noqa: RUF012 (read only; an error made by said() has its own)

    @classmethod
    def said(cls, key: str, /, **params) -> Self:
        """The error of the word book's ``key``, its parameters filled in when it is shown."""
        error = cls(english(key, params))
        error.key, error.params = key, params
        return error

    def __str__(self) -> str:
        return spell(super().__str__())

    def speak(self, spelling: Spelling = plain) -> str:
        """The message with its options spelled as a front end names them."""
        return spell(super().__str__(), spelling)

    def text(self, lang: str = "en", spelling: Spelling = plain) -> str:
        """The message in ``lang`` (English if it has no key), options spelled."""
        if self.key is None:
            return self.speak(spelling)
        from symbrnn.words.sentences import say

        return spell(say(self.key, lang, **self.params), spelling)

    def phrase(self):
        """The message as another sentence's parameter: a Msg of the book (said in that
        sentence's language), or the message itself without a key."""
        if self.key is None:
            return super().__str__()
        from symbrnn.words.sentences import Msg

        return Msg(self.key, tuple(sorted(self.params.items())))

    def __reduce__(self):  # raised in a worker process, said in the parent's language
        if self.key is None:
            return super().__reduce__()
        return (_said, (type(self), self.key, self.params))


def english(key: str, params: dict) -> str:
    """The English of a key of the word book (``str()`` of an error made from it); a key the
    book does not have is a programming error."""
    from symbrnn.words.sentences import known, say  # (symbrnn.words imports this module)

    if not known(key):
        raise KeyError(f"no message {key!r}")
    return say(key, "en", **params)


def _said(cls, key, params):
    return cls.said(key, **params)


class InputError(SymbrnnError, ValueError):
    """Bad usage or bad input from the user (CLI exit code 2)."""

    exit_code = 2


class DeclarationError(InputError):
    """A cell declaration that cannot be traced (unknown operation, wrong shapes)."""


class SummaryParseError(InputError):
    """A pasted model summary that cannot be read."""


class DerivationError(SymbrnnError):
    """A derivation that failed although its input was valid (CLI exit code 1)."""
