"""The web API: the same JSON as the CLI, 4xx with one message for bad or hostile input."""

import json
import subprocess
import sys

import pytest
from starlette.testclient import TestClient

from symbrnn.web.app import create_app
from symbrnn.web.exchange import MAX_BODY


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def test_check_gives_the_cli_json(client):
    answer = r"\operatorname{Diag}(\sigma'(a_2)) W \operatorname{Diag}(\sigma'(a_3)) W"
    body = client.post("/api/check", json={"quantity": "dh_3/dh_1", "answer": answer}).json()
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "symbrnn",
            "check",
            "-q",
            "dh_3/dh_1",
            "-a",
            answer,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
    )
    assert body == json.loads(cli.stdout)
    assert body["outcome"] == "not_equivalent" and "ORDER" in body["answer_notes"]


def test_a_sheet_question_sets_the_options(client):
    answer = r"\left[\operatorname{Diag}(\sigma') W\right]^{2}"
    body = client.post("/api/check", json={"question": "III.2", "answer": answer}).json()
    assert body["outcome"] == "equivalent" and "abuse of notation" in body["note"]


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"quantity": "dh_3/dh_1", "answer": r"\mathrm{Diag}("}, 400, "position"),
        ({"quantity": "dh_3/dh_1", "answer": "a_{open('PROOF','w')}"}, 400, "index"),
        (
            {"quantity": "dh_3/dh_1", "answer": "W", "cell": "evil.py:cell"},
            400,
            "cell must be one of",
        ),
        ({"quantity": "dh_99999/dh_1", "answer": "W"}, 400, "at most 500 steps"),
        ({"quantity": "dL/dW", "answer": "W", "T": 10**9}, 400, "T must be an integer"),
        ({"answer": "W"}, 400, "quantity"),
        ({"quantity": "dh_3/dh_1", "answer": "W" * (MAX_BODY + 10)}, 413, "larger than"),
    ],
)
def test_bad_requests_are_4xx_with_one_message(client, payload, status, message, tmp_path):
    response = client.post("/api/check", json=payload)
    assert response.status_code == status
    body = response.json()
    assert message in body["error"] and "\n" not in body["error"]
    assert "position" in body


def test_a_body_that_is_not_json(client):
    response = client.post("/api/check", content=b"\xff\xfe not json")
    assert response.status_code == 400 and "JSON" in response.json()["error"]


def test_read_says_what_was_understood(client):
    body = client.post(
        "/api/read", json={"quantity": "dh_3/dh_2", "answer": "Diag(sigma'(a_3)) W"}
    ).json()
    assert body["latex"].startswith(r"\operatorname{Diag}")


def test_expand_is_the_cli_json_and_bounded(client):
    body = client.get("/api/expand", params={"cell": "lstm", "quantity": "dc/dc", "T": 2}).json()
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "symbrnn",
            "expand",
            "--cell",
            "lstm",
            "--quantity",
            "dc/dc",
            "--T",
            "2",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
    )
    assert body == json.loads(cli.stdout)
    assert client.get("/api/expand", params={"T": 51}).status_code == 400


def test_params_and_spectral(client):
    text = "| gru_9 (GRU) | (None, 12, 100) | 51900 |"
    body = client.post("/api/params", json={"text": text}).json()
    assert body["layers"][0]["explained"]
    spectral = client.get("/api/spectral", params={"W": "[[0.5, 10], [0, 0.5]]", "T": 5}).json()
    assert spectral["norms"][0] == 1.0
    svg = client.get("/api/spectral.svg", params={"W": "[[0.5]]", "T": 5})
    assert svg.headers["content-type"].startswith("image/svg") and b"<svg" in svg.content
    assert client.get("/api/spectral", params={"W": "[[NaN]]"}).status_code == 400


def test_sheet_download(client):
    response = client.get("/api/sheet", params={"lang": "en", "answers": "0", "format": "tex"})
    assert response.status_code == 200 and b"\\documentclass" in response.content
    assert "attachment" in response.headers["content-disposition"]


