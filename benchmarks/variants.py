"""A class's sheets: twenty variants written and compiled in one command, against compiling
the same twenty .tex files with one bare pdflatex pass each, one after another: the question
sheets (``--no-answers``) and the keys (with answers, whose figures are referred to by
number: a second pass from a fresh folder, one where a compiled variant's .aux is reused).

    python benchmarks/variants.py            # 20 variants
    python benchmarks/variants.py --count 40

Target (issues 22 and 38): the one command takes at most 1.0× the bare passes' time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _timed(command: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def measure(count: int, answers: bool) -> tuple[str, str, str]:
    """One row: the batch command against one bare pass of each .tex file it wrote."""
    flags = [] if answers else ["--no-answers"]
    with tempfile.TemporaryDirectory() as tmp:
        folder, plain = Path(tmp) / "class", Path(tmp) / "plain"
        command = ["sheet", "td5", "--variants", f"1-{count}", *flags, "--pdf", "-o", str(folder)]
        batch = _timed([sys.executable, "-m", "symbrnn", *command], check=True)
        plain.mkdir()
        passes = sum(
            _timed(
                [
                    "pdflatex",
                    "-interaction=batchmode",
                    "-no-shell-escape",
                    "-output-directory",
                    str(plain),
                    str(tex),
                ],
                check=False,
            )
            for tex in sorted(folder.glob("*.tex"))
        )
    what = "keys, with answers" if answers else "question sheets"
    return (
        f"`sheet td5 --variants 1-{count} {' '.join([*flags, '--pdf'])}` ({what}) vs one bare "
        "`pdflatex` pass of each of its .tex files, one after another",
        f"{batch:.1f} s vs {passes:.1f} s",
        f"{batch / passes:.2f}× (target ≤ 1.0×)",
    )


def rows(count: int = 20) -> list[tuple[str, str, str]]:
    return [measure(count, answers=False), measure(count, answers=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    print("| measurement | result | note |\n|---|---|---|")
    for row in rows(args.count):
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
