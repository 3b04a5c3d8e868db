"""One skill per question, four options or more drawn from frequent mistakes, true feedback,
Moodle's categories and AMC's class list (issue 37)."""

import xml.etree.ElementTree as ET

import pytest

from symbrnn.exam.build import build_exam
from symbrnn.exam.frequency import mistake_frequencies
from symbrnn.exam.moodle import moodle_xml, problems


@pytest.fixture(scope="module")
def exam():
    return build_exam("td5", [1, 2, 3], lang="en")


def test_no_two_questions_share_a_stem_or_an_option_set(exam):
    for v in exam.variants:
        stems = [q.stem for q in v.questions]
        options = [frozenset(o.latex for o in q.options) for q in v.questions]
        assert len(set(stems)) == len(stems)
        assert len(set(options)) == len(options)


def test_every_question_has_four_options_and_no_bare_sign_flip_or_foreign_activation(exam):
    for v in exam.variants:
        for q in v.questions:
            assert len(q.options) >= 4, (v.seed, q.id, len(q.options))
            assert sum(o.right for o in q.options) == 1
            for o in q.options:
                assert o.answer_note not in ("SIGN", "SCALE")
                assert "relu" not in o.latex and "operatorname{id}" not in o.latex
                assert "prod_{j=4}^{4}" not in o.latex


def test_iv3_offers_the_identity_with_the_product_and_says_why(exam):
    q = next(q for q in exam.variants[0].questions if q.id == "IV.3")
    right = q.options[q.right_index]
    assert right.latex.endswith("= I") and "Diag" in right.latex
    assert "course" not in right.mistake and right.mistake


def test_the_most_frequent_mistakes_come_first_and_a_class_report_reorders_them(tmp_path):
    course = mistake_frequencies()
    assert course["SIGMA_FOR_PRIME"] > course["TIME_ONE"] > course["SIGN"] == 0
    report = tmp_path / "report.csv"
    report.write_text("student,question,answer_notes\na,II.2,SIGN\nb,II.2,SIGN\nc,II.2,ORDER\n")
    assert mistake_frequencies(str(report))["SIGN"] > 0


def test_moodle_has_one_category_per_question_and_one_copy_of_each_identical_essay(exam):
    from symbrnn.exam.moodle import essays_of

    xml = moodle_xml(exam, essays_of(exam, "td5"))
    assert problems(xml) == []
    assert "<![CDATA[" in xml
    root = ET.fromstring(xml)
    categories = [q.findtext("category/text") for q in root if q.get("type") == "category"]
    assert "$course$/symbrnn/td5/II.2" in categories
    assert len(categories) == len(set(categories))
    essays = [q for q in root if q.get("type") == "essay"]
    iii3 = [q for q in essays if " III.3 " in q.findtext("name/text") + " "]
    assert len(iii3) == 1  # the same text in every variant: one copy
    for q in essays:
        assert not (q.findtext("generalfeedback/text") or "").strip()
        assert (q.findtext("graderinfo/text") or "").strip()
    assert problems(xml.replace("<single>true</single>", "<single>true</single>", 1)) == []
    broken = xml.replace('fraction="100"', 'fraction="50"', 1)
    assert problems(broken)
