"""A TD session under a class's load: 200 students submitting at once on the loopback.

A server (``symbrnn serve --class --session F --roster R``, a child process on 127.0.0.1)
gets, from 200 students' tokens, 200 question loads (the students open their page), then
200 single-answer checks released together, then 200 derivations released together. Each answer is stored before its verdict returns: at
the end the session file must hold one row per acknowledged submission.

    python benchmarks/session_load.py
    python benchmarks/session_load.py --students 50 --distinct   # every answer its own

``--distinct`` makes every answer a different string (no answer judged twice: the worst
case); by default a class's answers repeat (a few right and wrong forms), as in a TD.
Targets (issue 40): p99 of a single-answer check ≤ 300 ms, of a derivation ≤ 1 s, 0 errors,
rows == submissions.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
SINGLE = [
    r"\operatorname{Diag}(\sigma'(a_3)) W \operatorname{Diag}(\sigma'(a_2)) W",
    r"W^T \operatorname{Diag}(\sigma'(a_3)) W",
    r"\operatorname{Diag}(\sigma'(a_2)) W \operatorname{Diag}(\sigma'(a_3)) W",
    r"\operatorname{Diag}(\sigma(a_3)) W \operatorname{Diag}(\sigma(a_2)) W",
]
DERIVATIONS = [
    r"\frac{\partial h_3}{\partial h_1} = \frac{\partial h_3}{\partial h_2}"
    r"\frac{\partial h_2}{\partial h_1}" + "\n= " + SINGLE[0],
    r"\frac{\partial h_3}{\partial h_1} = \frac{\partial h_3}{\partial h_2}"
    r"\frac{\partial h_2}{\partial h_1}" + "\n= " + SINGLE[2],
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _wave(port: int, tokens: list[str], answers: list) -> tuple[list[float], list[str]]:
    """Every student's request released at once; latencies (s) and errors."""
    barrier = threading.Barrier(len(tokens))
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def student(token: str, answer: str) -> None:
        body = json.dumps({"question": "III.2", "answer": answer, "lang": "fr"})
        connection = http.client.HTTPConnection(HOST, port, timeout=300)
        connection.connect()
        barrier.wait()
        start = time.perf_counter()
        try:
            if answer is None:  # the page's question, as a student's page loads it
                connection.request("GET", f"/s/{token}/api/question?id=III.2&lang=fr")
            else:
                connection.request(
                    "POST", f"/s/{token}/api/check", body, {"Content-Type": "application/json"}
                )
            response = connection.getresponse()
            data = json.loads(response.read())
            ok = response.status == 200 and (answer is None or data.get("stored") is True)
            error = None if ok else f"{response.status} {data}"
        except OSError as exc:
            error = f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - start
        with lock:
            times.append(elapsed)
            if error:
                errors.append(error)
        connection.close()

    threads = [
        threading.Thread(target=student, args=pair) for pair in zip(tokens, answers, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors


def _answers(forms: list[str], n: int, distinct: bool) -> list[str]:
    # a distinct answer: the same form, its own string (a trailing run of spaces)
    return [forms[i % len(forms)] + (" " * (i + 1) if distinct else "") for i in range(n)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--distinct", action="store_true", help="every answer its own string")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="symbrnn-session-load-"))
    roster = folder / "students.csv"
    roster.write_text(
        "id,name,variant\n" + "".join(f"e{i},Student {i},7\n" for i in range(args.students))
    )
    session, port = folder / "td.sqlite", _free_port()
    command = [sys.executable, "-m", "symbrnn", "serve", "--class", "--port", str(port)]
    command += ["--session", str(session), "--roster", str(roster)]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(600):
            with socket.socket() as probe:
                if probe.connect_ex((HOST, port)) == 0:
                    break
            time.sleep(0.1)
        db = sqlite3.connect(session)
        tokens = [t for (t,) in db.execute("SELECT token FROM students ORDER BY rowid")]
        # one warm-up request per kind, as a teacher trying the page before the class
        _wave(port, tokens[:1], [None])
        _wave(port, tokens[:1], [SINGLE[0]])
        _wave(port, tokens[:1], [DERIVATIONS[0]])
        report = {"students": len(tokens), "distinct": args.distinct}
        waves = [("page", [None] * len(tokens))]
        waves += [("single", _answers(SINGLE, len(tokens), args.distinct))]
        waves += [("derivation", _answers(DERIVATIONS, len(tokens), args.distinct))]
        for kind, answers in waves:
            times, errors = _wave(port, tokens, answers)
            report[kind] = {
                "p50_ms": round(1000 * _percentile(times, 50)),
                "p99_ms": round(1000 * _percentile(times, 99)),
                "max_ms": round(1000 * max(times)),
                "errors": len(errors),
                "first_error": errors[0][:200] if errors else None,
            }
        rows = db.execute("SELECT count(*) FROM submissions").fetchone()[0]
        report["rows"], report["submissions"] = rows, 2 * len(tokens) + 2
        report["nothing_lost"] = rows == report["submissions"]
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(30)
    print(json.dumps(report, indent=2))
    return 0 if report["nothing_lost"] and not report["single"]["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
