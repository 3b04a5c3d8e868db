"""The page in a real browser (Debian's Chromium driven by Playwright), as a student and a
teacher use it: at 1280×800 and 390×844, in French and English, by mouse and by keyboard.
Every request must succeed and stay on this machine; no page may overflow its width, show
the other language's words, or show raw Python or NumPy text."""

import contextlib
import json
import re
import socket
import threading
import time

import pytest
import uvicorn
from playwright.sync_api import sync_playwright

from symbrnn.judge.messages import say as judge_say
from symbrnn.sheets.render import question_text, render_sheet
from symbrnn.web.app import FIRST_TERMS, create_app
from symbrnn.web.messages import WORDS, word
from tests.conftest import need_program

pytestmark = pytest.mark.slow  # a real browser: run with the whole suite, not while developing

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
RAW = ("<built-in", "object at 0x", "Traceback", "array(", "dtype", "numpy", "None", "gufunc")


@contextlib.contextmanager
def _serving(app):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(5)


@pytest.fixture(scope="module")
def server():
    with _serving(create_app()) as url:
        yield url


@pytest.fixture(scope="module")
def class_server():
    with _serving(create_app(class_mode=True)) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    need_program(CHROMIUM, "chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _page(chromium, base, size=(1280, 800)):
    context = chromium.new_context(
        accept_downloads=True, viewport={"width": size[0], "height": size[1]}
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    p = context.new_page()
    p.requests, p.failures = [], []
    p.on("request", lambda r: p.requests.append(r.url))
    p.on("requestfailed", lambda r: p.failures.append((r.url, r.failure)))
    return context, p


def _finish(context, p, base):
    context.close()
    # a navigation that becomes a download is reported as aborted: that is not a failure
    failures = [f for f in p.failures if not ("/api/sheet" in f[0] and "ABORTED" in str(f[1]))]
    assert not failures, failures
    assert all(u.startswith(base) or u.startswith("data:") for u in p.requests), p.requests


@pytest.fixture
def web(chromium, server):
    context, p = _page(chromium, server)
    yield p
    _finish(context, p, server)


def _other_language_words(lang):
    """Words of the page that exist only in the other language (long enough to be words)."""
    other = "en" if lang == "fr" else "fr"
    words = set()
    for row in WORDS.values():
        if row[other] != row[lang]:
            for part in re.split(r"[{}()\[\];:,.«»“”]", row[other]):
                part = part.strip()
                if len(part) > 6 and part not in row[lang] and not part.startswith("T ("):
                    words.add(part)
    words |= {judge_say("verdict.not_equivalent", other), judge_say("verdict.equivalent", other)}
    return words


def _assert_clean(p, lang):
    """No overflow, no word of the other language, no raw Python or NumPy on the page."""
    widths = p.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"
    text = p.locator("body").inner_text()
    for raw in RAW:
        assert raw not in text, raw
    leaked = [w for w in _other_language_words(lang) if w in text]
    assert not leaked, leaked


def _use_every_page(p, base, lang):
    """Every page with its main action done (and its result shown)."""
    p.goto(f"{base}/check?lang={lang}")
    p.get_by_test_id("answer").fill(
        r"\frac{\partial h_3}{\partial h_1} = \frac{\partial h_3}{\partial h_2}"
        r"\frac{\partial h_2}{\partial h_1}" + "\n"
        r"= W \operatorname{Diag}(\sigma'(a_3)) \operatorname{Diag}(\sigma'(a_2)) W"
    )
    p.get_by_test_id("check").click()
    p.get_by_test_id("verdict").locator("span").wait_for()
    yield "check"
    p.get_by_test_id("answer").fill(r"\mathrm{Diag}(")
    p.wait_for_selector("[data-testid=read] .err")
    p.get_by_test_id("check").click()
    p.wait_for_selector("[data-testid=verdict] .err")
    yield "check (unreadable)"
    p.goto(f"{base}/expand?lang={lang}")
    p.fill("#T", "50")
    p.get_by_test_id("expand").click()
    p.wait_for_selector("[data-testid=result] .term .katex")
    yield "expand"
    p.goto(f"{base}/params?lang={lang}")
    p.get_by_test_id("explain").click()
    p.wait_for_function("document.querySelector('[data-testid=result]').innerText.length > 0")
    yield "params"
    p.goto(f"{base}/sheet?lang={lang}")
    yield "sheet"
    p.goto(f"{base}/spectral?lang={lang}")
    p.get_by_test_id("analyse").click()
    p.wait_for_selector("[data-testid=result] .sentence")
    yield "spectral"


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_fits_and_speaks_one_language(chromium, server, width, lang):
    context, p = _page(chromium, server, WIDTHS[width])
    for name in _use_every_page(p, server, lang):
        try:
            _assert_clean(p, lang)
        except AssertionError as exc:
            raise AssertionError(f"{name} ({lang}, {width}): {exc}") from None
    _finish(context, p, server)


def test_the_copy_button_says_copy_in_the_page_language(web, server):
    for lang in ("fr", "en"):
        web.goto(f"{server}/expand?lang={lang}")
        assert web.get_by_test_id("copy").inner_text() == word("copy", lang)
    web.get_by_test_id("expand").click()
    web.wait_for_selector("[data-testid=result] .term")
    web.get_by_test_id("copy").click()
    web.wait_for_function("document.getElementById('copied').innerText.length > 0")
    assert r"\sum" in web.evaluate("navigator.clipboard.readText()")


def test_a_student_checks_an_answer(web, server):
    page = web
    page.goto(f"{server}/check?lang=en")
    answer = page.get_by_test_id("answer")
    answer.fill(r"\operatorname{Diag}(\sigma'(a_2)) W \operatorname{Diag}(\sigma'(a_3)) W")
    page.wait_for_selector("[data-testid=preview] .katex")
    page.wait_for_selector("[data-testid=read] .katex")
    page.get_by_test_id("check").click()
    verdict = page.get_by_test_id("verdict")
    verdict.locator("span").wait_for()
    assert "not equivalent" in verdict.inner_text()
    assert "wrong order" in page.get_by_test_id("diagnosis").inner_text()
    counterexample = page.get_by_test_id("counterexample").inner_text()
    assert "entry (" in counterexample and "yours" in counterexample
    answer.fill(r"\prod_{j=2}^{3} \operatorname{Diag}(\sigma'(a_j)) W")
    page.get_by_test_id("check").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=verdict]').innerText.startsWith('✓ equivalent')"
    )


