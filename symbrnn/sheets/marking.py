"""One marking rule, and every mistake's credit derived from it.

The rule (printed in the key, ``[labels] marking_rule``): an answer whose mistake is the
one a question is about (its *central* mistake) earns at most a third of the question; a
mistake already sanctioned at the question about it is not sanctioned again later (a
*carried* mistake earns the full marks); any other mistake costs the steps of the marking
guide it breaks. A sheet says of each mistake a question marks only which of these it is:
``marking_notes = { MISSING_DIAG = "central", SIGMA_FOR_PRIME = "carried", ORDER = [1] }``
(``[1]``: the guide's first step); the marks are computed here.

>>> credit({"points": 1.5}, "central")
0.5
>>> credit({"points": 1}, "central")
0.25
>>> credit({"points": 2.5, "marking": [{"points": 1}, {"points": 0.5}]}, [2])
2.0
"""

from __future__ import annotations

import math
from fractions import Fraction

CENTRAL_SHARE = Fraction(1, 3)  # the central mistake earns at most this share
UNIT = Fraction(1, 4)  # marks are given in quarter points


def credit(q: dict, kind) -> float:
    """The marks of an answer to ``q`` with one mistake of this kind."""
    points = Fraction(q["points"]).limit_denominator(1000)
    if kind == "central":
        return float(math.floor(points * CENTRAL_SHARE / UNIT) * UNIT)
    if kind == "carried":
        return float(points)
    lost = sum(Fraction(q["marking"][i - 1]["points"]).limit_denominator(1000) for i in kind)
    return float(max(points - lost, 0))


def central_questions(questions) -> dict:
    """note → the id of the first question whose central mistake it is."""
    out: dict = {}
    for q in questions:
        for note, kind in (q.get("marking_notes") or {}).items():
            if kind == "central":
                out.setdefault(note, q["id"])
    return out


def kind_problem(q: dict, note: str, kind, before: set, central_at: dict) -> str | None:
    """Why ``kind`` is not what the rule says for ``note`` in ``q`` (None when it is).
    ``before``: the ids of the questions before ``q``."""
    steps = len(q.get("marking") or [])
    if kind == "carried":
        if central_at.get(note) not in before:
            return f"{note} is 'carried' but no earlier question is about it ('central')"
        return None
    if kind == "central":
        return None
    if central_at.get(note) in before:
        return f"{note} was sanctioned at {central_at[note]}: it is 'carried' here"
    ok = (
        isinstance(kind, list)
        and kind
        and all(isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= steps for i in kind)
        and len(set(kind)) == len(kind)
    )
    if not ok:
        return (
            f"{note} must be 'central', 'carried' or the list of the marking steps it breaks "
            f"(numbers 1 to {steps})"
        )
    return None
