"""What a sheet question asks, for the checker: its cell, options, quantity and steps.

A question of a sheet may carry ``check = { cell, bias, activation, reset_after,
quantity, T, paths, also }`` (``also = ["dL/dW"]``: the gradients, at the sheet's T, that
an answer may give as well); ``{T}`` and ``{T-1}`` in the quantity, and ``T = "T"``,
stand for the sheet's ``sizes.T``. A student then checks an answer with
``--sheet td5 --question III.1`` and no other flag.

>>> question_check("td5", "III.2")["quantity"]
'dh_3/dh_1'
"""

from __future__ import annotations

from symbrnn.engine.cells import OPTIONS, chosen_options, make_cell
from symbrnn.errors import InputError
from symbrnn.sheets.spec import load_sheet, sheet_sizes

# a check names its cell and that cell's options (the registry's), then what it asks
KEYS = ("cell", *OPTIONS, "quantity", "T", "paths", "hypothesis")


def _checkable(spec) -> dict:
    return {
        q["id"]: q["check"]
        for section in spec.data["sections"]
        for q in section.get("questions", [])
        if isinstance(q.get("check"), dict)
    }


def checkable_questions(sheet: str) -> list[str]:
    """The ids of the questions of a sheet that the checker can judge, in the sheet's order.

    >>> checkable_questions("td5")[:2]
    ['II.1', 'II.2']
    """
    return list(_checkable(load_sheet(sheet)))


def question_marks(sheet: str, question: str) -> dict | None:
    """The scheme ``grade --sheet`` marks a question with when no ``--scheme`` is given:
    its points for a right answer and its ``marking_notes`` for the answers a checker's
    note describes (None for a question without points).

    >>> question_marks("td5", "II.2")["notes"]["MISSING_TERM"]
    1.0
    """
    spec = load_sheet(sheet)
    for section in spec.data["sections"]:
        for q in section.get("questions", []):
            if q["id"] == question and q.get("points"):
                notes = {str(k): float(v) for k, v in q.get("marking_notes", {}).items()}
                return {"correct": float(q["points"]), "notes": notes, "step": 0.0}
    return None


def question_check(sheet: str, question: str, variant_seed: int | None = None) -> dict:
    """The check options of one question, for the default sheet or for the variant drawn
    from ``variant_seed`` (its T and activation); an InputError lists the checkable
    questions, or says the sheet has no variants."""
    spec = load_sheet(sheet)
    sizes = sheet_sizes(spec, variant_seed)
    checkable = _checkable(spec)
    if question not in checkable:
        raise InputError(
            f"{spec.where()}: question {question[:40]!r} has no check; "
            f"checkable: {', '.join(checkable) or 'none'}"
        )
    raw = checkable[question]
    unknown = set(raw) - {*KEYS, "also"}
    if unknown or "quantity" not in raw or "cell" not in raw:
        raise InputError(
            f"{spec.where(question)}: check needs cell and quantity, and only "
            f"{', '.join(KEYS)}, also"
        )
    hypothesis = raw.get("hypothesis", {})
    if not isinstance(hypothesis, dict) or not all(
        isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool)
        for k, v in hypothesis.items()
    ):
        raise InputError(
            f"{spec.where(question)}: check.hypothesis maps a gate to a number, e.g. "
            "{ f = 1, i = 0 }"
        )
    try:
        chosen = chosen_options(raw)
        name = chosen.pop("cell")
        make_cell(name, allow_files=False, **chosen)
    except InputError as exc:  # a cell the registry does not have, or an option it does not take
        raise InputError(f"{spec.where(question)}: check: {exc}") from None
    T = sizes.get("T")
    out = dict(raw) | {"cell": name}
    if out["cell"] in ("rnn", "lemma") and "activation" not in raw and sizes.get("activation"):
        out["activation"] = sizes["activation"]  # the variant's φ (the default sheet's σ)
    out["sheet_T"] = T
    out["variant_seed"] = variant_seed
    out["lang"] = spec.data["sheet"].get("default_lang", "fr")
    if T is not None:
        out["quantity"] = str(raw["quantity"]).replace("{T-1}", str(T - 1)).replace("{T}", str(T))
        if raw.get("T") == "T":
            out["T"] = T
    return out


def check_options(asked: dict) -> dict:
    """The options a question sets for its check (cell, bias, activation, reset_after, T,
    paths, hypothesis), without its quantity and what :func:`question_check` adds about
    the sheet (its language, T and the variant)."""
    return {k: asked[k] for k in KEYS if k in asked and k != "quantity"}
