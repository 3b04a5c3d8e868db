"""A class's sheets in one command: one file per variant seed, and a table for the assistants.

``symbrnn sheet td5 --variants 1-200 --no-answers -o class/`` writes
``class/td5-questions-0001.tex`` … and ``class/variants.html``: per seed, the sizes, the
parameter counts of the three models, T, the activation, and L and ∇_W L of the
sheet's numeric example (what an assistant needs to mark a copy by hand). LaTeX runs in
``jobs`` processes while the next sheets are written.

>>> parse_seeds("1-3,7")
[1, 2, 3, 7]
"""

from __future__ import annotations

import html
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from symbrnn.errors import InputError
from symbrnn.sheets.spec import MAX_SEED

MAX_VARIANTS = 2_000
_RANGE = re.compile(r"(\d{1,10})(?:-(\d{1,10}))?")


def parse_seeds(text: str) -> list[int]:
    """Seeds written ``1-200`` or ``1,4,9-12``: in order, each once; one line for anything else."""
    seeds: list[int] = []
    for part in str(text).replace(" ", "").split(","):
        m = _RANGE.fullmatch(part)
        if not m:
            raise InputError(f"⟨variants⟩ {text[:40]!r}: write seeds as 1-200 or 1,4,9-12")
        lo, hi = int(m[1]), int(m[2] or m[1])
        if hi < lo or hi > MAX_SEED:
            raise InputError(f"⟨variants⟩ {part!r}: a range low-high with low ≤ high < 2³²")
        if len(seeds) + hi - lo + 1 > MAX_VARIANTS:
            raise InputError(f"⟨variants⟩: at most {MAX_VARIANTS:,} sheets at once")
        seeds.extend(range(lo, hi + 1))
    return list(dict.fromkeys(seeds))


def file_name(sheet: str, seed: int, lang: str, answers: bool, width: int) -> str:
    stem = Path(sheet).stem
    return f"{stem}-{lang}{'' if answers else '-questions'}-{seed:0{width}d}.tex"


def write_variants(
    sheet: str,
    seeds: list[int],
    folder: Path,
    *,
    lang: str | None,
    answers: bool,
    pdf: bool,
    jobs: int,
    trusted: bool = False,
    progress=None,
    teacher_notes: bool = False,
) -> list[Path]:
    """Write one sheet per seed into ``folder`` (and its PDF), then the assistants' table.
    Every file is written atomically; the first error stops the batch with one line."""
    from symbrnn.io import write_all, write_atomic
    from symbrnn.sheets.compile import compile_tex
    from symbrnn.sheets.render import render_sheet
    from symbrnn.sheets.sandbox import is_shared
    from symbrnn.sheets.spec import load_sheet

    spec = load_sheet(sheet)
    lang = lang or spec.data["sheet"].get("default_lang", "fr")
    width = max(4, len(str(max(seeds))))
    written: list[Path] = []
    pending = []

    def finish(job):
        target, tex, future = job
        document = future.result() if future is not None else None
        files = (
            {target: tex}
            if document is None
            else {target: tex, target.with_suffix(".pdf"): document}
        )
        write_all(files, lang=lang)  # the .tex and the .pdf land together, or neither does
        written.extend(files)
        if progress is not None:
            progress(1)

    with ThreadPoolExecutor(max_workers=max(jobs, 1)) as pool:
        for seed in seeds:
            tex = render_sheet(
                sheet,
                lang=lang,
                answers=answers,
                variant_seed=seed,
                trusted=trusted,
                teacher_notes=teacher_notes,
            )
            target = folder / file_name(sheet, seed, lang, answers, width)
            shared = is_shared(sheet, trusted)  # not built in: compiled in the sandbox
            future = pool.submit(compile_tex, tex, target.name, shared=shared) if pdf else None
            pending.append((target, tex, future))
            while len(pending) > 2 * max(jobs, 1):  # keep LaTeX busy, memory bounded
                finish(pending.pop(0))
        for job in pending:
            finish(job)
    table = folder / "variants.html"
    write_atomic(table, variants_page(sheet, seeds, lang))
    written.append(table)
    return written


def variant_row(spec, seed: int) -> dict:
    """One row of the assistants' table, every number derived for the seed."""
    from symbrnn.counts.params import sheet_models
    from symbrnn.numeric.evaluate import evaluate_spec
    from symbrnn.sheets.results_gradients import example_case
    from symbrnn.sheets.spec import sheet_sizes

    sizes = sheet_sizes(spec, seed)
    row = {
        "seed": seed,
        "timesteps": sizes.get("timesteps"),
        "features": sizes.get("features"),
        "units": ", ".join(str(u) for u in sizes.get("units", [])),
        "classes": sizes.get("classes"),
        "T": sizes.get("T"),
        "activation": sizes.get("activation"),
    }
    if all(k in sizes for k in ("timesteps", "features", "units", "classes")):
        models = sheet_models(
            timesteps=sizes["timesteps"],
            features=sizes["features"],
            units=sizes["units"],
            classes=sizes["classes"],
        )
        row |= {f"params {cell}": model.total for cell, model in models.items()}
    try:
        case = example_case(sizes)
    except (KeyError, TypeError):  # no numeric example, or one shorter than T: no L column
        return row
    out = evaluate_spec(case)
    row["L"] = f"{float(out['L']):.4f}"
    row["∇_W L"] = "; ".join(" ".join(f"{float(v):.4f}" for v in r) for r in out["grad"]["W"])
    return row


def variants_page(sheet: str, seeds: list[int], lang: str) -> str:
    """The assistants' page: one row per variant, offline, no script."""
    from symbrnn.sheets.spec import load_sheet

    spec = load_sheet(sheet)
    rows = [variant_row(spec, s) for s in seeds]
    columns = list(dict.fromkeys(k for r in rows for k in r))
    title = {"fr": "Variantes de la feuille", "en": "Variants of the sheet"}.get(lang, "Variants")
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape(str(r.get(c, '')))}</td>" for c in columns) + "</tr>"
        for r in rows
    )
    name = html.escape(str(spec.data["sheet"].get("id", Path(sheet).stem)))
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title} {name}</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:2px 6px;text-align:right}</style></head>\n"
        f"<body><h1>{title} {name}</h1>\n<table><thead><tr>{head}</tr></thead>\n<tbody>\n"
        f"{body}\n</tbody></table></body></html>\n"
    )
