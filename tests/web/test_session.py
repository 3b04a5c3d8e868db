"""A TD session: its record in SQLite (round trip, restart, kill -9, an older file opened),
its tokens (a student reads nothing of another, of the dashboard or of the key), the
allowlist of every answer, the grades out (equal to grade of the same answers), and the
whole session in Chromium at 390 px."""

import csv
import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from symbrnn.cli import cli
from symbrnn.web.allowlist import paths
from symbrnn.web.roster import read_roster_text
from symbrnn.web.session import RateLimit, create_session_app
from symbrnn.web.session_store import SCHEMA_VERSION, SessionStore, Student, Submission
from symbrnn.web.session_views import CHECKED, DASHBOARD
from tests.processes import processes_with

RIGHT = r"\operatorname{Diag}(\sigma'(a_3)) W \operatorname{Diag}(\sigma'(a_2)) W"
WRONG = r"W^T \operatorname{Diag}(\sigma'(a_3)) W"
DERIVATION = (
    r"\frac{\partial h_3}{\partial h_1} = \frac{\partial h_3}{\partial h_2}"
    r"\frac{\partial h_2}{\partial h_1}" + "\n= " + RIGHT
)


@pytest.fixture
def store(tmp_path):
    s = SessionStore(tmp_path / "td.sqlite")
    s.add_students([Student("s1", "Ana", 7), Student("s2", "Bob")])
    return s


def _client(store):
    return TestClient(create_session_app(store))


def _check(client, student, question, answer, lang="fr"):
    url = f"/s/{student.token}/api/check"
    return client.post(url, json={"question": question, "answer": answer, "lang": lang})


def test_store_round_trip(store):
    ana, bob = store.students()
    assert (ana.seed, ana.drawn) == (7, False) and bob.drawn and bob.seed is not None
    sub = Submission("s1", "III.2", 7, RIGHT, "correct", "", None, 1.5, 12.5, "g", "")
    n = store.record(sub)
    (back,) = store.submissions()
    assert back == Submission(**{**sub.__dict__, "n": n})
    assert store.student_by_token(ana.token) == ana and store.student_by_token("x") is None
    assert store.add_students([Student("s1", "Ana again", 3)]) == 0  # kept: token, variant
    assert store.students()[0] == ana


def test_restart_loses_nothing_and_keeps_tokens(store, tmp_path):
    client = _client(store)
    ana, bob = store.students()
    assert _check(client, ana, "III.2", RIGHT).json()["outcome"] == "equivalent"
    assert _check(client, bob, "III.2", WRONG).json()["outcome"] == "not_equivalent"
    assert _check(client, bob, "III.2", r"\frac{").status_code == 400  # stored: malformed
    again = SessionStore(tmp_path / "td.sqlite")  # a new server on the same file
    assert again.students() == store.students() and again.teacher_token == store.teacher_token
    got = [(s.student, s.status, s.variant) for s in again.submissions()]
    assert got == [("s1", "correct", 7), ("s2", "wrong", bob.seed), ("s2", "malformed", bob.seed)]
    board = _client(again).get(f"/t/{again.teacher_token}/api/dashboard").json()
    (q,) = [q for q in board["questions"] if q["id"] == "III.2"]
    assert (q["answered"], q["right"]) == (2, 1)  # Bob's last answer counts
    assert board["not_started"] == [] and board["submissions"] == 3


