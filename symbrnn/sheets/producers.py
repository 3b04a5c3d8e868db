"""The registry of a sheet's results: a producer per result, a typed result per producer
(the example is in ``sheets.results``), and how a producer writes its numbers."""

from __future__ import annotations

import dataclasses

PRODUCERS: dict = {}
RESULT_TYPES: dict = {}


def producer(name, *names):
    """Register a producer of the result ``name`` with exactly these fields (each of
    ``names`` one field or several, apart by spaces, as ``namedtuple`` takes them)."""
    fields = [field for group in names for field in group.split()]
    cls = dataclasses.make_dataclass(f"{name.capitalize()}Result", fields, frozen=True)
    cls.__doc__ = f"r.{name}: " + ", ".join(fields)
    RESULT_TYPES[name] = cls

    def register(fn):
        def typed(sizes):
            from symbrnn.sheets.guard import derived

            return cls(**{key: derived(value) for key, value in fn(sizes).items()})

        typed.__doc__ = fn.__doc__
        PRODUCERS[name] = typed
        return fn

    return register


def thousands(n: int, sizes) -> str:
    """An integer as the key's language writes it: a thin space between thousands in French,
    a comma in English.

    >>> thousands(12345, {"lang": "fr"}), thousands(12345, {"lang": "en"})
    ('12\\\\,345', '12{,}345')
    """
    sep = r"\," if sizes.get("lang") == "fr" else "{,}"
    return f"{n:,}".replace(",", sep)


def decimal(value: float, sizes, digits: int = 4) -> str:
    """A decimal as the key's language writes it (in math mode): a decimal comma in French.

    >>> decimal(0.12344, {"lang": "fr"}), decimal(0.12344, {"lang": "en"})
    ('0{,}1234', '0.1234')
    """
    return decimal_mark(f"{value:.{digits}f}", sizes.get("lang"))


def matrix_entries(rows, entry) -> str:
    """The body of a LaTeX matrix of numbers: ``a & b \\\\ c & d``, each written by ``entry``."""
    return r" \\ ".join(" & ".join(entry(v) for v in row) for row in rows)


def significant(value: float, sizes, digits: int = 3) -> str:
    """A value to a few significant digits, in the key's language (math mode)."""
    return decimal_mark(f"{value:.{digits}g}", sizes.get("lang"))


def decimal_mark(text: str, lang: str | None) -> str:
    """A number written with a point, written as ``lang`` does: 1{,}5 in French."""
    return text.replace(".", "{,}") if lang == "fr" else text


def eq(lhs, rhs) -> str:
    """``lhs = rhs`` in LaTeX."""
    from symbrnn.printing.latex import latex

    return f"{latex(lhs)} = {latex(rhs)}"


def figure_activations(sizes) -> list[str]:
    """III.4's panels: the sheet's activation, then ``spectral_activation`` where it differs."""
    first, other = sizes["activation"], sizes.get("spectral_activation")
    return [first] if other in (None, first) else [first, other]


def rnn_of(sizes):
    """The sheet's simple RNN: its activation, no bias."""
    from symbrnn.engine.activations import activation
    from symbrnn.engine.cells import simple_rnn

    return simple_rnn(activation(sizes["activation"]), bias=False)
