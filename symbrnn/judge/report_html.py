"""A class's grading as one offline page: per question the class's mistakes and the distinct
wrong answers grouped by their meaning, and per student their answers with feedback.

The page is self-contained: the vendored KaTeX (its script, its style and its fonts as
data) renders the answers in the reader's browser; nothing is fetched. Every text from the
class (names, answers, diagnoses) is escaped by Jinja's autoescape and rendered as math
by KaTeX with ``trust: false``, so an answer can never become markup or a link.

>>> page = class_page([GradeRow("ana", "III.2", quantity="dh_3/dh_1", answer="W",
...     status="correct", score=1.0, group="abc")], lang="en")
>>> "<html" in page and "ana" in page
True
"""

from __future__ import annotations

import base64
import re
from collections import Counter, defaultdict
from importlib import resources

from symbrnn.judge.grade_row import GradeRow, question_key
from symbrnn.words import LANGS, Table, number, say

ITEM_LINES = ("CORRECT", "BLANK", "SEVERAL", "OTHER")  # items.<line>: an option's meaning
STATUS_WORDS = Table("report.status.")

TEMPLATE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; font-src data:; img-src data:">
<title>{{ say("report.title") }}</title>
<style>{{ katex_css | safe }}
body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;overflow-wrap:anywhere}
.wide,.math{max-width:100%;overflow-x:auto}.math{overflow-y:hidden}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #bbb;padding:3px 6px;vertical-align:top}
td,th{overflow-wrap:break-word}td.long{min-width:10rem}
svg{display:block;width:100%;max-width:420px;height:auto}
.correct{color:#1a7f37}.wrong{color:#b42318}.bar{fill:#4866c9}.group{margin:.4rem 0}
</style></head><body>
<h1>{{ say("report.title") }}</h1>
<p data-testid="summary">{{ say("report.summary", count=total, right=right) }}</p>
{% for q in questions %}
<section data-testid="question" data-question="{{ q.key }}">
<h2>{{ say("report.question", question=q.key) }}</h2>
<p>{{ say("report.right", right=q.right, count=q.count) }}</p>
<h3>{{ say("report.notes") }}</h3>
{% if q.notes %}<svg role="img" viewBox="0 0 420 {{ 22 * q.notes|length }}" width="420" height="{{ 22 * q.notes|length }}" data-testid="chart">
{% for note, n in q.notes %}<text x="0" y="{{ 22 * loop.index0 + 15 }}" font-size="12">{{ note }}</text>
<rect class="bar" x="170" y="{{ 22 * loop.index0 + 3 }}" width="{{ (220 * n / q.most) | round(1) }}" height="16"></rect>
<text x="{{ 175 + (220 * n / q.most) | round(1) }}" y="{{ 22 * loop.index0 + 15 }}" font-size="12">{{ n }}</text>
{% endfor %}</svg>{% else %}<p>{{ say("report.none") }}</p>{% endif %}
<h3>{{ say("report.groups") }}</h3>
{% for g in q.groups %}<div class="group" data-testid="group"><b>{{ say("report.group", count=g.count) }}</b>
(<code>{{ g.key }}</code>): <div class="math tex display">{{ g.answer }}</div><small>{{ g.diagnosis }}</small>
<br><small>{{ g.students | join(", ") }}</small></div>
{% else %}<p>{{ say("report.none") }}</p>{% endfor %}
{% if q.chosen %}<div class="wide"><h3>{{ say("items.title") }}</h3>
<table data-testid="items"><tr><th>{{ say("items.option") }}</th><th>{{ say("items.note") }}</th><th>{{ say("items.count") }}</th><th>{{ say("items.share") }}</th></tr>
{% for i in q.chosen %}<tr><td>{{ i.option }}</td><td>{{ say("items." ~ i.answer_note) if i.answer_note in lines else i.answer_note }}</td><td>{{ i.count }}</td><td>{{ say("items.percent", percent=(100 * i.share) | round | int) }}</td></tr>
{% endfor %}</table></div>{% endif %}
</section>
{% endfor %}
<h2>{{ say("report.students") }}</h2>
{% for s in students %}
<section data-testid="student"><h3>{{ say("report.student", student=s.name, total=s.total) }}</h3>
<div class="wide"><table><tr><th>{{ say("report.column.question") }}</th><th>{{ say("report.column.status") }}</th><th>{{ say("report.column.score") }}</th><th>{{ say("report.column.answer") }}</th><th>{{ say("report.column.diagnosis") }}</th></tr>
{% for r in s.rows %}<tr><td>{{ r.key }}</td><td class="{{ r.status }}">{{ say("report.status." ~ r.status) if r.status in statuses else r.status }}</td><td>{{ r.shown_score }}</td>
<td class="long"><span class="tex">{{ r.answer }}</span></td><td class="long">{{ r.diagnosis }}</td></tr>{% endfor %}
</table></div></section>
{% endfor %}
<script>{{ katex_js | safe }}</script>
<script>
for (const el of document.querySelectorAll(".tex")) {
  const source = el.textContent, displayMode = el.classList.contains("display");
  try { katex.render(source, el, {throwOnError: false, trust: false, displayMode, maxSize: 20, maxExpand: 200}); }
  catch (e) { el.textContent = source; }
}
document.body.dataset.rendered = "yes";
</script>
</body></html>
"""


def _katex() -> tuple[str, str]:
    """KaTeX's script, and its style with the fonts inlined as data (the page stays offline)."""
    root = resources.files("symbrnn.web") / "static" / "katex"
    css = (root / "katex.min.css").read_text(encoding="utf-8")

    def inline(m):
        data = (root / "fonts" / m[1]).read_bytes()
        return f"url(data:font/woff2;base64,{base64.b64encode(data).decode()})"

    css = re.sub(r"url\(fonts/([A-Za-z0-9_-]+\.woff2)\)", inline, css)
    css = re.sub(r",\s*url\(fonts/[^)]+\.(?:woff|ttf)\)\s*format\(\"(?:woff|truetype)\"\)", "", css)
    return css, (root / "katex.min.js").read_text(encoding="utf-8")


def _groups(rows: list[GradeRow]) -> list[dict]:
    """A question's wrong answers grouped by their meaning (the report's ``group``), the
    largest first."""
    groups: dict = {}
    for r in rows:
        if r.status == "correct":
            continue
        g = groups.setdefault(
            r.group or "text:" + str(r.answer)[:200],
            {"key": r.group or "—", "answer": r.answer, "diagnosis": r.diagnosis, "students": []},
        )
        g["students"].append(r.student)
    ordered = sorted(groups.values(), key=lambda g: -len(g["students"]))
    return [g | {"count": len(g["students"])} for g in ordered]


def _question(key: str, rows: list[GradeRow], items) -> dict:
    """A question's part of the page: its right answers, its notes, its groups, its items."""
    notes = Counter(n for r in rows for n in r.answer_notes.split())
    return {
        "key": key,
        "count": len(rows),
        "right": sum(r.status == "correct" for r in rows),
        "notes": notes.most_common(),
        "most": max(notes.values(), default=1),
        "groups": _groups(rows),
        "chosen": [i for i in items or () if i["question"] == key],
    }


def _students(results: list[GradeRow], lang: str) -> list[dict]:
    """Each student's answers, with their scores as ``lang`` writes numbers, and total."""
    students: dict = {}
    for r in results:
        score = "" if r.score in ("", None) else number(round(float(r.score), 4), lang)
        row = r.as_csv_row() | {"key": question_key(r), "shown_score": score}
        students.setdefault(r.student, {"name": r.student, "rows": []})["rows"].append(row)
    for s in students.values():
        s["total"] = number(round(sum(float(r["score"] or 0) for r in s["rows"]), 4), lang)
    return list(students.values())


def class_page(results: list[GradeRow], lang: str = "fr", items: list | None = None) -> str:
    """The page of a graded class (the rows of ``grade_rows``), with an exam's item
    analysis (``items``: the rows of ``exam.items``) under each question."""
    from jinja2 import Environment

    by_question: dict = defaultdict(list)
    for r in results:
        by_question[question_key(r)].append(r)
    css, js = _katex()
    env = Environment(autoescape=True)
    return env.from_string(TEMPLATE).render(
        lang=lang if lang in LANGS else "en",
        say=lambda key, **params: say(key, lang, **params),
        lines=ITEM_LINES,
        statuses=STATUS_WORDS,
        total=len(results),
        right=sum(r.status == "correct" for r in results),
        questions=[_question(key, rows, items) for key, rows in by_question.items()],
        students=_students(results, lang),
        katex_css=css,
        katex_js=js.replace("</script", "<\\/script"),
    )
