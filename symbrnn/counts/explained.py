"""A pasted model summary explained: one call, one record."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExplainedSummary:
    """The summary's text and one explanation per row."""

    text: str
    rows: list

    @property
    def explained(self) -> bool:
        """Every row explained (some row matched, none flagged)."""
        from symbrnn.counts.report import explain_json

        info = explain_json(self.rows, self.text)
        return bool(info["total_matches"]) and not info["flagged"]


def explain(text: str) -> ExplainedSummary:
    """Which convention produces each row of a pasted summary (Keras 2, Keras 3, markdown)."""
    from symbrnn.counts.summary import explain_summary

    return ExplainedSummary(text, explain_summary(text))
