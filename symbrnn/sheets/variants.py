"""One variant of a sheet as data: its sizes, and each question with what ``check`` compares.

``symbrnn sheet SHEET --variant-seed N --format json`` prints :func:`variant_json`: the
sizes drawn for the seed (by the one function every command calls,
:func:`symbrnn.sheets.spec.sheet_sizes`), and for each checkable question its check
options and the key's answer in LaTeX that ``check`` reads back (derived by the engine).

>>> data = variant_json("td5", 2)
>>> data["T"], data["activation"]
(4, 'tanh')
>>> [q["id"] for q in data["questions"] if q["checkable"]][:2]
['II.1', 'II.2']
"""

from __future__ import annotations

from symbrnn.errors import InputError


def variant_json(sheet: str, variant_seed: int | None = None, lang: str | None = None) -> dict:
    """The variant's sizes and questions; an InputError for a seed the sheet cannot draw."""
    from symbrnn.sheets.questions import question_check
    from symbrnn.sheets.spec import load_sheet, sheet_sizes

    spec = load_sheet(sheet)
    sizes = sheet_sizes(spec, variant_seed)
    lang = lang or spec.data["sheet"].get("default_lang", "fr")
    questions = []
    for section in spec.data["sections"]:
        for q in section.get("questions", []):
            entry = {"id": q["id"], "points": q.get("points", 0), "checkable": "check" in q}
            if "check" in q:
                options = question_check(sheet, q["id"], variant_seed)
                entry["check"] = {
                    k: v for k, v in options.items() if k not in ("lang", "sheet_T")
                } | {"T": options.get("T") or options.get("sheet_T")}
                entry["answer_latex"] = key_answer(options)
            questions.append(entry)
    return {
        "sheet": spec.data["sheet"].get("id", sheet),
        "variant_seed": variant_seed,
        "lang": lang,
        "sizes": sizes,
        "activation": sizes.get("activation"),
        "T": sizes.get("T"),
        "questions": questions,
    }


def key_answer(options: dict) -> str:
    """The expected result of a checkable question, in LaTeX that ``check`` reads."""
    from symbrnn.engine.cells import make_cell
    from symbrnn.engine.derive import Derivation
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.judge.check import answer_form, reference

    cell = make_cell(
        options["cell"],
        bias=options.get("bias", True),
        activation=options.get("activation"),
        reset_after=options.get("reset_after", False),
        allow_files=False,
    )
    q = parse_quantity(options["quantity"], allow_input=True)
    T = options.get("T") or options.get("sheet_T")
    if q.kind == "gradient" and T is None:
        raise InputError(f"question {options['quantity']}: a gradient needs T")
    D = Derivation.of(cell)
    ref = reference(D, q, T=T, paths=options.get("paths") or "all")
    return answer_form(D, q, ref)
