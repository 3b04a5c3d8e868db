"""A five-member derivation against one check of its last member, in the same run.

    python benchmarks/derivation.py            # best of 5 runs of each command
    python benchmarks/derivation.py --repeat 3

Target (issue 21): the derivation costs at most 1.5× the one-member check. Both are
right answers of the simple RNN (∂h_4/∂h_1) and of its gradient (∂L/∂W, T = 3), so the
check judges every member; the wrong case runs the diagnosis of its first wrong step.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

D = r"\operatorname{Diag}(\sigma'(a_%d))"
JACOBIAN = [
    r"\frac{\partial h_4}{\partial h_3}\frac{\partial h_3}{\partial h_2}\frac{\partial h_2}{\partial h_1}",
    f"{D % 4} W {D % 3} W {D % 2} W",
    r"\prod_{j=2}^{4} \operatorname{Diag}(\sigma'(a_j)) W",
    r"\left[\operatorname{Diag}(\sigma') W\right]^{3}",
    r"\prod_{j=2}^{4} \operatorname{Diag}(h_j \odot (1 - h_j)) W",
]
PARTS = r"\frac{\partial L_t}{\partial h_t}\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}"
GRADIENT = [
    r"\sum_{t=1}^{3}\sum_{k=1}^{t}" + PARTS,
    r"\sum_{t=1}^{3}\frac{\partial L_t}{\partial h_t}\sum_{k=1}^{t}\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}",
    r"\sum_{t=1}^{3}\sum_{k=1}^{t}\frac{\partial L_t}{\partial h_t}\left(\prod_{j=k+1}^{t}"
    r"\operatorname{Diag}(\sigma'(a_j)) W\right)\frac{\partial^+ h_k}{\partial W}",
    r"\sum_{t=1}^{3}\frac{\partial L_t}{\partial h_t}\left(\sum_{k=1}^{t}"
    r"[\operatorname{Diag}(\sigma')W]^{t-k}\frac{\partial^+ h_k}{\partial W}\right)",
    r"\sum_{t=0}^{3}\sum_{k=1}^{t}" + PARTS,
]


def wall(cmd: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def rows(repeat: int) -> list[tuple[str, str, str]]:
    py = [sys.executable, "-m", "symbrnn", "check"]
    out = []
    cases = [
        ("∂h_4/∂h_1", ["-q", "dh_4/dh_1"], JACOBIAN),
        ("∂L/∂W, T = 3", ["-q", "dL/dW", "--T", "3"], GRADIENT),
        (
            "∂h_4/∂h_1, step 3 wrong",
            ["-q", "dh_4/dh_1"],
            [*JACOBIAN[:2], JACOBIAN[2].replace("j=2", "j=1"), *JACOBIAN[3:]],
        ),
    ]
    for label, quantity, members in cases:
        whole = wall([*py, *quantity, "-a", "\n= ".join(members)], repeat)
        last = wall([*py, *quantity, "-a", members[-1]], repeat)
        out.append(
            (
                f"`check` of a five-member derivation ({label}) vs its last member alone",
                f"{whole:.2f} s vs {last:.2f} s",
                f"{whole / last:.2f}× (target ≤ 1.5×)",
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("| measurement | result | note |\n|---|---|---|")
    for row in rows(args.repeat):
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
