"""The exam as Moodle question XML: one category per question, its variants inside.

As R/exams' ``exams2moodle`` does, each question of the sheet is a category
(``$course$/symbrnn/td5/II.2``) holding one question per variant, so that a quiz's random
question from that category gives each student an independent variant; the essays are in
categories of their own (``$course$/symbrnn/td5/essays/II.1``), one copy when every variant's
text is the same. Names are unique in the file.

A formula question is a ``multichoice`` question (one right answer, each wrong answer's
feedback names its mistake); a count is a ``numerical`` question (the right number with no
tolerance, each counted mistake an answer worth 0 with its feedback); a question the sheet
marks ``essay = true`` is an ``essay`` question, the key's answer as the grader's
information only (students never see it). Text is written as CDATA. Math is ``\\( … \\)`` for Moodle's MathJax filter.
The XML is built with :mod:`xml.etree.ElementTree` (PyPI's Moodle writers cover
``multichoice`` and ``essay`` only) and checked by :func:`problems` against the rules of
Moodle's question-XML import.

>>> from symbrnn.exam.build import build_exam
>>> xml = moodle_xml(build_exam("td5", [1], lang="en", choices=3, only=["III.2"]))
>>> problems(xml), xml.count('<question type="multichoice">')
([], 1)
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as ET

from symbrnn.exam.html import to_html
from symbrnn.words import say

PENALTY = "0.3333333"


def _text(parent, tag: str, html: str, fmt: str | None = "html"):
    node = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(node, "text").text = html
    return node


def _leaves(parent, **values) -> None:
    for tag, value in values.items():
        ET.SubElement(parent, tag).text = str(value)


def _head(quiz, kind: str, name: str, stem_html: str, points) -> ET.Element:
    q = ET.SubElement(quiz, "question", {"type": kind})
    _text(q, "name", name, None)
    _text(q, "questiontext", stem_html)
    _text(q, "generalfeedback", "")
    penalty = PENALTY if kind == "multichoice" else "0"
    _leaves(q, defaultgrade=f"{float(points or 1):g}", penalty=penalty, hidden=0)
    return q


def moodle_xml(exam, essays: dict | None = None) -> str:
    """The Moodle XML of ``exam``; ``essays`` maps a variant's seed to its essay questions
    (``{"id", "points", "text", "answer"}``, the sheet's LaTeX), from :func:`essays_of`."""
    lang = exam.lang
    figure = say("figure_in_key", lang)
    quiz = ET.Element("quiz")
    root = f"$course$/symbrnn/{exam.sheet}"
    ids = [q.id for q in exam.variants[0].questions] if exam.variants else []
    for qid in ids:
        _category(quiz, f"{root}/{qid}")
        for variant in exam.variants:
            question = next(q for q in variant.questions if q.id == qid)
            name = f"{exam.sheet} {question.id} ({say('exam.variant', lang, seed=variant.seed)})"
            stem = to_html(question.stem, figure)
            (_numerical if question.kind == "count" else _multichoice)(
                quiz, name, stem, question, lang
            )
    for qid, copies in _essay_copies(essays or {}).items():
        _category(quiz, f"{root}/{say('exam.essays', lang)}/{qid}")
        for seeds, essay in copies:
            label = say("exam.variant", lang, seed=",".join(map(str, seeds)))
            name = f"{exam.sheet} {qid} {say('exam.essay', lang)}"
            name += f" ({label})" if len(copies) > 1 else ""
            q = _head(quiz, "essay", name, to_html(essay["text"], figure), essay["points"])
            _leaves(q, responseformat="editor", responserequired=1, responsefieldlines=15)
            _leaves(q, attachments=0, attachmentsrequired=0)
            _text(q, "graderinfo", to_html(essay["answer"], figure))
            _text(q, "responsetemplate", "")
    ET.indent(quiz)
    body = ET.tostring(quiz, "unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _cdata(body) + "\n"


def _category(quiz, path: str) -> None:
    _text(ET.SubElement(quiz, "question", {"type": "category"}), "category", path, None)


def _essay_copies(essays: dict) -> dict:
    """Per essay id, its distinct copies: (the seeds that share it, the essay)."""
    out: dict[str, dict] = {}
    for seed, questions in essays.items():
        for essay in questions:
            copies = out.setdefault(essay["id"], {})
            copies.setdefault((essay["text"], essay["answer"]), ([], essay))[0].append(seed)
    return {qid: list(copies.values()) for qid, copies in out.items()}


_TEXT = re.compile(r"<text>(.*?)</text>", re.S)


def _cdata(body: str) -> str:
    """Every <text> holding markup written as CDATA, as Moodle's own export does."""

    def wrap(m):
        raw = html.unescape(m.group(1))
        if "<" not in raw and "&" not in raw:
            return m.group(0)
        return "<text><![CDATA[" + raw.replace("]]>", "]]]]><![CDATA[>") + "]]></text>"

    return _TEXT.sub(wrap, body)


def _feedback(option, lang) -> str:
    if option.right:
        return to_html(say("feedback.right", lang, why=option.mistake))
    return to_html(say("feedback.wrong", lang, mistake=option.mistake.rstrip(".")))


def _multichoice(quiz, name, stem, question, lang) -> None:
    q = _head(quiz, "multichoice", name, stem, question.points)
    # the options are shuffled from the variant's seed already
    _leaves(q, single="true", shuffleanswers="false", answernumbering="abc")
    _leaves(q, showstandardinstruction=0)
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(q, tag, "")
    for option in question.options:
        answer = ET.SubElement(
            q, "answer", {"fraction": "100" if option.right else "0", "format": "html"}
        )
        ET.SubElement(answer, "text").text = _display(option.latex)
        _text(answer, "feedback", _feedback(option, lang))


def _display(latex: str) -> str:
    """An option as display math MathJax can wrap: a long one broken into lines at its
    top-level + and = signs (aligned), a short one inline."""
    if len(latex) <= 160:
        return f"<p>\\({latex}\\)</p>"
    lines, depth, start = [], 0, 0
    for i, ch in enumerate(latex):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if latex.startswith("\\left", i):
            depth += 1
        elif latex.startswith("\\right", i):
            depth -= 1
        if ch in "+=" and depth == 0 and i - start > 120:
            lines.append(latex[start:i])
            start = i
    lines.append(latex[start:])
    body = " \\\\ &".join(lines)
    return f"<p>\\[\\begin{{aligned}} &{body} \\end{{aligned}}\\]</p>"


def _numerical(quiz, name, stem, question, lang) -> None:
    q = _head(quiz, "numerical", name, stem, question.points)
    for option in question.options:
        answer = ET.SubElement(q, "answer", {"fraction": "100" if option.right else "0"})
        ET.SubElement(answer, "text").text = str(option.value)
        _leaves(answer, tolerance=0)
        _text(answer, "feedback", _feedback(option, lang))
    _leaves(q, unitgradingtype=0, unitpenalty="0.1000000", showunits=3, unitsleft=0)


def essays_of(exam, sheet: str) -> dict:
    """The essay questions of every variant of ``exam`` (the sheet's ``essay = true``
    questions, their text and the key's answer rendered for the variant)."""
    from symbrnn.sheets.render import question_text
    from symbrnn.sheets.spec import load_sheet

    sections = load_sheet(sheet).data["sections"]
    ids = [q["id"] for section in sections for q in section.get("questions", []) if q.get("essay")]
    text = functools.partial(question_text, sheet, lang=exam.lang, answer=True)
    return {v.seed: [text(qid, variant_seed=v.seed) for qid in ids] for v in exam.variants}


# -- the rules of Moodle's question-XML import ---------------------------------------------

TEXT_FORMATS = ("html", "moodle_auto_format", "plain_text", "markdown")
REQUIRED = {
    "multichoice": ("name", "questiontext", "defaultgrade", "single", "answer"),
    "numerical": ("name", "questiontext", "defaultgrade", "answer"),
    "essay": ("name", "questiontext", "defaultgrade", "responseformat", "graderinfo"),
}


def problems(xml_text: str) -> list[str]:
    """What Moodle's import would refuse or misread in ``xml_text``: not well-formed, an
    unknown question type, a missing element, an answer without text or fraction, a
    single-answer question whose fractions do not make one right answer of 100, a
    numerical answer that is not a number. Empty when the file imports."""
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as exc:
        return [f"not well-formed: {exc}"]
    if root.tag != "quiz":
        return [f"the root is <{root.tag}>, not <quiz>"]
    found, names = [], set()
    for i, q in enumerate(root.findall("question"), start=1):
        kind = q.get("type")
        where = f"question {i} ({kind})"
        name = q.findtext("name/text")
        if name is not None and name in names:
            found.append(f"{where}: the name {name!r} is used twice")
        names.add(name)
        for node in q.iter("text"):
            math = node.text or ""
            if math.count("\\(") != math.count("\\)") or math.count("\\[") != math.count("\\]"):
                found.append(f"{where}: unbalanced math delimiters")
        if kind == "essay" and (q.findtext("generalfeedback/text") or "").strip():
            found.append(f"{where}: an essay's key in generalfeedback (students see it)")
        if kind == "category":
            if q.findtext("category/text", "").strip() == "":
                found.append(f"{where}: a category needs <category><text>")
            continue
        if kind not in REQUIRED:
            found.append(f"{where}: unknown type")
            continue
        found += [f"{where}: no <{tag}>" for tag in REQUIRED[kind] if q.find(tag) is None]
        for tag in ("name", "questiontext"):
            if q.find(tag) is not None and not (q.findtext(f"{tag}/text") or "").strip():
                found.append(f"{where}: empty <{tag}>")
        asked = q.find("questiontext")
        if asked is not None and asked.findtext("text") and asked.get("format") not in TEXT_FORMATS:
            found.append(f"{where}: questiontext has no known format")
        found += [f"{where}: {p}" for p in _answer_problems(q, kind)]
    return found


def _answer_problems(q, kind: str) -> list[str]:
    """What Moodle refuses in a question's answers: a fraction or a text missing, a
    numerical answer not a number, a single answer not one 100."""
    found: list[str] = []
    answers = q.findall("answer")
    fractions = []
    for a in answers:
        try:
            fractions.append(float(a.get("fraction", "")))
        except ValueError:
            found.append("an answer without a numeric fraction")
        if not (a.findtext("text") or "").strip():
            found.append("an answer without text")
        if kind == "numerical":
            try:
                float(a.findtext("text"))
                float(a.findtext("tolerance", "0"))
            except (TypeError, ValueError):
                found.append("a numerical answer that is not a number")
    if kind == "multichoice" and q.findtext("single") == "true":
        if len(answers) < 2:
            found.append("fewer than two answers")
        if max(fractions, default=0) != 100 or abs(sum(fractions) - 100) > 1e-9:
            found.append("the fractions of a single-answer question must be one 100")
    if kind == "numerical" and 100 not in fractions:
        found.append("no answer is worth 100")
    return found
