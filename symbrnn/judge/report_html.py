"""A class's grading as one offline page: per question the class's mistakes and the distinct
wrong answers grouped by their meaning, and per student their answers with feedback.

The page is self-contained: the vendored KaTeX (its script, its style and its fonts as
data) renders the answers in the reader's browser; nothing is fetched. Every text from the
class (names, answers, diagnoses) is escaped by Jinja's autoescape and rendered as math
by KaTeX with ``trust: false``, so an answer can never become markup or a link.

>>> page = class_page([{"student": "ana", "question": "III.2", "quantity": "dh_3/dh_1",
...     "status": "correct", "answer": "W", "answer_notes": "", "score": 1.0,
...     "diagnosis": "", "group": "abc"}], lang="en")
>>> "<html" in page and "ana" in page
True
"""

from __future__ import annotations

import base64
import re
from collections import Counter, defaultdict
from importlib import resources

from symbrnn.judge.messages import MESSAGES, say

MESSAGES.update(  # the item analysis of an exam read back (grade --amc, --moodle)
    {
        "items.title": {
            "en": "Options chosen (item analysis)",
            "fr": "Options choisies (analyse des items)",
        },
        "items.option": {"en": "Option", "fr": "Option"},
        "items.note": {"en": "Named mistake", "fr": "Erreur nommée"},
        "items.count": {"en": "Students", "fr": "Élèves"},
        "items.share": {"en": "Share", "fr": "Part"},
        "items.CORRECT": {"en": "the right answer", "fr": "la bonne réponse"},
        "items.BLANK": {"en": "no answer", "fr": "sans réponse"},
        "items.SEVERAL": {"en": "several boxes", "fr": "plusieurs cases"},
        "items.OTHER": {"en": "none of the options", "fr": "aucune des options"},
    }
)
ITEM_WORDS = ("title", "option", "note", "count", "share")
ITEM_LINES = ("CORRECT", "BLANK", "SEVERAL", "OTHER")

WORDS = {
    "fr": {
        "title": "Correction de la classe",
        "answers": "réponses",
        "correct": "justes",
        "question": "Question",
        "notes": "Erreurs relevées",
        "groups": "Réponses fausses distinctes (regroupées par sens)",
        "students": "Élèves",
        "student": "Élève",
        "status": "Statut",
        "score": "Note",
        "answer": "Réponse",
        "diagnosis": "Diagnostic",
        "count": "élèves",
        "none": "aucune",
        "total": "Total",
        "status_names": {
            "correct": "juste",
            "wrong": "faux",
            "cannot judge": "impossible à juger",
            "malformed": "illisible",
            "error": "erreur",
        },
    },
    "en": {
        "title": "Class grading",
        "answers": "answers",
        "correct": "correct",
        "question": "Question",
        "notes": "Mistakes found",
        "groups": "Distinct wrong answers (grouped by meaning)",
        "students": "Students",
        "student": "Student",
        "status": "Status",
        "score": "Score",
        "answer": "Answer",
        "diagnosis": "Diagnosis",
        "count": "students",
        "none": "none",
        "total": "Total",
        "status_names": {},
    },
}

