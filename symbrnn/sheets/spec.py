"""A sheet's data, read and checked before anything is rendered.

A sheet is a TOML file that teachers share: ``[sheet]`` (id, title, subtitle,
default language, the engine results it uses), ``[sizes]``, ``[variants]``,
``[labels.fr]``/``[labels.en]``, then ``[[sections]]`` with their
``[[sections.questions]]``. Every problem is one line naming the file (and
the question) and saying how to fix it.

>>> spec = load_sheet("td5")
>>> spec.name, spec.data["sheet"]["id"]
('td5', 'td5')
"""

from __future__ import annotations

import random
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from symbrnn.engine.cells import CELLS
from symbrnn.errors import LANGS, InputError
from symbrnn.judge.question import MAX_SEED
from symbrnn.words.sentences import Msg

LABELS = ("question", "answer", "verified", "appendix", "toc_note")
MAX_SHEET_BYTES = 2_000_000
MAX_SIZE = 10_000  # features, units, classes, timesteps
MAX_T = 12  # the unrolled steps a sheet writes out term by term
MAX_SPECTRAL_T = 2_000
MAX_TENTHS = 100  # a drawn number of the numeric example: within ±10
# the largest value of each size a sheet may give (or draw)
BOUNDS = {"timesteps": MAX_SIZE, "features": MAX_SIZE, "classes": MAX_SIZE}
BOUNDS |= {"T": MAX_T, "spectral_T": MAX_SPECTRAL_T}
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,40}")


@dataclass(frozen=True)
class SheetSpec:
    """A checked sheet: its data and where it came from (for messages)."""

    name: str
    data: dict

    def where(self, question: str | None = None) -> str:
        return f"sheet {self.name}" + (f", question {question}" if question else "")

    def place(self, question: str | None = None) -> Msg:
        """:meth:`where`, said in the reader's language (an error's parameter)."""
        if question:
            return Msg.of("sheetfile.where_question", name=self.name, question=question)
        return Msg.of("sheetfile.where", name=self.name)


def load_sheet(name: str) -> SheetSpec:
    """A sheet by name (built-in, from the installed ``derivations`` data) or a FILE.toml."""
    if name.endswith(".toml"):
        from symbrnn.io import read_bytes

        path = Path(name)
        if not path.is_file():
            raise InputError.said("sheetfile.error.not_found", name=name)
        raw = read_bytes(name, MAX_SHEET_BYTES, Msg.of("sheetfile.where", name=name))
    else:
        source = resources.files("symbrnn.derivations") / f"{name}.toml"
        if not _ID.fullmatch(name) or not source.is_file():
            known = sorted(
                p.name[:-5]
                for p in resources.files("symbrnn.derivations").iterdir()
                if p.name.endswith(".toml")
            )
            known = ", ".join(known)
            raise InputError.said("sheetfile.error.unknown", name=repr(name[:60]), known=known)
        raw = source.read_bytes()
    if len(raw) > MAX_SHEET_BYTES:
        raise InputError.said("sheetfile.error.large", name=name, top=MAX_SHEET_BYTES)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError.said("sheetfile.error.utf8", name=name, byte=exc.start) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError.said("sheetfile.error.toml", name=name, reason=str(exc)[:200]) from None
    except RecursionError:
        raise InputError.said("sheetfile.error.nested", name=name) from None
    spec = SheetSpec(name, data)
    _check(spec)
    return spec


def _need(cond, spec: SheetSpec, key: str, question: str | None = None, /, **params) -> None:
    """Refuse the sheet unless ``cond``: the book's ``sheetfile.error.<key>``, at its place."""
    if not cond:
        reason = Msg.of(f"sheetfile.error.{key}", **params)
        raise InputError.said("sheet.error.at", where=spec.place(question), reason=reason)


