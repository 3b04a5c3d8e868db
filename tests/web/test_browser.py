"""The page in a real browser (Debian's Chromium driven by Playwright): type an answer, see
the preview and what symbrnn read, check it, follow the explorer, download a sheet. Every
request must succeed and stay on this machine."""

import contextlib
import os
import socket
import threading
import time

import pytest
import uvicorn
from playwright.sync_api import sync_playwright

from symbrnn.sheets.render import render_sheet
from symbrnn.web.app import create_app

CHROMIUM = "/usr/bin/chromium"


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
def chromium():
    if not os.path.exists(CHROMIUM):
        if "chromium" in os.environ.get("SYMBRNN_REQUIRE", ""):
            pytest.fail("Debian's chromium is required here (SYMBRNN_REQUIRE)")
        pytest.skip("chromium not installed (CI installs it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def web(chromium, server):
    context = chromium.new_context(accept_downloads=True)
    p = context.new_page()
    requests, failures = [], []
    p.on("request", lambda r: requests.append(r.url))
    p.on("requestfailed", lambda r: failures.append((r.url, r.failure)))
    yield p
    context.close()
    # a navigation that becomes a download is reported as aborted: that is not a failure
    failures = [f for f in failures if not ("/api/sheet" in f[0] and "ABORTED" in str(f[1]))]
    assert not failures, failures
    assert all(u.startswith(server) or u.startswith("data:") for u in requests), requests


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
    assert '"entry"' in page.get_by_test_id("counterexample").inner_text()
    answer.fill(r"\prod_{j=2}^{3} \operatorname{Diag}(\sigma'(a_j)) W")
    page.get_by_test_id("check").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=verdict]').innerText.startsWith('✓ equivalent')"
    )


def test_an_unreadable_answer_says_where(web, server):
    page = web
    page.goto(f"{server}/check?lang=fr")
    page.get_by_test_id("answer").fill(r"\mathrm{Diag}(")
    page.wait_for_selector("[data-testid=read] .err")
    assert "position" in page.get_by_test_id("read").inner_text()


def test_the_explorer_and_a_sheet_download(web, server):
    page = web
    page.goto(f"{server}/expand?lang=en")
    page.get_by_test_id("expand").click()
    page.wait_for_selector("[data-testid=result] .katex")
    assert page.locator("[data-testid=result] > div").count() == 1 + 6
    page.goto(f"{server}/sheet?lang=en")
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    path = download.value.path()
    with open(path, encoding="utf-8") as fh:
        assert fh.read() == render_sheet("td5", lang="fr", answers=True)


def test_unticking_the_answers_downloads_the_questions_alone(web, server):
    page = web
    page.goto(f"{server}/sheet?lang=en")
    page.get_by_test_id("answers").uncheck()
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    with open(download.value.path(), encoding="utf-8") as fh:
        content = fh.read()
    assert content == render_sheet("td5", lang="fr", answers=False)
    assert content != render_sheet("td5", lang="fr", answers=True)


def test_a_class_server_has_no_answers_box_and_no_key(chromium):
    with _serving(create_app(class_mode=True)) as url:
        context = chromium.new_context(accept_downloads=True)
        page = context.new_page()
        page.goto(f"{url}/sheet?lang=en")
        assert page.get_by_test_id("answers").count() == 0
        with page.expect_download() as download:
            page.get_by_test_id("download").click()
        with open(download.value.path(), encoding="utf-8") as fh:
            assert fh.read() == render_sheet("td5", lang="fr", answers=False)
        assert "expand" not in page.locator("nav").inner_text().lower()
        context.close()


def test_the_french_page_judges_a_derivation_step_by_step_in_french(web, server):
    page = web
    page.goto(f"{server}/check?lang=fr")
    page.get_by_test_id("answer").fill(
        "\\frac{\\partial h_3}{\\partial h_1} = \\frac{\\partial h_3}{\\partial h_2}"
        "\\frac{\\partial h_2}{\\partial h_1}\n= W \\operatorname{Diag}(\\sigma'(a_3)) "
        "\\operatorname{Diag}(\\sigma'(a_2)) W"
    )
    page.get_by_test_id("check").click()
    page.get_by_test_id("verdict").locator("span").wait_for()
    assert "non équivalent" in page.get_by_test_id("verdict").inner_text()
    steps = page.get_by_test_id("steps").locator("li")
    assert steps.count() == 2
    assert steps.nth(0).inner_text().startswith("✓")
    assert steps.nth(1).inner_text().startswith("✗")
