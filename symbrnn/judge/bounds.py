"""The bounds of ∏ and Σ as students write them: ``_{j=k+1}^{t}``, written from the last
factor down (``_{j=t}^{k+1}``), or as a condition (``_{k \\le t}``, ``_{k < j \\le t}``,
``_{1 \\le k \\le t}``, a bare ``_t`` for 1 to T). A mixin of the grammar's parser.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.sympify import _sympify  # strict: never parses a string
from sympy.matrices.expressions.hadamard import HadamardProduct

from symbrnn.engine.matexpr import Ones
from symbrnn.judge.indices import IndexReader
from symbrnn.judge.notation import AnswerParseError

_GREEK = ("\\tau", "\\kappa", "\\ell", "\\iota", "\\nu", "\\mu")
_AT_MOST = ("<", "lt", "<=", "≤", "le", "leq", "leqslant")


def _is_index(tok) -> bool:
    """The index of a product or a sum: a letter, or τ, κ, ℓ written as commands."""
    return tok.kind == "name" or (tok.kind == "cmd" and tok.text in _GREEK)


class BoundsNotation:
    """The bounds of a product or a sum: (index, lower, upper), and whether a product is
    written from its last factor down."""

    def _bounds(self):
        """_{v=lo}^{hi}; or a condition, _{k \\le t}, _{k<j\\le t}, _{1 \\le k \\le t} (the
        bounds it says), or a bare _t (1 to T)."""
        opened = self.peek().pos
        self.take("op", "_")
        content = self.braced() if self.accept("op", "{") else [self.take()]
        self._written = None
        if not any(t.kind == "op" and t.text == "=" for t in content):
            return self._condition_bounds(content, opened)
        if len(content) < 3 or not _is_index(content[0]) or content[1].text != "=":
            raise AnswerParseError("answer.bounds_condition", pos=opened)
        lo_toks = content[2:]
        self.take("op", "^")
        hi_toks = self.braced() if self.accept("op", "{") else [self.take()]
        self._written = (lo_toks, hi_toks)
        var = sp.Symbol(content[0].text, integer=True)
        return var, self.index_value(lo_toks), self.index_value(hi_toks)

    def _condition_bounds(self, content, opened):
        parts, ops = [[]], []
        for tok in content:
            if tok.kind == "compare":
                parts.append([])
                ops.append(tok.text.lstrip("\\"))
            else:
                parts[-1].append(tok)
        strict = [int(op in ("<", "lt")) for op in ops]
        if not all(op in _AT_MOST for op in ops):
            raise AnswerParseError("answer.bounds_condition", pos=opened)
        if len(parts) == 1 and self.peek().text != "^":  # Σ_t: over the whole sequence
            lo, hi, var = sp.Integer(1), self.context.get("T"), parts[0]
            if hi is None:
                raise AnswerParseError("answer.T_unbound")
        elif len(parts) == 2:  # k ≤ t
            var, lo = parts[0], sp.Integer(1)
            hi = self.index_value(parts[1]) - strict[0]
        elif len(parts) == 3:  # 1 ≤ k ≤ t, k < j ≤ t
            var = parts[1]
            lo = self.index_value(parts[0]) + strict[0]
            hi = self.index_value(parts[2]) - strict[1]
        else:
            raise AnswerParseError("answer.bounds_condition", pos=opened)
        if len(var) != 1 or not _is_index(var[0]):
            raise AnswerParseError("answer.bounds_condition", pos=opened)
        return sp.Symbol(var[0].text, integer=True), lo, hi

    def _descending(self) -> bool:
        """∏_{j=t}^{k+1}, ∏_{j=4}^{2}: written from the last factor down (the lower bound the
        larger for every t ≥ k, or by 2 or more); ∏_{j=2}^{1} stays the empty product (the
        convention, and the printer's at t = k)."""
        if self._written is None:
            return False
        free = {x: v for x, v in self.context.items() if x not in ("t", "k")}
        lo, hi = (IndexReader(toks, free, 0).read() for toks in self._written)
        t, k, s = (sp.Symbol(x, integer=True) for x in "tks")
        gap = sp.expand((lo - hi).subs(t, k + s))
        if gap.is_Integer:
            return bool(gap >= 2) and not (lo - hi).free_symbols
        return gap.coeff(s) > 0 and not (gap - gap.coeff(s) * s).free_symbols


def vector_steps(body, var) -> bool:
    """Whether ∏ runs over vectors of a step (f_j, f_j ⊙ o_j: columns n×1)."""
    shape = getattr(body, "shape", None)
    return bool(shape) and shape[1] == 1 and var in body.free_symbols


def numbers(lo, hi) -> bool:
    """Whether both bounds are numbers (a general answer at its instance)."""
    return _sympify(lo).is_Integer and _sympify(hi).is_Integer


def elementwise(body, var, lo, hi, limit):
    """∏_{j=lo}^{hi} f_j of vectors written out as f_hi ⊙ … ⊙ f_lo (a readable answer,
    judged: a vector where a matrix is due is a wrong shape, not an unreadable answer)."""
    if hi < lo:  # the empty elementwise product: ones (the matrix 1 1ᵀ of matrices)
        ones = Ones(body.shape[0])
        return ones if body.shape[1] == 1 else sp.MatMul(ones, sp.Transpose(Ones(body.shape[1])))
    if hi - lo >= limit:
        raise AnswerParseError("answer.power_range", exponent=hi - lo + 1, limit=limit)
    factors = [body.xreplace({var: sp.Integer(j)}) for j in range(hi, lo - 1, -1)]
    return HadamardProduct(*factors) if len(factors) > 1 else factors[0]
