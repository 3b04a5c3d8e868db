"""A synthetic class for the grading benchmark: students × questions, answers as students type them.

Each question is a Jacobian or gradient that ``expand`` prints (RNN, LSTM, GRU);
each student's answer is the printed LaTeX (about half the time), the same
with one or two classic slips (factors swapped, a Diag or a transpose, an
index off by one), or with a typing accident. Reproducible from the seed.

    python benchmarks/classroom.py class.csv --students 200 --questions 14
"""

from __future__ import annotations

import argparse
import csv
import random


def class_rows(students: int = 200, questions: int = 14, seed: int = 0) -> list[dict]:
    from symbrnn.judge.mutations import _sources, mutate

    rng = random.Random(seed)
    sources = [s for s in _sources() if s[1] in (None, "sigmoid")]
    chosen = rng.sample(sources, min(questions, len(sources)))
    rows = []
    for student in range(students):
        for cell, _act, quantity, text, options in chosen:
            answer = text
            if rng.random() > 0.5:
                for _ in range(rng.choice((1, 1, 2))):
                    answer = mutate(answer, rng)
            rows.append(
                {
                    "student": f"s{student:03d}",
                    "cell": cell,
                    "quantity": quantity,
                    "T": options.get("T", ""),
                    "answer": answer,
                }
            )
    return rows


def write_class(path: str, **kwargs) -> int:
    rows = class_rows(**kwargs)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["student", "cell", "quantity", "T", "answer"])
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--questions", type=int, default=14)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    count = write_class(
        args.output, students=args.students, questions=args.questions, seed=args.seed
    )
    print(f"{count} answers written to {args.output}")
