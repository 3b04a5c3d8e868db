"""What the command line itself says on the terminal, in French and English (entries of
the judge's word book, found by ``say``)."""

from __future__ import annotations

from symbrnn.judge.messages import MESSAGES, say

MESSAGES.update(
    {
        "cli.wrote": {"en": "wrote {path}", "fr": "écrit : {path}"},
        "cli.wrote_variants": {
            "en": "wrote {count} files in {folder}/ (the assistants' table: {table})",
            "fr": "{count} fichiers écrits dans {folder}/ (le tableau des assistants : {table})",
        },
        "cli.progress.grading": {"en": "grading", "fr": "correction"},
        "cli.progress.sheets": {"en": "sheets", "fr": "feuilles"},
        "cli.students": {"en": "{count} students", "fr": "{count} élève(s)"},
        "cli.note": {"en": "note: {note}", "fr": "remarque : {note}"},
    }
)

__all__ = ["say"]