TEMPLATE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; font-src data:; img-src data:">
<title>{{ w.title }}</title>
<style>{{ katex_css | safe }}
body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #bbb;padding:3px 6px;vertical-align:top}
.correct{color:#1a7f37}.wrong{color:#b42318}.bar{fill:#4866c9}.group{margin:.4rem 0}
</style></head><body>
<h1>{{ w.title }}</h1>
<p data-testid="summary">{{ total }} {{ w.answers }}, {{ right }} {{ w.correct }}</p>
{% for q in questions %}
<section data-testid="question" data-question="{{ q.key }}">
<h2>{{ w.question }} {{ q.key }}</h2>
<p>{{ q.right }}/{{ q.count }} {{ w.correct }}</p>
<h3>{{ w.notes }}</h3>
{% if q.notes %}<svg role="img" width="420" height="{{ 22 * q.notes|length }}" data-testid="chart">
{% for note, n in q.notes %}<text x="0" y="{{ 22 * loop.index0 + 15 }}" font-size="12">{{ note }}</text>
<rect class="bar" x="170" y="{{ 22 * loop.index0 + 3 }}" width="{{ (240 * n / q.most) | round(1) }}" height="16"></rect>
<text x="{{ 175 + (240 * n / q.most) | round(1) }}" y="{{ 22 * loop.index0 + 15 }}" font-size="12">{{ n }}</text>
{% endfor %}</svg>{% else %}<p>{{ w.none }}</p>{% endif %}
<h3>{{ w.groups }}</h3>
{% for g in q.groups %}<div class="group" data-testid="group"><b>{{ g.count }} {{ w.count }}</b>
(<code>{{ g.key }}</code>): <span class="tex">{{ g.answer }}</span><br><small>{{ g.diagnosis }}</small>
<br><small>{{ g.students | join(", ") }}</small></div>
{% else %}<p>{{ w.none }}</p>{% endfor %}
{% if q.chosen %}<h3>{{ iw.title }}</h3>
<table data-testid="items"><tr><th>{{ iw.option }}</th><th>{{ iw.note }}</th><th>{{ iw.count }}</th><th>{{ iw.share }}</th></tr>
{% for i in q.chosen %}<tr><td>{{ i.option }}</td><td>{{ iw.lines.get(i.answer_note, i.answer_note) }}</td><td>{{ i.count }}</td><td>{{ (100 * i.share) | round | int }} %</td></tr>
{% endfor %}</table>{% endif %}
</section>
{% endfor %}
<h2>{{ w.students }}</h2>
{% for s in students %}
<section data-testid="student"><h3>{{ s.name }} — {{ w.total }} {{ s.total }}</h3>
<table><tr><th>{{ w.question }}</th><th>{{ w.status }}</th><th>{{ w.score }}</th><th>{{ w.answer }}</th><th>{{ w.diagnosis }}</th></tr>
{% for r in s.rows %}<tr><td>{{ r.key }}</td><td class="{{ r.status }}">{{ w.status_names.get(r.status, r.status) }}</td><td>{{ r.score }}</td>
<td><span class="tex">{{ r.answer }}</span></td><td>{{ r.diagnosis }}</td></tr>{% endfor %}
</table></section>
{% endfor %}
<script>{{ katex_js | safe }}</script>
<script>
for (const el of document.querySelectorAll(".tex")) {
  const source = el.textContent;
  try { katex.render(source, el, {throwOnError: false, trust: false, displayMode: false, maxSize: 20, maxExpand: 200}); }
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


def class_page(results: list[dict], lang: str = "fr", items: list | None = None) -> str:
    """The page of a graded class (the rows of ``grade_rows``), with an exam's item
    analysis (``items``: the rows of ``exam.items``) under each question."""
    from jinja2 import Environment

    from symbrnn.judge.grade_row import question_key

    words = WORDS.get(lang, WORDS["en"])
    by_question: dict = defaultdict(list)
    for r in results:
        by_question[question_key(r)].append(r)
    questions = []
    for key, rows in by_question.items():
        notes = Counter(n for r in rows for n in str(r.get("answer_notes", "")).split())
        groups: dict = {}
        for r in rows:
            if r.get("status") == "correct":
                continue
            gkey = r.get("group") or "text:" + str(r.get("answer", ""))[:200]
            g = groups.setdefault(
                gkey,
                {
                    "key": r.get("group") or "—",
                    "answer": r.get("answer", ""),
                    "diagnosis": r.get("diagnosis", ""),
                    "students": [],
                },
            )
            g["students"].append(r.get("student", ""))
        ordered = sorted(groups.values(), key=lambda g: -len(g["students"]))
        for g in ordered:
            g["count"] = len(g["students"])
        questions.append(
            {
                "key": key,
                "count": len(rows),
                "right": sum(r.get("status") == "correct" for r in rows),
                "notes": notes.most_common(),
                "most": max(notes.values(), default=1),
                "groups": ordered,
                "chosen": [i for i in items or () if i["question"] == key],
            }
        )
    students: dict = {}
    for r in results:
        s = students.setdefault(r.get("student", ""), {"name": r.get("student", ""), "rows": []})
        s["rows"].append(r | {"key": question_key(r)})
    for s in students.values():
        s["total"] = round(sum(float(r.get("score") or 0) for r in s["rows"]), 4)
    css, js = _katex()
    env = Environment(autoescape=True)
    return env.from_string(TEMPLATE).render(
        lang=lang if lang in WORDS else "en",
        w=words,
        iw={k: say(f"items.{k}", lang) for k in ITEM_WORDS}
        | {"lines": {k: say(f"items.{k}", lang) for k in ITEM_LINES}},
        total=len(results),
        right=sum(r.get("status") == "correct" for r in results),
        questions=questions,
        students=list(students.values()),
        katex_css=css,
        katex_js=js.replace("</script", "<\\/script"),
    )
