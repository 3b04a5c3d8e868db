"""What a sheet question asks, for the checker, as data: its check at a variant.

The records are ``symbrnn.sheets.load(sheet).question(id, seed)`` (``judge.question``);
this is their JSON view for ``sheet --format json`` and the exam's formulas. A student
checks an answer with ``--sheet td5 --question III.1`` and no other flag.

>>> question_check("td5", "III.2")["quantity"]
'dh_3/dh_1'
"""

from __future__ import annotations

from symbrnn.sheets.sheet import KEYS, load


def checkable_questions(sheet: str) -> list[str]:
    """The ids of the questions of a sheet that the checker can judge, in the sheet's order.

    >>> checkable_questions("td5")[:2]
    ['II.1', 'II.2']
    """
    return list(load(sheet).checks)


def question_check(sheet: str, question: str, variant_seed: int | None = None) -> dict:
    """The check of one question at the variant drawn from ``variant_seed``: the keys the
    sheet writes (in its order, ``T = "T"`` and the quantity at the variant's T), and the
    variant's activation where the check leaves it to the variant."""
    loaded = load(sheet)
    q = loaded.question(question, variant_seed)
    raw = loaded.checks[question]
    values = {"cell": q.cell, **q.cell_options, "quantity": q.quantity, "T": q.T}
    values |= {"paths": q.paths, "hypothesis": dict(q.hypothesis), "also": list(q.also)}
    out = {k: values[k] for k in raw}
    if "activation" not in raw and q.cell_options.get("activation"):
        out["activation"] = q.cell_options["activation"]
    return out


def check_options(asked: dict) -> dict:
    """The options a question sets for its check (cell, bias, activation, reset_after, T,
    paths, hypothesis), without its quantity."""
    return {k: asked[k] for k in KEYS if k in asked and k != "quantity"}
