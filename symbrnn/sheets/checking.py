"""``check(answer, quantity, ...)``: one call from a student's answer to a ``Verdict``, the
cell and its options given, or taken from a sheet's question (and the student's variant)."""

from __future__ import annotations

from symbrnn.errors import InputError, marked


def _question_options(sheet, question, variant_seed, given: dict) -> dict:
    """The options of ``given`` completed (or, for the cell, replaced) by the question's."""
    from symbrnn.judge.messages import JudgeError
    from symbrnn.sheets.sheet import load

    loaded = load(sheet)
    asked = loaded.question(question, variant_seed)
    T = given["T"]
    if T is not None and asked.T is not None and asked.T != T:
        raise JudgeError("check.T_conflict", given=T, sheet=asked.T)
    return (
        given
        | asked.cell_options
        | {
            "cell": asked.cell,
            "quantity": given["quantity"] or asked.quantity,
            "T": T or asked.T,
            "paths": given["paths"] or asked.paths,
            "hypothesis": dict(asked.hypothesis) or None,
            "lang": given["lang"] or loaded.lang,
            "also": () if given["quantity"] else asked.also,
        }
    )


def check(
    answer: str,
    quantity: str | None = None,
    *,
    cell: str = "rnn",
    activation: str | None = None,
    bias: bool = True,
    reset_after: bool = False,
    T: int | None = None,
    paths: str | None = None,
    layout: str = "either",
    sheet: str | None = None,
    question: str | None = None,
    variant_seed: int | None = None,
    lang: str | None = None,
):
    """Judge ``answer`` (a formula or a derivation M0 = M1 = ...): a ``Verdict``.

    With ``sheet`` and ``question`` the cell, its options, the quantity and T are the
    question's (at the student's ``variant_seed``). A judge's error is an ``InputError`` in
    ``lang`` (the sheet's language by default), its options marked for the front end.

    >>> check("W", "dh_2/dh_1", activation="identity").outcome
    'equivalent'
    """
    from symbrnn.engine.cells import OPTIONS, make_cell
    from symbrnn.judge.check import check_answer
    from symbrnn.judge.messages import JudgeError

    _together(sheet, question, variant_seed)
    given = dict(cell=cell, activation=activation, bias=bias, reset_after=reset_after)
    given |= dict(quantity=quantity, T=T, paths=paths, hypothesis=None, lang=lang)
    try:
        if sheet is not None:
            given = _question_options(sheet, question, variant_seed, given)
        lang = given["lang"] = given["lang"] or "en"
        if given["quantity"] is None:
            raise InputError.said("sheet.error.no_quantity")
        built = make_cell(given["cell"], **{k: given.get(k, v) for k, v in OPTIONS.items()})
        return check_answer(
            built,
            given["quantity"],
            answer,
            T=given["T"],
            paths=given["paths"] or "all",
            layout=layout,
            lang=lang,
            hypothesis=given["hypothesis"],
            also=given.get("also", ()),
        )
    except JudgeError as exc:
        raise InputError(exc.text(lang or "en", marked)) from None  # spelled by the front end


def _together(sheet, question, variant_seed) -> None:
    """A sheet's question is named by both, and a variant is a sheet's."""
    if (sheet is None) != (question is None):
        raise InputError.said("sheet.error.together")
    if variant_seed is not None and sheet is None:
        raise InputError.said("sheet.error.seed_question")
