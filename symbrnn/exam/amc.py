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
from pathlib import Path

from symbrnn.exam.words import word

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


def amc_document(exam) -> str:
    """The LaTeX source of the AMC exam (see the module's docstring)."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from symbrnn.printing.escape import latex_escape
    from symbrnn.sheets.guard import check_sheet_latex

    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        block_start_string="((*",
        block_end_string="*))",
        variable_start_string="(((",
        variable_end_string=")))",
        comment_start_string="((=",
        comment_end_string="=))",
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    env.filters["breakable"] = breakable
    lang = exam.lang
    title = check_sheet_latex(word("exam.title", lang, title=exam.title), f"sheet {exam.sheet}")
    variants = [
        {
            "group": group_name(i),
            "label": word("exam.variant", lang, seed=v.seed),
            "questions": [
                {
                    "amc_id": amc_id(q.id),
                    "stem": q.stem,
                    "options": q.options,
                }
                for q in v.questions
            ],
        }
        for i, v in enumerate(exam.variants)
    ]
    return env.get_template("amc.tex.j2").render(
        title=title,
        sheet=latex_escape(exam.sheet),
        seeds=[str(v.seed) for v in exam.variants],
        babel=BABEL[lang],
        variants=variants,
        name_label=word("exam.name", lang),
        instructions=word("exam.instructions", lang),
    )
