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
group), ``\begin{NAME}``/``\end{NAME}`` with a literal name, and no control
characters at all.

TeX reads a text twice: once from the source, and again from the ``.aux`` file
what ``\label``, ``\cite``, ``\caption`` or ``\tag`` wrote there. Two ``^``
that are apart in the source (a comment and its line break between them, a
line break, a space) may be side by side once written, and ``^^5c`` then reads
as a backslash. So ``^^`` is refused in the text as TeX joins it (comments,
with the line break and the next line's indent they eat, and every space
removed), a text may not end with ``^`` or a lone backslash (the next text
would follow it), label and citation keys are letters, digits and ``:._-``,
and what a caption or a tag writes to the ``.aux`` is prose on one line
(:func:`refused_title`). Drawings read no file (``plot file``, ``\addplot
table``…) and run no pgfkeys code of their own (``/utils/exec``, ``/.code``).

The engine's own formulas and drawings (the typed results ``r.…``) are not
the sheet's text: sheets/render.py shows them to the guard as one opaque
character, :data:`OPAQUE`, and puts them back after.

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
>>> refused_command("\\label{a^%\n^5c}")
'^^ (two ^ that TeX reads side by side once comments and line breaks are gone)'
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources

from symbrnn.errors import InputError

# An engine-derived part inside a text, as sheets/render.py shows it to the guard.
OPAQUE = "\ue000"
MAX_OPTION = 500  # the characters of a caption's short title
_LETTERS = re.compile(r"[A-Za-z]+")
_ENV_NAME = re.compile(r"\s*\{([A-Za-z]+\*?)\}")
_KEYS = re.compile(r"[ \t]*\{[A-Za-z0-9:._-]+(?:,[A-Za-z0-9:._-]+)*\}")
# what may follow ^: a group that is not empty, a letter, a digit, a sign, a control word,
# an engine part (never a space, a comment, a closing brace: what may vanish before a ^)
_SUPERSCRIPT = re.compile("\\^(?=\\{[^}]|[A-Za-z0-9(+\\-*'.|\ue000]|\\\\[A-Za-z])")
# pgfkeys: a handler (``key/.code``, ``.code`` alone), a key path of its utilities
_HANDLER = re.compile(r"(?:^|[\[,{/])\.([A-Za-z][^=,\]}/]*)")
_PLOT_FILE = re.compile(r"\bplot\s*(?:\[[^\[\]]*\])?\s*(file|function)\s*[\[{]")
_ADDPLOT = re.compile(r"\\addplot(?![A-Za-z])")
_ADDPLOT_SOURCE = re.compile(
    r"(?:\s*[+3])*\s*(?:\[[^\[\]]*(?:\{[^{}]*\}[^\[\]]*)*\])?\s*(?:coordinates\b|expression\b|[{(])"
)


class Derived(str):
    """LaTeX the engine derived (a field of a typed result): not the sheet's text, so the
    guard does not read it. Operations on it (``+``, ``replace``, ``format``…) give a plain
    ``str``, which the guard reads again."""

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


@functools.cache
def _aux_commands() -> tuple[frozenset, frozenset, frozenset]:
    """(commands taking keys, commands whose text reaches the .aux, pgfkeys handlers)."""
    aux = _allowlist_data()["aux"]
    handlers = frozenset(h.replace(" ", "") for h in aux["pgfkeys_handlers"])
    return frozenset(aux["keys"]), frozenset(aux["prose"]), handlers