def test_an_older_session_file_is_migrated(tmp_path):
    path = tmp_path / "v1.sqlite"
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE students (id TEXT PRIMARY KEY, name TEXT NOT NULL, seed INTEGER NOT NULL,
            token TEXT NOT NULL UNIQUE, drawn INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE submissions (n INTEGER PRIMARY KEY AUTOINCREMENT,
            student TEXT NOT NULL REFERENCES students(id), question TEXT NOT NULL,
            variant INTEGER NOT NULL, answer TEXT NOT NULL, status TEXT NOT NULL,
            answer_notes TEXT NOT NULL, first_wrong_step INTEGER, score REAL NOT NULL,
            time REAL NOT NULL);
        INSERT INTO meta VALUES ('teacher_token', 'T0K3N');
        INSERT INTO students VALUES ('s1', 'Ana', 4, 'tok-ana', 0);
        INSERT INTO submissions (student, question, variant, answer, status, answer_notes,
            score, time) VALUES ('s1', 'III.2', 4, 'W', 'wrong', 'X', 0, 1.0);
        PRAGMA user_version = 1;
        """
    )
    db.close()
    store = SessionStore(path)
    assert store.version_found == 1 and store.teacher_token == "T0K3N"
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    (sub,) = store.submissions()
    assert (sub.answer, sub.answer_notes, sub.answer_group) == ("W", "X", "")
    assert store.student_by_token("tok-ana").name == "Ana"
    newer = tmp_path / "newer.sqlite"
    sqlite3.connect(newer).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(Exception, match="upgrade symbrnn"):
        SessionStore(newer)


def test_tokens_open_only_their_own_page(store):
    client = _client(store)
    ana, bob = store.students()
    _check(client, bob, "III.2", WRONG)
    page = client.get(f"/s/{ana.token}").text
    assert ana.name in page and bob.token not in page and store.teacher_token not in page
    assert WRONG not in page and "Bob" not in page
    for url in (
        f"/t/{ana.token}",
        f"/t/{ana.token}/api/dashboard",
        f"/t/{ana.token}/links",
        "/s/",
        "/s/not-a-token/api/check",
        "/t/",
        f"/s/{ana.token}x",
    ):
        r = client.get(url)
        assert r.status_code == 403, url
        assert "Traceback" not in r.text and bob.token not in r.text
    assert client.get("/api/sheet?answers=1&lang=fr").status_code == 403  # no key
    assert client.get("/td.sqlite").status_code == 404  # the file is never served
    mine = _check(client, ana, "III.2", RIGHT).json()
    assert WRONG not in str(mine) and "expected" not in mine and "expected_latex" not in mine


def _keys(value, prefix=""):
    """Every field of a JSON value as a dotted path, as allowlist.paths names them."""
    if isinstance(value, dict):
        return set().union(
            *(_keys(v, f"{prefix}.{k}" if prefix else k) for k, v in value.items())
        ) or {prefix}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return set().union(*(_keys(v, f"{prefix}[]") for v in value))
    return {prefix}


def test_every_answer_is_built_from_its_allowlist(store):
    client = _client(store)
    ana, bob = store.students()
    checked = _check(client, ana, "III.2", DERIVATION).json()
    _check(client, bob, "III.2", WRONG)
    board = client.get(f"/t/{store.teacher_token}/api/dashboard").json()
    allowed = {p.replace(".*", "") for p in paths(CHECKED)}
    for key in _keys(checked):  # a field listed, a record left null, a name of a Names
        assert any(key.startswith(a) or a.startswith(key + ".") for a in allowed), key
    assert _keys(board) <= paths(DASHBOARD) | {"questions[].groups"}
    assert checked["stored"] is True and len(checked["steps"]) == 2


def test_limits(store):
    ana, _ = store.students()
    client = TestClient(create_session_app(store, limit=RateLimit(burst=3, rate=0.001)))
    statuses = [client.get(f"/s/{ana.token}/api/question?id=III.2").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
    client = _client(store)
    big = client.post(f"/s/{ana.token}/api/check", content=b"x" * 20_000)
    assert big.status_code == 413 and "error" in big.json()
    bad = client.post(f"/s/{ana.token}/api/check", content=b"[1]")
    assert bad.status_code == 400 and store.count() == 0


def test_roster_headers_and_errors():
    moodle, column = read_roster_text("ID number;First name;Last name\n42;Ana;Lopez\n")
    assert column == "idnumber" and moodle[0].name == "Ana Lopez"
    amc, column = read_roster_text('id,name,surname,variant\n7,"Ana, A.",Lopez,12\n')
    assert (amc[0].name, amc[0].seed, column) == ("Ana, A. Lopez", 12, "id")
    email, column = read_roster_text("email,name\nana@u.fr,Ana\n")
    assert column == "email" and email[0].id == "ana@u.fr"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("nom,x\n1,2\n", "no id column"),
        ("id,name\n1,Ana\n1,Bob\n", "line 3"),
        ("id,name,variant\n1,Ana,-4\n", "variant"),
        ("", "empty roster"),
    ],
)
def test_a_bad_roster_is_one_line_and_exit_2(tmp_path, text, said):
    (tmp_path / "r.csv").write_text(text)
    args = ["serve", "--session", "s.sqlite", "--roster", "r.csv", "--port", str(_free_port())]
    r = subprocess.run(
        [sys.executable, "-m", "symbrnn", *args], capture_output=True, text=True, cwd=tmp_path
    )
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and said in lines[0], r.stderr


def test_export_equals_grade_of_the_same_answers(store, tmp_path):
    client = _client(store)
    ana, bob = store.students()
    _check(client, ana, "III.2", WRONG)
    _check(client, ana, "III.2", RIGHT)
    _check(client, bob, "III.2", DERIVATION)
    _check(client, bob, "II.1", r"\operatorname{Diag}(\sigma'(A v)) A")
    rows = [["student", "question", "variant", "answer"]]
    rows += [["s1", "III.2", "7", RIGHT], ["s2", "III.2", str(bob.seed), DERIVATION]]
    rows += [["s2", "II.1", str(bob.seed), r"\operatorname{Diag}(\sigma'(A v)) A"]]
    answers = tmp_path / "answers.csv"
    with open(answers, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    runner = CliRunner()
    session = [
        "grade",
        "--session",
        str(store.path),
        "-o",
        "b.csv",
        "--jobs",
        "1",
    ]
    with runner.isolated_filesystem(tmp_path):
        plain = runner.invoke(
            cli, ["grade", str(answers), "--sheet", "td5", "-o", "a.csv", "--jobs", "1"]
        )
        ours = runner.invoke(cli, session)
        assert plain.exit_code == ours.exit_code == 0, ours.output
        assert _read("a.csv") == _read("b.csv")
        assert _read("a.totals.csv") == _read("b.totals.csv")
        best = runner.invoke(cli, [*session[:3], "--attempt", "best", "--format", "moodle"])
        table = list(csv.DictReader(io.StringIO(best.stdout)))
        assert [r["ID number"] for r in table] == ["s1", "s2"]
        totals = {
            r["student"]: r["total"] for r in csv.DictReader(io.StringIO(_read("b.totals.csv")))
        }
        assert float(table[0]["TD5 III.2"]) == 1.5  # the best: her right answer
        assert float(table[1]["TD5 total"]) == float(totals["s2"])
        amc = runner.invoke(cli, [*session[:3], "--format", "amc"])
        assert list(csv.DictReader(io.StringIO(amc.stdout)))[1]["variant"] == str(bob.seed)


def _read(name):
    with open(name, encoding="utf-8-sig") as f:
        return f.read()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url, data):
    import json

    request = urllib.request.Request(
        url, json.dumps(data).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as r:
        return r.status, json.loads(r.read())


def test_kill_9_after_an_acknowledged_submission_loses_nothing(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("id,name,variant\ns1,Ana,7\n")
    path, port = tmp_path / "td.sqlite", _free_port()
    marker = f"SYMBRNN_SESSION_TEST_{os.getpid()}"
    args = ["serve", "--class", "--session", str(path), "--roster", str(roster)]
    server = subprocess.Popen(
        [sys.executable, "-m", "symbrnn", *args, "--port", str(port)],
        env={**os.environ, marker: "1"},
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        token = SessionStore(path).students()[0].token if _wait(path) else None
        url = f"http://127.0.0.1:{port}/s/{token}/api/check"
        for _ in range(300):
            try:
                status, body = _post(url, {"question": "III.2", "answer": RIGHT})
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200 and body["stored"] is True
        os.kill(server.pid, signal.SIGKILL)
        server.wait(10)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
    assert processes_with(marker) == []
    (sub,) = SessionStore(path).submissions()
    assert (sub.student, sub.status, sub.answer) == ("s1", "correct", RIGHT)


def _wait(path):
    for _ in range(300):
        if path.exists():
            try:
                if SessionStore(path).students():
                    return True
            except Exception:
                pass
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_a_session_in_chromium_at_390_px(tmp_path):
    """Two students on their phones (one on a drawn variant) answer right, wrong and with a
    derivation; the server restarts; the teacher's dashboard shows both, in French and in
    English, and no page scrolls sideways."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import need_program
    from tests.web.test_browser import CHROMIUM, _serving

    need_program(CHROMIUM, "chromium")
    path = tmp_path / "td.sqlite"
    store = SessionStore(path)
    store.add_students([Student("s1", "Ana", 7), Student("s2", "Bob")])
    ana, bob = store.students()
    assert bob.drawn
    from symbrnn.sheets.variants import variant_json

    # Bob's right answer is his variant's (its activation is drawn too)
    key = {q["id"]: q for q in variant_json("td5", bob.seed)["questions"]}
    lemma = key["II.1"]["answer_latex"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()

        def fits():
            assert page.evaluate("document.documentElement.scrollWidth") <= 390

        def answer(question, text, outcome):
            section = page.locator(f'section[data-question="{question}"]')
            section.get_by_test_id("question-text").locator(".katex").first.wait_for(
                timeout=120_000
            )
            assert section.get_by_test_id("loading").count() == 0
            section.get_by_test_id("answer").fill(text)
            section.get_by_test_id("check").click()
            verdict = section.get_by_test_id("verdict").locator(f"span.{outcome}")
            verdict.wait_for(timeout=120_000)
            return section

        with _serving(create_session_app(store)) as base:
            page.goto(f"{base}/s/{ana.token}")
            steps = answer("III.2", DERIVATION, "ok").get_by_test_id("steps")
            assert steps.locator("li").count() == 2
            answer("II.1", "A", "ko")
            fits()
            page.goto(f"{base}/s/{bob.token}?lang=en")
            assert f"Your variant: {bob.seed}" in page.get_by_test_id("variant").inner_text()
            answer("II.1", lemma, "ok")
            answer("III.2", WRONG, "ko")
            fits()
        again = SessionStore(path)  # a restart: a new server on the same file
        with _serving(create_session_app(again)) as base:
            page.goto(f"{base}/t/{again.teacher_token}")
            page.locator('section[data-question="III.2"] [data-testid=group]').first.wait_for(
                timeout=60_000
            )
            text = page.locator("body").inner_text()
            assert "2 élèves" in text and "Ana" in text and "Bob" in text
            iii2 = page.locator('section[data-question="III.2"]')
            assert "juste : 1 élève sur 2" in iii2.get_by_test_id("right").inner_text()
            assert iii2.get_by_test_id("group").count() == 2
            fits()
            page.goto(f"{base}/t/{again.teacher_token}?lang=en")
            page.locator('section[data-question="II.1"] [data-testid=group]').first.wait_for(
                timeout=60_000
            )
            assert "2 students" in page.locator("body").inner_text()
            fits()
            page.goto(f"{base}/t/{again.teacher_token}/links")
            assert page.get_by_test_id("student-link").count() == 2
            assert page.locator("[data-testid=student-link] svg").count() == 2
            fits()
            page.goto(f"{base}/t/{ana.token}")
            assert page.get_by_test_id("forbidden").count() == 1
        browser.close()
    assert [s.status for s in again.submissions()] == ["correct", "wrong", "correct", "wrong"]


def test_counts_and_scores_in_the_page_language():
    from symbrnn.web.messages import decimal, students

    assert [students(n, "fr") for n in (0, 1, 2)] == ["0 élève", "1 élève", "2 élèves"]
    assert [students(n, "en") for n in (0, 1, 2)] == ["0 students", "1 student", "2 students"]
    assert (decimal(1.5, "fr"), decimal(1.5, "en"), decimal(2.0, "fr")) == ("1,5", "1.5", "2")
