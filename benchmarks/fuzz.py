"""Throw generated bad input at every parser and count what is not one of symbrnn's own errors.

    python benchmarks/fuzz.py              # 10 000 answers, 10 000 summaries, 3 000 SPECs, 500 sheets
    python benchmarks/fuzz.py --scale 0.05 # a quick run

Each input must end in a result or a ``SymbrnnError`` (one line, exit 2 in the CLI);
anything else is a crash and is printed. An input that takes more than 3 s is a hang.
Exit status 1 when there is a crash or a hang.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from symbrnn.errors import SymbrnnError

HANG_SECONDS = 3.0
ROOT = Path(__file__).resolve().parents[1]


def answers(rng: random.Random, count: int):
    from symbrnn.judge.check import check_answer
    from symbrnn.judge.mutations import mutated_answers

    for cell, quantity, answer, options in mutated_answers(seed=rng.randrange(10**6), count=count):
        yield (
            "answer",
            answer,
            lambda c=cell, q=quantity, a=answer, o=options: check_answer(c, q, a, **o),
        )


SUMMARY_ROWS = [
    "| input_1 (InputLayer) | (None, 12, 72) | 0 |",
    "| lstm (LSTM) | (None, 12, 100) | 69,200 |",
    "| gru_1 (GRU) | (None, 5, 1) | 999,999,999,999 |",
    " simple_rnn (SimpleRNN)   (None, 100)   20100 ",
    "│ dense (Dense)    │ (None, 8)   │ 808 │",
    " bidirectional (Bidirectiona  (None, 200)   160800   ['lstm[0][0]']",
    "Total params: 150,408",
]
SUMMARY_NOISE = [
    "()",
    "(None)",
    "(None, 0)",
    "(None, None)",
    " " * 8000,
    "9" * 40,
    "|",
    "(",
    "InputLayer",
]


def summaries(rng: random.Random, count: int):
    from symbrnn.counts.summary import explain_summary

    for _ in range(count):
        lines = [rng.choice(SUMMARY_ROWS) for _ in range(rng.randrange(1, 6))]
        for _ in range(rng.randrange(0, 4)):
            i = rng.randrange(len(lines))
            line, noise = lines[i], rng.choice(SUMMARY_NOISE)
            cut = rng.randrange(len(line) + 1)
            lines[i] = line[:cut] + noise + line[cut:]
        text = "\n".join(lines)
        yield "summary", text, lambda t=text: explain_summary(t)


def specs(rng: random.Random, count: int):
    from symbrnn.io import parse_json
    from symbrnn.numeric.evaluate import evaluate_spec

    base = {"cell": "rnn", "n": 1, "d": 1, "T": 2, "W": [[0.5]], "U": [[1]]}
    base |= {"x": [[1], [0]], "y": [[0], [0]], "h0": [0]}
    values = [None, True, -1, 0, 10**6, 1e308, "x", [], {}, [[1, 2]], [[None]], "NaN", 2**70]
    for _ in range(count):
        spec = dict(base)
        if rng.random() < 0.3:
            spec["cell"] = rng.choice(["lstm", "gru", "rnn", "tcn", 3])
        for _ in range(rng.randrange(1, 4)):
            key = rng.choice([*base, "activation", "loss_steps", "reset_after", "b", "typo"])
            spec[key] = rng.choice(values)
        text = json.dumps(spec)
        if rng.random() < 0.2:
            cut = rng.randrange(len(text))
            text = (
                text[:cut]
                + rng.choice(["NaN", "Infinity", "9" * 5000, "[" * 3000, "}"])
                + text[cut:]
            )
        yield "spec", text, lambda t=text: evaluate_spec(parse_json(t, "SPEC"))


def sheets(rng: random.Random, count: int, folder: Path):
    from symbrnn.sheets.render import render_sheet

    source = (ROOT / "tests" / "data" / "mini_sheet.toml").read_text(encoding="utf-8").splitlines()
    inserts = [
        "((( cycler.__init__.__globals__ )))",
        "((( r.nothing )))",
        "((* for i in range(10**8) *))x((* endfor *))",
        "\\\\input{/etc/hostname}",
        "[sizes]",
        "T = 500",
        "id = 3",
        "((( 1/0 )))",
        '"""',
        "((*",
    ]
    for i in range(count):
        lines = list(source)
        for _ in range(rng.randrange(1, 4)):
            j = rng.randrange(len(lines))
            if rng.random() < 0.5:
                del lines[j]
            else:
                lines[j] = lines[j] + rng.choice(inserts)
        path = folder / f"s{i}.toml"
        path.write_text("\n".join(lines), encoding="utf-8")
        yield "sheet", str(path), lambda p=str(path): render_sheet(p)


