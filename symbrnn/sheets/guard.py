r"""What the LaTeX of a shared sheet may use: an allowlist, read as TeX reads it.

A sheet file is written by someone else, and TeX can spell any command in
many ways (``\UseName{pdfobj}``, ``\begin{immediate}``, ``\csname``, expl3's
``\tex_pdfobj:D``, ``^^5c``, a new escape character after a catcode change),
so no list of refused names can hold. Instead every control sequence and
every environment a sheet's texts, titles, labels and extras use must be in
``latex_allowlist.toml`` (prose, lists, tables, math, the drawings of the
built-in sheets). The text is tokenized as TeX's default catcodes read it:
control words (letters only: ``\make@x`` is ``\make``), control symbols,
comments (to the end of the line, which must lie in the same text), braces
(balanced in each text, so that no text can close the template's own
group), ``\begin{NAME}``/``\end{NAME}`` with a literal name, and no ``^^``
notation or control characters at all.

The engine's own formulas and drawings (the typed results ``r.…``) are not
the sheet's text: they reach the page as opaque parts the guard skips.

>>> refused_command(r"\frac{\partial h_t}{\partial h_k}") is None
True
>>> refused_command(r"see \UseName{pdfobj}")
'\\UseName'
>>> refused_command(r"\begin{immediate}x\end{immediate}")
'\\begin{immediate}'
>>> refused_command(r"\foreignlanguage{english}{Learning to forget: LSTM}") is None
True
>>> refused_command(r"\foreignlanguage{\jobname}{x}")
'\\foreignlanguage (a name of the allowlist must follow in braces)'
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources

from symbrnn.errors import InputError

# An engine-derived part inside a rendered text (see sheets/render.py): opaque to the guard.
TRUSTED_PART = re.compile("\ue000(\\d+)\ue001")
_LETTERS = re.compile(r"[A-Za-z]+")
_ENV_NAME = re.compile(r"\s*\{([A-Za-z]+\*?)\}")


class Derived(str):
    """LaTeX the engine derived (a field of a typed result): not the sheet's text, so the
    guard does not read it. Operations on it (``+``, ``replace``…) give a plain ``str``,
    which the guard reads again."""

    __slots__ = ()


def derived(value):
    """``value`` with every string in it (lists, tuples, dicts) marked as Derived."""
    if isinstance(value, str):
        return Derived(value)
    if isinstance(value, list | tuple):
        return type(value)(derived(v) for v in value)
    if isinstance(value, dict):
        return {k: derived(v) for k, v in value.items()}
    return value


@functools.cache
def _allowlist_data() -> dict:
    return tomllib.loads(
        resources.files("symbrnn.sheets").joinpath("latex_allowlist.toml").read_text("utf-8")
    )


@functools.cache
def allowlist() -> tuple[frozenset, frozenset, frozenset]:
    """(control words, control symbols, environments) a shared sheet may use."""
    data = _allowlist_data()
    words = frozenset(w for group in data["commands"].values() for w in group)
    return words, frozenset(data["symbols"]), frozenset(data["environments"])


@functools.cache
def _named_arguments() -> dict[str, frozenset]:
    """The commands whose first argument must be one literal name of a list: the name a
    TeX package acts on (an environment, a babel language) is never a sheet's free text."""
    environments = allowlist()[2]
    languages = frozenset(_allowlist_data()["languages"])
    return {"begin": environments, "end": environments, "foreignlanguage": languages}


def refused_command(text: str) -> str | None:
    """The first thing of ``text`` a shared sheet may not use (a command, an environment,
    ``^^``, an unbalanced brace…), spelled as the text has it, or None when all is allowed."""
    words, symbols, _ = allowlist()
    named = _named_arguments()
    if "^^" in text:  # TeX reads ^^5c as a backslash before it reads any token
        return "^^"
    depth = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        part = TRUSTED_PART.match(text, i)
        if part:
            i = part.end()
            continue
        if (ord(ch) < 32 and ch not in "\t\n\r") or ord(ch) == 127:
            return f"control character U+{ord(ch):04X}"
        if ch in "\ue000\ue001":
            return f"private-use character U+{ord(ch):04X}"
        if ch == "%":
            end = text.find("\n", i)
            if end < 0:
                return "% (a comment must end within its text)"
            i = end + 1
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return "} (closes a group the text did not open)"
        elif ch == "\\":
            if i + 1 >= n:
                return "\\ (a backslash ends the text)"
            word = _LETTERS.match(text, i + 1)
            if word is None:
                symbol = text[i + 1]
                if symbol not in symbols and not symbol.isspace():
                    return "\\" + symbol
                i += 2
                continue
            name = word.group(0)
            i = word.end()
            if name not in words:
                return "\\" + name
            if name in named:
                listed = named[name]
                arg = _ENV_NAME.match(text, i)
                if arg is None:
                    return f"\\{name} (a name of the allowlist must follow in braces)"
                if arg.group(1) not in listed:
                    return f"\\{name}{{{arg.group(1)}}}"
                i = arg.end()
            continue
        i += 1
    if depth:
        return "{ (a group the text does not close)"
    return None


def check_sheet_latex(text: str, where: str) -> str:
    """``text`` unchanged, or an InputError naming the sheet, the question and the command."""
    bad = refused_command(text)
    if bad is not None:
        raise InputError(
            f"{where}: {bad} is not allowed in a shared sheet (see the allowlist in "
            "derivations/README.md; a teacher's own macros need ⟨trusted=True⟩)"
        )
    return text
