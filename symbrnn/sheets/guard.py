"""What the LaTeX of a shared sheet may not do: read or write files, run commands, rebuild names.

TeX Live's paranoid mode (``openin_any=p``) stops ``\\openin`` and ``\\input``
of absolute paths, but pdfTeX primitives such as ``\\pdfobj stream file``,
``\\pdfximage`` or ``\\pdfmdfivesum file`` read any file, and ``\\csname``,
``\\scantokens`` or ``^^`` escapes build a control sequence from characters.
So a sheet's own texts (questions, answers, prose) are refused when they use
any of these; the engine's formulas and symbrnn's template are not affected.

>>> refused_command(r"\\frac{\\partial h_t}{\\partial h_k}") is None
True
>>> refused_command(r"see \\pdfobj stream file {/etc/passwd}")
'\\\\pdfobj'
"""

from __future__ import annotations

import re

from symbrnn.errors import InputError

_CONTROL_WORD = re.compile(r"\\([A-Za-z@]+)")
_REFUSED_NAMES = re.compile(
    r"""pdf[A-Za-z]* | primitive | directlua | latelua | luaexec | special
      | input | include[A-Za-z]* | InputIfFileExists | IfFileExists | endinput | lstinputlisting
      | verbatiminput | openin | openout | closein | closeout | read | readline | write
      | immediate | newread | newwrite | usepackage | RequirePackage | documentclass
      | csname | scantokens | detokenize | catcode | makeatletter | every[A-Za-z]* | jobname
      | font | message | errmessage | batchmode | nonstopmode | scrollmode | shipout
      | [A-Za-z]*@[A-Za-z@]*""",
    re.VERBOSE,
)


def refused_command(text: str) -> str | None:
    """The first command of ``text`` a shared sheet may not use, or None."""
    if "^^" in text:
        return "^^"
    for m in _CONTROL_WORD.finditer(text):
        if _REFUSED_NAMES.fullmatch(m.group(1)):
            return m.group(0)
    return None


def check_sheet_latex(text: str, where: str) -> str:
    """``text`` unchanged, or an InputError naming the sheet, the question and the command."""
    bad = refused_command(text)
    if bad is not None:
        raise InputError(
            f"{where}: {bad} is not allowed in a sheet (no file access, no commands, "
            "no names built from text)"
        )
    return text
