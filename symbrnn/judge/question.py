"""A question as the judge takes it: what to compare an answer with, and how to mark it.

A sheet (``symbrnn.sheets.load``) builds these records from its TOML, one per checkable
question and variant; the judge reads them and never a sheet. A ``Question`` says no
language: its words are the front end's.

>>> q = Question("III.1", "rnn", "dL/dW", T=3, options=(("bias", False),))
>>> q.cell_options["bias"], q.scheme(None)["correct"]
(False, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_SEED = 2**32 - 1  # a variant seed: 0 to MAX_SEED


@dataclass(frozen=True)
class Marks:
    """A question's own marks: ``correct`` for a right answer, ``notes`` the credit of an
    answer a checker's note describes, ``step`` the credit of each right member of a
    derivation before its first wrong one."""

    correct: float
    notes: tuple[tuple[str, float], ...] = ()
    step: float = 0.0

    def scheme(self) -> dict:
        """The marking scheme ``grade`` reads (as ``grade.load_scheme`` gives it)."""
        return {"correct": self.correct, "notes": dict(self.notes), "step": self.step}


@dataclass(frozen=True)
class Question:
    """What a checkable question asks, at one variant.

    ``cell`` and ``options`` (the registry's options: activation, bias, reset_after) name
    the cell; ``quantity`` is written at the variant's T, ``T`` is the steps a gradient is
    taken over; ``paths`` (None: all), ``hypothesis`` (gate → constant, e.g. f = 1) and
    ``also`` (gradients an answer may give instead) are the check's; ``marks`` its points
    (None: the scheme given to ``grade``)."""

    id: str
    cell: str
    quantity: str
    T: int | None = None
    options: tuple[tuple[str, object], ...] = ()
    paths: str | None = None
    hypothesis: tuple[tuple[str, float], ...] = ()
    also: tuple[str, ...] = ()
    marks: Marks | None = None
    variant_seed: int | None = None

    @property
    def cell_options(self) -> dict:
        """The cell's options as ``engine.cells.make_cell`` takes them."""
        return dict(self.options)

    def scheme(self, default: dict | None) -> dict:
        """The question's own marks, else ``default``, else 1 for a right answer."""
        if self.marks is not None:
            return self.marks.scheme()
        return default or {"correct": 1.0, "notes": {}, "step": 0.0}
