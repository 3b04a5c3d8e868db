"""Issue 24: `symbrnn spectral` on 4×4 float matrices answers within 2× `import sympy`.

    python benchmarks/spectral.py

Random 4×4 decimal matrices (generic, defective-looking, non-normal, nilpotent-like),
each `spectral` run beside `python -c "import sympy"` in the same session; best of 3.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from run import wall  # the best wall time of a command, as every benchmark measures it


def matrices():
    rng = np.random.default_rng(24)
    yield "generic", np.round(rng.uniform(-1, 1, (4, 4)), 2)
    yield (
        "upper triangular, repeated eigenvalue",
        np.round(np.triu(rng.uniform(-1, 1, (4, 4)), 1) + 0.37 * np.eye(4), 3),
    )
    yield (
        "non-normal, tiny entries",
        np.array([[5e-7, 1e-5, 0, 0], [0, 5e-7, 1e-5, 0], [0, 0, 5e-7, 0], [0, 0, 0, 0.3]]),
    )
    yield (
        "strictly upper (nilpotent), decimals",
        np.round(np.triu(rng.uniform(-2, 2, (4, 4)), 1), 3),
    )


def main() -> None:
    py = sys.executable
    base = wall([py, "-c", "import sympy"], 3)
    print("| 4×4 float W | `spectral` | vs `import sympy` |\n|---|---|---|")
    for name, W in matrices():
        t = wall([py, "-m", "symbrnn", "spectral", "--W", json.dumps(W.tolist())], 3)
        print(
            f"| {name} | {t:.2f} s | {t / base:.2f}× (`import sympy` {base:.2f} s; target ≤ 2×) |"
        )


if __name__ == "__main__":
    main()
