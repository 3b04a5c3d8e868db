"""A class's sheets in one command: one file per variant seed, and a table for the assistants.

``symbrnn sheet td5 --variants 1-200 --no-answers -o class/`` writes
``class/td5-questions-0001.tex`` … and ``class/variants.html``: per seed, the sizes, the
parameter counts of the three models, T, the activation, and L and ∇_W L of the
sheet's numeric example (what an assistant needs to mark a copy by hand). LaTeX runs in
``jobs`` processes while the next sheets are written; each compile starts from the ``.aux``
of a variant already compiled (``Seeds``), so that one pass suffices where the layout is
the same (``compile_seeded`` checks it).

>>> parse_seeds("1-3,7")
[1, 2, 3, 7]
"""

from __future__ import annotations

import html
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from symbrnn.errors import InputError
from symbrnn.sheets.spec import MAX_SEED, load_sheet, sheet_sizes

MAX_VARIANTS = 2_000
_RANGE = re.compile(r"(\d{1,10})(?:-(\d{1,10}))?")


def parse_seeds(text: str) -> list[int]:
    """Seeds written ``1-200`` or ``1,4,9-12``: in order, each once; one line for anything else."""
    seeds: list[int] = []
    for part in str(text).replace(" ", "").split(","):
        m = _RANGE.fullmatch(part)
        if not m:
            raise InputError.said("sheet.error.seeds", text=repr(text[:40]))
        lo, hi = int(m[1]), int(m[2] or m[1])
        if hi < lo or hi > MAX_SEED:
            raise InputError.said("sheet.error.seed_range", part=repr(part))
        if len(seeds) + hi - lo + 1 > MAX_VARIANTS:
            raise InputError.said("sheet.error.seeds_many", top=MAX_VARIANTS)
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
    with_keys: bool = False,
) -> list[Path]:
    """Write one sheet per seed into ``folder`` (and its PDF), then the assistants' table.
    ``with_keys``: each question sheet's key beside it, written with it (all or none).
    Every file is written atomically; the first error stops the batch with one line."""
    from symbrnn.io import write_atomic
    from symbrnn.sheets.sandbox import is_shared

    spec = load_sheet(sheet)
    lang = lang or spec.data["sheet"].get("default_lang", "fr")
    width = max(4, len(str(max(seeds))))
    written, pending, links, seeds_aux = [], [], {}, Seeds()
    kinds = (answers, True) if with_keys and not answers else (answers,)
    suffix = ".pdf" if pdf else ".tex"

    def finish(job):
        written.extend(_write_job(job, lang))
        if progress is not None:
            progress(1)

    with ThreadPoolExecutor(max_workers=max(jobs, 1)) as pool:
        shared = is_shared(sheet, trusted)  # not built in: compiled in the sandbox

        def compile_pdf(tex, name, kind):
            return pool.submit(seeds_aux.compile, tex, name, shared=shared, kind=kind)

        for seed in seeds:
            job = [
                (target, tex, compile_pdf(tex, target.name, key) if pdf else None)
                for key, target, tex in _rendered(
                    sheet, seed, kinds, folder, width, lang, trusted, teacher_notes
                )
            ]
            names = [t.with_suffix(suffix).name for t, _, _ in job]  # the question sheet first
            links[seed] = dict(zip(["key" if answers else "sheet", "key"], names, strict=False))
            pending.append(job)
            while len(pending) > 2 * max(jobs, 1):  # keep LaTeX busy, memory bounded
                finish(pending.pop(0))
        for job in pending:
            finish(job)
    table = folder / "variants.html"
    write_atomic(table, variants_page(sheet, seeds, lang, links))
    written.append(table)
    return written


def _rendered(sheet, seed, kinds, folder, width, lang, trusted, teacher_notes):
    """A seed's sheets, each kind (``True``: the key) with its file in ``folder``."""
    from symbrnn.sheets.render import render_sheet

    for key in kinds:
        tex = render_sheet(
            sheet,
            lang=lang,
            answers=key,
            variant_seed=seed,
            trusted=trusted,
            teacher_notes=teacher_notes and key,
        )
        yield key, folder / file_name(sheet, seed, lang, key, width), tex


def _write_job(job, lang: str) -> list[Path]:
    """A seed's .tex files and their PDFs, written together or not at all."""
    from symbrnn.io import write_all

    files = {}
    for target, tex, future in job:
        files[target] = tex
        if future is not None:
            files[target.with_suffix(".pdf")] = future.result()
    write_all(files, lang=lang)
    return list(files)


