"""Escape user-provided text for LaTeX.

>>> latex_escape("simple_rnn_23 (50%)")
'simple\\\\_rnn\\\\_23 (50\\\\%)'
"""

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    """Make any string safe to put in LaTeX text mode."""
    return "".join(_SPECIAL.get(ch, ch) for ch in str(text))
