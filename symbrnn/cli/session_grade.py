"""``symbrnn grade --session FILE``: a TD session's stored answers graded as a class CSV."""

from __future__ import annotations

import sys

import click

from symbrnn.errors import InputError


def grade_session_command(session, attempt, fmt, output, page, lang, jobs) -> int:
    """grade's report of the session's answers (``fmt`` report), or the gradebook's export
    (``moodle``, ``amc``): to ``output``, else stdout."""
    from symbrnn.web.session_grade import amc_csv, grade_session, moodle_csv
    from symbrnn.web.session_store import SessionStore

    store = SessionStore(session, create=False)
    if fmt != "report" and (page is not None or (output and not output.endswith(".csv"))):
        raise InputError(f"--format {fmt} writes one CSV: -o FILE.csv, and no --report")
    lang = lang or "fr"
    results = grade_session(store, attempt, lang, jobs)
    if fmt == "report":
        from symbrnn.judge.class_csv import report_outputs, write_report

        also = None
        if page is not None:
            from symbrnn.judge.report_html import class_page

            also = {page: class_page(results, lang)}
        report, summary = write_report(results, output, lang, also=also)
        written = [*report_outputs(output), *(also or ())]
    else:
        from symbrnn.io import write_all

        report = (moodle_csv if fmt == "moodle" else amc_csv)(store, results)
        summary, written = f"{len(store.students())} students", [output] if output else []
        if output:
            write_all({output: report}, lang=lang)
    if output is None:
        sys.stdout.write(report)
    click.echo(summary, err=True)
    for path in written:
        click.echo(f"wrote {path}", err=True)
    return 0
