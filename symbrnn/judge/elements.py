"""Element-level members: an entry (i, j) written with free indices stands for its matrix.

The lemma of II.1 is shown entry by entry: ``\\frac{\\partial u_i}{\\partial v_j} =
\\sigma'\\left(\\sum_k A_{ik} v_k\\right) A_{ij}``. Such a member is read into an
:class:`ElementMatrix`, the matrix whose (i, j) entry is its scalar body, and judged at
the same test points as any other member. The body is built from the tokens (SymPy
numbers, sums, Kronecker deltas and the entries of matrices), never from text.

Grammar of the body: sums and products of entries ``A_{ik}``, ``v_k``, ``(Av)_i``,
``[M]_{ij}``, ``\\delta_{ij}``, ``I_{ij}``, numbers, ``\\sum_k`` (the range is the
dimension the index runs over), ``φ^{(n)}(...)`` and ``\\mathbb{1}_{z > 0}``.

>>> from symbrnn.engine.cells import make_cell
>>> from symbrnn.engine.quantity import parse_quantity
>>> from symbrnn.judge.check import check_answer
>>> check_answer(make_cell("lemma"), "du/dv",
...              r"\\sigma'\\left(\\sum_k A_{ik} v_k\\right) A_{ij}").outcome
'equivalent'
"""

from __future__ import annotations

import math

import sympy as sp
from sympy.core.sympify import _sympify  # strict: never parses a string

from symbrnn.engine.activations import ACTIVATIONS
from symbrnn.engine.matexpr import RNNExpr
from symbrnn.judge.messages import Msg
from symbrnn.judge.notation import AnswerParseError, function_name
from symbrnn.numeric.instantiate import register_evaluation
from symbrnn.numeric.small import SMALL, Small

ELEMENT_LETTERS = frozenset("ijklmpq")  # the letters of free and summed entry indices


class Entry(sp.Expr):
    """[M]_{r c}, 1-based; r and c are index symbols or integers."""

    def __new__(cls, matrix, row, col):
        return sp.Expr.__new__(cls, matrix, _sympify(row), _sympify(col))

    matrix, row, col = (property(lambda self, i=i: self.args[i]) for i in range(3))


class ScalarApply(sp.Expr):
    """φ^{(order)}(z) of a scalar z."""

    def __new__(cls, fn, order, arg):
        fn = fn if isinstance(fn, sp.Symbol) else sp.Symbol(fn)
        return sp.Expr.__new__(cls, fn, sp.Integer(order), arg)

    fn = property(lambda self: self.args[0].name)
    order = property(lambda self: int(self.args[1]))
    arg = property(lambda self: self.args[2])


class ElementMatrix(RNNExpr):
    """The matrix whose entry (i, j) is ``body`` (free indices i for the row, j for the
    column)."""

    def __new__(cls, body, row, col, rows, cols):
        return sp.Basic.__new__(cls, body, row, col, _sympify(rows), _sympify(cols))

    body, row_index, col_index = (property(lambda self, i=i: self.args[i]) for i in range(3))
    shape = property(lambda self: (self.args[3], self.args[4]))

    def _sympystr(self, printer):
        return f"[{show_scalar(self.body, 'text')}]_{{{self.row_index}{self.col_index}}}"

    def _latex(self, printer):
        return (
            rf"\left[{show_scalar(self.body, 'latex')}\right]_{{{self.row_index}{self.col_index}}}"
        )


