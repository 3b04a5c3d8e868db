"""An exam of a sheet: per variant, multiple-choice questions whose wrong options are named,
proven-wrong mistakes.

A formula question is a checkable question of the sheet (its ``check``): the right option is
the engine's result as a student hands it in, each wrong option is one row of the checker's
table of mistakes applied to it (:func:`symbrnn.judge.diagnose.mistaken_forms`), kept only
when ``check`` itself, reading the option's LaTeX back with the question's settings, judges
it not equivalent with that row's note first, and its values at the test points differ
from every other option's. A count question (``count = { cell, layer }``) has the layer's
count and the count mistakes of :mod:`symbrnn.exam.counts`. Options are drawn and shuffled
from the variant's seed: the same exam every time.

>>> exam = build_exam("td5", [1], lang="en", choices=3, only=["III.2"])
>>> [(q.id, q.kind, len(q.options), sum(o.right for o in q.options)) for q in exam.variants[0].questions]
[('III.2', 'formula', 3, 1)]
"""

from __future__ import annotations

import functools
import json
import random
from dataclasses import dataclass, field

from symbrnn.errors import LANGS, InputError, SymbrnnError
from symbrnn.exam.words import word

DEFAULT_CHOICES = 5
MAX_CHOICES = 8
MAX_VARIANTS = 500
PER_MISTAKE = 3  # proven wrong options kept per row of the table (variants draw among them)
WEAK = ("SIGN", "SCALE")  # mistakes a student rules out at a glance: drawn last


@dataclass
class Option:
    """One option: its LaTeX (math, without $), whether it is right, and for a wrong one its
    answer note (the checker's code), the mistake said in the exam's language and the
    counterexample that proves it wrong (for the teacher's notes only)."""

    latex: str
    right: bool
    answer_note: str | None = None
    mistake: str = ""
    counterexample: dict | None = None
    value: int | None = None  # a count's number

    def as_json(self) -> dict:
        out = {
            "latex": self.latex,
            "right": self.right,
            "answer_note": self.answer_note,
            "mistake": self.mistake,
            "counterexample": self.counterexample,
        }
        if self.value is not None:
            out["value"] = self.value
        return out


@dataclass
class ExamQuestion:
    """One question of one variant: ``kind`` is ``formula`` or ``count``; ``stem`` is LaTeX
    text (math in ``$…$`` and ``\\[…\\]``); ``check`` the settings that judge an option
    again (``symbrnn check`` for a formula, ``symbrnn params`` for a count)."""

    id: str
    kind: str
    stem: str
    check: dict
    points: float | None
    options: list[Option] = field(default_factory=list)

    @property
    def right_index(self) -> int:
        return next(i for i, o in enumerate(self.options) if o.right)

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "points": self.points,
            "stem": self.stem,
            "check": self.check,
            "options": [o.as_json() for o in self.options],
        }


@dataclass
class ExamVariant:
    seed: int
    questions: list[ExamQuestion]

    def as_json(self) -> dict:
        return {"seed": self.seed, "questions": [q.as_json() for q in self.questions]}


@dataclass
class Exam:
    sheet: str
    title: str
    lang: str
    choices: int
    variants: list[ExamVariant]

    def as_json(self) -> dict:
        return {
            "sheet": self.sheet,
            "title": self.title,
            "lang": self.lang,
            "choices": self.choices,
            "variants": [v.as_json() for v in self.variants],
        }

    def variant(self, seed: int) -> ExamVariant:
        return next(v for v in self.variants if v.seed == seed)


class ExamError(SymbrnnError):
    """The engine could not make a question (a bug, not the user's input): exit 1."""


def build_exam(
    sheet: str,
    seeds: list[int],
    *,
    lang: str | None = None,
    choices: int = DEFAULT_CHOICES,
    only: list[str] | None = None,
) -> Exam:
    """The exam of ``sheet`` for the variants ``seeds``: every checkable question and every
    count question (or the ids in ``only``), each with ``choices`` options when the tables
    of mistakes give enough (never fewer than two)."""
    from symbrnn.sheets.spec import load_sheet

    if not 2 <= choices <= MAX_CHOICES:
        raise InputError(f"⟨choices⟩ must be 2..{MAX_CHOICES}, got {choices}")
    if not seeds or len(seeds) > MAX_VARIANTS:
        raise InputError(f"an exam has 1 to {MAX_VARIANTS} variants, got {len(seeds)}")
    spec = load_sheet(sheet)
    meta = spec.data["sheet"]
    lang = lang or meta.get("default_lang", "fr")
    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r}; choose one of: {', '.join(LANGS)}")
    asked = [
        q
        for section in spec.data["sections"]
        for q in section.get("questions", [])
        if isinstance(q.get("check"), dict) or isinstance(q.get("count"), dict)
    ]
    if only is not None:
        unknown = sorted(set(only) - {q["id"] for q in asked})
        if unknown:
            raise InputError(
                f"{spec.where()}: no exam question {', '.join(map(repr, unknown))}; "
                f"the exam asks {', '.join(q['id'] for q in asked) or 'nothing'}"
            )
        asked = [q for q in asked if q["id"] in only]
    if not asked:
        raise InputError(f"{spec.where()}: no question has a check or a count to ask")
    variants = [
        ExamVariant(seed, [_question(spec, sheet, q, seed, lang, choices) for q in asked])
        for seed in seeds
    ]
    title = meta.get("questions_title", meta["title"])[lang]  # the students' sheet, not the key
    return Exam(meta["id"], title, lang, choices, variants)


