"""What ``grade`` says of a class on the terminal, in French or English: per status the count
of answers, then per question the right answers and the class's common mistakes (answer
notes, as teachers count them)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from symbrnn.errors import InputError
from symbrnn.io import check_outputs
from symbrnn.judge.class_csv import check_report_path, report_outputs, write_report
from symbrnn.judge.grade_row import GradeRow, question_key
from symbrnn.judge.messages import say

STATUSES = ("correct", "wrong", "cannot judge", "malformed", "error")


def class_summary(results: list[GradeRow], lang: str = "en") -> str:
    """The summary of a graded class in ``lang``.

    >>> print(class_summary([GradeRow("a", "I.1", status="wrong", answer_notes="ORDER")], "fr"))
    1 réponse : 0 juste, 1 fausse, 0 impossible à juger, 0 illisible, 0 en erreur
      I.1 : 0/1 juste ; erreurs : ORDER ×1
    """
    counts = Counter(r.status for r in results)
    statuses = ", ".join(say(f"grade.status.{s}", lang, count=counts[s]) for s in STATUSES)
    lines = [say("grade.summary", lang, count=len(results), statuses=statuses)]
    by_question: dict = defaultdict(list)
    for r in results:
        by_question[question_key(r)].append(r)
    for q in sorted(by_question):
        rows = by_question[q]
        shown = q if len(q) <= 60 else q[:57] + "…"
        right = sum(r.status == "correct" for r in rows)
        notes = Counter(n for r in rows for n in r.answer_notes.split())
        line = say("grade.question", lang, question=shown, right=right, count=len(rows))
        if notes:
            common = ", ".join(f"{n} ×{c}" for n, c in notes.most_common())
            line += say("grade.mistakes", lang, notes=common)
        lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class ClassReport:
    """A graded class: its rows, the report's text, the summary, the files written, and what
    was said on the way (a second answer replacing a first, the teacher's overrides)."""

    results: list
    lang: str
    text: str = ""
    summary: str = ""
    paths: tuple = ()
    warnings: tuple = ()


def check_report_outputs(output: str | None, page: str | None, lang: str = "en") -> None:
    """Every file of a report (``-o``, its totals, the ``--report`` page), before any work."""
    check_report_path(output)
    if page is not None and not page.lower().endswith(".html"):
        raise InputError.said("report.error.page", page=repr(page))
    check_outputs(report_outputs(output) + ([page] if page else []), lang=lang)


def write_class_report(
    results: list, output: str | None, page: str | None, lang: str = "en", warnings=(), items=None
) -> ClassReport:
    """The report (to ``output``; its text kept for stdout), its class page (``page``) and
    the summary in ``lang``: the files written all or none. An exam's item analysis
    (``items``: rows and their CSV text) goes in the JSON report, the page and a CSV of its
    own beside ``output`` (else beside ``page``): ``r.items.csv``."""
    also = {}
    rows, table = items if items is not None else (None, None)
    if page is not None:
        from symbrnn.judge.report_html import class_page

        also[page] = class_page(results, lang, rows)
    beside = output or page
    if table is not None and beside is not None:
        path = Path(beside)
        also[path.with_name(path.name.rsplit(".", 1)[0] + ".items.csv")] = table
    text = write_report(results, output, lang, also=also, items=rows)
    paths = (*report_outputs(output), *also)
    return ClassReport(results, lang, text, class_summary(results, lang), paths, tuple(warnings))
