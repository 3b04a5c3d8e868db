"""``load``: a sheet read once into typed questions (``judge.question.Question``).

A sheet is parsed and checked once per process (cached by its resolved file and the file's
modification time); each checkable question is a ``Question`` per variant, built once. The
judge, the exam and the web page take these records, never a sheet's name.

A question's ``check = { cell, bias, activation, reset_after, quantity, T, paths,
hypothesis, also }``: ``{T}`` and ``{T-1}`` in the quantity, and ``T = "T"``, stand for the
variant's ``sizes.T``; a simple RNN's (or the lemma's) activation is the variant's unless
the check names one.

>>> sheet = load("td5")
>>> sheet.question("III.2").quantity, sheet.question("III.2", 2).quantity
('dh_3/dh_1', 'dh_4/dh_1')
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from symbrnn.engine.cells import OPTIONS, chosen_options, make_cell
from symbrnn.errors import InputError
from symbrnn.judge.question import Marks, Question
from symbrnn.sheets.spec import SheetSpec, load_sheet, sheet_sizes

# a check names its cell and that cell's options (the registry's), then what it asks
KEYS = ("cell", *OPTIONS, "quantity", "T", "paths", "hypothesis")
_SHEETS: dict = {}  # (name, resolved file, mtime, trusted) → Sheet
_LOCK = threading.Lock()
MAX_CACHED = 32  # sheets kept
MAX_BUILT = 4096  # questions kept per sheet (a question at a variant)


@dataclass(frozen=True)
class Sheet:
    """A checked sheet: its data (``spec``) and its questions as records."""

    spec: SheetSpec
    trusted: bool = False
    _built: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def lang(self) -> str:
        """The sheet's own language (``default_lang``)."""
        return self.spec.data["sheet"].get("default_lang", "fr")

    def sizes(self, variant_seed: int | None = None) -> dict:
        """The default sizes, or a variant's (an InputError for a seed it cannot draw)."""
        return sheet_sizes(self.spec, variant_seed)

    @functools.cached_property
    def checks(self) -> dict[str, dict]:
        """Each checkable question's ``check`` as the sheet writes it, in the sheet's order."""
        return {
            q["id"]: q["check"]
            for section in self.spec.data["sections"]
            for q in section.get("questions", [])
            if isinstance(q.get("check"), dict)
        }

    @property
    def questions(self) -> dict[str, Question]:
        """The checkable questions of the default sheet, by id."""
        return {qid: self.question(qid) for qid in self.checks}

    def marks(self, question: str) -> Marks | None:
        """A question's points and ``marking_notes`` (None for a question without points)."""
        for section in self.spec.data["sections"]:
            for q in section.get("questions", []):
                if q["id"] == question and q.get("points"):
                    notes = tuple((str(k), float(v)) for k, v in q.get("marking_notes", {}).items())
                    return Marks(float(q["points"]), notes)
        return None

    def question(self, question: str, variant_seed: int | None = None) -> Question:
        """One checkable question at the variant drawn from ``variant_seed`` (None: the
        default sheet); an InputError lists the checkable questions."""
        key = (question, variant_seed)
        if key not in self._built:
            if len(self._built) >= MAX_BUILT:  # a server asked for many variants: bounded
                self._built.clear()
            self._built[key] = _question(self, question, variant_seed)
        return self._built[key]


def load(name: str, trusted: bool = False) -> Sheet:
    """A sheet by name (built in) or a FILE.toml, parsed and checked once per process (again
    when the file changes)."""
    path = _resolved(name)
    stamp = path.stat().st_mtime_ns if path is not None else None
    key = (name, path, stamp, trusted)
    with _LOCK:
        if key in _SHEETS:
            return _SHEETS[key]
    sheet = Sheet(load_sheet(name), trusted)
    with _LOCK:
        if len(_SHEETS) >= MAX_CACHED:
            _SHEETS.clear()
        return _SHEETS.setdefault(key, sheet)


def _resolved(name: str) -> Path | None:
    """The file a name stands for, if there is one (``load_sheet`` judges the name)."""
    try:
        if name.endswith(".toml"):
            path = Path(name)
        else:
            path = Path(str(resources.files("symbrnn.derivations") / f"{name}.toml"))
        return path.resolve() if path.is_file() else None
    except (OSError, ValueError):
        return None


def _question(sheet: Sheet, question: str, variant_seed: int | None) -> Question:
    spec = sheet.spec
    sizes = sheet.sizes(variant_seed)
    if question not in sheet.checks:
        key = "sheet.error.no_check" if sheet.checks else "sheet.error.no_checks"
        checks = {"checks": ", ".join(sheet.checks)}
        raise InputError.said(key, where=spec.place(), question=repr(question[:40]), **checks)
    raw = sheet.checks[question]
    unknown = set(raw) - {*KEYS, "also"}
    if unknown or "quantity" not in raw or "cell" not in raw:
        raise InputError.said(
            "sheet.error.check_keys", where=spec.place(question), keys=", ".join(KEYS)
        )
    hypothesis = raw.get("hypothesis", {})
    if not isinstance(hypothesis, dict) or not all(
        isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool)
        for k, v in hypothesis.items()
    ):
        raise InputError.said("sheet.error.hypothesis", where=spec.place(question))
    try:
        chosen = chosen_options(raw)
        name = chosen.pop("cell")
        make_cell(name, allow_files=False, **chosen)
    except InputError as exc:  # a cell the registry does not have, or an option it does not take
        reason = exc.phrase()
        raise InputError.said(
            "sheet.error.check", where=spec.place(question), reason=reason
        ) from None
    if name in ("rnn", "lemma") and "activation" not in raw and sizes.get("activation"):
        chosen["activation"] = sizes["activation"]  # the variant's φ (the default sheet's σ)
    T = sizes.get("T")
    quantity = str(raw["quantity"])
    if T is not None:
        quantity = quantity.replace("{T-1}", str(T - 1)).replace("{T}", str(T))
    asked_T = raw.get("T")
    return Question(
        question,
        name,
        quantity,
        T=T if asked_T in (None, "T") else asked_T,
        options=tuple(chosen.items()),
        paths=raw.get("paths"),
        hypothesis=tuple(hypothesis.items()),
        also=tuple(raw.get("also", ())),
        marks=sheet.marks(question),
        variant_seed=variant_seed,
    )
