"""Class mode: every route answers with the fields listed for it, nested ones included, and
no response carries the key — its value at a point, an expected formula, a
counterexample's expected side."""

import json
import re

import numpy as np
import pytest
from starlette.testclient import TestClient

from symbrnn.web import allowlist
from symbrnn.web.app import create_app

# What a class may read, per route, written out here (not read from the module): a field
# added to the server's allowlist must be added here too, deliberately.
POINT = ["n", "d", "weights.*", "x", "initial.*", "opaque.*", "entry", "yours"]
ALLOWED = {
    "/api/check": [
        "equivalent",
        "outcome",
        "verdict",
        "quantity",
        "lang",
        "answer",
        "yours_latex",
        "diagnosis",
        "answer_notes",
        *(f"counterexample.{f}" for f in POINT),
        "note",
        *(
            f"steps[].{f}"
            for f in ("index", "latex", "outcome", "diagnosis", "answer_notes", "notes")
        ),
        *(f"steps[].counterexample.{f}" for f in POINT),
        "first_wrong_step",
        "group",
    ],
    "/api/read": ["latex", "steps[].index", "steps[].latex", "note"],
    "/api/question": ["id", "points", "text"],
    "/api/spectral": [
        "eigenvalues",
        "spectral_radius",
        "singular_values",
        "largest_singular_value",
        "gamma",
        "bound",
        "activation",
        "normal",
        "W",
        "norms",
        "trend",
        "sentences",
        "eigenvalues_text",
        "singular_values_text",
    ],
}
ERROR = ["error", "position"]
FORBIDDEN = ("expected", "expected_latex", "expected_course_form", "expected_answer_latex")

RIGHT = r"\operatorname{Diag}(\sigma'(a_3)) W \operatorname{Diag}(\sigma'(a_2)) W"
CHECKS = [
    {"quantity": "dh_3/dh_1", "answer": "W"},
    {"quantity": "dh_3/dh_1", "answer": "W W", "lang": "fr"},
    {"quantity": "dh_3/dh_1", "answer": RIGHT},
    {"quantity": "dh_3/dh_1", "answer": RIGHT + "\n= W W"},
    {"quantity": "dh_3/dh_1", "answer": "W W\n= " + RIGHT, "lang": "fr"},
    {"quantity": "dh_3/dh_1", "answer": r"\frac{"},
    {"quantity": "dL/dW", "T": 2, "answer": r"\sum_{t=1}^{2} W"},
    {"quantity": "dL/dU", "T": 2, "answer": "x_1", "cell": "rnn", "bias": True},
    {"quantity": "dc_3/dc_1", "cell": "lstm", "answer": "Diag(f_3) Diag(f_2)"},
    {"quantity": "dc_3/dc_1", "cell": "lstm", "answer": "Diag(f_3)", "paths": "direct"},
    {"quantity": "dh_2/dh_1", "cell": "gru", "answer": "Diag(z_2)", "reset_after": True},
    {"quantity": "dh_2/dh_1", "answer": "W", "activation": "tanh", "layout": "denominator"},
    {"quantity": "dh_2/dx_2", "answer": "Diag(sigma'(a_2)) U"},
    {"question": "III.2", "answer": r"\left[\operatorname{Diag}(\sigma') W\right]^{2}"},
    {"question": "III.2", "answer": "W", "variant_seed": "2", "lang": "fr"},
    {"question": "III.1", "answer": "W", "variant_seed": "3"},
]
REQUESTS = {
    "/": [("GET", {})],
    "/check": [("GET", {"lang": "fr"}), ("GET", {"lang": "en"})],
    "/expand": [("GET", {})],
    "/params": [("GET", {})],
    "/sheet": [("GET", {"lang": "en"})],
    "/spectral": [("GET", {})],
    "/api/check": [("POST", body) for body in CHECKS],
    "/api/read": [
        ("POST", {"quantity": "dh_3/dh_1", "answer": RIGHT + "\n= W W"}),
        ("POST", {"question": "III.2", "answer": "W", "variant_seed": "1", "lang": "fr"}),
    ],
    "/api/params": [("POST", {"text": "| gru_9 (GRU) | (None, 12, 100) | 51900 |"})],
    "/api/question": [
        ("GET", {"id": "III.1", "variant_seed": "2", "lang": "en"}),
        ("GET", {"id": "III.2", "lang": "fr"}),
    ],
    "/api/expand": [("GET", {"T": "2"})],
    "/api/spectral": [
        ("GET", {"W": "[[0.5, 10], [0, 0.5]]", "T": "20", "lang": "fr"}),
        ("GET", {"W": "[[2, 2], [-2, -2]]", "activation": "relu", "scale": "0.5"}),
    ],
    "/api/spectral.svg": [("GET", {"W": "[[0.5]]", "T": "5"})],
    "/api/sheet": [
        ("GET", {"lang": "en"}),
        ("GET", {"lang": "fr", "variant_seed": "2"}),
        ("GET", {"lang": "en", "answers": "1"}),
    ],
    "/static": [("GET", "/static/katex/katex.min.css")],
}


@pytest.fixture(scope="module")
def pupil():
    return TestClient(create_app(class_mode=True))


@pytest.fixture(scope="module")
def teacher():
    return TestClient(create_app())


def _send(client, path, method, payload):
    if isinstance(payload, str):
        return client.get(payload, follow_redirects=False)
    if method == "POST":
        return client.post(path, json=payload)
    return client.get(path, params=payload, follow_redirects=False)


def _fields(value, prefix=""):
    """The dotted paths of a JSON value's fields (a list of records: ``name[].field``)."""
    if isinstance(value, dict):
        out = set()
        for key, sub in value.items():
            out |= _fields(sub, f"{prefix}.{key}" if prefix else key)
        return out
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return set().union(*(_fields(v, f"{prefix}[]") for v in value if isinstance(v, dict)))
    return {prefix}


