"""Grade a class's answers in one batch: one row per student and question.

>>> rows = [{"student": "ana", "quantity": "dh_2/dh_1", "answer": "Diag(sigma'(a_2)) W"}]
>>> [r["status"] for r in grade_rows(rows)]
['correct']
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

from symbrnn.errors import InputError

COLUMNS = ("student", "quantity", "answer")


def read_answers(source: str) -> list[dict]:
    """Rows of a CSV file, or of every CSV file in a folder."""
    path = Path(source)
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    if not path.exists():
        raise InputError(f"file not found: {source}")
    if not files:
        raise InputError(f"no .csv file in {source}")
    rows = []
    for f in files:
        try:
            reader = csv.DictReader(io.StringIO(f.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {f}: {exc}") from None
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(
                f"{f}: missing column(s) {', '.join(missing)}; need {', '.join(COLUMNS)}"
            )
        rows.extend(reader)
    return rows


def grade_rows(rows, *, default_cell="rnn", default_T=None) -> list[dict]:
    """A result per row; a bad row gives status 'malformed' or 'error', never stops the batch."""
    from symbrnn.engine.cells import make_cell
    from symbrnn.judge.check import check_answer

    cells: dict = {}
    out = []
    for row in rows:
        name = (row.get("cell") or default_cell).strip()
        result = {
            "student": row.get("student", ""),
            "quantity": row.get("quantity", ""),
            "status": "",
            "diagnosis": "",
        }
        try:
            if name not in cells:
                # a class CSV names built-in cells only: a row never imports a file
                cells[name] = make_cell(name, allow_files=False)
            T = int(row["T"]) if row.get("T") else default_T
            verdict = check_answer(
                cells[name],
                row["quantity"],
                row["answer"],
                T=T,
                paths=(row.get("paths") or "all").strip(),
            )
            result["status"] = "correct" if verdict.equivalent else "wrong"
            result["diagnosis"] = "; ".join(verdict.diagnosis) or verdict.note
        except InputError as exc:
            result["status"], result["diagnosis"] = "malformed", str(exc)
        except Exception as exc:  # one bad answer never stops the batch: report it and go on
            result["status"], result["diagnosis"] = "error", f"{type(exc).__name__}: {exc}"
        out.append(result)
    return out


def write_report(results: list[dict], output: str | None) -> tuple[str, str]:
    """The report (CSV, or JSON for a .json output) and a one-paragraph summary."""
    from symbrnn.io import write_atomic

    if output and output.endswith(".json"):
        report = json.dumps(results, indent=2, ensure_ascii=False)
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["student", "quantity", "status", "diagnosis"])
        writer.writeheader()
        writer.writerows(results)
        report = buffer.getvalue()
    if output:
        write_atomic(output, report)
    counts = Counter(r["status"] for r in results)
    per_question = Counter(r["quantity"] for r in results if r["status"] == "correct")
    totals = Counter(r["quantity"] for r in results)
    lines = [
        f"{len(results)} answers: "
        + ", ".join(f"{counts[s]} {s}" for s in ("correct", "wrong", "malformed", "error"))
    ]
    lines += [f"  {q}: {per_question[q]}/{totals[q]} correct" for q in sorted(totals)]
    return report, "\n".join(lines)