def as_tex_joins(text: str, *, spaces: bool = False) -> str:
    r"""``text`` (its line ends as :func:`tex_lines` makes them) as TeX puts it together: each comment gone with its line break and the next
    line's indent, and every space and line break gone too (or, with ``spaces``, a line
    break and the indent after it one space). Two characters side by side here may be side
    by side for TeX, at once or once written to the ``.aux`` and read back.

    >>> as_tex_joins("a^%x\n   ^5c")
    'a^^5c'
    >>> as_tex_joins("\\^%x\n^b \\% c")
    '\\^^b\\%c'
    """
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            out.append(text[i : i + 2])
            i += 2
        elif ch == "%":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            while i < n and text[i] in " \t":
                i += 1
        elif ch.isspace():
            j = i
            while j < n and text[j].isspace() and text[j] != "%":
                j += 1
            if spaces:
                out.append(" ")
            i = j
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _refused_join(text: str) -> str | None:
    """``^^`` once comments and spaces are gone, or a text that ends where the next begins."""
    joined = as_tex_joins(text)
    if "^^" in joined:
        return "^^ (two ^ that TeX reads side by side once comments and line breaks are gone)"
    if joined.endswith("^"):
        return "^ (a text may not end with ^: the next text would follow it)"
    stripped = text.rstrip()
    if (len(stripped) - len(stripped.rstrip("\\"))) % 2:
        return "\\ (a backslash ends the text)"
    return None


def _refused_character(text: str) -> str | None:
    for ch in text:
        if (ord(ch) < 32 and ch not in "\t\n\r") or ord(ch) == 127:
            return f"control character U+{ord(ch):04X}"
        if "\ue000" < ch <= "\uf8ff":
            return f"private-use character U+{ord(ch):04X}"
    return None


def _refused_drawing(text: str) -> str | None:
    """A drawing that reads a file or runs pgfkeys code of its own (the text as TeX joins
    it, so that a comment cannot split a key)."""
    joined = as_tex_joins(text, spaces=True)
    tight = as_tex_joins(text)
    _, _, handlers = _aux_commands()
    for m in _HANDLER.finditer(tight):
        if m.group(1) not in handlers:
            return f"/.{m.group(1)} (a pgfkeys handler the allowlist does not list)"
    if "/utils/" in tight:
        return "/utils/ (pgfkeys utilities run code)"
    if "fromtable=" in tight:
        return "from table (a drawing reads no file)"
    m = _PLOT_FILE.search(joined)
    if m:
        return f"plot {m.group(1)} (a drawing reads no file and runs no program)"
    for m in _ADDPLOT.finditer(joined):
        if not _ADDPLOT_SOURCE.match(joined, m.end()):
            return "\\addplot (its points are coordinates {…}, expression {…} or {…})"
    return None


def tex_lines(text: str) -> str:
    r"""``text`` with its line ends as TeX finds them: a carriage return ends a line too.

    >>> tex_lines("a%\r\\input x\r\nb")
    'a%\n\\input x\nb'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


def refused_command(text: str) -> str | None:
    """The first thing of ``text`` a shared sheet may not use (a command, an environment,
    ``^^``, an unbalanced brace…), spelled as the text has it, or None when all is allowed.
    :data:`OPAQUE` stands for an engine-derived part."""
    text = tex_lines(text)
    for check in (_refused_character, _refused_join, _refused_tokens, _refused_drawing):
        bad = check(text)
        if bad is not None:
            return bad
    return None


def refused_title(text: str) -> str | None:
    """As :func:`refused_command`, for a text that may be written to the ``.aux`` and read
    again (a title, a label, a caption, a tag): prose on one line, no ``%`` or ``#``."""
    bad = refused_command(text)
    if bad is not None:
        return bad
    return _refused_prose(tex_lines(text))


def _refused_prose(text: str, i: int = 0, n: int | None = None) -> str | None:
    n = len(text) if n is None else n
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "\n\r":
            return "a line break (a title or a caption stays on one line)"
        if ch in "%#":
            return f"{ch} (a title or a caption is prose: {ch} is written to the .aux)"
        i += 1
    return None


