"""Every sentence the judge says, in French and in English, under a stable key: the word
book's ``judge.toml`` (verdicts, notes, ``diag.<CODE>``, ``name.<NOTE>``, errors of an
answer), ``csv.toml`` and ``grade.toml`` (symbrnn/words/).

A verdict, a diagnosis, a note or an error is a key and its parameters; the words are
chosen when it is shown, in the reader's language.

>>> say("verdict.not_equivalent", "fr")
'✗ non équivalent'
>>> str(JudgeError("answer.empty"))
'the answer is empty'
"""

from __future__ import annotations

from symbrnn.words import Msg, Table, WordError, placeholders, say

MESSAGES = Table()  # the whole book; MESSAGES.update({...}) adds a late entry to it


class JudgeError(WordError):
    """An error of the judge (exit 2), said in either language.

    ``str()`` is English; :meth:`text` chooses the language.
    """


__all__ = ["MESSAGES", "JudgeError", "Msg", "placeholders", "say"]
