"""The web API: the same JSON as the CLI, 4xx with one message for bad or hostile input."""

import json
import subprocess
import sys

import pytest
from starlette.testclient import TestClient

from symbrnn.web.app import MAX_BODY, create_app


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
