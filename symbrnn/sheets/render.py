"""Answer sheets: a sheet's data + the engine's typed results → LaTeX, rendered in Jinja's sandbox.

A sheet file is shared between teachers, so its texts are untrusted
templates: they render in an immutable sandbox that sees only ``sizes`` and
the documented results ``r``, with bounded sizes and time; anything else is
one line naming the sheet and the question.

>>> tex = render_sheet("td5", lang="en", answers=False)
>>> tex.count(r"\\subsection*{")
14
"""

from __future__ import annotations

import functools
import re

from symbrnn.errors import LANGS, InputError
from symbrnn.io import time_bound
from symbrnn.printing.escape import latex_escape
from symbrnn.sheets.guard import check_sheet_latex, check_sheet_title
from symbrnn.sheets.parts import guarded, install
from symbrnn.sheets.producers import decimal_mark
from symbrnn.sheets.spec import SheetSpec, load_sheet, sheet_sizes

BABEL = {"fr": "french", "en": "english"}
MAX_TEXT = 200_000  # characters one template may produce
MAX_SEQUENCE = 10_000  # the longest range or repetition a template may build
RENDER_SECONDS = 20
# Jinja's delimiters in a LaTeX template: ((* block *)), ((( variable ))), ((= comment =))
LATEX_DELIMITERS = {
    "block_start_string": "((*",
    "block_end_string": "*))",
    "variable_start_string": "(((",
    "variable_end_string": ")))",
    "comment_start_string": "((=",
    "comment_end_string": "=))",
}


def _env():
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class SheetSandbox(ImmutableSandboxedEnvironment):
        """No internals, no mutation, no huge ranges, repetitions or strings."""

        intercepted_binops = frozenset(["*", "**", "%", "+"])

        def call_binop(self, context, operator, left, right):
            if operator == "**" and (abs(_number(right)) > 64 or abs(_number(left)) > 10**6):
                raise jinja2.sandbox.SecurityError("power too large for a sheet")
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(seq, str | list | tuple) and (
                        _number(times) > MAX_SEQUENCE or len(seq) * _number(times) > MAX_TEXT
                    ):
                        raise jinja2.sandbox.SecurityError("repetition too long for a sheet")
            if operator == "%" and isinstance(left, str):
                raise jinja2.sandbox.SecurityError("'%' formatting (use ~ and filters)")
            if operator == "+" and isinstance(left, str | list | tuple):
                _bounded_size(left, right)
            return _bounded_size(super().call_binop(context, operator, left, right))

        def call(__self, __context, __obj, *args, **kwargs):  # Jinja's signature
            _bounded_arguments(args, kwargs)
            return _bounded_size(super().call(__context, __obj, *args, **kwargs))

        def wrap_str_format(self, value):
            wrapped = super().wrap_str_format(value)
            if wrapped is None:
                return None
            if _HUGE.search(value.__self__):
                raise jinja2.sandbox.SecurityError("a format width too large for a sheet")
            # Jinja keeps the type of the format string: a formatted Derived is sheet text
            return functools.wraps(wrapped)(lambda *a, **k: str(wrapped(*a, **k)))

    env = SheetSandbox(
        **LATEX_DELIMITERS,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        loader=jinja2.PackageLoader("symbrnn.sheets", "templates"),
    )
    env.globals = {"range": _bounded_range}
    env.filters = {name: _bounded_filter(f) for name, f in env.filters.items()}
    env.filters["tex"] = latex_escape  # every name that reaches LaTeX from data goes through it
    install(env)  # the engine's values as opaque parts (sheets/parts.py)
    return env


_HUGE = re.compile(r"\d{6,}")  # a width or precision of a million characters or more


