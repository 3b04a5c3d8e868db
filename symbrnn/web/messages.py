"""Every word of the web page, in French and in English: labels, errors, spectral sentences.

A page is rendered in one language (``?lang=fr``, the default, or ``?lang=en``) and every
API answer it shows speaks that language: the checker's verdicts and diagnoses come
translated from the word book; what the page adds is there too (``symbrnn/words/web.toml``:
``page.<word>`` its labels, ``session.<word>`` a TD session's, ``web.*`` its errors).

>>> word("copy", "fr")
'Copier le LaTeX'
>>> RequestError("web.T_range", lo=1, hi=30).text("fr")
'T doit être un entier de 1 à 30'
"""

from __future__ import annotations

import functools

from symbrnn.errors import LANGS
from symbrnn.words import Table, WordError, number, say

# the page's field where the library names an option (the page chooses a question, not a sheet)
FIELDS = {"sheet": "question", "variant_seed": "variant"}

WORDS = Table("page.")  # the page's labels, by their word
SESSION_WORDS = Table("session.")  # a TD session's pages
MESSAGES = Table("", room="web")  # the page's sentences (errors, spectral, params)


def field(name: str, value: str | None = None) -> str:
    """The page's spelling of an option the library names: its field, « T = 3 » with a value."""
    spelled = FIELDS.get(name, name)
    return spelled if value is None else f"{spelled} = {value}"


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "fr"  # the page speaks French when unsure


def session_words(lang: str) -> dict[str, str]:
    """The words of a session's page in one language, with the page's own (``w[...]``)."""
    return page_words(lang) | {k: row[_lang(lang)] for k, row in SESSION_WORDS.items()}


def students(count: int, lang: str) -> str:
    """« 0 élève », « 1 élève », « 2 élèves »; "0 students", "1 student", "2 students"."""
    one = count < 2 if lang == "fr" else count == 1
    return say("session.student_one" if one else "session.student_many", _lang(lang), count=count)


def decimal(value: float, lang: str) -> str:
    """A score as the language writes it: 1,5 in French, 1.5 in English."""
    return number(round(value, 2), lang)


def word(key: str, lang: str, **params) -> str:
    """A word of the page in ``lang`` (French when the language is unknown)."""
    return say("page." + key, _lang(lang), **params)


def page_words(lang: str) -> dict[str, str]:
    """Every word of the page in one language, for a template (``w["copy"]``)."""
    return {key: row[_lang(lang)] for key, row in WORDS.items()}


class RequestError(WordError):
    """A request that cannot be served: a 4xx status with one message, said in the page's
    language (``str()`` is English, as the command line speaks)."""

    def __init__(self, key: str, status: int = 400, position: int | None = None, **params):
        self.status, self.position = status, position
        super().__init__(key, **params)

    def text(self, lang: str, spelling=field) -> str:
        return super().text(lang, spelling)

    def __reduce__(self):  # raised in the worker process, said in the server's
        made = functools.partial(RequestError, **self.params)
        return made, (self.key, self.status, self.position)


__all__ = ["RequestError", "field", "page_words", "say", "session_words", "word"]