class Seeds:
    """The final ``.aux`` of the variants compiled so far, by kind (key or question sheet)
    and layout (the source's lines without their numbers): each compile starts from the one
    of its kind whose layout is nearest (a wrong guess costs the pass it would cost anyway)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._aux: dict = {}  # (kind, layout) → .aux

    def compile(self, tex: str, name: str, *, shared: bool = False, kind=None) -> bytes:
        from symbrnn.sheets.compile import compile_seeded

        layout = frozenset(re.sub(r"[-+.\d]|\{,\}", "", tex).splitlines())
        with self._lock:
            near = [(len(layout ^ seen), aux) for (k, seen), aux in self._aux.items() if k == kind]
        aux = min(near, key=lambda pair: pair[0])[1] if near else None
        pdf, _, final = compile_seeded(tex, name, shared=shared, aux=aux)
        if final is not None:
            with self._lock:
                self._aux[kind, layout] = final
        return pdf


def _heading(column: str, lang: str) -> str:
    """A column of the assistants' page in its language (the word book's ``variants.…``; a
    model's count named by its Keras layer; a name the book lacks, as it is)."""
    from symbrnn.engine.cells import CELLS
    from symbrnn.words import known, say

    kind, _, cell = column.partition(" ")
    if kind == "params" and cell in CELLS:
        return say("variants.params", lang, layer=CELLS[cell].keras or cell)
    key = "variants." + column.replace(" ", "_")
    return say(key, lang) if known(key) else column


def variant_row(spec, seed: int, lang: str = "en") -> dict:
    """One row of the assistants' table, every number derived for the seed and written in
    the page's language: the per-layer counts of the three models (and Keras 3's GRU)."""
    from symbrnn.counts.params import recurrent_layer, sheet_models
    from symbrnn.numeric.evaluate import evaluate_spec
    from symbrnn.sheets.results_gradients import example_case
    from symbrnn.words import number

    sizes = sheet_sizes(spec, seed)
    model_sizes = ("timesteps", "features", "units", "classes")
    row = {"seed": seed} | {k: sizes.get(k) for k in (*model_sizes, "T", "activation")}
    row["units"] = ", ".join(str(u) for u in sizes.get("units", []))
    if all(k in sizes for k in model_sizes):
        models = sheet_models(**{k: sizes[k] for k in model_sizes})
        for cell, model in models.items():
            layers = [number(layer.params, lang, ",") for layer in model.layers if layer.params]
            row[f"params {cell}"] = " + ".join(layers) + f" = {number(model.total, lang, ',')}"
        first = next(layer for layer in models["gru"].layers if layer.units)
        k3 = recurrent_layer("gru", units=first.units, features=first.features, reset_after=True)
        row["keras3 gru"] = number(k3.params, lang, ",")
    if isinstance(sizes.get("T"), int):
        row["terms"] = sizes["T"] * (sizes["T"] + 1) // 2  # one per pair 1 ≤ k ≤ t ≤ T
    try:
        case = example_case(sizes)
    except (KeyError, TypeError):  # no numeric example, or one shorter than T: no L column
        return row
    out = evaluate_spec(case)
    row["L"] = number(float(out["L"]), lang, ".4f")
    row["∇_W L"] = "; ".join(
        " ".join(number(float(v), lang, ".4f") for v in r) for r in out["grad"]["W"]
    )
    return row


def variants_page(sheet: str, seeds: list[int], lang: str, links: dict | None = None) -> str:
    """The assistants' page: one row per variant, offline, no script; ``links``: seed →
    {"sheet": file name, "key": file name} (beside the page)."""

    spec = load_sheet(sheet)
    rows = [variant_row(spec, s, lang) for s in seeds]
    links = links or {}
    for r in rows:
        for kind, target in links.get(r["seed"], {}).items():
            r[kind] = target
    columns = list(dict.fromkeys(k for r in rows for k in r))
    title = html.escape(_heading("title", lang))

    def cell(r, c):
        value = str(r.get(c, ""))
        if c in ("sheet", "key") and value:
            name = html.escape(value, quote=True)
            return f'<td><a href="{name}">{name}</a></td>'
        return f"<td>{html.escape(value)}</td>"

    head = "".join(f"<th>{html.escape(_heading(str(c), lang))}</th>" for c in columns)
    body = "\n".join("<tr>" + "".join(cell(r, c) for c in columns) + "</tr>" for r in rows)
    name = html.escape(str(spec.data["sheet"].get("id", Path(sheet).stem)))
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title} {name}</title>"
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:2px 6px;text-align:right}</style></head>\n"
        f"<body><h1>{title} {name}</h1>\n<table><thead><tr>{head}</tr></thead>\n<tbody>\n"
        f"{body}\n</tbody></table></body></html>\n"
    )
