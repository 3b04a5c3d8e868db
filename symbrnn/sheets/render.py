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

from symbrnn.errors import InputError
from symbrnn.io import time_bound
from symbrnn.printing.escape import latex_escape
from symbrnn.sheets.guard import check_sheet_latex
from symbrnn.sheets.producers import decimal_mark
from symbrnn.sheets.spec import LANGS, SheetSpec, load_sheet, variant_sizes

BABEL = {"fr": "french", "en": "english"}
MAX_TEXT = 200_000  # characters one template may produce
MAX_SEQUENCE = 10_000  # the longest range or repetition a template may build
RENDER_SECONDS = 20


def _env():
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class SheetSandbox(ImmutableSandboxedEnvironment):
        """No internals, no mutation, no huge ranges or repetitions."""

        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context, operator, left, right):
            if operator == "**" and (abs(_number(right)) > 64 or abs(_number(left)) > 10**6):
                raise jinja2.sandbox.SecurityError("power too large for a sheet")
            if operator == "*" and (
                (isinstance(left, str | list) and _number(right) > MAX_SEQUENCE)
                or (isinstance(right, str | list) and _number(left) > MAX_SEQUENCE)
            ):
                raise jinja2.sandbox.SecurityError("repetition too long for a sheet")
            return super().call_binop(context, operator, left, right)

    env = SheetSandbox(
        block_start_string="((*",
        block_end_string="*))",
        variable_start_string="(((",
        variable_end_string=")))",
        comment_start_string="((=",
        comment_end_string="=))",
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        loader=jinja2.PackageLoader("symbrnn.sheets", "templates"),
    )
    env.globals = {"range": _bounded_range}
    env.filters["tex"] = latex_escape  # every name that reaches LaTeX from data goes through it
    env.filters["verbatim"] = _verbatim
    return env


def _verbatim(text) -> str:
    """Code set as it is typed (a line that would end the block is refused)."""
    text = str(text)
    if r"\end{verbatim}" in text:
        raise InputError("code may not contain \\end{verbatim}")
    return "{\\footnotesize\n\\begin{verbatim}\n" + text + "\n\\end{verbatim}\n}"


def _number(value) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _bounded_range(*args):
    out = range(*args)
    if len(out) > MAX_SEQUENCE:
        raise InputError(f"range of {len(out):,} items (a sheet may loop {MAX_SEQUENCE:,} times)")
    return out