def _question(spec, sheet, q, seed, lang, choices) -> ExamQuestion:
    rng = random.Random(f"{spec.data['sheet']['id']}/{seed}/{q['id']}")
    if isinstance(q.get("check"), dict):
        question = _formula_question(sheet, q, seed, lang, choices, rng)
    else:
        question = _count_question(spec, q, seed, lang, choices, rng)
    rng.shuffle(question.options)
    return question


# -- formula questions --------------------------------------------------------------------


def _formula_question(sheet, q, seed, lang, choices, rng) -> ExamQuestion:
    from symbrnn.sheets.questions import check_options, question_check

    asked = question_check(sheet, q["id"], seed)
    settings = check_options(asked) | {"quantity": asked["quantity"]}
    stem, right, pool = _formula_pool(json.dumps(settings, sort_keys=True), lang)
    picked = _draw(pool, choices - 1, rng)
    if not picked:
        raise ExamError(f"question {q['id']}: no wrong option is proven wrong")
    return ExamQuestion(
        q["id"],
        "formula",
        stem,
        settings,
        q.get("points"),
        [Option(**vars(o)) for o in (right, *picked)],
    )


def _draw(pool, count, rng) -> list[Option]:
    """``count`` wrong options, one mistake each as far as the pool allows, strong first."""
    by_note: dict[str, list[Option]] = {}
    for o in pool:
        by_note.setdefault(o.answer_note, []).append(o)
    strong = [n for n in by_note if n not in WEAK]
    rng.shuffle(strong)
    picked = [rng.choice(by_note[n]) for n in strong + [n for n in WEAK if n in by_note]]
    rest = [o for o in pool if o not in picked]
    rng.shuffle(rest)
    return (picked + rest)[:count]


@functools.lru_cache(maxsize=64)
def _formula_pool(settings_json: str, lang: str) -> tuple[str, Option, tuple[Option, ...]]:
    """The stem, the right option and every proven wrong option of one question's settings
    (variants share them: td5's variants differ only in T and the activation)."""
    from symbrnn.engine.cells import RESET_AFTER, make_cell
    from symbrnn.engine.derive import Derivation
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.judge.check import answer_expression, check_answer, reference
    from symbrnn.judge.mistakes import Context, mistaken_forms
    from symbrnn.judge.points import cached_points
    from symbrnn.printing.latex import latex

    settings = json.loads(settings_json)
    cell = make_cell(
        settings["cell"],
        activation=settings.get("activation"),
        bias=settings.get("bias", True),
        reset_after=settings.get("reset_after", RESET_AFTER),
        allow_files=False,
    )
    T, paths = settings.get("T"), settings.get("paths", "all")
    quantity = settings["quantity"]

    def judge(answer: str):
        return check_answer(
            cell,
            quantity,
            answer,
            T=T,
            paths=paths,
            lang=lang,
            hypothesis=settings.get("hypothesis"),
        )

    q = parse_quantity(quantity, allow_input=True)
    D = Derivation.of(cell)
    ref = reference(D, q, T=T, paths=paths)
    shown = answer_expression(D, q, ref)
    right_latex = latex(shown)
    verdict = judge(right_latex)
    if not verdict.equivalent or not verdict.group:
        raise ExamError(f"{quantity}: the engine's own answer is not judged right")
    groups = {verdict.group}
    steps = max(int(T or q.t or 1), 1)
    ctx = Context(ref=ref, points=cached_points(D, steps), D=D, q=q, cell=cell, T=T, paths=paths)
    held = None  # under the question's hypothesis an option may be right by accident
    if settings.get("hypothesis"):
        from symbrnn.judge.points import hypothesis_points

        held = hypothesis_points(D, steps, settings["hypothesis"])
    pool: list[Option] = []
    kept: dict[str, int] = {}
    for row, expr, _params in mistaken_forms(shown, ctx):
        if kept.get(row.code, 0) >= PER_MISTAKE:
            continue
        try:
            option = latex(expr)
            verdict = judge(option)
        except (InputError, ValueError, TypeError, AttributeError):
            continue  # an edit that cannot be written or read back is no option
        if (
            verdict.outcome == "not_equivalent"
            and verdict.answer_notes[:1] == [row.code]
            and verdict.group
            and verdict.group not in groups
            and not _right_under(held, expr, ref)
        ):
            groups.add(verdict.group)
            kept[row.code] = kept.get(row.code, 0) + 1
            pool.append(
                Option(
                    option,
                    False,
                    row.code,
                    verdict.diagnosis[0],
                    verdict.counterexample,
                )
            )
    return _formula_stem(D, q, settings, lang), Option(right_latex, True), tuple(pool)