def _check(spec: SheetSpec) -> None:
    from symbrnn.sheets.marking import central_questions

    d = spec.data
    _need(isinstance(d.get("sheet"), dict), spec, "no_sheet")
    _check_meta(spec, d["sheet"])
    _need(isinstance(d.get("sizes"), dict), spec, "no_sizes")
    _check_sizes(spec, d["sizes"])
    _need(isinstance(d.get("variants", {}), dict), spec, "variants_table")
    for key, rng in d.get("variants", {}).items():
        _check_variant(spec, key, rng)
    labels = d.get("labels")
    _need(
        isinstance(labels, dict) and all(_strings(labels.get(lang), LABELS) for lang in LANGS),
        spec,
        "labels",
        labels=", ".join(LABELS),
    )
    sections = d.get("sections")
    _need(
        isinstance(sections, list) and sections and all(isinstance(s, dict) for s in sections),
        spec,
        "no_sections",
    )
    _check_extras(spec)

    every = [q for s in sections for q in s.get("questions", []) if isinstance(q, dict)]
    central_at = central_questions(every) if all("id" in q for q in every) else {}
    seen = set()
    for section in sections:
        _need("number" in section, spec, "section_number")
        questions = section.get("questions", [])
        _need(isinstance(questions, list), spec, "questions_list")
        for q in questions:
            qid = q.get("id") if isinstance(q, dict) else None
            _need(isinstance(qid, str) and qid.strip(), spec, "question_id")
            _need(qid not in seen, spec, "question_twice", qid)
            seen.add(qid)
            _check_question(spec, q, qid, (seen - {qid}, central_at))


def _check_meta(spec: SheetSpec, meta: dict) -> None:
    """The ``[sheet]`` table: its id, its texts in both languages, its results."""
    from symbrnn.sheets.results import PRODUCERS

    _need(
        isinstance(meta.get("id"), str) and _ID.fullmatch(meta["id"]),
        spec,
        "sheet_id",
    )
    for key in ("title", "subtitle", "questions_title"):
        if key == "questions_title" and key not in meta:
            continue
        _need(_strings(meta.get(key), LANGS), spec, "meta_texts", key=key)
    _need(
        isinstance(meta.get("preamble", ""), str),
        spec,
        "preamble",
    )
    lang = meta.get("default_lang", "fr")
    _need(lang in LANGS, spec, "default_lang", langs=", ".join(LANGS))
    results = meta.get("results", [])
    _need(
        isinstance(results, list) and all(isinstance(r, str) for r in results),
        spec,
        "results_list",
    )
    unknown = [r for r in results if r not in PRODUCERS]
    _need(
        not unknown,
        spec,
        "results_unknown",
        unknown=", ".join(map(repr, unknown)),
        count=len(unknown),
        known=", ".join(PRODUCERS),
    )


def _check_question(spec: SheetSpec, q: dict, qid: str, before) -> None:
    """One question: its points, its marking guide, its check's alternatives, its exam
    settings and its texts (``before``: the ids before it, and where each is central)."""
    points = q.get("points", 0)
    _need(
        isinstance(points, int | float) and not isinstance(points, bool) and 0 <= points <= 100,
        spec,
        "points",
        qid,
    )
    _check_marking(spec, q, qid, points, before)
    _check_also(spec, q, qid)
    _check_exam(spec, q, qid)
    for key in ("text", "answer"):
        _need(
            _texts(q.get(key, "")),
            spec,
            "texts",
            qid,
            key=key,
        )


def _check_also(spec, q, qid) -> None:
    """``check.also = ["dL/dW"]``: the gradients an answer to the question may give instead
    (judged at the sheet's T), each one the checker reads as a gradient ∂L/∂P."""
    also = q.get("check", {}).get("also", []) if isinstance(q.get("check"), dict) else []
    ok = isinstance(also, list) and all(isinstance(a, str) and len(a) < 40 for a in also)
    if ok and also:
        from symbrnn.engine.quantity import QuantityError, parse_quantity

        try:
            ok = all(parse_quantity(a).kind == "gradient" for a in also)
        except QuantityError:
            ok = False
    _need(ok, spec, "also", qid)


