"""An exam of a sheet: per variant, multiple-choice questions whose wrong options are named,
proven-wrong mistakes.

A formula question is a checkable question of the sheet (its ``check``) with the options of
:mod:`symbrnn.exam.formulas`; a count question (``count = { cell, layer }``) has the layer's
count and the count mistakes of :mod:`symbrnn.exam.counts`. The wrong options are the most
frequent mistakes that apply (:mod:`symbrnn.exam.frequency`); no two questions ask the same
thing (a question whose settings repeat an earlier one's asks the Jacobian inside it, as the
collapsed power). Options are drawn and shuffled from the variant's seed: the same exam
every time.

>>> exam = build_exam("td5", [1], lang="en", choices=3, only=["III.2"])
>>> [(q.id, q.kind, len(q.options), sum(o.right for o in q.options)) for q in exam.variants[0].questions]
[('III.2', 'formula', 3, 1)]
"""

from __future__ import annotations

import random
from dataclasses import replace

from symbrnn.errors import LANGS, InputError
from symbrnn.exam.option import Exam, ExamError, ExamQuestion, ExamVariant, Option
from symbrnn.judge.question import Question
from symbrnn.words import Msg, say

DEFAULT_CHOICES = 5
MIN_OPTIONS = 4  # fewer: the exam says so (a warning per question)
MAX_CHOICES = 8
MAX_VARIANTS = 500


def build_exam(
    sheet: str,
    seeds: list[int],
    *,
    lang: str | None = None,
    choices: int = DEFAULT_CHOICES,
    only: list[str] | None = None,
    mistakes_from: str | None = None,
) -> Exam:
    """The exam of ``sheet`` for the variants ``seeds``: every checkable question and every
    count question (or the ids in ``only``), each with ``choices`` options when the tables
    of mistakes give enough (never fewer than two)."""
    from symbrnn.sheets.sheet import load

    if not 2 <= choices <= MAX_CHOICES:
        raise InputError.said("exam.error.choices", top=MAX_CHOICES, got=choices)
    if not seeds or len(seeds) > MAX_VARIANTS:
        raise InputError.said("exam.error.variants", top=MAX_VARIANTS, got=len(seeds))
    loaded = load(sheet)
    spec, lang = loaded.spec, lang or loaded.lang
    meta = spec.data["sheet"]
    if lang not in LANGS:
        raise InputError.said("exam.error.lang", lang=repr(lang), langs=", ".join(LANGS))
    asked = _asked(spec, only)
    from symbrnn.exam.frequency import mistake_frequencies

    ranks = mistake_frequencies(mistakes_from)
    variants, warned = [], {}
    for seed in seeds:
        asked_before: set[Question] = set()
        questions = []
        for q in asked:
            rng = random.Random(f"{meta['id']}/{seed}/{q['id']}")
            if isinstance(q.get("check"), dict):
                made = _formula_question(loaded, q, seed, lang, choices, rng, ranks, asked_before)
            else:
                made = _count_question(loaded.sizes(seed), q, lang, choices, rng)
            rng.shuffle(made.options)
            if len(made.options) < min(MIN_OPTIONS, choices):
                warned.setdefault(q["id"], len(made.options))
            questions.append(made)
        variants.append(ExamVariant(seed, questions))
    warnings = [say("warn.few_options", lang, id=i, count=c) for i, c in warned.items()]
    title = meta.get("questions_title", meta["title"])[lang]  # the students' sheet, not the key
    return Exam(meta["id"], title, lang, choices, variants, warnings)


def _asked(spec, only: list[str] | None) -> list[dict]:
    """The sheet's questions an exam asks: each with a check or a count (those of ``only``)."""
    asked = [
        q
        for section in spec.data["sections"]
        for q in section.get("questions", [])
        if isinstance(q.get("check"), dict) or isinstance(q.get("count"), dict)
    ]
    if only is not None:
        unknown = sorted(set(only) - {q["id"] for q in asked})
        if unknown:
            names = ", ".join(map(repr, unknown))
            ids = ", ".join(q["id"] for q in asked) or Msg.of("exam.error.asks_nothing")
            raise InputError.said(
                "exam.error.no_question", where=spec.where(), names=names, ids=ids
            )
        asked = [q for q in asked if q["id"] in only]
    if not asked:
        raise InputError.said("exam.error.nothing_asked", where=spec.where())
    return asked


# -- formula questions --------------------------------------------------------------------


def _formula_question(sheet, q, seed, lang, choices, rng, ranks, asked_before) -> ExamQuestion:
    from symbrnn.exam.formulas import formula_pool

    # what is asked, whichever question of which variant asks it (an option is one answer:
    # the gradients a sheet's answer may give instead are not the exam's)
    asked = replace(sheet.question(q["id"], seed), id="", marks=None, variant_seed=None, also=())
    form = "written"
    if asked in asked_before:
        asked, form = _inner_jacobian(asked, asked_before), "power"
    asked_before.add(asked)
    stem, right, pool = formula_pool(asked, lang, form)
    picked = _draw(pool, choices - 1, rng, ranks)
    if not picked:
        raise ExamError.said("exam.error.no_wrong", question=q["id"])
    options = [Option(**vars(o)) for o in (right, *picked)]
    return ExamQuestion(q["id"], "formula", q.get("points"), stem, _settings(asked), options)


