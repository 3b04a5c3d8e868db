"""The judge in a warm process (the server, ``grade``): right and wrong answers, median and p99.

    python benchmarks/judge_warm.py              # td5's variant 1, every checkable question
    python benchmarks/judge_warm.py --seed 2 --repeat 3
    python benchmarks/judge_warm.py --clock cpu  # CPU ms: steadier on a shared machine
    python benchmarks/judge_warm.py --freeze     # the warm objects out of the collector's way

Target (issue 35): a right answer in about 2 ms, a distinct wrong answer with one mistake
in ≤ 15 ms, overall and for each question (its p99 shown beside it). Wrong answers are the
key with each row of the table of mistakes made on it (the exam's distractors) and, for
∂L/∂W, on one (t, k) term of its sum, each judged once after a first round that warms the
process (the tables, the parser): every answer of the timed round is distinct from the
others of its question.
"""

from __future__ import annotations

import argparse
import statistics
import time

ONE_TERM = 40  # slips inside one term of ∂L/∂W judged per gradient question


def cases(seed: int):
    """(question id, check options, key's LaTeX, wrong answers' LaTeX) of one variant."""
    from symbrnn.engine.cells import make_cell
    from symbrnn.engine.derive import Derivation
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.judge.expected import answer_expression, reference
    from symbrnn.judge.mistakes import Context, mistaken_forms
    from symbrnn.judge.points import cached_points
    from symbrnn.printing.latex import latex
    from symbrnn.sheets.variants import variant_json

    for question in variant_json("td5", seed)["questions"]:
        if not question["checkable"]:
            continue
        o = question["check"]
        cell = make_cell(
            o["cell"],
            bias=o.get("bias", True),
            activation=o.get("activation"),
            reset_after=o.get("reset_after", False),
            allow_files=False,
        )
        q = parse_quantity(o["quantity"], allow_input=True)
        D = Derivation.of(cell)
        T, paths = o.get("T"), o.get("paths") or "all"
        ref = reference(D, q, T=T if q.kind == "gradient" else None, paths=paths)
        points = cached_points(D, max(int(T or 1), 1))
        ctx = Context(ref=ref, points=points, D=D, q=q, cell=cell, T=T, paths=paths)
        wrong = {latex(e) for _, e, _ in mistaken_forms(answer_expression(D, q, ref), ctx)}
        if q.kind == "gradient":  # a single slip inside one (t, k) term of the sum
            from symbrnn.judge.lookup import _in_one_term

            slips = sorted({latex(e) for _, e, _, _ in _in_one_term(ctx, [0])})
            wrong |= set(slips[:: max(1, len(slips) // ONE_TERM)])
        wrong = sorted(wrong)
        kwargs = {"T": T, "paths": paths, "hypothesis": o.get("hypothesis")}
        yield question["id"], cell, o["quantity"], kwargs, question["answer_latex"], wrong


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
clock = CLOCKS["wall"]


def timed(cell, quantity, answer, kwargs) -> tuple[float, str]:
    from symbrnn.judge.check import check_answer
    from symbrnn.judge.notation import AnswerParseError

    start = clock()
    try:
        outcome = check_answer(cell, quantity, answer, **kwargs).outcome
    except AnswerParseError:
        outcome = "unreadable"
    return (clock() - start) * 1000, outcome


def p99(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.99 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="right answers judged per question")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="wall time, or this process's CPU time (steadier on a loaded machine)",
    )
    parser.add_argument(
        "--freeze",
        action="store_true",
        help="gc.freeze() after the warm round (the collector no longer walks the warm "
        "tables: its full passes, ~90 ms each, are most of the p99)",
    )
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    all_cases = list(cases(args.seed))
    for _, cell, quantity, kwargs, key, wrong in all_cases:  # warm: parser, points, tables
        timed(cell, quantity, key, kwargs)
        while wrong and timed(cell, quantity, wrong.pop(), kwargs)[1] != "not_equivalent":
            pass  # the first wrong answer builds the question's table: it is not timed
    if args.freeze:
        import gc

        gc.collect()
        gc.freeze()
    right, wrong_ms = [], []
    print(f"{'question':10} {'right (ms)':>12} {'wrong (ms)':>12} {'p99':>8} {'wrong answers':>14}")
    for qid, cell, quantity, kwargs, key, wrong in all_cases:
        r = [timed(cell, quantity, key, kwargs)[0] for _ in range(args.repeat)]
        w = [
            ms
            for ms, outcome in (timed(cell, quantity, a, kwargs) for a in wrong)
            if outcome == "not_equivalent"
        ]
        right += r
        wrong_ms += w
        shown = f"{statistics.median(w):12.1f} {p99(w):8.1f}" if w else f"{'-':>12} {'-':>8}"
        print(f"{qid:10} {statistics.median(r):12.1f} {shown} {len(w):14d}")
    print(f"right: median {statistics.median(right):.1f} ms, p99 {p99(right):.1f} ms")
    if wrong_ms:
        print(
            f"wrong: median {statistics.median(wrong_ms):.1f} ms, p99 {p99(wrong_ms):.1f} ms "
            f"({len(wrong_ms)} distinct answers)"
        )


if __name__ == "__main__":
    main()