def test_the_verdict_is_scrolled_into_view_on_a_phone(chromium, server):
    context, p = _page(chromium, server, WIDTHS["phone"])
    p.goto(f"{server}/check?lang=fr")
    p.get_by_test_id("answer").fill("W")
    p.get_by_test_id("check").click()
    p.get_by_test_id("verdict").locator("span").wait_for()
    p.wait_for_function(
        "(() => { const r = document.querySelector('[data-testid=verdict]')"
        ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })()"
    )
    _finish(context, p, server)


def test_a_student_checks_by_keyboard_alone(web, server):
    page = web
    page.goto(f"{server}/check?lang=fr")
    for _ in range(40):  # Tab from the top of the page to the answer box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "answer":
            break
    assert page.evaluate("document.activeElement.id") == "answer"
    page.keyboard.press("Control+A")
    page.keyboard.type(r"\operatorname{Diag}(\sigma'(a_3)) W \operatorname{Diag}(\sigma'(a_2)) W")
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "document.querySelector('[data-testid=verdict]').innerText.startsWith('✓ équivalent')"
    )
    for _ in range(10):  # and on to the button, pressed with Enter
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "check":
            break
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('[data-testid=verdict]').innerText.startsWith('✓ équivalent')"
    )


def test_the_french_page_says_verdicts_diagnoses_and_errors_in_french(web, server):
    page = web
    page.goto(f"{server}/check?lang=fr")
    page.get_by_test_id("answer").fill(
        r"\operatorname{Diag}(\sigma'(a_2)) W \operatorname{Diag}(\sigma'(a_3)) W"
    )
    page.get_by_test_id("check").click()
    page.get_by_test_id("verdict").locator("span").wait_for()
    assert page.get_by_test_id("verdict").inner_text().startswith("✗ non équivalent")
    assert "ordre" in page.get_by_test_id("diagnosis").inner_text()
    page.fill("#quantity", "dh_3/dx")
    page.get_by_test_id("check").click()
    page.wait_for_selector("[data-testid=verdict] .err")
    shown = page.get_by_test_id("verdict").inner_text()
    assert shown == judge_say("check.quantity", "fr", quantity="'dh_3/dx'")


