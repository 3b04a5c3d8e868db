"""The exam as an auto-multiple-choice document: one copy per variant, in its language.

Each variant's questions are one ``\\element`` group inserted in its copy (``\\onecopy``);
the options keep the order drawn from the variant's seed (``choices[o]``: AMC does not
shuffle them again), so the boxes of copy N are the options of the N-th variant, in the
exam's JSON order, which is how :mod:`symbrnn.exam.scans` reads the scanned copies back.
The sheet's title is held to the sheet allowlist; everything else is the engine's LaTeX
and the exam's own words.

>>> from symbrnn.exam.build import build_exam
>>> tex = amc_document(build_exam("td5", [1], lang="en", choices=3, only=["III.2"]))
>>> "\\\\usepackage[box,completemulti]{automultiplechoice}" in tex, tex.count("\\\\correctchoice")
(True, 1)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from symbrnn.words import say

BABEL = {"fr": "french", "en": "english"}


def amc_id(question_id: str) -> str:
    """A question's id as AMC names it (letters, digits and '-': II.2 → II-2)."""
    return re.sub(r"[^A-Za-z0-9-]", "-", question_id)


def group_name(index: int) -> str:
    """The \\element group of the index-th variant: letters only (AMC's group names)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return "variant" + letters


def breakable(option_latex: str) -> str:
    """An option as a line of text may break it: TeX never breaks inside ``\\left[ …
    \\right]``, so the brackets around a sum (IV.4's paths) become ``\\bigl[ … \\bigr]``,
    the same brackets, breakable at the sum's + signs.

    >>> breakable(r"\\left[A + B\\right] C")
    '\\\\bigl[A + B\\\\bigr] C'
    """
    return option_latex.replace("\\left[", "\\bigl[").replace("\\right]", "\\bigr]")


@dataclass(frozen=True)
class Roster:
    """The class list for AMC's association: its ids (the digits coded on the copy's grid)
    and the CSV AMC reads (``id,name``)."""

    ids: tuple[str, ...]
    csv: str

    @property
    def digits(self) -> int:
        return max(len(i) for i in self.ids)


ID_COLUMNS = ("id", "number", "numero", "numéro", "student_id", "matricule")
NAME_COLUMNS = ("name", "nom", "student", "surname")


def read_students(path: str) -> Roster:
    """The class list ``path`` (a CSV with an id column of digits and a name column)."""
    import csv
    import io

    from symbrnn.errors import InputError
    from symbrnn.io import read_bytes

    try:
        rows = list(csv.DictReader(io.StringIO(read_bytes(path, 8_000_000).decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError.said("exam.error.not_utf8_csv", path=path, reason=exc) from None
    header = {h.strip().lower(): h for h in (rows[0].keys() if rows else [])}
    id_col = next((header[c] for c in ID_COLUMNS if c in header), None)
    name_col = next((header[c] for c in NAME_COLUMNS if c in header), None)
    if not rows or id_col is None or name_col is None:
        raise InputError.said("exam.error.class_list", path=path)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", "name"])
    ids = []
    for line, row in enumerate(rows, start=2):
        sid = (row[id_col] or "").strip()
        if not sid.isdigit() or len(sid) > 12:
            raise InputError.said("exam.error.student_id", path=path, line=line, id=repr(sid))
        ids.append(sid)
        writer.writerow([sid, (row[name_col] or "").strip()])
    if len(set(ids)) != len(ids):
        raise InputError.said("exam.error.shared_id", path=path)
    return Roster(tuple(ids), out.getvalue())


def scoring(points) -> str:
    """AMC's scoring of a question from the sheet's marks: its points when right, 0 when
    wrong or blank."""
    return f"b={float(points or 1):g},m=0,e=0,v=0"


def amc_document(exam, roster: Roster | None = None) -> str:
    """The LaTeX source of the AMC exam (see the module's docstring); ``roster`` sets the
    width of the student-number grid (8 digits without it)."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from symbrnn.printing.escape import latex_escape
    from symbrnn.sheets.guard import check_sheet_latex
    from symbrnn.sheets.render import LATEX_DELIMITERS

    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        **LATEX_DELIMITERS,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    env.filters.update(breakable=breakable, amc_id=amc_id, scoring=scoring, group=group_name)
    lang = exam.lang
    title = check_sheet_latex(say("exam.title", lang, title=exam.title), f"sheet {exam.sheet}")
    return env.get_template("amc.tex.j2").render(
        title=title,
        sheet=latex_escape(exam.sheet),
        seeds=[str(v.seed) for v in exam.variants],
        babel=BABEL[lang],
        variants=exam.variants,
        labels=[say("exam.variant", lang, seed=v.seed) for v in exam.variants],
        name_label=say("exam.name", lang),
        number_label=say("exam.number", lang),
        digits=roster.digits if roster else 8,
        instructions=say("exam.instructions", lang),
    )