def test_a_missing_answers_field_means_the_questions_alone(client):
    from symbrnn.sheets.render import render_sheet

    questions = render_sheet("td5", lang="en", answers=False).encode()
    key = render_sheet("td5", lang="en", answers=True).encode()
    assert client.get("/api/sheet", params={"lang": "en"}).content == questions
    assert client.get("/api/sheet", params={"lang": "en", "answers": "1"}).content == key
    assert client.get("/api/sheet", params={"lang": "en", "answers": "on"}).content == key


def test_class_mode_serves_no_key_no_expected_formula_no_derivation():
    from symbrnn.sheets.render import render_sheet

    pupil = TestClient(create_app(class_mode=True))
    response = pupil.get("/api/sheet", params={"lang": "en", "answers": "1"})
    assert response.status_code == 403 and "class mode" in response.json()["error"]
    questions = render_sheet("td5", lang="en", answers=False).encode()
    assert pupil.get("/api/sheet", params={"lang": "en"}).content == questions
    verdict = pupil.post("/api/check", json={"quantity": "dh_3/dh_1", "answer": "W"}).json()
    assert verdict["outcome"] == "not_equivalent"
    assert not [k for k in verdict if k.startswith("expected")], verdict.keys()
    assert pupil.get("/api/expand", params={"T": "2"}).status_code == 403
    assert pupil.post("/api/params", json={"text": "x"}).status_code == 403
    assert pupil.get("/expand").status_code == 403
    assert 'name="answers"' not in pupil.get("/sheet").text


def test_serve_refuses_a_busy_port_in_one_line():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "symbrnn", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("symbrnn: error: cannot listen on")
    assert "Traceback" not in result.stderr


def test_pages_and_vendored_katex(client):
    for page in ("check", "expand", "params", "sheet", "spectral"):
        html = client.get(f"/{page}", params={"lang": "en"}).text
        assert "/static/katex/katex.min.js" in html and "http" not in html.split("<body>")[1]
    assert client.get("/static/katex/katex.min.css").status_code == 200
    assert client.get("/static/katex/LICENSE").status_code == 200


def test_the_check_page_judges_a_students_own_variant(client):
    answer = r"\prod_{j=2}^{T} \operatorname{Diag}(\tanh'(a_j)) W"
    body = {"question": "III.2", "answer": answer, "variant_seed": "2", "lang": "fr"}
    verdict = client.post("/api/check", json=body).json()
    assert verdict["outcome"] == "equivalent" and verdict["verdict"] == "✓ équivalent"
    common = client.post("/api/check", json={**body, "variant_seed": ""}).json()
    assert common["outcome"] == "not_equivalent"
    bad = client.post("/api/check", json={**body, "variant_seed": "-1"})
    assert bad.status_code == 400 and "variant_seed" in bad.json()["error"]


