"""The exam as Moodle question XML: one category per variant.

A formula question is a ``multichoice`` question (one right answer, each wrong answer's
feedback names its mistake); a count is a ``numerical`` question (the right number with no
tolerance, each counted mistake an answer worth 0 with its feedback); a question the sheet
marks ``essay = true`` is an ``essay`` question, the key's answer as the grader's
information and the general feedback. Math is ``\\( … \\)`` for Moodle's MathJax filter.
The XML is built with :mod:`xml.etree.ElementTree` (PyPI's Moodle writers cover
``multichoice`` and ``essay`` only) and checked by :func:`problems` against the rules of
Moodle's question-XML import.

>>> from symbrnn.exam.build import build_exam
>>> xml = moodle_xml(build_exam("td5", [1], lang="en", choices=3, only=["III.2"]))
>>> problems(xml), xml.count('<question type="multichoice">')
([], 1)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from symbrnn.exam.html import to_html
from symbrnn.exam.words import word

PENALTY = "0.3333333"


def _text(parent, tag: str, html: str, fmt: str | None = "html"):
    node = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(node, "text").text = html
    return node


def _leaf(parent, tag: str, value) -> None:
    ET.SubElement(parent, tag).text = str(value)


def _head(quiz, kind: str, name: str, stem_html: str, points) -> ET.Element:
    q = ET.SubElement(quiz, "question", {"type": kind})
    name_node = ET.SubElement(q, "name")
    ET.SubElement(name_node, "text").text = name
    _text(q, "questiontext", stem_html)
    _text(q, "generalfeedback", "")
    _leaf(q, "defaultgrade", f"{float(points or 1):g}")
    _leaf(q, "penalty", PENALTY if kind == "multichoice" else "0")
    _leaf(q, "hidden", 0)
    return q


def moodle_xml(exam, essays: dict | None = None) -> str:
    """The Moodle XML of ``exam``; ``essays`` maps a variant's seed to its essay questions
    (``{"id", "points", "text", "answer"}``, the sheet's LaTeX), from :func:`essays_of`."""
    lang = exam.lang
    figure = word("figure_in_key", lang)
    quiz = ET.Element("quiz")
    for variant in exam.variants:
        category = ET.SubElement(quiz, "question", {"type": "category"})
        path = f"$course$/{exam.sheet}/{word('exam.variant', lang, seed=variant.seed)}"
        ET.SubElement(ET.SubElement(category, "category"), "text").text = path
        for question in variant.questions:
            name = f"{question.id} ({word('exam.variant', lang, seed=variant.seed)})"
            stem = to_html(question.stem, figure)
            if question.kind == "count":
                _numerical(quiz, name, stem, question, lang)
            else:
                _multichoice(quiz, name, stem, question, lang)
        for essay in (essays or {}).get(variant.seed, []):
            name = f"{essay['id']} ({word('exam.variant', lang, seed=variant.seed)})"
            q = _head(quiz, "essay", name, to_html(essay["text"], figure), essay["points"])
            key = to_html(essay["answer"], figure)
            q.find("generalfeedback").find("text").text = key
            _leaf(q, "responseformat", "editor")
            _leaf(q, "responserequired", 1)
            _leaf(q, "responsefieldlines", 15)
            _leaf(q, "attachments", 0)
            _leaf(q, "attachmentsrequired", 0)
            _text(q, "graderinfo", key)
            _text(q, "responsetemplate", "")
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, "unicode") + "\n"


def _feedback(option, lang) -> str:
    if option.right:
        return to_html(word("feedback.right", lang))
    return to_html(word("feedback.wrong", lang, mistake=option.mistake.rstrip(".")))


def _multichoice(quiz, name, stem, question, lang) -> None:
    q = _head(quiz, "multichoice", name, stem, question.points)
    _leaf(q, "single", "true")
    _leaf(q, "shuffleanswers", "false")  # shuffled from the variant's seed already
    _leaf(q, "answernumbering", "abc")
    _leaf(q, "showstandardinstruction", 0)
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(q, tag, "")
    for option in question.options:
        answer = ET.SubElement(
            q, "answer", {"fraction": "100" if option.right else "0", "format": "html"}
        )
        ET.SubElement(answer, "text").text = f"<p>\\({option.latex}\\)</p>"
        _text(answer, "feedback", _feedback(option, lang))


def _numerical(quiz, name, stem, question, lang) -> None:
    q = _head(quiz, "numerical", name, stem, question.points)
    for option in question.options:
        answer = ET.SubElement(q, "answer", {"fraction": "100" if option.right else "0"})
        ET.SubElement(answer, "text").text = str(option.value)
        _leaf(answer, "tolerance", 0)
        _text(answer, "feedback", _feedback(option, lang))
    _leaf(q, "unitgradingtype", 0)
    _leaf(q, "unitpenalty", "0.1000000")
    _leaf(q, "showunits", 3)
    _leaf(q, "unitsleft", 0)


def essays_of(exam, sheet: str) -> dict:
    """The essay questions of every variant of ``exam`` (the sheet's ``essay = true``
    questions, their text and the key's answer rendered for the variant)."""
    from symbrnn.sheets.render import question_text
    from symbrnn.sheets.spec import load_sheet

    spec = load_sheet(sheet)
    ids = [
        q["id"]
        for section in spec.data["sections"]
        for q in section.get("questions", [])
        if q.get("essay")
    ]
    return {
        v.seed: [
            question_text(sheet, qid, lang=exam.lang, variant_seed=v.seed, answer=True)
            for qid in ids
        ]
        for v in exam.variants
    }


# -- the rules of Moodle's question-XML import ---------------------------------------------

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
    found = []
    for i, q in enumerate(root.findall("question"), start=1):
        kind = q.get("type")
        where = f"question {i} ({kind})"
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
        if (q.findtext("questiontext/text") or "") and q.find("questiontext").get("format") not in (
            "html",
            "moodle_auto_format",
            "plain_text",
            "markdown",
        ):
            found.append(f"{where}: questiontext has no known format")
        answers = q.findall("answer")
        fractions = []
        for a in answers:
            try:
                fractions.append(float(a.get("fraction", "")))
            except ValueError:
                found.append(f"{where}: an answer without a numeric fraction")
            if not (a.findtext("text") or "").strip():
                found.append(f"{where}: an answer without text")
            if kind == "numerical":
                try:
                    float(a.findtext("text"))
                    float(a.findtext("tolerance", "0"))
                except (TypeError, ValueError):
                    found.append(f"{where}: a numerical answer that is not a number")
        if kind == "multichoice" and q.findtext("single") == "true":
            if len(answers) < 2:
                found.append(f"{where}: fewer than two answers")
            if max(fractions, default=0) != 100 or abs(sum(fractions) - 100) > 1e-9:
                found.append(f"{where}: the fractions of a single-answer question must be one 100")
        if kind == "numerical" and 100 not in fractions:
            found.append(f"{where}: no answer is worth 100")
    return found
