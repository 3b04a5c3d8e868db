"""`grade` of a large class: 2000 students × 14 questions (28 000 answers) from
`benchmarks/classroom.py`, one worker per core, beside `python -c "import sympy"`.

    python benchmarks/grade_class.py
    python benchmarks/grade_class.py --students 200   # the 2800 answers of run.py

Target (issue 22): 28 000 answers under 10 s here.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def rows(students: int = 2000) -> list[tuple[str, str, str]]:
    sys.path.insert(0, str(Path(__file__).parent))
    import csv

    from classroom import class_rows

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "class.csv"
        data = class_rows(students, 14)
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(data[0]))
            writer.writeheader()
            writer.writerows(data)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sympy"], check=True)
        baseline = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "symbrnn", "grade", str(path), "-o", str(Path(tmp) / "r.csv")],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - start
    return [
        (
            f"`grade` of {len(data):,} answers ({students} students × 14 questions), one worker "
            "per core",
            f"{seconds:.1f} s ({len(data) / seconds:,.0f} answers/s; `import sympy` {baseline:.2f} s)",
            "target < 10 s" if len(data) >= 28_000 else "",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=2000)
    args = parser.parse_args()
    print("| measurement | result | note |\n|---|---|---|")
    for row in rows(args.students):
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
