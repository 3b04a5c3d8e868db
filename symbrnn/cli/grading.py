"""``symbrnn grade``: a class's answers (a CSV, a folder, a scanned exam, a TD session) graded
by one library call, the report and its summary printed in ``--lang``."""

from __future__ import annotations

import sys

import click

from symbrnn.cli.options import (
    format_option,
    jobs_option,
    lang_option,
    progress,
    say_report,
    variant_seed_option,
    whole_option,
    wrote,
)
from symbrnn.errors import InputError
from symbrnn.io import write_all
from symbrnn.words import say


@click.command(short_help="Grade a class's answers into a report and a summary.")
@click.argument("source", metavar="ANSWERS.csv|DIR", required=False)
@click.option(
    "-o",
    "--output",
    metavar="REPORT.csv|.json|.html",
    help="Write the report: .csv (with a BOM; the students' totals in REPORT.totals.csv "
    "beside it), .json, or .html (the class page) (default: stdout, CSV).",
)
@click.option("--cell", "default_cell", default="rnn", help="Cell when a row gives none.")
@whole_option("--T", "default_T", top=30, help="T when a row gives none (for dL/d...).")
@click.option("--sheet", metavar="SHEET", help="Sheet of the question column (td5).")
@click.option(
    "--scheme",
    metavar="FILE.toml",
    help="Marking scheme: correct = 1 and [notes] ORDER = 0.5, ... (default: with --sheet, "
    "each question's points and marking_notes; else 1 or 0).",
)
@jobs_option("Worker processes for a large class (0: one per core; 1: no workers).")
@lang_option("Language of the diagnoses [default: the sheet's with --sheet, else en].")
@variant_seed_option("With --sheet: every row's variant, unless its variant column gives one.")
@click.option(
    "--report",
    "page",
    metavar="CLASS.html",
    help="Also write one offline page: per question the mistakes and the wrong answers "
    "grouped by meaning, per student the answers with feedback.",
)
@click.option(
    "--override",
    metavar="FILE.toml",
    help="A teacher's decisions: [groups] KEY = score, for every answer of that group.",
)
@click.option(
    "--amc",
    metavar="RESULTS.csv",
    help="Instead of ANSWERS: AMC's CSV export of the scanned exam (export --module CSV "
    "--option-out ticked=AB), read with --exam.",
)
@click.option(
    "--moodle",
    metavar="RESPONSES.csv",
    help="Instead of ANSWERS: Moodle's quiz Responses report (CSV) of the exam, read with --exam.",
)
@click.option(
    "--exam",
    "exam_file",
    metavar="EXAM.json",
    help="With --amc or --moodle: the exam's JSON (written beside the AMC document, or "
    "with exam --format json).",
)
@click.option(
    "--session",
    metavar="FILE.sqlite",
    help="Instead of ANSWERS: a TD session's stored answers (symbrnn serve --session).",
)
@click.option(
    "--attempt",
    type=click.Choice(["last", "best"]),
    default="last",
    help="With --session: each student's last answer to a question, or the best.",
)
@format_option(
    "report",
    "moodle",
    "amc",
    help="With --session: grade's report, Moodle's grade import (CSV), or AMC's student list.",
)
def grade(
    source, output, jobs, lang, page, amc, moodle, exam_file, session, attempt, fmt, **options
):
    """Grade a class: one answer per student and question, into a report and a summary.

    ANSWERS.csv (UTF-8, separated by , ; or tabs) has the columns student,
    answer and quantity or question (with --sheet), optionally cell (rnn, lstm,
    gru: never a file), T, paths, variant (the student's --variant-seed); a DIR
    is read as all the *.csv files in it; a student's second answer to a question
    replaces the first (a warning names both lines). The report (.csv with a BOM,
    or .json) has a row per answer (variant, cell, T, answer, expected...); the
    students' totals are in REPORT.totals.csv beside a .csv report. The outputs
    are written all or none. A
    malformed or failing answer is reported and the batch goes on. An answer
    may be a derivation over several lines (a quoted multi-line cell): the
    report gives its first wrong step, and a scheme's step = 0.25 credits each
    right step before it. The report gives each answer's notes (ORDER,
    TRANSPOSE, BIAS_MISSING...) and score; the summary counts the class's
    common mistakes per question.

    With --amc RESULTS.csv --exam EXAM.json, the answers are the boxes ticked on
    a scanned auto-multiple-choice exam: each wrong box is the named mistake
    its option was made from, and the summary counts them per question. With
    --moodle RESPONSES.csv --exam EXAM.json, they are the options chosen in a
    Moodle quiz. Both add the item analysis (per question, the students who
    chose each option, by named mistake) to the JSON report and the page, and
    write it as REPORT.items.csv beside the report (or the page).

    \b
    Examples:
      symbrnn grade examples/answers.csv -o report.csv --scheme examples/marks.toml
      symbrnn grade examples/answers-td5.csv --sheet td5 -o report.json
      symbrnn grade --amc examples/amc-results.csv --exam examples/td5-exam.json
      symbrnn grade --session examples/td5-session.sqlite --format moodle -o moodle.csv
    """
    from symbrnn.judge.class_summary import check_report_outputs

    check_report_outputs(output, page, lang or "en")  # every file checked before any work
    if session is not None:
        return _session(session, attempt, fmt, output, page, lang, jobs)
    if amc is not None or moodle is not None or exam_file is not None:
        report = _scanned(amc, moodle, exam_file, source, options, output, page, lang)
    elif source is None:
        raise InputError.said("cli.error.grade_source")
    else:
        from symbrnn.sheets.grading import grade_class

        bar = progress("grading", lang or "en")
        report = grade_class(
            source, output, page=page, lang=lang, jobs=jobs, progress=bar, **options
        )
    return say_report(report, output)