def _admitted(field: str, allowed: list[str]) -> bool:
    """A listed field, or a listed record left null or empty (a right answer's
    counterexample)."""
    patterns = [re.escape(a).replace(r"\*", r"[^.\[]+") for a in allowed]
    records = {a.rsplit(".", 1)[0] for a in allowed if "." in a}
    return field in records or any(re.fullmatch(p, field) for p in patterns)


def test_the_servers_allowlist_is_the_one_written_here():
    for path, fields in ALLOWED.items():
        assert allowlist.paths(allowlist.JSON_ROUTES[path]) == set(fields), path
    assert allowlist.paths(allowlist.ERROR) == set(ERROR)
    for path, schema in allowlist.JSON_ROUTES.items():
        assert path in ALLOWED or schema is None, path


def test_every_route_is_walked():
    """A new route fails here until it has its requests (and, if JSON, its fields)."""
    paths = {route.path for route in create_app(class_mode=True).routes}
    assert paths == set(REQUESTS), paths ^ set(REQUESTS)
    assert paths == set(allowlist.JSON_ROUTES) | set(allowlist.OTHER_ROUTES)


@pytest.mark.parametrize(
    ("path", "method", "payload"),
    [(path, m, p) for path, cases in REQUESTS.items() for m, p in cases],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_answer_holds_only_its_listed_fields(pupil, path, method, payload):
    response = _send(pupil, path, method, payload)
    kind = response.headers.get("content-type", "")
    assert response.status_code < 500, response.text
    if kind.startswith("application/json"):
        body = response.json()
        allowed = ERROR if response.status_code >= 400 else ALLOWED[path]
        extra = [f for f in _fields(body) if not _admitted(f, allowed)]
        assert not extra, (path, extra)
        assert not any(word in json.dumps(body) for word in ('"expected', "expected_latex"))
    else:
        expected = {
            "redirect": "",
            "page": "text/html",
            "off": "text/html",
            "image/svg+xml": "image/svg+xml",
            "questions": "application/x-tex",
            "static": "text/css",
        }[allowlist.OTHER_ROUTES[path]]
        assert kind.startswith(expected), (path, kind)
    if path in ("/expand", "/params", "/api/expand", "/api/params"):
        assert response.status_code == 403
    if path == "/api/sheet" and payload.get("answers"):
        assert response.status_code == 403


def _key_values(body: dict) -> tuple[set[str], set[str]]:
    """The key of a check, computed by the library: its value at every test point (each
    entry, as JSON writes it) and its formulas (what the teacher's verdict says)."""
    from symbrnn.engine.cells import make_cell
    from symbrnn.engine.derive import Derivation
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.judge.check import check_answer
    from symbrnn.judge.expected import reference
    from symbrnn.judge.points import cached_points

    options = {k: body[k] for k in ("activation", "bias", "reset_after") if k in body}
    cell = make_cell(body.get("cell", "rnn"), allow_files=False, **options)
    q = parse_quantity(body["quantity"], allow_input=True)
    T, paths = body.get("T"), body.get("paths", "all")
    D = Derivation.of(cell)
    ref = reference(D, q, T=T, paths=paths)
    points = cached_points(D, max(int(q.t if q.kind != "gradient" else T), 1))
    numbers = set()
    with np.errstate(all="ignore"):
        for point in points.points:
            value = np.asarray(points.evaluate(ref, point), dtype=float)
            numbers |= {json.dumps(float(v)) for v in value.ravel() if v != round(v)}
    verdict = check_answer(cell, body["quantity"], body["answer"], T=T, paths=paths, lang="en")
    latex = {verdict.expected_latex, verdict.expected, verdict.course_form, verdict.answer_latex}
    return numbers, {text for text in latex if len(text) > 2}


def _inputs(body) -> set[str]:
    """The numbers a response may hold for the student: the point's inputs, their side."""
    out = set()

    def walk(value, inside=False):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, inside or k in ("weights", "x", "initial", "opaque", "yours"))
        elif isinstance(value, list):
            for v in value:
                walk(v, inside)
        elif inside and isinstance(value, float):
            out.add(json.dumps(value))

    walk(body)
    return out


@pytest.mark.parametrize(
    "body", [c for c in CHECKS if "question" not in c and "{" not in c["answer"]]
)
def test_no_check_answer_carries_the_key(pupil, teacher, body):
    numbers, formulas = _key_values(body)
    assert numbers and formulas  # the key is there to be found
    full = teacher.post("/api/check", json=body).json()
    response = pupil.post("/api/check", json=body)
    answer = response.json()
    text = response.text
    echoed = {answer.get("yours_latex"), *(s["latex"] for s in answer.get("steps", []))}
    leaked = {
        n for n in numbers - _inputs(full) if re.search(rf"(?<![\d.]){re.escape(n)}(?!\d)", text)
    }
    assert not leaked, leaked
    assert not [f for f in formulas - echoed if json.dumps(f)[1:-1] in text]
    if full.get("counterexample") and "expected" in full["counterexample"]:
        assert json.dumps(full["counterexample"]["expected"]) in json.dumps(full)  # teacher has it
        assert "expected" not in answer["counterexample"]


def test_no_other_route_carries_the_key(pupil):
    body = CHECKS[0]
    numbers, formulas = _key_values(body)
    for path, cases in REQUESTS.items():
        if path == "/api/check":
            continue
        for method, payload in cases:
            text = _send(pupil, path, method, payload).text
            assert not [n for n in numbers if len(n) > 6 and n in text], path
            assert not [f for f in formulas if len(f) > 8 and f in text], path