def _refused_tokens(text: str) -> str | None:
    words, symbols, _ = allowlist()
    depth, spans = 0, []  # spans: what a caption or a tag writes to the .aux
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "%":
            end = text.find("\n", i)
            if end < 0:
                return "% (a comment must end within its text)"
            i = end + 1
            continue
        if ch in "{}":
            depth += 1 if ch == "{" else -1
            if depth < 0:
                return "} (closes a group the text did not open)"
        elif ch == "^" and not _SUPERSCRIPT.match(text, i):
            return "^ (followed by a group, a letter, a digit or a command: nothing that vanishes)"
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
            if name not in words:
                return "\\" + name
            bad, i = _refused_arguments(text, name, word.end(), spans)
            if bad is not None:
                return bad
            continue
        i += 1
    if depth:
        return "{ (a group the text does not close)"
    return _refused_spans(text, spans)


def _refused_spans(text: str, spans: list) -> str | None:
    """Prose in each span, every character read once (a caption in a caption is inside)."""
    reach = 0
    for start, end, name in sorted(spans):
        if end > reach:
            bad = _refused_prose(text, max(start, reach), end)
            if bad is not None:
                return f"\\{name}: {bad}"
            reach = end
    return None


def _refused_arguments(text: str, name: str, i: int, spans: list) -> tuple[str | None, int]:
    """What follows the allowed command ``name`` at ``i``: a literal name of a list, keys
    of a plain alphabet, prose; and where the scan goes on."""
    named = _named_arguments()
    keys, prose, _ = _aux_commands()
    if name in named:
        arg = _ENV_NAME.match(text, i)
        if arg is None:
            return f"\\{name} (a name of the allowlist must follow in braces)", i
        if arg.group(1) not in named[name]:
            return f"\\{name}{{{arg.group(1)}}}", i
        return None, arg.end()
    if name in keys:
        arg = _KEYS.match(text, i)
        if arg is None:
            return f"\\{name} (its key is letters, digits and :._- in braces)", i
        return None, arg.end()
    if name in prose:
        for span in _arguments(text, i):
            if span is None:
                return f"\\{name} (its text must follow in braces)", i
            spans.append((*span, name))
    return None, i


def _arguments(text: str, i: int):
    """Where the optional ``[…]`` and the ``{…}`` argument of a command at ``i`` lie (a star
    skipped), or None where no group in braces follows."""
    n = len(text)
    while i < n and text[i] in " \t*":
        i += 1
    if i < n and text[i] == "[":
        end = _bracket_end(text, i)
        if end is None:
            yield None
            return
        yield i + 1, end
        i = end + 1
        while i < n and text[i] in " \t":
            i += 1
    end = _groups(text).get(i) if i < n and text[i] == "{" else None
    yield None if end is None else (i + 1, end)


def _bracket_end(text: str, i: int) -> int | None:
    """The ``]`` that closes the ``[`` at ``i``, groups in braces skipped, within
    MAX_OPTION characters."""
    groups, j = _groups(text), i + 1
    while j < min(len(text), i + MAX_OPTION) and text[j] != "]":
        if text[j] == "{":
            if j not in groups:
                return None
            j = groups[j]
        j += 2 if text[j] == "\\" else 1
    return j if j < min(len(text), i + MAX_OPTION) else None


@functools.lru_cache(maxsize=4)
def _groups(text: str) -> dict[int, int]:
    """Where each ``{`` of ``text`` is closed (escaped braces skipped), in one pass."""
    pairs, open_at, i = {}, [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            open_at.append(i)
        elif ch == "}" and open_at:
            pairs[open_at.pop()] = i
        i += 1
    return pairs


def check_sheet_latex(text: str, where) -> str:
    """``text`` unchanged, or an InputError naming the sheet, the question and the command."""
    return _checked(refused_command(text), text, where)


def check_sheet_title(text: str, where) -> str:
    """As :func:`check_sheet_latex`, for a title or a label (see :func:`refused_title`)."""
    return _checked(refused_title(text), text, where)


def check_joined(text: str, where) -> str:
    """``text`` with the engine's parts put back: no ``^^`` across a part's edge."""
    return _checked(_refused_join(tex_lines(text)) if "^" in text else None, text, where)


def _checked(bad: str | None, text: str, where) -> str:
    if bad is not None:
        raise InputError.said("sheet.error.not_allowed", where=where, bad=bad)
    return text