def show_scalar(node, style: str) -> str:
    """An entry's body as text or LaTeX: σ'(Σ_k A_ik x_k) A_ij."""
    from symbrnn.printing.latex import latex
    from symbrnn.printing.text import text

    def show(n):
        if isinstance(n, Entry):
            matrix = (latex if style == "latex" else text)(n.matrix)
            where = "".join(str(i) for i in (n.row, n.col) if not (n.col == 1 and i is n.col))
            if not getattr(n.matrix, "is_symbol", False) and len(matrix) > 2:
                matrix = f"({matrix})"
            return f"{matrix}_{{{where}}}" if style == "latex" else f"{matrix}_{where}"
        if isinstance(n, ScalarApply):
            row = ACTIVATIONS.get(n.fn)
            fn = n.fn if row is None else (row.latex if style == "latex" else row.text)
            return f"{fn}{chr(39) * n.order}({show(n.arg)})"
        if isinstance(n, sp.KroneckerDelta):
            return ("\\delta_{" if style == "latex" else "δ_{") + f"{n.args[0]}{n.args[1]}}}"
        if isinstance(n, sp.Sum):
            (k, _, _), body = n.limits[0], n.function
            head = f"\\sum_{{{k}}}" if style == "latex" else f"Σ_{k}"
            return f"{head} {show(body)}"
        if isinstance(n, sp.Add):
            return " + ".join(show(a) for a in n.args)
        if isinstance(n, sp.Mul):
            return " ".join(f"({show(a)})" if isinstance(a, sp.Add) else show(a) for a in n.args)
        if isinstance(n, sp.Pow):
            return f"({show(n.base)})^{{{n.exp}}}"
        return str(n)

    return show(node)


def _evaluate(ev, e):
    if ev.ops is not SMALL:
        raise ValueError("an element-level member is evaluated with the judge's numbers only")
    rows, cols = ev.size(e.shape[0]), ev.size(e.shape[1])
    body, i, j = e.body, e.row_index, e.col_index
    entries = (
        tuple(_scalar(ev, body, {i: r, j: c}) for c in range(1, cols + 1))
        for r in range(1, rows + 1)
    )
    return Small(tuple(entries), cols)


def _scalar(ev, node, env) -> float:
    if isinstance(node, Entry):
        value = ev(node.matrix)
        r, c = _index(node.row, env), _index(node.col, env)
        if not (1 <= r <= value.shape[0] and 1 <= c <= value.shape[1]):
            raise ValueError(f"entry ({r}, {c}) of a {value.shape[0]}×{value.shape[1]} matrix")
        return value.rows[r - 1][c - 1]
    if isinstance(node, ScalarApply):
        row = ACTIVATIONS[node.fn]
        z = _scalar(ev, node.arg, env)
        if node.order > 1:
            raise ValueError(f"cannot evaluate the derivative of order {node.order}")
        return (row.scalar if node.order == 0 else row.scalar_derivative)(z)
    if isinstance(node, sp.KroneckerDelta):
        return float(_index(node.args[0], env) == _index(node.args[1], env))
    if isinstance(node, sp.Sum):
        (k, lo, hi), body = node.limits[0], node.function
        total = 0.0
        for value in range(int(lo), ev.size(hi) + 1):
            total += _scalar(ev, body, env | {k: value})
        return total
    if isinstance(node, sp.Add):
        return sum(_scalar(ev, a, env) for a in node.args)
    if isinstance(node, sp.Mul):
        out = 1.0
        for a in node.args:
            out *= _scalar(ev, a, env)
        return out
    if isinstance(node, sp.Pow) and node.exp.is_Integer:
        base, exp = _scalar(ev, node.base, env), int(node.exp)
        try:
            return base**exp
        except OverflowError:  # a float too large is inf, as IEEE arithmetic says
            return -math.inf if base < 0 and exp % 2 else math.inf
        except ZeroDivisionError:
            return math.copysign(math.inf, base) if exp % 2 else math.inf
    if node.is_Number:
        return float(node)
    raise ValueError(f"cannot evaluate {node}")


def _index(i, env) -> int:
    return int(env[i]) if isinstance(i, sp.Symbol) else int(i)


register_evaluation(ElementMatrix, _evaluate)


# -- reading ---------------------------------------------------------------------------


def looks_element_level(tokens) -> bool:
    """Whether a member writes entries with free indices (A_{ij}, v_j, \\delta_{ij})."""
    for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if a.kind == "cmd" and a.text == "\\delta":
            return True
        entry = a.kind == "name" or a.text in (")", "]")
        if entry and b.text == "_" and c.kind == "name" and c.text in "ijl":
            return True
        if entry and b.text == "_" and c.text == "{":
            inner = tokens[tokens.index(c) + 1 : tokens.index(c) + 3]
            if len(inner) == 2 and all(
                t.kind == "name" and t.text in ELEMENT_LETTERS for t in inner
            ):
                return True
    return False


