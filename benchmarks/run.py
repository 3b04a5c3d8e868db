"""Benchmarks of the issue's targets, each beside its baseline measured in the same run.

    python benchmarks/run.py            # prints a markdown table
    python benchmarks/run.py --quick    # fewer repetitions, skips the slowest baseline

Targets (issue 13), as ratios to `python -c "import sympy"` measured in the same run:
`--help` and `params` ≤ 0.6×, one `check` ≤ 1.6×, `expand --T 200 --format latex`
≤ 3×, `grade` of 500 answers ≤ 6×; `expand --T 500 --format json` under 200 MB;
`verify --cell lstm --T 10` under 10 s; a class of 200 students × 14 questions
graded under 10 s. Earlier targets: `expand --T 3` within 1.5×; exact
verification of RNN (T=8) and LSTM (T=5) under 10 s each, against the naive baseline.
Issue 21: a five-member derivation within 1.5× one `check` of its last member. Issue 35:
one `check` ≤ 1.3× `import sympy` (a right answer loads no table of mistakes, no other command). Issue 22:
twenty variants' question sheets, written and compiled by one command, within 1.0× one
plain pdflatex pass of each; `grade` of 28 000 answers under 10 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time


def _environment() -> dict:
    """The commands' environment: compiled modules kept (in a folder of the temporary
    directory, not beside the sources) as an installed package keeps them, even where
    PYTHONDONTWRITEBYTECODE is set: otherwise every run would compile symbrnn's modules
    again, and `import sympy`, compiled once and for all, would not."""
    import os
    import tempfile

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("PYTHONPYCACHEPREFIX", os.path.join(tempfile.gettempdir(), "symbrnn-bench"))
    return env


ENV = _environment()


def wall(cmd: list[str], repeat: int) -> float:
    """Best wall time of a command over ``repeat`` runs (when several, after one run not
    counted, which compiles the modules once)."""
    if repeat > 1:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=ENV)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=ENV)
        best = min(best, time.perf_counter() - start)
    return best


def peak_memory(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak resident memory in MB) of one run of a command (its child's rusage)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=ENV)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(after, before) / 1024


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    before_load = " ".join(f"{x:.2f}" for x in __import__("os").getloadavg())
    py = sys.executable
    rows = []

    baseline = wall([py, "-c", "import sympy"], repeat)
    t3 = wall([py, "-m", "symbrnn", "expand", "--T", "3"], repeat)
    rows.append(
        (
            "`expand --T 3` vs `python -c 'import sympy'`",
            f"{t3:.2f} s vs {baseline:.2f} s",
            f"{t3 / baseline:.2f}× (target ≤ 1.5×)",
        )
    )
    for args_, label, target in (
        (["--help"], "`symbrnn --help`", 0.6),
        (["params"], "`symbrnn params`", 0.6),
        (
            ["check", "-q", "dh_3/dh_1", "-a", "Diag(sigma'(a_3)) W Diag(sigma'(a_2)) W"],
            "one `check`",
            1.3,  # issue 35 (issue 13: 1.6)
        ),
    ):
        seconds = wall([py, "-m", "symbrnn", *args_], repeat)
        rows.append(
            (
                f"{label} vs `import sympy`",
                f"{seconds:.2f} s vs {baseline:.2f} s",
                f"{seconds / baseline:.2f}× (target ≤ {target}×)",
            )
        )
    seconds = wall([py, "-m", "symbrnn", "expand", "--T", "200", "--format", "latex"], repeat)
    rows.append(
        (
            "`expand --T 200 --format latex` vs `import sympy`",
            f"{seconds:.2f} s",
            f"{seconds / baseline:.1f}× (target ≤ 3×)",
        )
    )
    seconds, mb = peak_memory([py, "-m", "symbrnn", "expand", "--T", "500", "--format", "json"])
    rows.append(
        (
            "`expand --T 500 --format json` (125 250 rows, streamed)",
            f"{seconds:.1f} s, peak {mb:.0f} MB",
            "target < 200 MB",
        )
    )
    with __import__("tempfile").TemporaryDirectory() as tmp:
        import csv

        answers = str(__import__("pathlib").Path(tmp) / "answers.csv")
        with open(answers, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["student", "quantity", "answer"])
            for i in range(500):
                w.writerow(
                    [
                        f"s{i}",
                        "dh_3/dh_1",
                        [
                            "Diag(sigma'(a_3)) W Diag(sigma'(a_2)) W",
                            "Diag(sigma'(a_2)) W Diag(sigma'(a_3)) W",
                        ][i % 2],
                    ]
                )
        seconds = wall([py, "-m", "symbrnn", "grade", answers, "-o", answers + ".out.csv"], repeat)
        rows.append(
            (
                "`grade` of 500 answers vs `import sympy`",
                f"{seconds:.1f} s ({500 / seconds:.0f} answers/s)",
                f"{seconds / baseline:.1f}× (target ≤ 6×)",
            )
        )
    with __import__("tempfile").TemporaryDirectory() as tmp:
        sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
        from classroom import write_class

        answers = str(__import__("pathlib").Path(tmp) / "class.csv")
        count = write_class(answers, students=200, questions=14)
        for jobs, label in (("0", "one worker per core"), ("1", "one process")):
            seconds = wall(
                [py, "-m", "symbrnn", "grade", answers, "-o", answers + ".out.csv", "--jobs", jobs],
                1,
            )
            rows.append(
                (
                    f"`grade` of a class, 200 students × 14 questions ({count} answers, "
                    f"`benchmarks/classroom.py`), {label}",
                    f"{seconds:.1f} s ({count / seconds:.0f} answers/s)",
                    "target < 10 s",
                )
            )
    seconds = wall([py, "-m", "symbrnn", "verify", "--cell", "lstm", "--T", "10"], 1)
    rows.append(("`verify --cell lstm --T 10`", f"{seconds:.1f} s", "target < 10 s"))
    for T, target in ((50, 5), (200, 30)):
        seconds = wall([py, "-m", "symbrnn", "expand", "--T", str(T)], 1)
        rows.append(
            (
                f"`expand --T {T}` ({T * (T + 1) // 2} terms)",
                f"{seconds:.1f} s",
                f"target < {target} s",
            )
        )

    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        tex = str(Path(tmp) / "td5.tex")
        seconds = wall([py, "-m", "symbrnn", "sheet", "td5", "-o", tex], 1)
        rows.append(("`sheet td5` (.tex)", f"{seconds:.1f} s", "target < 10 s"))
        seconds = wall([py, "-m", "symbrnn", "sheet", "td5", "-o", tex, "--pdf"], 1)
        rows.append(("`sheet td5 --pdf` (.tex and PDF)", f"{seconds:.1f} s", "target < 30 s"))

    from symbrnn.engine.activations import generic
    from symbrnn.engine.cells import lstm, simple_rnn
    from symbrnn.proof.verify import verify_gradient, verify_jacobian

    rnn = simple_rnn(generic)
    for T in (8,):
        s, r = timed(lambda T=T: verify_jacobian(rnn, "h", t=T, k=1, method="random"))
        g, q = timed(lambda T=T: verify_gradient(rnn, "W", T=T, method="random"))
        rows.append(
            (
                f"verify RNN (φ generic) n=2 d=1 T={T}: ∂h_{T}/∂h_1 and ∂L/∂W, random-point exact test",
                f"{s + g:.2f} s",
                f"{'equal' if r.equal and q.equal else 'NOT EQUAL'} (target < 10 s)",
            )
        )
    s, r = timed(lambda: verify_jacobian(lstm(), "c", t=5, k=1, method="random"))
    g, q = timed(lambda: verify_gradient(lstm(), "W_f", T=5, method="random"))
    rows.append(
        (
            "verify LSTM n=2 d=1 T=5: ∂c_5/∂c_1 and ∂L/∂W_f, random-point exact test",
            f"{s + g:.2f} s",
            f"{'equal' if r.equal and q.equal else 'NOT EQUAL'} (target < 10 s)",
        )
    )

    growth = []
    for T in range(2, 7 if not args.quick else 6):
        e, _ = timed(lambda T=T: verify_jacobian(rnn, "h", t=T, k=1, method="exact"))
        n, _ = timed(lambda T=T: verify_jacobian(rnn, "h", t=T, k=1, method="naive"))
        p, _ = timed(lambda T=T: verify_jacobian(rnn, "h", t=T, k=1, method="random"))
        growth.append((T, n, e, p))
    table = " · ".join(f"T={T}: {n:.2f} / {e:.2f} / {p:.2f}" for T, n, e, p in growth)
    rows.append(("RNN ∂h_T/∂h_1, seconds naive / exact / random", table, "naive grows fastest"))
    grad_rows = []
    for T in range(2, 6):
        n, _ = timed(lambda T=T: verify_gradient(rnn, "W", T=T, method="naive"))
        p, _ = timed(lambda T=T: verify_gradient(rnn, "W", T=T, method="random"))
        grad_rows.append(f"T={T}: {n:.2f} / {p:.2f}")
    rows.append(
        ("RNN ∂L/∂W, seconds naive (diff of the inlined loss) / random", " · ".join(grad_rows), "")
    )
    for T in (2, 3):
        n, _ = timed(lambda T=T: verify_jacobian(lstm(), "c", t=T, k=1, method="naive"))
        p, _ = timed(lambda T=T: verify_jacobian(lstm(), "c", t=T, k=1, method="random"))
        rows.append(
            (
                f"LSTM ∂c_{T}/∂c_1: naive baseline vs random-point test",
                f"{n:.2f} s vs {p:.2f} s",
                f"{n / p:.0f}× faster",
            )
        )

    from derivation import rows as derivation_rows  # benchmarks/derivation.py

    rows += derivation_rows(repeat)
    from variants import rows as variants_rows  # benchmarks/variants.py

    rows += variants_rows(20)
    from grade_class import rows as grade_class_rows  # benchmarks/grade_class.py

    rows += grade_class_rows(2000)

    import os
    import platform

    print(
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average before the run {before_load}; best of {repeat} runs for the ratios.\n"
    )
    print("| measurement | result | note |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
