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
    assert ben["group"] and ben["group"] == eve["group"] != zoe["group"]
    assert apply_overrides(results, {ben["group"]: 0.5}) == 2
    assert ben["score"] == eve["score"] == 0.5 and "OVERRIDE" in ben["answer_notes"]


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
