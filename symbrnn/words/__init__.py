"""The word book: every sentence a student or a teacher reads, in French and in English.

The sentences are data, one TOML file per room (``judge.toml``, ``web.toml``,
``exam.toml``, ``cli.toml``…), each entry a key and its languages::

    ["verdict.not_equivalent"]
    en = "✗ not equivalent"
    fr = "✗ non équivalent"

A verdict, a diagnosis, a note or an error is a key and its parameters; the words are
chosen when it is shown, in the reader's language. Note codes find their sentences by
convention (``diag.<CODE>``, ``name.<NOTE>``). ``tests/test_word_book.py`` checks that every
key has both languages with the same parameters, and is written once.

Counts agree with their noun: ``{s}`` is ``s`` when ``count`` is plural in the sentence's
language (French: 2 and more; English: all but 1), ``{s:right}`` when ``right`` is; in
French a decimal number is written with a comma (``number``).

>>> say("cli.wrote", "fr", path="td5.tex")
'écrit : td5.tex'
>>> say("cli.students", "fr", count=1), say("cli.students", "fr", count=3)
('1 élève', '3 élèves')
>>> number(0.25, "fr"), number(12345, "fr", ","), number(0.25, "en")
('0,25', '12\\u202f345', '0.25')
"""

from __future__ import annotations

from symbrnn.errors import LANGS, InputError, english
from symbrnn.words.sentences import (
    FOLDER,
    Msg,
    Row,
    Table,
    book,
    files,
    known,
    number,
    placeholders,
    plural,
    say,
)
from symbrnn.words.sentences import _alone as _alone  # tests/test_word_book_lazy.py
from symbrnn.words.sentences import _where as _where


class WordError(InputError):
    """An input error (exit 2) made from a key of the book (``InputError.said`` with the
    key first): ``str()`` is English, ``text`` says it in the reader's language."""

    def __init__(self, key: str, /, **params):
        super().__init__(english(key, params))
        self.key, self.params = key, params

    def __reduce__(self):  # raised in a worker process, said in the parent's language
        return (_word_error, (type(self), self.key, self.params))


def _word_error(cls, key, params):
    return cls(key, **params)


__all__ = ["FOLDER", "LANGS", "Msg", "Row", "Table", "WordError", "book", "files", "known"]
__all__ += ["number", "placeholders", "plural", "say"]