def _scanned(amc, moodle, exam_file, source, options, output, page, lang):
    """grade --amc/--moodle (with --exam, and nothing of a class CSV's grading): the options
    chosen in an exam, into grade's report, its summary and the item analysis."""
    from symbrnn.exam.items import item_analysis, items_csv
    from symbrnn.exam.moodle_responses import read_moodle
    from symbrnn.exam.scans import load_exam, read_amc
    from symbrnn.judge.class_summary import write_class_report

    if (amc is None) == (moodle is None) or exam_file is None:
        raise InputError.said("cli.error.exam_pair")
    if source is not None or options["sheet"] is not None or options["scheme"] is not None:
        raise InputError.said("cli.error.exam_alone")
    exam = load_exam(exam_file)
    rows = read_amc(amc, exam) if amc is not None else read_moodle(moodle, exam)
    items = item_analysis(exam, rows)
    lang = lang or exam.lang
    return write_class_report(rows, output, page, lang, items=(items, items_csv(items)))


def _session(session, attempt, fmt, output, page, lang, jobs) -> int:
    """grade's report of the session's answers (``fmt`` report), or the gradebook's export
    (``moodle``, ``amc``): to ``output``, else stdout."""
    from symbrnn.web.session_grade import amc_csv, grade_session, moodle_csv
    from symbrnn.web.session_store import SessionStore

    store = SessionStore(session, create=False)
    if fmt != "report" and (page is not None or (output and not output.endswith(".csv"))):
        raise InputError.said("cli.error.one_csv", fmt=fmt)
    lang = lang or "fr"
    results = grade_session(store, attempt, lang, jobs)
    if fmt == "report":
        from symbrnn.judge.class_summary import write_class_report

        return say_report(write_class_report(results, output, page, lang), output)
    export = {"moodle": moodle_csv, "amc": amc_csv}[fmt](store, results)
    if output:
        write_all({output: export}, lang=lang)
    else:
        sys.stdout.write(export)
    click.echo(say("cli.students", lang, count=len(store.students())), err=True)
    wrote(output, lang)
    return 0