def _right_under(held, expr, ref) -> bool:
    """Whether ``expr`` equals the result at the points where the hypothesis holds (an
    option that does is no wrong option: IV.3's Diag(f₃)Diag(f₂)Diag(f₁) is I there)."""
    if held is None:
        return False
    try:
        return bool(held.equal(expr, ref)[0])
    except Exception:  # not comparable there: not known to be right, and judged wrong
        return True


def _formula_stem(D, q, settings, lang) -> str:
    """What the question asks, in LaTeX: the quantity, the model's equations (printed from
    its declaration), and the assumptions the settings make."""
    import sympy as sp

    from symbrnn.engine.matexpr import Partial, TimeVec
    from symbrnn.judge.check import in_its_notation
    from symbrnn.printing.latex import latex

    n = sp.Symbol("n")
    if q.kind == "gradient":
        asked = Partial(sp.Symbol("L"), sp.MatrixSymbol(q.name, n, n))
        first = word("stem.gradient", lang, quantity=latex(asked), T=settings["T"])
    elif q.kind == "input":
        asked = Partial(sp.MatrixSymbol(q.name, n, 1), sp.MatrixSymbol(q.wrt, n, 1))
        first = word("stem.input", lang, quantity=latex(asked))
    else:
        asked = Partial(TimeVec(q.name, q.t, n), TimeVec(q.name, q.k, n))
        first = word("stem.jacobian", lang, quantity=latex(asked))
    if q.kind == "input":
        rhs = D.definitions(1, declared_only=True)[-1][1]  # the state's own equation
        lines = [f"{sp.latex(sp.Symbol(q.name))} = {latex(in_its_notation(D, rhs, 1))}"]
    else:
        lines = [f"{latex(lhs)} &= {latex(rhs)}" for lhs, rhs in D.definitions(declared_only=True)]
    body = " \\\\ ".join(lines) if q.kind != "input" else lines[0]
    display = (
        f"\\[ \\begin{{aligned}} {body} \\end{{aligned}} \\]"
        if q.kind != "input"
        else f"\\[ {body} \\]"
    )
    parts = [f"{word('stem.model', lang)} {display}", first]
    hypothesis = settings.get("hypothesis")
    if hypothesis:
        shown = ", ".join(
            f"{sp.latex(sp.Symbol(name + '_t'))} = {value:g}"
            for name, value in sorted(hypothesis.items())
        )
        parts.append(word("stem.hypothesis", lang, hypothesis=shown))
    if settings.get("paths") == "direct":
        parts.append(word("stem.direct", lang, path=q.name))
    if q.kind == "gradient":
        parts.append(word("stem.immediate", lang))
    return "\n".join(parts)


# -- count questions ----------------------------------------------------------------------


def _count_question(spec, q, seed, lang, choices, rng) -> ExamQuestion:
    from symbrnn.counts.params import sheet_models
    from symbrnn.exam.counts import CountAsked, wrong_counts
    from symbrnn.sheets.producers import thousands
    from symbrnn.sheets.spec import sheet_sizes

    sizes = sheet_sizes(spec, seed)
    units, features = list(sizes["units"]), sizes["features"]
    cell, layer = q["count"]["cell"], q["count"]["layer"]
    model = sheet_models(
        timesteps=sizes["timesteps"], features=features, units=units, classes=sizes["classes"]
    )[cell]
    recurrent = [x for x in model.layers if x.units is not None]
    counted = recurrent[layer - 1]
    asked = CountAsked(
        cell,
        layer,
        counted.units,
        counted.features,
        features,
        bool(counted.reset_after),
    )
    if asked.right != counted.params:
        raise ExamError(f"question {q['id']}: two counts of one layer disagree")
    number = {"lang": lang}
    wrong = list(wrong_counts(asked))
    rng.shuffle(wrong)
    options = [Option(thousands(asked.right, number), True, value=asked.right)] + [
        Option(
            thousands(value, number),
            False,
            mistake.code,
            word(f"count.{mistake.code}", lang, **params),
            value=value,
        )
        for mistake, value, params in wrong[: choices - 1]
    ]
    options_text = (
        word("stem.reset_after", lang, value=counted.reset_after)
        if counted.reset_after is not None
        else ""
    )
    stem = word(
        "stem.count",
        lang,
        timesteps=sizes["timesteps"],
        features=features,
        layers=len(units),
        type=counted.type,
        units=word("exam.then", lang).join(map(str, units))
        if len(set(units)) > 1
        else str(units[0]),
        classes=sizes["classes"],
        options=options_text,
        layer=layer,
    )
    check = {
        "params": {
            "cell": cell,
            "units": counted.units,
            "features": counted.features,
            "reset_after": bool(counted.reset_after),
        }
    }
    return ExamQuestion(q["id"], "count", stem, check, q.get("points"), options)


__all__ = ["DEFAULT_CHOICES", "Exam", "ExamQuestion", "ExamVariant", "Option", "build_exam"]