def element_indices(tokens, quantity) -> tuple[str, str] | None:
    """The (row, column) letters of an element-level M₀ ``\\frac{\\partial u_i}{\\partial v_j}``."""
    if quantity is None or quantity.kind != "input" or len(tokens) != 14:
        return None
    if tokens[0].kind != "frac" or tokens[2].kind != "partial" or tokens[8].kind != "partial":
        return None
    num, row, col = tokens[3], tokens[5], tokens[11]
    if num.text != quantity.name or tokens[4].text != "_" or tokens[10].text != "_":
        return None
    if row.kind != "name" or col.kind != "name" or row.text == col.text:
        return None
    if not {row.text, col.text} <= ELEMENT_LETTERS:
        return None
    return row.text, col.text


class ElementReader:
    """Reads one element-level member with the tokens and helpers of a Parser."""

    def __init__(self, parser, shape, indices=None):
        self.p, self.shape, self.indices = parser, shape, indices
        self.bound: list[sp.Symbol] = []

    def read(self) -> ElementMatrix:
        p = self.p
        body = self.expr()
        if p.peek().kind != "end":
            tok = p.peek()
            raise AnswerParseError("answer.unexpected", pos=tok.pos, got=repr(tok.text))
        free = sorted({s.name for s in _entry_symbols(body)} - {s.name for s in self.bound})
        if self.indices is not None:
            row, col = self.indices
        elif len(free) == 2:
            row, col = free
        else:
            row, col = [*free, "i", "j"][:2] if len(free) < 2 else free[:2]
        extra = sorted(set(free) - {row, col})
        if extra:
            raise AnswerParseError("answer.free_index", index=extra[0])
        p.notes.append(Msg.of("note.element_level", indices=f"{row}, {col}"))
        symbol = {name: sp.Symbol(name, integer=True) for name in (row, col)}
        return ElementMatrix(body, symbol[row], symbol[col], *self.shape)

    # -- grammar ----------------------------------------------------------------
    def expr(self):
        p = self.p
        sign = -1 if p.accept("op", "-") else 1
        p.accept("op", "+")
        out = sign * self.term()
        while p.peek().kind == "op" and p.peek().text in "+-":
            op = p.take().text
            right = self.term()
            out = out + right if op == "+" else out - right
        return out

    def term(self):
        p = self.p
        out = self.factor()
        while True:
            explicit = p.accept("times") or (p.peek().text == "*" and p.accept("op", "*"))
            if explicit or self._starts_factor():
                out = out * self.factor()
            else:
                return out

    def _starts_factor(self) -> bool:
        tok = self.p.peek()
        return tok.kind in ("func", "sum", "name", "number", "cmd", "indicator", "frac") or (
            tok.kind == "op" and tok.text in "(["
        )

    def factor(self):
        p = self.p
        out = self.atom()
        if p.peek().text == "^":
            caret = p.take()
            toks = p.braced() if p.accept("op", "{") else [p.take()]
            exponent = p.index_value(toks)
            if not exponent.is_Integer:
                raise AnswerParseError("answer.element_level", pos=caret.pos, why="a power")
            out = out ** int(exponent)
        return out

    def atom(self):
        p = self.p
        tok = p.peek()
        if tok.kind == "number":
            p.take()
            return sp.Rational(tok.text)
        if tok.kind == "op" and tok.text in "([":
            return self._bracket()
        if tok.kind == "func":
            return self._function()
        if tok.kind == "sum":
            return self._sum()
        if tok.kind == "indicator":
            p.take()
            p.take("op", "_")
            p.take("op", "{")
            inner = self.expr()
            p.take("compare")
            p.take("number")
            p.take("op", "}")
            return ScalarApply("relu", 1, inner)
        if tok.kind == "cmd" and tok.text == "\\delta":
            p.take()
            a, b = self._indices(2)
            return sp.KroneckerDelta(a, b)
        if tok.kind == "frac":
            value = p.fraction()
            if getattr(value, "is_Matrix", False):
                raise AnswerParseError("answer.element_level", pos=tok.pos, why="∂ inside an entry")
            return value
        if tok.kind == "name":
            return self._entry()
        p._unclosed_at_end(tok)
        raise AnswerParseError("answer.unexpected", pos=tok.pos, got=repr(tok.text or "∅"))

    def _bracket(self):
        """( scalar ) or (matrix)_i, [matrix]_{ij}."""
        p = self.p
        opened = p.peek()
        start = p.i
        try:  # a matrix written in full, then its entry
            p.take()
            p.opened.append(opened)
            matrix = p.expr()
            p.close(")" if opened.text == "(" else "]", opened)
            if p.peek().text == "_" and getattr(matrix, "is_Matrix", False):
                return self._entry_of(matrix)
        except AnswerParseError:
            pass
        p.i = start
        p.opened = [t for t in p.opened if t is not opened]
        p.take()
        p.opened.append(opened)
        inner = self.expr()
        p.close(")" if opened.text == "(" else "]", opened)
        return inner

    def _entry_of(self, matrix):
        count = 1 if matrix.shape[1] == 1 else 2
        where = self._indices(count)
        return Entry(matrix, where[0], where[1] if count == 2 else 1)

    def _entry(self):
        p = self.p
        tok = p.take("name")
        letter = p.D.cell.notation.get(tok.text, tok.text)
        if letter == "I" and p.peek().text == "_":
            a, b = self._indices(2)
            return sp.KroneckerDelta(a, b)
        if letter in p.D.params:
            return self._entry_of(p.D.params[letter])
        if letter in p.vectors:
            step = p.context.get("step")
            if step is None:
                raise AnswerParseError("answer.needs_step", name=letter)
            return self._entry_of(p.D.vec(letter, step))
        known = ", ".join(sorted(p.D.params) + sorted(p.vectors))
        raise AnswerParseError("answer.unknown_symbol", symbol=tok.text, known=known)

    def _indices(self, count):
        p = self.p
        under = p.take("op", "_")
        toks = p.braced() if p.accept("op", "{") else [p.take()]
        toks = [t for t in toks if t.text != ","]
        if len(toks) != count or not all(
            (t.kind == "name" and t.text in ELEMENT_LETTERS) or t.kind == "number" for t in toks
        ):
            raise AnswerParseError(
                "answer.element_level", pos=under.pos, why=f"{count} index letter(s) (i, j, k)"
            )
        return [
            sp.Symbol(t.text, integer=True) if t.kind == "name" else sp.Integer(t.text)
            for t in toks
        ]

    def _sum(self):
        """\\sum_k body or \\sum_{k=1}^{d} body: over the dimension k runs through."""
        p = self.p
        start = p.take("sum")
        p.take("op", "_")
        toks = p.braced() if p.accept("op", "{") else [p.take()]
        if not toks or toks[0].kind != "name" or toks[0].text not in ELEMENT_LETTERS:
            raise AnswerParseError("answer.element_level", pos=start.pos, why="\\sum_k")
        k = sp.Symbol(toks[0].text, integer=True)
        if p.peek().text == "^":  # an upper bound: the dimension, read from the entries
            p.take()
            if p.accept("op", "{"):
                p.braced()
            else:
                p.take()
        self.bound.append(k)
        body = self.term()
        size = _range_of(body, k)
        if size is None:
            raise AnswerParseError("answer.free_index", index=k.name)
        return sp.Sum(body, (k, 1, size))

    def _function(self):
        p = self.p
        tok = p.take("func")
        name = function_name(tok.text)
        order = 0
        while p.accept("prime"):
            order += 1
        if name == "phi":
            name = _the_activation(p)
        opened = p.peek()
        if not (opened.kind == "op" and opened.text in "(["):
            raise AnswerParseError("answer.function_argument", pos=tok.pos, function=tok.text)
        inner = self._bracket()
        return ScalarApply(name, order, inner)


def _the_activation(p) -> str:
    names = {n.fn.name for n in p.D.trace.nodes if n.op == "apply"}
    return names.pop() if len(names) == 1 else "phi"


def _entry_symbols(body):
    out = set()
    for e in body.atoms(Entry):
        out |= {s for s in (e.row, e.col) if isinstance(s, sp.Symbol)}
    for d in body.atoms(sp.KroneckerDelta):
        out |= {s for s in d.args if isinstance(s, sp.Symbol)}
    return out


def _range_of(body, k):
    """The dimension index k runs over: the rows or columns of the first entry it indexes."""
    for e in sorted(body.atoms(Entry), key=str):
        if e.row == k:
            return e.matrix.shape[0]
        if e.col == k:
            return e.matrix.shape[1]
    return None
