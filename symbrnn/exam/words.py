"""Every word of an exam, in French and in English: stems, instructions, count mistakes
(the word book's ``exam.toml``; ``count.<CODE>`` for each row of ``exam/counts.py``).

The formula options' mistakes are said by the checker's own sentences (``judge.toml``).

>>> word("count.NO_BIAS", "fr")
'les biais sont oubliés'
"""

from __future__ import annotations

from symbrnn.words import Table, say

WORDS = Table(room="exam")


def word(key: str, lang: str, /, **params) -> str:
    """A word of the exam in ``lang`` (fr or en), its parameters filled in."""
    return say(key, lang, **params)
