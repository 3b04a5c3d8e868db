"""Shared printing pieces: traced equations in plain text, and helpers of both SymPy printers."""

from __future__ import annotations

import contextlib

SUBSCRIPT_DIGITS = str.maketrans("0123456789+-", "₀₁₂₃₄₅₆₇₈₉₊₋")
_PRECEDENCE = {"add": 1, "sub": 1, "hadamard": 2, "matmul": 3, "apply": 4}


def symbol_text(name: str) -> str:
    """``c_tilde`` → ``c̃``, ``W_f`` stays ``W_f``."""
    if name.endswith("_tilde"):
        return name[: -len("_tilde")] + "\u0303"
    return name


def node_text(node, *, top=False, t="t") -> str:
    """The right-hand side of a traced node in plain text (time index t)."""
    if not top and node.name and node.op != "param" and node.kind != "preactivation":
        return timed(node.name, t if node.op != "state" or node.kind == "new" else f"{t}-1")
    if node.op == "state":
        return timed(node.name, f"{t}-1")
    if node.op == "input":
        return timed(node.name, t)
    if node.op == "param":
        return node.name
    if node.op == "one":
        return "1"
    prec = _PRECEDENCE[node.op]

    def part(arg, right=False):
        text = node_text(arg, t=t)
        named = arg.name and arg.op != "param" and arg.kind != "preactivation"
        inner = _PRECEDENCE.get(arg.op, 9) if not named else 9
        if inner < prec or (right and node.op == "sub" and inner == prec):
            return f"({text})"
        return text

    if node.op == "apply":
        return f"{node.fn.text}({node_text(node.args[0], t=t)})"
    a, b = node.args
    if node.op == "matmul":
        return f"{part(a)} {part(b)}"
    symbol = {"add": "+", "sub": "−", "hadamard": "⊙"}[node.op]
    return f"{part(a)} {symbol} {part(b, right=True)}"


def timed(name: str, t) -> str:
    """A time-indexed name in plain text: h_t, h_{t-1}."""
    t = str(t)
    index = t if len(t) == 1 else "{" + t + "}"
    return f"{symbol_text(name)}_{index}"


class MemoisingPrinter:
    """Mixin for SymPy printers: each sub-expression is printed once (expansions repeat them)."""

    def _print(self, expr, **kwargs):
        if kwargs:
            return super()._print(expr, **kwargs)
        memo = self.__dict__.setdefault("_memo", {})
        with contextlib.suppress(KeyError, TypeError):
            return memo[expr]
        out = super()._print(expr)
        with contextlib.suppress(TypeError):
            memo[expr] = out
        return out


def join_terms(printer, terms, minus) -> str:
    """Terms joined with + and the printer's minus sign."""
    out = ""
    for i, term in enumerate(terms):
        if term.could_extract_minus_sign():
            out += (f" {minus} " if i else minus) + printer._print(-term)
        else:
            out += (" + " if i else "") + printer._print(term)
    return out