def _settings(asked: Question) -> dict:
    """The settings that judge an option again (``symbrnn check``'s options), as data."""
    from symbrnn.engine.cells import OPTIONS

    options = {k: v for k, v in asked.options if v != OPTIONS[k]}  # what differs from the default
    settings = {"cell": asked.cell, **options, "quantity": asked.quantity}
    settings |= {"T": asked.T} if asked.T is not None else {}
    settings |= {"paths": asked.paths} if asked.paths else {}
    return settings | ({"hypothesis": dict(asked.hypothesis)} if asked.hypothesis else {})


def _inner_jacobian(asked: Question, asked_before: set) -> Question:
    """What a question that repeats an earlier one asks instead: the Jacobian ∂s_T/∂s_k of
    the gradient's state (or of the Jacobian's own state) for the first k ≥ 2 no question
    asks yet, in the course's collapsed power."""
    from symbrnn.engine.quantity import parse_quantity

    q = parse_quantity(asked.quantity, allow_input=True)
    if q.kind == "input":
        raise ExamError.said("exam.error.twice_nothing", quantity=asked.quantity)
    state = "h" if q.kind == "gradient" else q.name
    last = int(q.t or asked.T)
    for k in range(2, last):
        inner = replace(asked, quantity=f"d{state}_{last}/d{state}_{k}", T=None)
        if inner not in asked_before:
            return inner
    raise ExamError.said("exam.error.twice_all", quantity=asked.quantity)


def _draw(pool, count, rng, ranks) -> list[Option]:
    """``count`` wrong options, the most frequent mistakes first (one option per note, then a
    second of the most frequent notes); a note at frequency 0 is never drawn."""
    from symbrnn.exam.frequency import UNLISTED

    by_note: dict[str, list[Option]] = {}
    for o in pool:
        if ranks.get(o.answer_note, UNLISTED) > 0:
            by_note.setdefault(o.answer_note, []).append(o)
    notes = sorted(by_note, key=lambda n: (-ranks.get(n, UNLISTED), rng.random()))
    for options in by_note.values():
        rng.shuffle(options)
    picked = [by_note[n][0] for n in notes]
    picked += [o for n in notes for o in by_note[n][1:]]
    return picked[:count]


# -- count questions ----------------------------------------------------------------------


def _count_question(sizes, q, lang, choices, rng) -> ExamQuestion:
    from symbrnn.counts.params import sheet_models
    from symbrnn.exam.counts import CountAsked, wrong_counts
    from symbrnn.sheets.producers import thousands

    cell, layer = q["count"]["cell"], q["count"]["layer"]
    shape = {k: sizes[k] for k in ("timesteps", "features", "classes")}
    model = sheet_models(units=list(sizes["units"]), **shape)[cell]
    counted = [x for x in model.layers if x.units is not None][layer - 1]
    reset_after = bool(counted.reset_after)
    asked = CountAsked(cell, layer, counted.units, counted.features, sizes["features"], reset_after)
    if asked.right != counted.params:
        raise ExamError.said("exam.error.counts_disagree", question=q["id"])
    wrong = list(wrong_counts(asked))
    rng.shuffle(wrong)

    def option(value: int, right: bool, note=None, said="") -> Option:
        return Option(thousands(value, {"lang": lang}), right, note, said, value=value)

    blocks = len(asked.gates())
    why = say("right.count", lang, blocks=blocks, units=counted.units, input=counted.features)
    options = [option(asked.right, True, said=why)] + [
        option(value, False, mistake.code, say(f"count.{mistake.code}", lang, **params))
        for mistake, value, params in wrong[: choices - 1]
    ]
    settings = {"cell": cell, "units": counted.units, "features": counted.features}
    check = {"params": settings | {"reset_after": reset_after}}
    stem = _count_stem(sizes, counted, layer, lang)
    return ExamQuestion(q["id"], "count", q.get("points"), stem, check, options)


def _count_stem(sizes: dict, counted, layer: int, lang: str) -> str:
    """What a count question asks: the model's sizes, its layers, the layer counted."""
    units = list(sizes["units"])
    shown = say("exam.then", lang).join(map(str, units)) if len(set(units)) > 1 else str(units[0])
    reset = counted.reset_after
    options = "" if reset is None else say("stem.reset_after", lang, value=reset)
    return say(
        "stem.count",
        lang,
        timesteps=sizes["timesteps"],
        features=sizes["features"],
        layers=len(units),
        type=counted.type,
        units=shown,
        classes=sizes["classes"],
        options=options,
        layer=layer,
    )


__all__ = ["DEFAULT_CHOICES", "Exam", "ExamQuestion", "ExamVariant", "Option", "build_exam"]
