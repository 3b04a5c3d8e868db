"""How often students make each mistake: the course's table (``frequencies.toml``, keyed by
the checker's answer notes) and, when a class's graded report is given, its own counts.

>>> table = mistake_frequencies()
>>> table["SIGMA_FOR_PRIME"] > table["TIME_ONE"] > table["SIGN"] == 0
True
"""

from __future__ import annotations

import functools
from pathlib import Path

UNLISTED = 0.02  # a note the table does not list: drawn after every listed one


@functools.lru_cache(maxsize=1)
def _course() -> dict[str, float]:
    import tomllib

    data = tomllib.loads((Path(__file__).parent / "frequencies.toml").read_text("utf-8"))
    return {code: float(value) for code, value in data["frequency"].items()}


def mistake_frequencies(report: str | None = None) -> dict[str, float]:
    """Each answer note's frequency: the course's share, plus the class's share of its
    wrong answers when ``report`` (a ``grade`` report CSV, its ``answer_notes`` column) is
    given, so that the mistakes this class makes come first."""
    table = dict(_course())
    if report is None:
        return table
    counts = class_counts(report)
    total = sum(counts.values())
    for code, count in counts.items():
        table[code] = table.get(code, UNLISTED) + count / total
    return table


def class_counts(path: str) -> dict[str, int]:
    """How many graded answers carry each answer note in the report ``path``."""
    import csv
    import io
    from collections import Counter

    from symbrnn.errors import InputError
    from symbrnn.exam.scans import export_text

    reader = csv.DictReader(io.StringIO(export_text(path, "exam.hint.report")))
    if "answer_notes" not in (reader.fieldnames or []):
        raise InputError.said("exam.error.no_notes", path=path)
    try:
        return Counter(code for row in reader for code in (row["answer_notes"] or "").split())
    except csv.Error as exc:
        raise InputError.said("exam.error.not_csv", where=path, reason=exc) from None