def test_a_derivation_is_read_and_judged_step_by_step(web, server):
    page = web
    page.goto(f"{server}/check?lang=fr")
    page.get_by_test_id("answer").fill(
        "\\frac{\\partial h_3}{\\partial h_1} = \\frac{\\partial h_3}{\\partial h_2}"
        "\\frac{\\partial h_2}{\\partial h_1}\n= W \\operatorname{Diag}(\\sigma'(a_3)) "
        "\\operatorname{Diag}(\\sigma'(a_2)) W"
    )
    page.wait_for_function("document.querySelectorAll('[data-testid=read] .katex').length == 2")
    assert "étape 2" in page.get_by_test_id("read").inner_text()
    page.get_by_test_id("check").click()
    page.get_by_test_id("verdict").locator("span").wait_for()
    assert "non équivalent" in page.get_by_test_id("verdict").inner_text()
    steps = page.get_by_test_id("steps").locator("li")
    assert steps.count() == 2
    assert steps.nth(0).inner_text().startswith("✓")
    assert steps.nth(1).inner_text().startswith("✗")
    assert "first-wrong" in steps.nth(1).get_attribute("class")
    assert word("first_wrong", "fr") in steps.nth(1).inner_text()


def test_a_variant_question_shows_its_text_and_is_judged_against_it(web, server):
    page = web
    page.goto(f"{server}/check?lang=fr")
    page.get_by_test_id("variant").fill("2")
    page.get_by_test_id("question").select_option("III.2")
    page.wait_for_selector("[data-testid=question-text] .katex")
    text = page.get_by_test_id("question-text").inner_text()
    assert "puissance" in text and question_text("td5", "III.2", lang="fr")["text"][:20] in text
    page.get_by_test_id("question").select_option("III.1")
    page.wait_for_function(
        "document.querySelector('[data-testid=question-text]').innerText.includes('développant')"
    )
    T = re.search(r"T = (\d+)", question_text("td5", "III.1", variant_seed=2)["text"])[1]
    assert f"T={T}" in page.get_by_test_id("question-text").inner_text().replace(" ", "")
    # the variant's own T and activation: the common sheet's answer is wrong for variant 2
    page.get_by_test_id("question").select_option("III.2")
    page.get_by_test_id("answer").fill(r"\left[\operatorname{Diag}(\tanh') W\right]^{3}")
    page.get_by_test_id("check").click()
    page.get_by_test_id("verdict").locator("span").wait_for()
    with_variant = page.get_by_test_id("verdict").inner_text()
    page.get_by_test_id("variant").fill("")
    page.get_by_test_id("variant").dispatch_event("change")
    page.get_by_test_id("check").click()
    page.wait_for_function(
        f"document.querySelector('[data-testid=verdict]').innerText != {json.dumps(with_variant)}"
    )
    assert with_variant.startswith("✓") != page.get_by_test_id("verdict").inner_text().startswith(
        "✓"
    )


def test_the_expected_answer_is_shown_on_demand_but_never_in_class_mode(
    chromium, server, class_server
):
    context, p = _page(chromium, server)
    p.goto(f"{server}/check?lang=en")
    p.get_by_test_id("answer").fill("W")
    p.get_by_test_id("check").click()
    p.get_by_test_id("show-expected").wait_for()
    p.get_by_test_id("show-expected").click()
    p.wait_for_selector("[data-testid=expected] .katex")
    assert "Diag" in p.get_by_test_id("expected").inner_text()
    _finish(context, p, server)
    context, p = _page(chromium, class_server)
    p.goto(f"{class_server}/check?lang=en")
    p.get_by_test_id("answer").fill("W")
    with p.expect_response("**/api/check*") as response:
        p.get_by_test_id("check").click()
    assert "expected_latex" not in response.value.json()
    assert p.get_by_test_id("show-expected").count() == 0
    _finish(context, p, class_server)


