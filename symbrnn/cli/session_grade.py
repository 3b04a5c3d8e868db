"""``symbrnn grade --session FILE``: a TD session's stored answers graded as a class CSV."""

from __future__ import annotations

import sys

import click

from symbrnn.errors import InputError


def grade_session_command(session, attempt, fmt, output, page, lang, jobs) -> int:
    """grade's report of the session's answers (``fmt`` report), or the gradebook's export
    (``moodle``, ``amc``): to ``output``, else stdout."""
    from symbrnn.cli.options import say_report, wrote
    from symbrnn.web.session_grade import amc_csv, grade_session, moodle_csv
    from symbrnn.web.session_store import SessionStore
    from symbrnn.words import say

    store = SessionStore(session, create=False)
    if fmt != "report" and (page is not None or (output and not output.endswith(".csv"))):
        raise InputError(f"--format {fmt} writes one CSV: -o FILE.csv, and no --report")
    lang = lang or "fr"
    results = grade_session(store, attempt, lang, jobs)
    if fmt == "report":
        from symbrnn.judge.class_summary import write_class_report

        return say_report(write_class_report(results, output, page, lang), output)
    from symbrnn.io import write_all

    export = {"moodle": moodle_csv, "amc": amc_csv}[fmt](store, results)
    if output:
        write_all({output: export}, lang=lang)
    else:
        sys.stdout.write(export)
    click.echo(say("cli.students", lang, count=len(store.students())), err=True)
    wrote(output, lang)
    return 0