def _render(env, source: str, where: str, **context) -> str:
    import jinja2

    try:
        out = env.from_string(source).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"{where}: template error line {exc.lineno}: {exc.message}") from None
    except jinja2.sandbox.SecurityError as exc:
        raise InputError(f"{where}: refused: {exc} (a sheet may use sizes and r only)") from None
    except jinja2.UndefinedError as exc:
        raise InputError(
            f"{where}: {exc.message}; a sheet may use sizes.<name> and r.<result>.<field> "
            "(see symbrnn/sheets/results.py)"
        ) from None
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    except RecursionError:
        raise InputError(f"{where}: the template recurses too deeply") from None
    except (ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as exc:
        raise InputError(f"{where}: {type(exc).__name__}: {exc}") from None
    if len(out) > MAX_TEXT:
        raise InputError(f"{where}: produces more than {MAX_TEXT:,} characters")
    return out


def render_sheet(
    name: str = "td5",
    *,
    lang: str | None = None,
    answers: bool = True,
    variant_seed: int | None = None,
) -> str:
    """The LaTeX source of a sheet, deterministic for the same inputs."""
    from symbrnn.sheets.results import compute

    spec = name if isinstance(name, SheetSpec) else load_sheet(name)
    meta = spec.data["sheet"]
    lang = lang or meta.get("default_lang", "fr")
    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r}; choose one of: {', '.join(LANGS)}")
    if variant_seed is not None and not 0 <= variant_seed < 2**32:
        raise InputError(f"--variant-seed must be between 0 and {2**32 - 1}")
    sizes = spec.data["sizes"] if variant_seed is None else variant_sizes(spec, variant_seed)
    # the producers write numbers as the key's language does (thin spaces, decimal commas)
    results = compute(meta.get("results", []), {**sizes, "lang": lang}, spec.where())
    env = _env()
    labels = {
        key: check_sheet_latex(str(value), f"{spec.where()}, [labels.{lang}] {key}")
        for key, value in spec.data["labels"][lang].items()
    }

    def pick(node, key, question=None):
        value = node.get(key, "")
        value = value.get(lang, "") if isinstance(value, dict) else value
        where = spec.where(question)
        with time_bound(
            RENDER_SECONDS, InputError(f"{where}: rendering takes more than {RENDER_SECONDS} s")
        ):
            out = _render(env, str(value), where, sizes=sizes, r=results)
        return check_sheet_latex(out, where)

    sections = []
    for section in spec.data["sections"]:
        questions = [
            {
                "id": latex_escape(q["id"]),
                "points": _points_text(q.get("points"), lang, labels),
                "text": pick(q, "text", q["id"]),
                "answer": pick(q, "answer", q["id"]) if answers else "",
            }
            for q in section.get("questions", [])
        ]
        sections.append(
            {
                "number": latex_escape(str(section["number"])),
                "title": pick(section, "title"),
                "intro": pick(section, "intro"),
                "questions": questions,
            }
        )
    # sections after the answers (common mistakes, code, bibliography): in the key only
    extras = [
        {"title": pick(extra, "title"), "text": pick(extra, "text")}
        for extra in (spec.data.get("extras", []) if answers else [])
    ]
    points = sum(q.get("points", 0) for s in spec.data["sections"] for q in s.get("questions", []))
    title = meta["title"][lang] if answers else meta.get("questions_title", meta["title"])[lang]
    title = check_sheet_latex(str(title), f"{spec.where()}, title")
    subtitle = check_sheet_latex(meta["subtitle"][lang], f"{spec.where()}, subtitle")
    if variant_seed is not None:
        title += f" ({labels.get('variant', 'variant')} {variant_seed})"
    return _render_document(
        env,
        spec,
        sheet=meta,
        babel=BABEL[lang],
        title=title,
        subtitle=subtitle,
        labels=labels,
        sections=sections,
        answers=answers,
        verification=pick(spec.data, "verification") if answers else "",
        extras=extras,
        points_total=_points_text(points or None, lang, labels),
        appendix=_appendix(meta.get("appendix", []), labels) if answers else [],
    )


def _points_text(points, lang: str, labels: dict) -> str:
    """Marks as the barème writes them: '1~pt', '1,5~pts' in French, '1.5~pts' in English;
    '' when the sheet gives none."""
    if points is None:
        return ""
    number = decimal_mark(f"{points:g}", lang)
    unit = labels.get("point", "pt") if points <= 1 else labels.get("points", "pts")
    return f"{number}~{unit}"


def _render_document(env, spec, **context) -> str:
    import jinja2

    try:
        return env.get_template("sheet.tex.j2").render(**context)
    except jinja2.TemplateError as exc:
        raise InputError(f"{spec.where()}: {exc}") from None


def _appendix(cell_names, labels):
    """Each cell's step function and its latexify rendering, titled in the key's language
    (labels ``appendix_<cell>``; the cell's own description otherwise)."""
    from symbrnn.engine.cells import make_cell
    from symbrnn.sheets.appendix import step_latex, step_source

    return_word = labels.get("appendix_return", "return")
    out = []
    for name in map(str, cell_names):
        cell = make_cell(name, allow_files=False)
        out.append(
            {
                "title": labels.get(f"appendix_{name}") or latex_escape(cell.description),
                "source": step_source(cell),
                "latex": step_latex(cell, return_word),
            }
        )
    return out


__all__ = ["render_sheet"]