# Commands a shared sheet must never reach, and every way TeX (or the template) can spell one.
REFUSED = [
    "pdfobj", "input", "openin", "write", "immediate", "csname", "catcode", "scantokens",
    "pdffiledump", "pdfximage", "special", "UseName", "ExplSyntaxOn", "def", "let",
    "openout", "read", "include", "usepackage", "pgfimage", "includegraphics",
]  # fmt: skip
SPELLINGS = [
    r"\{c}", r"\UseName{{{c}}}", r"\use:c {{{c}}}", r"\csname {c}\endcsname",
    r"\begin{{{c}}}x\end{{{c}}}", r"\begin {{{c}}}", r"^^5c{c}", r"^^5C{c}", r"\^^5c{c}",
    r"\tex_{c}:D", r"\ExplSyntaxOn \tex_{c}:D", r"((( '\\' ~ '{c}' )))",
    r"((( '\x5c{c}' )))", r"((( '\u005c{c}' )))", r"((( ['\\', '{c}'] | join )))",
    r"((( '\\{c}' | replace('x', 'y') )))", r"((( '%c{c}' % 92 )))",
    r"((( '{{}}{c}'.format('\\') )))", r"\catcode`\|=0 |{c}", r"\UseName{{catcode}}124=0 |{c}",
    r"}}\{c}{{", r"\expandafter\{c}", r"\lowercase{{\{c}}}", r"\{c}%", "x %\n\\{c}",
    r"\@@{c}", r"\string\{c}", r"((( '\\' * 1 ~ '{c}' )))", r"((( ('\\' ~ '{c}') | center(20) )))",
]  # fmt: skip
# (a line of the mini sheet, what replaces it): the attack lands in an answer, a title, a label
FIELDS = [
    ('answer.en = "\\\\[ ((( r.bptt.step ))) \\\\]"', "answer.en = '''{x}'''"),
    ('en = "Mini sheet: one BPTT step"', "en = '''{x}'''"),
    ('answer = "Answer"', "answer = '''{x}'''"),
]


def latex_attacks(folder: Path):
    """Each refused command spelled every way above, in an answer, a title and a label:
    every one must be refused (an admitted one is a leak)."""
    from symbrnn.sheets.render import render_sheet

    source = (ROOT / "tests" / "data" / "mini_sheet.toml").read_text(encoding="utf-8")
    i = 0
    for command in REFUSED:
        for spelling in SPELLINGS:
            attack = spelling.format(c=command)
            # titles and labels are not templates: a template spelling is plain text there
            for anchor, replacement in FIELDS[:1] if "(((" in attack else FIELDS:
                if anchor not in source:
                    raise SystemExit(f"fuzz.py: the mini sheet has no {anchor!r}")
                text = source.replace(anchor, replacement.replace("{x}", attack), 1)
                path = folder / f"a{i}.toml"
                i += 1
                path.write_text(text, encoding="utf-8")
                yield "latex", attack, lambda p=str(path): render_sheet(p, lang="en")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count (default 1)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    def n(count):
        return max(int(count * args.scale), 1)

    crashes: Counter = Counter()
    hangs: list = []
    leaks: list = []
    outcomes: Counter = Counter()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        generators = [
            answers(rng, n(10_000)),
            summaries(rng, n(10_000)),
            specs(rng, n(3_000)),
            sheets(rng, n(500), Path(folder)),  # a sheet renders in ~0.1 s: fewer
        ]
        attacks = latex_attacks(Path(folder))
        if args.scale < 1:
            step = max(int(1 / args.scale), 1)
            attacks = (a for k, a in enumerate(attacks) if k % step == 0)
        generators.append(attacks)
        for generator in generators:
            for kind, text, run in generator:
                t0 = time.process_time()  # CPU time: a hang spins; a loaded machine only waits
                try:
                    run()
                    outcomes[kind, "result"] += 1
                    if kind == "latex":
                        leaks.append(text)
                except SymbrnnError:
                    outcomes[kind, "refused"] += 1
                except BaseException as exc:  # what this script exists to find
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    crashes[kind, type(exc).__name__] += 1
                    if sum(crashes.values()) <= 5:
                        print(f"crash on {kind} {text[:120]!r}:", file=sys.stderr)
                        traceback.print_exc(limit=3)
                seconds = time.process_time() - t0
                if seconds > HANG_SECONDS:
                    hangs.append((kind, round(seconds, 1), text[:80]))
    total = sum(outcomes.values()) + sum(crashes.values())
    print(f"{total} inputs in {time.perf_counter() - start:.0f} s")
    for (kind, what), n in sorted(outcomes.items()):
        print(f"  {kind:8} {what:8} {n}")
    print(f"crashes: {sum(crashes.values())} {dict(crashes) if crashes else ''}")
    print(f"hangs over {HANG_SECONDS:.0f} s: {len(hangs)} {hangs[:5] if hangs else ''}")
    print(f"LaTeX attacks admitted: {len(leaks)} {leaks[:5] if leaks else ''}")
    return 1 if crashes or hangs or leaks else 0


if __name__ == "__main__":
    sys.exit(main())
