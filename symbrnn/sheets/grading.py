"""``grade_class``: a class's answers (a CSV, or a folder of them) graded into a report, its
class page and a summary, in one call; the questions and marks may come from a sheet."""

from __future__ import annotations

from collections.abc import Callable

from symbrnn.errors import InputError
from symbrnn.judge.class_summary import ClassReport, check_report_outputs, say, write_class_report
from symbrnn.sheets.write import no_progress


def grade_class(
    source: str,
    output: str | None = None,
    *,
    page: str | None = None,
    default_cell: str = "rnn",
    default_T: int | None = None,
    sheet: str | None = None,
    scheme: str | None = None,
    override: str | None = None,
    variant_seed: int | None = None,
    lang: str | None = None,
    jobs: int = 1,
    progress: Callable = no_progress,
) -> ClassReport:
    """Grade ``source`` and write the report to ``output`` (and the class page to ``page``).

    ``lang`` defaults to the sheet's language, else English; ``progress(total)`` is a
    context whose value is called with each row graded (or None)."""
    from symbrnn.judge.class_csv import keep_last, read_answers
    from symbrnn.judge.grade import apply_overrides, grade_rows, load_overrides, load_scheme

    check_report_outputs(output, page, lang or "en")  # every file checked before any work
    marks = load_scheme(scheme) if scheme else None  # None: a sheet question's own marks
    overrides = load_overrides(override)
    questions = None
    if sheet is not None:
        from symbrnn.sheets.sheet import load

        loaded = load(sheet)  # an unknown sheet is one error, not one per row
        lang = lang or loaded.lang
        loaded.sizes(variant_seed)  # a sheet without variants refuses a seed here
        questions = loaded.question
    elif variant_seed is not None:
        raise InputError.said("sheet.error.seed_sheet")
    lang = lang or "en"
    rows, warnings = keep_last(read_answers(source, lang), default_cell, lang)
    with progress(len(rows)) as bar:
        results = grade_rows(
            rows,
            default_cell=default_cell,
            default_T=default_T,
            questions=questions,
            scheme=marks,
            jobs=jobs,
            progress=bar.update if bar is not None else None,
            lang=lang,
            variant_seed=variant_seed,
        )
    if overrides:
        changed = apply_overrides(results, overrides)
        warnings.append(say("grade.override", lang, count=changed))
    return write_class_report(results, output, page, lang, warnings)
