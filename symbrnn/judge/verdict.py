"""The verdict of ``check`` on one answer, member by member, and its printing forms.

A :class:`Verdict` holds one outcome (``equivalent``, ``not_equivalent``, ``cannot_judge``),
the expected result in its forms, the diagnoses of the first wrong member and its
counterexample; each member of a derivation M₀ = M₁ = … is a :class:`Step`. It prints
itself for the terminal (``text``), as JSON (``as_json``) and in a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from symbrnn.judge.messages import Msg, say

if TYPE_CHECKING:  # a right answer is judged without the table of mistakes
    from symbrnn.judge.diagnose import Diagnosis


OUTCOMES = ("equivalent", "not_equivalent", "cannot_judge")  # a verdict's and a step's


@dataclass
class Step:
    """One member of a derivation, judged against the quantity."""

    index: int
    latex: str
    outcome: str
    diagnoses: list[Diagnosis] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)
    counterexample: dict | None = None

    def as_json(self, lang: str = "en") -> dict:
        return {
            "index": self.index,
            "latex": self.latex,
            "outcome": self.outcome,
            "diagnosis": [d.text(lang) for d in self.diagnoses],
            "answer_notes": [d.code for d in self.diagnoses],
            "notes": [n.text(lang) for n in self.notes],
            "counterexample": self.counterexample,
        }


@dataclass
class Verdict:
    """What ``check`` says of one answer (a derivation of one or several members).

    Messages are said in ``lang`` (fr or en); codes (``answer_notes``) do not depend on it.
    """

    quantity: str
    expected: str
    answer: str
    outcome: str = "equivalent"  # one of OUTCOMES
    diagnoses: list[Diagnosis] = field(default_factory=list)
    counterexample: dict | None = None
    notes: list[Msg] = field(default_factory=list)
    expected_latex: str = ""
    yours_latex: str = ""
    steps: list[Step] = field(default_factory=list)
    lang: str = "en"
    course_form: str = ""
    answer_latex: str = ""  # the expected result as a student would hand it in
    group: str = ""  # the same for every answer equal to this one at every test point
    instance: dict | None = None  # a general answer: the values of t, k (T) where it fails

    def __post_init__(self):
        if self.outcome not in OUTCOMES:
            raise ValueError(f"a verdict's outcome is one of {', '.join(OUTCOMES)}")

    @property
    def equivalent(self) -> bool:
        """Whether the answer is right (its one outcome says so)."""
        return self.outcome == "equivalent"

    @property
    def note(self) -> str:
        return "; ".join(n.text(self.lang) for n in self.notes)

    @property
    def diagnosis(self) -> list[str]:
        return [d.text(self.lang) for d in self.diagnoses]

    @property
    def answer_notes(self) -> list[str]:
        """Stable codes of the diagnoses (ORDER, TRANSPOSE, BIAS_MISSING...), for grading."""
        codes = [d.code for d in self.diagnoses]
        return codes + [c for c in self._step_codes() if c not in codes]

    def _step_codes(self) -> list[str]:
        return ["RIGHT_AFTER_WRONG"] if right_after_wrong(self.steps) else []

    @property
    def first_wrong_step(self) -> int | None:
        return next((s.index for s in self.steps if s.outcome != "equivalent"), None)

    @property
    def right_steps_before_wrong(self) -> int:
        """How many members are right before the first wrong one (for follow-through)."""
        first = self.first_wrong_step
        return len(self.steps) if first is None else first - 1

    def as_json(self) -> dict:
        return {
            "equivalent": self.equivalent,
            "outcome": self.outcome,
            "verdict": say(f"verdict.{self.outcome}", self.lang),
            "quantity": self.quantity,
            "lang": self.lang,
            "expected": self.expected,
            "expected_course_form": self.course_form,
            "expected_answer_latex": self.answer_latex,
            "answer": self.answer,
            "expected_latex": self.expected_latex,
            "yours_latex": self.yours_latex,
            "diagnosis": self.diagnosis,
            "answer_notes": self.answer_notes,
            "counterexample": self.counterexample,
            "note": self.note,
            "steps": [s.as_json(self.lang) for s in self.steps],
            "first_wrong_step": self.first_wrong_step,
            "group": self.group,
            "instance": self.instance,
        }

    def text(self) -> str:
        """The verdict for the terminal, in the verdict's language."""
        import json

        lang = self.lang

        def line(key, value):
            return f"  {say('label.' + key, lang)}: {value}"

        lines = [f"{say('verdict.' + self.outcome, lang)}: {self.quantity}"]
        if self.expected:  # not when the time ran out before it was derived
            lines.append(line("expected", self.expected))
        if self.course_form and self.course_form != self.expected:
            lines.append(f"    = {self.course_form}  ({say('label.course_form', lang)})")
        if len(self.steps) > 1:
            lines.append(f"  {say('label.steps', lang)}:")
            for s in self.steps:
                mark = {"equivalent": "✓", "not_equivalent": "✗"}.get(s.outcome, "?")
                lines.append(f"    {mark} {s.index}. {s.latex}")
                lines += [f"         {d.text(lang)}" for d in s.diagnoses]
                lines += [f"         ({n.text(lang)})" for n in s.notes]
            if self.first_wrong_step is not None:
                lines.append(
                    "  " + say("label.first_wrong_step", lang, index=self.first_wrong_step)
                )
        elif self.answer:
            lines.append(line("yours", self.answer))
        shown = self.notes
        if len(self.steps) > 1:  # a step's notes are shown with the step
            shown = [n for n in self.notes if all(n not in s.notes for s in self.steps)]
        if shown:
            lines.append(line("note", "; ".join(n.text(lang) for n in shown)))
        if len(self.steps) <= 1:
            lines += [line("diagnosis", d) for d in self.diagnosis]
        if self.counterexample:
            lines.append(line("counterexample", json.dumps(self.counterexample)))
        return "\n".join(lines)

    def __repr__(self):
        return f"Verdict({self.outcome}: {self.quantity}{', ' + ', '.join(self.answer_notes) if self.diagnoses else ''})"

    def _repr_html_(self):
        """A small table for a notebook: the verdict, both sides as math, what was found."""
        from html import escape

        def row(label, value, math=False):
            shown = f"${escape(value, quote=False)}$" if math else escape(value)
            return f"<tr><th style='text-align:left'>{escape(say(label, self.lang))}</th><td>{shown}</td></tr>"

        verdict = say(f"verdict.{self.outcome}", self.lang)
        rows = [f"<tr><td colspan='2'><b>{escape(verdict)}</b>: {escape(self.quantity)}</td></tr>"]
        if self.expected_latex:
            rows.append(row("label.expected", self.expected_latex, math=True))
        if self.yours_latex:
            rows.append(row("label.yours", self.yours_latex, math=True))
        rows += [row("label.diagnosis", d) for d in self.diagnosis]
        rows += [row("label.note", n.text(self.lang)) for n in self.notes]
        return "<table>" + "".join(rows) + "</table>"

    def _repr_latex_(self):
        yours = f"\\text{{yours: }} {self.yours_latex}" if self.yours_latex else ""
        return f"$\\text{{{self.outcome.replace('_', ' ')}}}\\quad {yours}$"


def right_after_wrong(steps) -> bool:
    """A derivation that ends right after a wrong member (a note, not a pass)."""
    return (
        len(steps) > 1
        and steps[-1].outcome == "equivalent"
        and any(s.outcome != "equivalent" for s in steps)
    )


__all__ = ["OUTCOMES", "Step", "Verdict", "right_after_wrong"]
