"""Grading a large class: worker processes, input order, the T column, a clean Ctrl-C."""

import csv
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest

from symbrnn.judge import grade
from symbrnn.judge.grade import grade_rows, read_answers
from tests.processes import processes_with

ANSWERS = [
    ("dh_3/dh_1", "Diag(sigma'(a_3)) W Diag(sigma'(a_2)) W"),  # right
    ("dh_3/dh_1", "Diag(sigma'(a_2)) W Diag(sigma'(a_3)) W"),  # ORDER
    ("dh_2/dh_1", "W^T Diag(sigma'(a_2))"),  # TRANSPOSE
    ("dh_2/dh_1", r"\mathrm{Diag}("),  # malformed
]


def _rows(count):
    return [
        {"student": f"s{i:03d}", "quantity": q, "answer": a}
        for i, (q, a) in enumerate(ANSWERS[i % len(ANSWERS)] for i in range(count))
    ]


def test_workers_give_the_sequential_results_in_input_order(monkeypatch):
    monkeypatch.setattr(grade, "PARALLEL_FROM", 10)
    monkeypatch.setattr(grade, "CHUNK_ROWS", 3)
    rows = _rows(40)
    seen = []
    parallel = grade_rows(rows, jobs=2, progress=seen.append)
    assert parallel == grade_rows(rows, jobs=1)
    assert [r.student for r in parallel] == [r["student"] for r in rows]
    assert sum(seen) == len(rows) and len(seen) > 1  # progress reported chunk by chunk
    assert {r.status for r in parallel} == {"correct", "wrong", "malformed"}


def test_a_T_column_is_read(tmp_path):
    path = tmp_path / "gradients.csv"
    path.write_text(
        "student,cell,quantity,T,answer\n"
        "ana,rnn,dL/dW,1,\\frac{\\partial L_1}{\\partial h_1} \\frac{\\partial^+ h_1}{\\partial W}\n"
        "ben,rnn,dL/dW,x,W\n",
        encoding="utf-8",
    )
    first, second = grade_rows(read_answers(str(path)))
    assert first.status == "correct", first
    assert second.status == "malformed" and "T must be a positive integer" in second.diagnosis


def _grading_a_long_class(tmp_path, **popen):
    """(the command grading a class that takes minutes, its marker, its CSV, its report),
    once the command and its two workers are up."""
    answers = tmp_path / "class.csv"
    with answers.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["student", "quantity", "answer"])
        writer.writeheader()
        # distinct long Jacobians: the class takes minutes, so that a signal finds it working
        writer.writerows(
            {"student": f"s{i}", "quantity": f"dh_{100 + i}/dh_1", "answer": "W"}
            for i in range(400)
        )
    report = tmp_path / "report.csv"
    marker = f"SYMBRNN_TEST_{uuid.uuid4().hex}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "symbrnn", "grade", str(answers), "-o", str(report), "--jobs", "2"],
        env={**os.environ, marker: "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )
    deadline = time.monotonic() + 60
    while len(processes_with(marker)) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(processes_with(marker)) >= 3
    time.sleep(1.0)
    return proc, marker, answers, report


def test_ctrl_c_stops_every_worker_and_writes_nothing(tmp_path):
    # Ctrl-C reaches the whole group, as in a terminal
    proc, marker, answers, report = _grading_a_long_class(tmp_path, start_new_session=True)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert not report.exists() and list(tmp_path.iterdir()) == [answers]
    time.sleep(0.5)
    assert processes_with(marker) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_grade_leaves_no_worker_and_no_report(tmp_path, sig):
    proc, marker, answers, report = _grading_a_long_class(tmp_path)
    proc.send_signal(sig)  # the command alone, not its group: the workers must follow
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == (130 if sig == signal.SIGTERM else -signal.SIGKILL), err
    assert "Traceback" not in err
    deadline = time.monotonic() + 10
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_with(marker) == []
    assert not report.exists()
    if sig == signal.SIGTERM:
        assert list(tmp_path.iterdir()) == [answers]


def test_a_grade_row_is_one_record_with_the_reports_columns():
    from symbrnn.judge.class_csv import REPORT_COLUMNS
    from symbrnn.judge.grade_row import GradeRow

    rows = grade_rows(
        [
            {"student": "ana", "quantity": "dh_2/dh_1", "answer": "W"},
            {"student": "", "quantity": "dh_2/dh_1", "answer": "W"},
        ]
    )
    assert all(isinstance(r, GradeRow) for r in rows)
    assert list(rows[0].as_csv_row()) == list(REPORT_COLUMNS)
    assert rows[0].status == "wrong" and rows[0].answer_notes
    assert rows[1].status == "malformed" and rows[1].answer_notes == rows[1].group == ""