def _check_marking(spec, q, qid, points, order) -> None:
    """A question's marking guide: ``marking = [{ points, fr, en }, …]``, the marks of each
    step, adding up to the question's; ``marking_notes = { ORDER = "central", … }``, what
    kind of mistake an answer a checker's note describes is, from which ``sheets.marking``
    derives its marks (what ``grade --sheet`` gives it)."""
    marking = q.get("marking", [])
    ok = isinstance(marking, list) and all(
        isinstance(m, dict)
        and set(m) == {"points", *LANGS}
        and isinstance(m["points"], int | float)
        and not isinstance(m["points"], bool)
        and all(isinstance(m[lang], str) for lang in LANGS)
        for m in marking
    )
    _need(ok, spec, "marking", qid)
    if marking:
        total = sum(m["points"] for m in marking)
        _need(
            abs(total - points) < 1e-9,
            spec,
            "marking_total",
            qid,
            total=total,
            points=points,
        )
    notes = q.get("marking_notes", {})
    _need(
        isinstance(notes, dict) and (not notes or marking),
        spec,
        "notes",
        qid,
    )
    from symbrnn.sheets.marking import credit, kind_problem

    before, central_at = order
    for note, kind in list(notes.items()):
        problem = kind_problem(q, str(note), kind, before, central_at)
        _need(problem is None, spec, "notes_problem", qid, problem=problem)
        notes[note] = credit(q, kind)  # the marks the rule gives it
    if notes:
        from symbrnn.judge.mistakes import NOTES  # the checker's notes: heavy, so only here

        unknown = sorted(set(notes) - set(NOTES))
        _need(
            not unknown,
            spec,
            "notes_unknown",
            qid,
            names=", ".join(unknown)[:120],
            notes=", ".join(sorted(NOTES)),
        )


def _check_exam(spec, q, qid) -> None:
    """What ``symbrnn exam`` asks of a question besides its ``check``: ``count = { cell,
    layer }`` (the parameters of recurrent layer ``layer`` of section I's model of that
    cell, a multiple-choice or numerical question) and ``essay = true`` (an essay question
    in Moodle, the key's answer as the grader's information)."""
    count = q.get("count")
    if count is not None:
        units = spec.data.get("sizes", {}).get("units")
        layers = len(units) if isinstance(units, list) else 0
        _need(
            isinstance(count, dict)
            and set(count) == {"cell", "layer"}
            and count["cell"] in CELLS
            and _int_in(count["layer"], 1, max(layers, 1))
            and layers >= 1,
            spec,
            "count",
            qid,
            cells=" | ".join(CELLS),
            top=max(layers, 1),
        )
    _need(isinstance(q.get("essay", False), bool), spec, "essay", qid)


def _check_extras(spec) -> None:
    extras = spec.data.get("extras", [])
    _need(isinstance(extras, list), spec, "extras_list")
    for extra in extras:
        for key in ("title", "text"):
            _need(
                _texts(extra.get(key) if isinstance(extra, dict) else None),
                spec,
                "extras_text",
                key=key,
            )
        appendix = extra.get("appendix", False) if isinstance(extra, dict) else False
        _need(isinstance(appendix, bool), spec, "extras_appendix")


def _check_sizes(spec, sizes) -> None:
    for key, hi in BOUNDS.items():
        if key in sizes:
            _need(_int_in(sizes[key], 1, hi), spec, "size", key=key, top=hi)
    if "units" in sizes:
        _need(
            isinstance(sizes["units"], list)
            and 0 < len(sizes["units"]) <= 8
            and all(_int_in(u, 1, MAX_SIZE) for u in sizes["units"]),
            spec,
            "units",
            top=MAX_SIZE,
        )


def _strings(table, keys) -> bool:
    """A table with a text at each of ``keys``."""
    return isinstance(table, dict) and all(isinstance(table.get(k), str) for k in keys)


