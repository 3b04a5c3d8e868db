"""A class's question sheets: twenty variants written and compiled in one command, against
compiling the same twenty .tex files with one pdflatex pass each, one after another.

    python benchmarks/variants.py            # 20 variants
    python benchmarks/variants.py --count 40

Target (issue 22): the one command takes at most 1.0× the plain passes' time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def rows(count: int = 20) -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class"
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "symbrnn",
                "sheet",
                "td5",
                "--variants",
                f"1-{count}",
                "--no-answers",
                "--pdf",
                "-o",
                str(folder),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        batch = time.perf_counter() - start
        plain = Path(tmp) / "plain"
        plain.mkdir()
        start = time.perf_counter()
        for tex in sorted(folder.glob("*.tex")):
            subprocess.run(
                [
                    "pdflatex",
                    "-interaction=batchmode",
                    "-no-shell-escape",
                    "-output-directory",
                    str(plain),
                    str(tex),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        passes = time.perf_counter() - start
    return [
        (
            f"`sheet td5 --variants 1-{count} --no-answers --pdf` vs one `pdflatex` pass of each "
            "of its .tex files, one after another",
            f"{batch:.1f} s vs {passes:.1f} s",
            f"{batch / passes:.2f}× (target ≤ 1.0×)",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    print("| measurement | result | note |\n|---|---|---|")
    for row in rows(args.count):
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
