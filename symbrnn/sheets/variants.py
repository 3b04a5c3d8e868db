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
from symbrnn.judge.question import Question
from symbrnn.sheets.questions import question_check
from symbrnn.sheets.sheet import load


def variant_json(sheet: str, variant_seed: int | None = None, lang: str | None = None) -> dict:
    """The variant's sizes and questions; an InputError for a seed the sheet cannot draw."""
    loaded = load(sheet)
    spec = loaded.spec
    sizes = loaded.sizes(variant_seed)
    questions = []
    for section in spec.data["sections"]:
        for q in section.get("questions", []):
            entry = {"id": q["id"], "points": q.get("points", 0), "checkable": "check" in q}
            if "check" in q:
                asked = loaded.question(q["id"], variant_seed)
                entry["check"] = question_check(sheet, q["id"], variant_seed) | {
                    "variant_seed": variant_seed,
                    "T": asked.T,
                }
                entry["answer_latex"] = key_answer(asked)
            questions.append(entry)
    return {
        "sheet": spec.data["sheet"].get("id", sheet),
        "variant_seed": variant_seed,
        "lang": lang or loaded.lang,
        "sizes": sizes,
        "activation": sizes.get("activation"),
        "T": sizes.get("T"),
        "questions": questions,
    }


def key_answer(question: Question) -> str:
    """The expected result of a checkable question, in LaTeX that ``check`` reads."""
    from symbrnn.engine.cells import make_cell
    from symbrnn.engine.derive import Derivation
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.judge.expected import answer_form, reference

    cell = make_cell(question.cell, allow_files=False, **question.cell_options)
    q = parse_quantity(question.quantity, allow_input=True)
    if q.kind == "gradient" and question.T is None:
        raise InputError.said("sheet.error.gradient_T", quantity=question.quantity)
    D = Derivation.of(cell)
    ref = reference(D, q, T=question.T, paths=question.paths or "all")
    return answer_form(D, q, ref)