def test_a_long_expansion_shows_at_once_and_the_rest_as_it_scrolls(web, server):
    page = web
    page.goto(f"{server}/expand?lang=fr")
    page.fill("#T", "50")
    page.get_by_test_id("expand").click()
    page.wait_for_selector("[data-testid=result] .term .katex")
    terms = page.locator("[data-testid=result] .term")
    assert terms.count() == FIRST_TERMS
    assert page.locator("[data-testid=result] .general .katex").count() == 1
    assert "1275" in page.get_by_test_id("status").inner_text()
    page.mouse.wheel(0, 200_000)
    page.wait_for_function(f"document.querySelectorAll('#result .term').length > {FIRST_TERMS}")
    # to the end of a shorter one: every term is drawn, and the status line goes
    page.fill("#T", "10")
    page.get_by_test_id("expand").click()
    page.wait_for_function("document.querySelectorAll('#result .term').length > 0")
    for _ in range(20):
        page.mouse.wheel(0, 20_000)
        if terms.count() == 55:
            break
        page.wait_for_timeout(100)
    assert terms.count() == 55 and page.get_by_test_id("status").inner_text() == ""


def test_a_long_piece_of_work_disables_its_button(web, server):
    page = web
    page.goto(f"{server}/expand?lang=en")
    page.evaluate(
        "window.seen = []; new MutationObserver(() => window.seen.push("
        "document.getElementById('expand').disabled)).observe("
        "document.getElementById('expand'), {attributes: true})"
    )
    page.fill("#T", "30")
    page.get_by_test_id("expand").click()
    page.wait_for_selector("[data-testid=result] .term")
    page.wait_for_function("!document.getElementById('expand').disabled")
    assert page.evaluate("window.seen").count(True) >= 1


def test_the_slider_redraws_the_curve_and_the_verdict(web, server):
    page = web
    page.goto(f"{server}/spectral?lang=fr")
    page.fill("[data-testid=W]", "[[0.5, 10], [0, 0.5]]")
    page.select_option("#activation", "identity")
    page.get_by_test_id("analyse").click()
    page.wait_for_selector("[data-testid=result] .sentence")
    trends = {}
    for value in ("1", "3", "0.05"):
        page.get_by_test_id("scale").fill(value)
        page.wait_for_function(
            "document.querySelector('[data-testid=result]').dataset.trend !== undefined"
        )
        page.wait_for_timeout(400)
        trends[value] = page.get_by_test_id("result").get_attribute("data-trend")
        assert page.locator("[data-testid=curve] polyline").count() == 1
    assert trends == {"1": "transient", "3": "grows", "0.05": "decays"}
    assert "croissance transitoire" not in page.get_by_test_id("result").inner_text()
    assert "0,05" in page.get_by_test_id("scale-label").inner_text()


def test_the_sheet_page_follows_the_page_language_and_the_variant(web, server):
    page = web
    page.goto(f"{server}/sheet?lang=en")
    assert page.get_by_test_id("sheet-lang").input_value() == "en"
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    with open(download.value.path(), encoding="utf-8") as fh:
        assert fh.read() == render_sheet("td5", lang="en", answers=True)
    page.get_by_test_id("answers").uncheck()
    page.get_by_test_id("seed").fill("7")
    page.get_by_test_id("sheet-lang").select_option("fr")
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    with open(download.value.path(), encoding="utf-8") as fh:
        assert fh.read() == render_sheet("td5", lang="fr", answers=False, variant_seed=7)
    page.get_by_test_id("seed").fill("abc")
    page.get_by_test_id("download").click()
    assert "0" in page.get_by_test_id("sheet-error").inner_text()


def test_a_class_server_has_no_answers_box_and_no_key(chromium, class_server):
    context, page = _page(chromium, class_server)
    page.goto(f"{class_server}/sheet?lang=fr")
    assert page.get_by_test_id("answers").count() == 0
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    with open(download.value.path(), encoding="utf-8") as fh:
        assert fh.read() == render_sheet("td5", lang="fr", answers=False)
    assert "velopper" not in page.locator("header").inner_text()
    _finish(context, page, class_server)