def _texts(value) -> bool:
    """A text, or a table of texts by language."""
    return isinstance(value, str) or (
        isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    )


def _int_in(value, lo, hi) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi


def _range_in(rng, lo, hi) -> bool:
    """``[low, high]``, two whole numbers with lo ≤ low ≤ high ≤ hi."""
    return (
        isinstance(rng, list)
        and len(rng) == 2
        and _int_in(rng[1], lo, hi)
        and _int_in(rng[0], lo, rng[1])
    )


def _named(key) -> bool:
    """A variant drawn from a list of activation names; every other one is a range of sizes."""
    return key == "activation" or str(key).endswith("_activation")


def _check_example_variant(spec, ranges) -> None:
    """[variants.example]: for some entries of the numeric example (W, U, x, y, ...), the
    range of tenths each of their numbers is drawn from."""
    example = spec.data["sizes"].get("example")
    _need(isinstance(example, dict), spec, "example_sizes")
    for name, rng in ranges.items():
        _need(
            name in example and isinstance(example[name], list),
            spec,
            "example_name",
            name=name,
        )
        _need(
            _range_in(rng, -MAX_TENTHS, MAX_TENTHS),
            spec,
            "example_range",
            name=name,
            top=MAX_TENTHS,
        )


def _check_variant(spec, key, rng) -> None:
    if key == "example":
        _need(isinstance(rng, dict), spec, "example_table")
        _check_example_variant(spec, rng)
        return
    if _named(key):
        from symbrnn.engine.activations import ACTIVATIONS

        _need(
            isinstance(rng, list)
            and 0 < len(rng) <= 20
            and all(isinstance(v, str) and v in ACTIVATIONS for v in rng),
            spec,
            "variant_activations",
            key=key,
            names=", ".join(ACTIVATIONS),
        )
        return
    _need(
        _ID.fullmatch(str(key)) is not None,
        spec,
        "variant_key",
    )
    _need(
        _range_in(rng, 1, MAX_SIZE),
        spec,
        "variant_range",
        key=key,
        top=MAX_SIZE,
    )
    if key in ("T", "spectral_T"):
        _need(rng[1] <= BOUNDS[key], spec, "variant_T", key=key, top=BOUNDS[key])


def variant_sizes(spec: SheetSpec, seed: int) -> dict:
    """Other sizes drawn from the sheet's [variants] ranges, reproducibly from the seed."""
    sizes = dict(spec.data["sizes"])
    rng = random.Random(seed)
    for key, choices in spec.data.get("variants", {}).items():
        if _named(key):
            sizes[key] = rng.choice(choices)
        elif key == "units":
            sizes[key] = [rng.randint(*choices) for _ in spec.data["sizes"].get("units", [0])]
        elif key == "example":  # its numbers, so that neighbours cannot copy them
            sizes[key] = dict(sizes[key]) | {
                name: _drawn(sizes[key][name], tenths, rng) for name, tenths in choices.items()
            }
        else:
            sizes[key] = rng.randint(*choices)
    return sizes


def _drawn(value, tenths, rng):
    """A matrix or a vector of the same shape, each number a multiple of 0.1 drawn from
    ``tenths`` (a range of tenths)."""
    if isinstance(value, list):
        return [_drawn(v, tenths, rng) for v in value]
    return rng.randint(*tenths) / 10


def sheet_sizes(spec, variant_seed: int | None) -> dict:
    """The sizes of the default sheet, or of one variant: the one function every command
    calls (the key, the question sheet, check, grade, serve)."""
    if variant_seed is None:
        return dict(spec.data["sizes"])
    if not spec.data.get("variants"):
        raise InputError.said("sheetfile.error.no_variants", where=spec.place())
    if not isinstance(variant_seed, int) or not 0 <= variant_seed <= MAX_SEED:
        raise InputError.said("sheetfile.error.seed", top=MAX_SEED)
    return variant_sizes(spec, variant_seed)