def test_every_word_and_message_of_the_page_has_both_languages():
    import string

    from symbrnn.web.messages import MESSAGES, WORDS

    def fields(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for table in (WORDS, MESSAGES):
        for key, row in table.items():
            assert set(row) == {"fr", "en"}, key
            assert fields(row["fr"]) == fields(row["en"]), key


@pytest.mark.parametrize(
    ("path", "payload", "french"),
    [
        ("/api/check", {"quantity": "dh_3/dh_1", "answer": "W", "T": "x"}, "T doit être"),
        ("/api/check", {"quantity": "dh_3/dx", "answer": "W"}, "illisible"),
        ("/api/check", {"quantity": "dL/dQ", "answer": "W", "T": 2}, "pas de paramètre"),
        ("/api/check", {"quantity": "dh_3/dh_1", "answer": r"\frac{"}, "position"),
        ("/api/check", {"question": "I.1", "answer": "W"}, "question doit être"),
        ("/api/params", {"text": "hello"}, "aucune ligne"),
    ],
)
def test_errors_are_said_in_the_page_language(client, path, payload, french):
    fr = client.post(path, json={**payload, "lang": "fr"})
    en = client.post(path, json={**payload, "lang": "en"})
    assert fr.status_code == en.status_code == 400
    assert french in fr.json()["error"] and fr.json()["error"] != en.json()["error"]


def test_a_question_is_served_as_the_variant_words_it(client):
    from symbrnn.sheets.render import question_text

    body = client.get("/api/question", params={"id": "III.1", "variant_seed": 2, "lang": "en"})
    assert body.json() == question_text("td5", "III.1", lang="en", variant_seed=2)
    assert "T = 4" in body.json()["text"]  # variant 2 of td5 has T = 4 (its sizes)
    assert client.get("/api/question", params={"id": "nope"}).status_code == 400


def test_read_gives_every_step_of_a_derivation(client):
    answer = "\\frac{\\partial h_3}{\\partial h_2} = \\operatorname{Diag}(\\sigma'(a_3)) W\n= W"
    body = client.post("/api/read", json={"quantity": "dh_3/dh_2", "answer": answer}).json()
    assert [s["index"] for s in body["steps"]] == [1, 2] and body["latex"] == "W"


def test_the_spectral_answer_says_what_the_curve_does_in_the_page_language(client):
    from symbrnn.numeric.curve import curve_trend, norm_curve

    params = {"W": "[[0.5, 10], [0, 0.5]]", "activation": "identity", "T": 30}
    for scale, kind in (("1", "transient"), ("3", "grows"), ("0.05", "decays")):
        body = client.get("/api/spectral", params={**params, "scale": scale, "lang": "fr"}).json()
        W = [[0.5 * float(scale), 10 * float(scale)], [0, 0.5 * float(scale)]]
        assert body["trend"] == kind == curve_trend(norm_curve(W, "identity", 30))["kind"]
        assert body["norms"] == norm_curve(W, "identity", 30)
    assert "décroît" in body["sentences"][-1]
    nilpotent = client.get(
        "/api/spectral", params={"W": "[[2, 2], [-2, -2]]", "activation": "identity", "T": 6}
    ).json()
    assert nilpotent["trend"] == "zero" and "nilpotent" in nilpotent["sentences"][-1]
    assert client.get("/api/spectral", params={**params, "scale": "11"}).status_code == 400
    assert client.get("/api/spectral", params={"W": "[[1, 2]]"}).status_code == 400


def test_params_lines_are_in_the_page_language(client):
    text = (
        "| x (InputLayer) | (None, 12, 72) | 0 |\n| gru_9 (GRU) | (None, 12, 100) | 51900 |\n"
        "| d (Dense) | (None, 8) | 808 |"
    )
    fr = client.post("/api/params", json={"text": text, "lang": "fr"}).json()["lines"]
    en = client.post("/api/params", json={"text": text, "lang": "en"}).json()["lines"]
    assert "51\u202f900" in fr[1] and "Keras 3" in fr[1] and "défaut" in fr[1]
    assert "51,900" in en[1] and fr[-1].startswith("total")
    alone = client.post("/api/params", json={"text": text.split("\n")[1], "lang": "fr"}).json()
    assert "déduite" in alone["lines"][0]


def test_the_same_answer_is_judged_once(client):
    from symbrnn.web.app import _verdict

    _verdict.cache_clear()
    body = {"quantity": "dh_3/dh_1", "answer": "W W", "lang": "fr"}
    first = client.post("/api/check", json=body).json()
    assert client.post("/api/check", json=body).json() == first
    assert _verdict.cache_info().hits == 1


def test_a_served_process_stopped_by_sigint_exits_and_leaves_no_folder(tmp_path):
    """Ctrl-C with a check in flight: the server exits (20 s is a hang guard, not a
    measure) and its TMPDIR is left empty, build folders' parent included."""
    import os
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "symbrnn", "serve", "--port", str(port)],
        env={**os.environ, "TMPDIR": str(tmp_path)},
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/check", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        (tmp_path / f"symbrnn-latex-{os.getuid()}" / f"{server.pid}-x").mkdir(parents=True)
        body = json.dumps({"quantity": "dL/dW", "T": 12, "answer": "W"}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/check", body, {"Content-Type": "application/json"}
        )
        import threading

        threading.Thread(
            target=lambda: urllib.request.urlopen(request, timeout=30), daemon=True
        ).start()
        time.sleep(0.5)
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert "Traceback" not in server.stderr.read().decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_home_page_keeps_the_language_the_link_asked_for():
    client = TestClient(create_app())
    english = client.get("/?lang=en")
    assert english.url.path == "/check" and '<html lang="en">' in english.text
    french = client.get("/")
    assert '<html lang="fr">' in french.text
    hostile = client.get("/?lang=javascript:alert(1)")
    assert hostile.url.query in (b"", "") and "javascript" not in str(hostile.url)
