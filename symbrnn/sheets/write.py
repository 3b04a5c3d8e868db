"""``write_sheet``: an answer sheet written (its .tex, and its PDF), every output checked
before any work and written all or none; ``write_sheet_variants``: a class's sheets, one
per seed, in a folder; ``sheet_data``: a variant's sizes and questions as data."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from symbrnn.errors import InputError


@dataclass(frozen=True)
class Document:
    """The files a sheet command wrote, in order (the .tex before its PDF)."""

    paths: tuple[Path, ...]


def no_progress(total: int):
    """The progress of a library call made without a bar: a context whose value is None."""
    return contextlib.nullcontext(None)


def sheet_data(name: str, variant_seed: int | None = None, lang: str | None = None) -> dict:
    """The variant's sizes and each question's check options and key answer (as documented
    for ``symbrnn sheet --format json``)."""
    from symbrnn.sheets.variants import variant_json

    return variant_json(name, variant_seed, lang)


def write_sheet(
    name: str,
    output: str | None = None,
    *,
    lang: str | None = None,
    answers: bool = True,
    variant_seed: int | None = None,
    trusted: bool = False,
    teacher_notes: bool = False,
    pdf: bool = False,
) -> Document:
    """Write the sheet ``name`` to ``output`` (default ``NAME.tex``), and its PDF with ``pdf``."""
    from symbrnn.io import check_outputs, write_all
    from symbrnn.sheets.compile import compile_tex, require_pdflatex
    from symbrnn.sheets.render import render_sheet
    from symbrnn.sheets.sandbox import is_shared

    target = Path(output or f"{Path(name).stem}.tex")
    if target.suffix != ".tex":
        raise InputError.said("sheet.error.tex_name", path=repr(str(target)))
    outputs = [target, target.with_suffix(".pdf")] if pdf else [target]
    check_outputs(outputs, lang=lang or "en")  # every output checked before any work
    shared = is_shared(name, trusted)
    if pdf:
        require_pdflatex(shared, lang)  # a shared sheet: in the sandbox
    tex = render_sheet(
        name,
        lang=lang,
        answers=answers,
        variant_seed=variant_seed,
        trusted=trusted,
        teacher_notes=teacher_notes,
    )
    files = [tex, compile_tex(tex, target.name, shared=shared)] if pdf else [tex]
    write_all(dict(zip(outputs, files, strict=True)), lang=lang or "en")  # all or none
    return Document(tuple(outputs))


def write_sheet_variants(
    name: str,
    seeds: str,
    output: str | None = None,
    *,
    lang: str | None = None,
    answers: bool = True,
    pdf: bool = False,
    jobs: int = 1,
    trusted: bool = False,
    teacher_notes: bool = False,
    with_keys: bool = False,
    progress: Callable = no_progress,
) -> Document:
    """One sheet per seed of ``seeds`` (``1-30``, ``1,4,9-12``) into the folder ``output``,
    and the assistants' table ``variants.html``. ``progress(total)`` is a context whose value
    is called with each step done (or None); ``with_keys``: with ``answers`` False, each
    sheet's key beside it."""
    from symbrnn.sheets.batch import parse_seeds, write_variants
    from symbrnn.sheets.compile import require_pdflatex
    from symbrnn.sheets.sandbox import is_shared
    from symbrnn.sheets.spec import load_sheet, sheet_sizes

    chosen = parse_seeds(seeds)
    folder = Path(output or f"{Path(name).stem}-variants")
    if folder.exists() and not folder.is_dir():
        raise InputError.said("sheet.error.variants_folder", path=repr(str(folder)))
    sheet_sizes(load_sheet(name), chosen[0])  # a sheet without [variants]: before any work
    if pdf:
        require_pdflatex(is_shared(name, trusted), lang)
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK):
        raise InputError.said("sheet.error.folder_locked", path=repr(str(folder)))
    with progress(len(chosen)) as bar:
        written = write_variants(
            name,
            chosen,
            folder,
            lang=lang,
            answers=answers,
            pdf=pdf,
            jobs=jobs,
            trusted=trusted,
            progress=bar.update if bar is not None else None,
            teacher_notes=teacher_notes,
            with_keys=with_keys,
        )
    return Document(tuple(written))
