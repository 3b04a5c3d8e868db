"""The Moodle XML: valid by the rules of Moodle's import, and a validator that can fail."""

import xml.etree.ElementTree as ET

import pytest

from symbrnn.exam.build import build_exam
from symbrnn.exam.html import to_html
from symbrnn.exam.moodle import essays_of, moodle_xml, problems


@pytest.fixture(scope="module")
def xml():
    exam = build_exam("td5", [1, 2, 3], lang="fr")
    return moodle_xml(exam, essays_of(exam, "td5"))


def test_the_exam_passes_the_rules_of_moodle_import(xml):
    assert problems(xml) == []
    root = ET.fromstring(xml)
    kinds = [q.get("type") for q in root.findall("question")]
    assert kinds.count("category") == 9 + 4  # one per question, one per essay
    assert kinds.count("numerical") == 3 * 3  # the three counts of section I
    assert kinds.count("multichoice") == 3 * 6
    assert 4 <= kinds.count("essay") < 3 * 4  # one copy of an essay the variants share


def test_each_wrong_answer_names_its_mistake_and_math_is_for_mathjax(xml):
    root = ET.fromstring(xml)
    for q in root.findall("question[@type='multichoice']"):
        assert q.findtext("single") == "true"
        for answer in q.findall("answer"):
            text, feedback = answer.findtext("text"), answer.findtext("feedback/text")
            assert text.startswith(("<p>\\(", "<p>\\[")) and "$" not in text
            if answer.get("fraction") == "0":
                assert feedback.startswith("<p>Non : ") and len(feedback) > 20
    for q in root.findall("question[@type='essay']"):
        assert q.findtext("graderinfo/text").startswith("<p>")
        assert "\\(" in q.findtext("graderinfo/text")  # the key's answer, with its math
    numerical = root.find("question[@type='numerical']")
    assert sorted(a.get("fraction") for a in numerical.findall("answer"))[-1] == "100"
    assert all(a.findtext("text").isdigit() for a in numerical.findall("answer"))


@pytest.mark.parametrize(
    "break_it, found",
    [
        (
            lambda x: x.replace('fraction="100" format="html"', 'fraction="50" format="html"', 1),
            "one 100",
        ),
        (lambda x: x.replace("<name>", "<nom>", 1).replace("</name>", "</nom>", 1), "no <name>"),
        (lambda x: x.replace("</quiz>", ""), "not well-formed"),
        (lambda x: x.replace('type="numerical"', 'type="numerique"', 1), "unknown type"),
        (
            lambda x: x.replace("<tolerance>0</tolerance>", "<tolerance>x</tolerance>", 1),
            "not a number",
        ),
    ],
)
def test_the_validator_finds_what_moodle_refuses(xml, break_it, found):
    broken = break_it(xml)
    assert broken != xml
    assert any(found in p for p in problems(broken))


def test_text_becomes_escaped_html_and_math_stays_latex():
    html = to_html(r"Soit $a<b$ et <script>x</script> \emph{ici} : \[ \frac{1}{2} \] fin")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\\(a&lt;b\\)" in html and "<em>ici</em>" in html and "\\[ \\frac{1}{2} \\]" in html
    assert "(figure)" in to_html(r"a \begin{tikzpicture}\draw (0,0);\end{tikzpicture} b")
