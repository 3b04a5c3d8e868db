"""The engine's parts in a rendered sheet text: only the engine marks text as trusted.

A value of a typed result (a ``Derived`` string) printed by a sheet's template becomes a
marker that names it by a secret of this rendering; the guard reads the sheet's own text
around it, shown one opaque character, then the parts are put back. Sheet text cannot
spell a marker it never saw, and a marker it copied (a ``((* set *))`` block printed twice,
or into another text) is refused. A filter's output is sheet text like any other.
"""

from __future__ import annotations

import re
import secrets

from symbrnn.errors import InputError
from symbrnn.printing.escape import latex_escape
from symbrnn.sheets.guard import OPAQUE, Derived, check_joined


def install(env) -> None:
    """Markers for the engine's values printed by ``env``'s templates; its ``join`` and
    ``verbatim`` filters."""
    env.derived_parts = []
    env.marker = re.compile(f"\ue000{secrets.token_hex(16)}:(\\d+)\ue001")
    env.finalize = lambda value: _opaque(env, value)
    env.filters["verbatim"] = verbatim
    env.filters["join"] = _joiner(env)


def _opaque(env, value):
    if isinstance(value, Derived):
        env.derived_parts.append(str(value))
        secret = env.marker.pattern[1:33]
        return f"\ue000{secret}:{len(env.derived_parts) - 1}\ue001"
    return value


def guarded(env, out: str, where, guard, first: int = 0) -> str:
    """``out`` held to ``guard`` with each engine part shown as one opaque character, then
    the parts put back (no ``^^`` across their edges); a marker this text did not print,
    or printed twice, is refused. ``guard`` None: a trusted sheet's text."""
    parts, used = env.derived_parts, set()

    def part(m) -> str:
        index = int(m[1])
        if index < first or index >= len(parts) or index in used:
            raise InputError.said("sheet.error.part", where=where)
        used.add(index)
        return parts[index]

    if guard is None:
        return env.marker.sub(part, out)
    if OPAQUE in env.marker.sub("", out):
        raise InputError.said("sheet.error.private", where=where)
    guard(env.marker.sub(OPAQUE, out), where)
    return check_joined(env.marker.sub(part, out), where)


def _joiner(env):
    """Jinja's join, keeping derived items opaque (the separator is the sheet's text)."""

    def join(items, separator="", attribute=None):
        from jinja2.filters import make_attrgetter

        if attribute is not None:
            items = map(make_attrgetter(env, attribute), items)
        return str(separator).join(str(_opaque(env, item)) for item in items)

    return join


def verbatim(text) -> str:
    """Code set as it is typed: the engine's code in a verbatim block; any other text
    escaped, line by line, in typewriter type (sheet text, guarded like the rest)."""
    if not isinstance(text, Derived):
        lines = (latex_escape(line).replace(" ", "~") for line in str(text).split("\n"))
        return "{\\footnotesize\\ttfamily\\noindent " + "\\\\\n".join(lines) + "\\par}"
    if r"\end{verbatim}" in text:
        raise InputError.said("sheet.error.verbatim")
    return Derived("{\\footnotesize\n\\begin{verbatim}\n" + text + "\n\\end{verbatim}\n}")
