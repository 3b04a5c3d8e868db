"""The class report page in a real browser: offline, the math rendered, groups by meaning."""

from playwright.sync_api import sync_playwright

from symbrnn.judge.grade import apply_overrides, grade_rows
from symbrnn.judge.report_html import class_page
from tests.conftest import need_program

CHROMIUM = "/usr/bin/chromium"
WRONG_A = r"\operatorname{Diag}(\sigma'(a_2)) W \operatorname{Diag}(\sigma'(a_3)) W"
WRONG_B = r"Diag(sigma'(a_2)) W Diag(h_3 \odot (1 - h_3)) W"  # the same mistake, written otherwise


def _class():
    rows = [
        {
            "student": "ana",
            "quantity": "dh_3/dh_1",
            "answer": r"\prod_{j=2}^{3} \operatorname{Diag}(\sigma'(a_j)) W",
        },
        {"student": "ben", "quantity": "dh_3/dh_1", "answer": WRONG_A},
        {"student": "<b>eve</b>", "quantity": "dh_3/dh_1", "answer": WRONG_B},
        {"student": "zoe", "quantity": "dh_3/dh_1", "answer": "W W"},
    ]
    return grade_rows(rows)


def test_wrong_answers_with_the_same_meaning_form_one_group():
    results = _class()
    ben, eve, zoe = results[1], results[2], results[3]
    assert ben.group and ben.group == eve.group != zoe.group
    assert apply_overrides(results, {ben.group: 0.5}) == 2
    assert ben.score == eve.score == 0.5 and "OVERRIDE" in ben.answer_notes


def test_the_page_is_offline_escaped_and_renders_the_answers(tmp_path):
    need_program(CHROMIUM, "chromium")
    page_file = tmp_path / "class.html"
    page_file.write_text(class_page(_class(), lang="fr"), encoding="utf-8")
    assert "<b>eve</b>" not in page_file.read_text()  # a name is text, never markup
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-rendered=yes]")
        assert page.locator(".katex").count() >= 4  # every answer rendered by KaTeX
        groups = page.get_by_test_id("group")
        assert groups.count() == 2  # ben and eve: one group; zoe: another
        assert "2 élèves" in groups.nth(0).inner_text()
        assert page.get_by_test_id("chart").count() == 1
        assert "<b>eve</b>" in page.get_by_test_id("student").nth(2).inner_text()
        assert all(u.startswith(("file:", "data:")) for u in requests), requests
        browser.close()


LONG = " ".join([r"\operatorname{Diag}(\sigma'(a_3)) W"] * 12)  # one formula wider than a phone


def _a_class_with_long_answers(lang="en"):
    """Ben scores 1 + ½ (his wrong answer shares eve's group, marked ½ by the teacher); zoe's
    long formula and a long name with a long unreadable answer are groups of one student."""
    rows = [
        {"student": "ben", "quantity": "dh_2/dh_1", "answer": r"Diag(sigma'(a_2)) W"},
        {"student": "ben", "quantity": "dh_3/dh_1", "answer": WRONG_A},
        {"student": "eve", "quantity": "dh_3/dh_1", "answer": WRONG_B},
        {"student": "zoe", "quantity": "dh_3/dh_1", "answer": LONG},
        {"student": "Anne-Sophie_" * 6, "quantity": "dh_3/dh_1", "answer": "x" * 160 + "+"},
    ]
    results = grade_rows(rows, lang=lang)
    apply_overrides(results, {results[1].group: 0.5})
    return results


def test_the_page_fits_a_phone_in_its_language(tmp_path):
    """At 390 px nothing scrolls sideways but the formulas and tables in their own boxes; the
    counts agree with their noun and the numbers are written as the page's language writes
    them (1 élève, 2 élèves, 1,5; 1 student, 2 students, 1.5)."""
    need_program(CHROMIUM, "chromium")
    said = {
        "fr": ("1 élève", "2 élèves", "ben — total : 1,5", "0/4 juste"),
        "en": ("1 student", "2 students", "ben — total: 1.5", "0/4 correct"),
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for lang, (one, two, total, right) in said.items():
            results = _a_class_with_long_answers(lang)
            assert sum(r.score for r in results if r.student == "ben") == 1.5
            page_file = tmp_path / f"class.{lang}.html"
            page_file.write_text(class_page(results, lang=lang), encoding="utf-8")
            page.goto(page_file.as_uri())
            page.wait_for_selector("body[data-rendered=yes]")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            wide = page.evaluate(  # the long formula is there, wider than the phone
                "Math.max(...[...document.querySelectorAll('.math')].map(e => e.scrollWidth))"
            )
            assert wide > 390
            groups = [page.get_by_test_id("group").nth(i).inner_text() for i in range(3)]
            assert groups[0].startswith(two) and groups[1].startswith(one + " ("), groups
            students = page.get_by_test_id("student")
            assert students.nth(0).locator("h3").inner_text() == total
            question = page.get_by_test_id("question").nth(1)  # dh_3/dh_1: all four wrong
            assert question.locator("p").first.inner_text() == right
            assert page.locator("html").get_attribute("lang") == lang
        browser.close()
