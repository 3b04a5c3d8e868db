"""What a sheet question asks, for the checker, as data: its check at a variant.

The records are ``symbrnn.sheets.load(sheet).question(id, seed)`` (``judge.question``);
this is their JSON view for ``sheet --format json``. A student
checks an answer with ``--sheet td5 --question III.1`` and no other flag.

>>> question_check("td5", "III.2")["quantity"]
'dh_3/dh_1'
"""

from __future__ import annotations

from symbrnn.sheets.sheet import load


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
