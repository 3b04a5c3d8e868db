"""``evaluate(data)``: L, ∂L/∂P and the Jacobians at numbers, from a SPEC or from the JSON
of a sheet's variant (``symbrnn sheet SHEET --variant-seed N --format json``), whose
numeric example (III.2 on td5) is evaluated at the variant's activation and T."""

from __future__ import annotations

from dataclasses import dataclass

from symbrnn.errors import InputError

SHEET_KEYS = frozenset({"sheet", "variant_seed", "sizes", "questions"})


@dataclass(frozen=True)
class Evaluation:
    """What ``evaluate_spec`` computed (its JSON as documented) and the SPEC it read."""

    data: dict
    spec: dict

    @property
    def notes(self) -> list[str]:
        return list(self.data.get("notes", []))


def spec_of(data) -> dict:
    """The SPEC to evaluate: ``data`` itself, or a sheet variant's numeric example."""
    if not (isinstance(data, dict) and set(data) >= SHEET_KEYS):
        return data
    sizes = data["sizes"] if isinstance(data["sizes"], dict) else {}
    if not isinstance(sizes.get("example"), dict):
        raise InputError.said("sheet.error.no_example", sheet=repr(str(data["sheet"])[:40]))
    from symbrnn.sheets.results_gradients import example_case

    try:
        return example_case(sizes)
    except (KeyError, TypeError) as exc:
        sheet = repr(str(data["sheet"])[:40])
        raise InputError.said("sheet.error.example", sheet=sheet, reason=str(exc)) from None


def evaluate(data) -> Evaluation:
    """Evaluate a SPEC (or a sheet variant's example) with the derived formulas.

    >>> spec = {"cell": "rnn", "n": 1, "d": 1, "T": 1, "W": [[0.5]], "U": [[1]],
    ...         "x": [[1]], "y": [[0]], "h0": [0]}
    >>> round(evaluate(spec).data["L"], 6)
    0.267223
    """
    from symbrnn.numeric.evaluate import evaluate_spec

    spec = spec_of(data)
    return Evaluation(evaluate_spec(spec), spec)