def _bounded_arguments(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if _number(value) > MAX_TEXT or (isinstance(value, str | list) and len(value) > MAX_TEXT):
            raise InputError.said("sheet.error.argument", top=MAX_TEXT)


def _bounded_size(*values):
    """The last value, after checking that no string or list among them is too long."""
    for value in values:
        if isinstance(value, str | list | tuple) and len(value) > MAX_TEXT:
            raise InputError.said("sheet.error.builds", top=MAX_TEXT)
    return values[-1]


def _bounded_filter(fn):
    """A Jinja filter whose arguments and result are bounded like the sandbox's calls."""

    @functools.wraps(fn)
    def bounded(*args, **kwargs):
        _bounded_arguments(args, kwargs)
        if fn.__name__ == "do_format" and _HUGE.search(str(args[0] if args else "")):
            raise InputError.said("sheet.error.width")
        return _bounded_size(fn(*args, **kwargs))

    return bounded


def _number(value) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _bounded_range(*args):
    out = range(*args)
    if len(out) > MAX_SEQUENCE:
        raise InputError.said("sheet.error.range", count=len(out), top=MAX_SEQUENCE)
    return out


def _render(env, source: str, where, **context) -> str:
    import jinja2

    try:
        out = _generate_bounded(env.from_string(source), context)
    except jinja2.TemplateSyntaxError as exc:
        line = {"line": exc.lineno, "reason": exc.message}
        raise InputError.said("sheet.error.syntax", where=where, **line) from None
    except jinja2.sandbox.SecurityError as exc:
        raise InputError.said("sheet.error.refused", where=where, reason=str(exc)) from None
    except jinja2.UndefinedError as exc:
        raise InputError.said("sheet.error.undefined", where=where, reason=exc.message) from None
    except InputError as exc:
        raise InputError.said("sheet.error.at", where=where, reason=exc.phrase()) from None
    except MemoryError:
        raise InputError.said("sheet.error.memory", where=where) from None
    except RecursionError:
        raise InputError.said("sheet.error.recursion", where=where) from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as exc:
        reason = f"{type(exc).__name__}: {exc}"  # Python's words
        raise InputError.said("sheet.error.at", where=where, reason=reason) from None
    except (jinja2.TemplateError, AssertionError) as exc:  # a filter's arguments (map, truncate)
        raise InputError.said("sheet.error.template", where=where, reason=str(exc)) from None
    return out


def _generate_bounded(template, context) -> str:
    """The template's output, stopped as soon as it passes MAX_TEXT characters."""
    chunks, size = [], 0
    for chunk in template.generate(**context):
        size += len(chunk)
        if size > MAX_TEXT:
            raise InputError.said("sheet.error.produces", top=MAX_TEXT)
        chunks.append(chunk)
    return "".join(chunks)


def render_sheet(
    name: str = "td5",
    *,
    lang: str | None = None,
    answers: bool = True,
    variant_seed: int | None = None,
    trusted: bool = False,
    teacher_notes: bool = False,
) -> str:
    """The LaTeX source of a sheet, deterministic for the same inputs.

    The key speaks of the mathematics only; ``teacher_notes`` adds what was checked and
    how (the sheet's ``[verification]``, its ``toc_note``, and every text a template
    guards with ``((* if teacher *))``), for the teacher's copy. A sheet's own LaTeX is
    held to the allowlist of ``sheets/guard.py`` unless ``trusted`` (the teacher's own
    file: its ``[sheet] preamble`` and any command)."""
    spec, lang, sizes, results = _sheet(name, lang, variant_seed)
    meta, env = spec.data["sheet"], _env()
    text_guard, title_guard = (None, None) if trusted else (check_sheet_latex, check_sheet_title)

    def title_text(text: str, where: str) -> str:
        """A title or a label: prose, which the .aux may hold (see guard.refused_title)."""
        return guarded(env, str(text), where, title_guard, len(env.derived_parts))

    labels = {
        key: title_text(value, f"{spec.where()}, [labels.{lang}] {key}")
        for key, value in spec.data["labels"][lang].items()
    }
    preamble = _preamble(spec, trusted)

    def pick(node, key, question=None, guard=text_guard):
        context = {"sizes": sizes, "r": results, "teacher": teacher_notes, "answers": answers}
        return _text(env, node.get(key, ""), lang, spec.place(question), guard, context)

    sections = _sections(spec, pick, lang, labels, answers, title_guard)
    extras = _extras(spec, pick, answers, title_guard)
    points = sum(q.get("points", 0) for s in spec.data["sections"] for q in s.get("questions", []))
    title = meta["title"][lang] if answers else meta.get("questions_title", meta["title"])[lang]
    title = title_text(title, f"{spec.where()}, title")
    if variant_seed is not None:
        title += f" ({labels.get('variant', 'variant')} {variant_seed})"
    return _render_document(
        env,
        spec,
        sheet=meta,
        preamble=preamble,
        babel=BABEL[lang],
        title=title,
        subtitle=title_text(meta["subtitle"][lang], f"{spec.where()}, subtitle"),
        labels=labels,
        sections=sections,
        answers=answers,
        verification=pick(spec.data, "verification") if answers and teacher_notes else "",
        teacher=teacher_notes,
        extras=extras,
        points_total=_points_text(points or None, lang, labels),
        appendix=_appendix(meta.get("appendix", []), labels, sizes.get("activation"))
        if answers
        else [],
    )


def _preamble(spec, trusted: bool) -> str:
    """The sheet's own LaTeX preamble: a trusted sheet's only."""
    preamble = spec.data["sheet"].get("preamble", "")
    if preamble and not trusted:
        raise InputError.said("sheet.error.preamble", where=spec.place())
    return preamble


def _extras(spec, pick, answers: bool, title_guard) -> list[dict]:
    """The sections after the answers (common mistakes, code, bibliography): in the key
    only; one with ``appendix = true`` goes in the appendix, after the cells."""
    return [
        {
            "title": pick(extra, "title", guard=title_guard),
            "text": pick(extra, "text"),
            "appendix": extra.get("appendix") is True,
        }
        for extra in (spec.data.get("extras", []) if answers else [])
    ]


def _sections(spec, pick, lang, labels, answers: bool, title_guard) -> list[dict]:
    """The sheet's sections as the template reads them: each question's text, and in the
    key its answer, its marking guide and its partial credit."""

    def question(q) -> dict:
        marking = q.get("marking", []) if answers else []
        return {
            "id": latex_escape(q["id"]),
            "points": _points_text(q.get("points"), lang, labels),
            "text": pick(q, "text", q["id"]),
            "answer": pick(q, "answer", q["id"]) if answers else "",
            "marking": [
                {"points": _points_text(m["points"], lang, labels), "text": pick(m, lang, q["id"])}
                for m in marking
            ],
            "partial": _partial_credit(q, lang, labels) if answers else [],
        }

    return [
        {
            "number": latex_escape(str(section["number"])),
            "title": pick(section, "title", guard=title_guard),
            "intro": pick(section, "intro"),
            "questions": [question(q) for q in section.get("questions", [])],
        }
        for section in spec.data["sections"]
    ]


def question_text(
    name: str,
    question: str,
    *,
    lang: str | None = None,
    variant_seed: int | None = None,
    answer: bool = False,
) -> dict:
    """One question of a sheet as a student reads it, for the variant ``variant_seed``:
    its ``id``, its ``points`` and its ``text`` (the sheet's LaTeX, rendered in the same
    sandbox and held to the same allowlist as :func:`render_sheet`); with ``answer``, the
    key's ``answer`` too (the student's key, never the teacher's notes).

    >>> question_text("td5", "III.1", lang="en", variant_seed=3)["text"].startswith("Expand")
    True
    """
    spec, lang, sizes, results = _sheet(name, lang, variant_seed)
    found = [
        q for s in spec.data["sections"] for q in s.get("questions", []) if q["id"] == question
    ]
    if not found:
        raise InputError.said(
            "sheet.error.question", where=spec.place(), question=repr(question[:40])
        )
    context = {"sizes": sizes, "r": results, "teacher": False, "answers": answer}
    env, where = _env(), spec.place(question)
    texts = {
        key: _text(env, found[0].get(key, ""), lang, where, check_sheet_latex, context)
        for key in (("text", "answer") if answer else ("text",))
    }
    return {"id": question, "points": found[0].get("points")} | texts


def _sheet(name, lang, variant_seed):
    """A sheet (by name, or already loaded), the language it is rendered in, the sizes of
    the variant and the engine's results for them."""
    from symbrnn.sheets.results import compute

    spec = name if isinstance(name, SheetSpec) else load_sheet(name)
    meta = spec.data["sheet"]
    lang = lang or meta.get("default_lang", "fr")
    if lang not in LANGS:
        raise InputError.said("sheet.error.lang", lang=repr(lang), langs=", ".join(LANGS))
    sizes = sheet_sizes(spec, variant_seed)
    # the producers write numbers as the key's language does (thin spaces, decimal commas)
    results = compute(meta.get("results", []), {**sizes, "lang": lang}, spec.place())
    return spec, lang, sizes, results


def _text(env, value, lang: str, where, guard, context: dict) -> str:
    """One text of a sheet (a string, or a table by language) rendered in the sandbox within
    RENDER_SECONDS, held to ``guard`` (the allowlist), its derived parts put back."""
    value = value.get(lang, "") if isinstance(value, dict) else value
    first = len(env.derived_parts)
    slow = InputError.said("sheet.error.slow", where=where, top=RENDER_SECONDS)
    with time_bound(RENDER_SECONDS, slow):
        out = _render(env, str(value), where, **context)
    return guarded(env, out, where, guard, first)


def _partial_credit(q, lang: str, labels: dict) -> list[dict]:
    """What an answer with one mistake the checker names earns (``marking_notes``), each
    mistake by its short name in the key's language."""
    from symbrnn.judge.messages import say

    return [
        {
            "name": latex_escape(say(f"name.{note}", lang)),
            "points": _points_text(marks, lang, labels),
        }
        for note, marks in q.get("marking_notes", {}).items()
    ]


def _points_text(points, lang: str, labels: dict) -> str:
    """Marks as the barème writes them: '1~pt', '1,5~pt' in French (a unit abbreviation takes
    no plural), '1.5~pts' in English;
    '' when the sheet gives none."""
    if points is None:
        return ""
    number = decimal_mark(f"{points:g}", lang)
    unit = labels.get("point", "pt") if points <= 1 else labels.get("points", "pts")
    return f"{number}~{unit}"


def _render_document(env, spec, **context) -> str:
    import jinja2

    first = len(env.derived_parts)
    try:  # a derived value the document prints goes through finalize too: put it back
        tex = env.get_template("sheet.tex.j2").render(**context)
    except jinja2.TemplateError as exc:
        raise InputError.said("sheet.error.at", where=spec.place(), reason=str(exc)) from None
    return guarded(env, tex, spec.place(), None, first)


def _appendix(cell_names, labels, activation=None):
    """Each cell's step function and its latexify rendering, titled in the key's language
    (labels ``appendix_<cell>``; the cell's own description otherwise). A cell that takes
    an activation has the sheet's (a tanh variant's simple RNN applies tanh)."""
    from symbrnn.engine.cells import builtin, make_cell
    from symbrnn.sheets.appendix import step_latex, step_source

    return_word = labels.get("appendix_return", "return")
    out = []
    for name in map(str, cell_names):
        row = builtin(name)
        chosen = activation if row is not None and "activation" in row.options else None
        cell = make_cell(name, activation=chosen, allow_files=False)
        out.append(
            {
                "title": labels.get(f"appendix_{name}") or latex_escape(cell.description),
                "source": step_source(cell),
                "latex": step_latex(cell, return_word),
            }
        )
    return out


__all__ = ["render_sheet"]
