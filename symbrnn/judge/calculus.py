"""The calculus of an answer: ∂ fractions, ∏ and Σ with bounds, and the course's [B]^n.

A mixin of :class:`~symbrnn.judge.answer_parser.Parser`: the same tokens and helpers,
the grammar of derivatives, products and sums.
"""

from __future__ import annotations

import sympy as sp

from symbrnn.engine.derive import Loss
from symbrnn.engine.matexpr import (
    ERASED,
    BracketPower,
    OrderedProduct,
    Partial,
    TimeSum,
    TimeVec,
    add,
    mul,
)
from symbrnn.judge.notation import AnswerParseError

MAX_POWER = 64  # the largest power of a matrix an answer may write


class CalculusNotation:
    """∂, ∏, Σ and the collapsed power, read into the engine's objects."""

    def _unfold(self, factor, before):
        """[B]^n → ∏_{j=t−n+1}^{t} B_j, with t the step of the ∂L_t/∂h_t on its left, else the
        quantity's t; a note says the abuse of notation was read."""
        if not isinstance(factor, BracketPower):
            return factor
        last = next(
            (
                f.num.time
                for f in reversed(before)
                if isinstance(f, Partial) and isinstance(f.num, Loss)
            ),
            self.context.get("t"),
        )
        if last is None:
            raise AnswerParseError(
                "[Diag(σ') W]^n needs to know its last step: write it after ∂L_t/∂h_t, or "
                "write the ordered product ∏_{j=k+1}^{t}"
            )
        ambiguous = sorted(
            {
                v.name
                for v in factor.base.atoms(TimeVec)
                if v.time == ERASED and v.name in self.D.states
            }
        )
        if ambiguous:
            s = ambiguous[0]
            raise AnswerParseError(
                f"[..]^n cannot be checked for this cell: {s} without a step could be {s}_j or "
                f"{s}_{{j-1}}; write the ordered product with its steps, e.g. \\prod_{{j=k+1}}^{{t}}"
            )
        n = factor.exponent
        if n.is_Integer and not 0 <= n <= MAX_POWER:
            raise AnswerParseError(f"powers from 0 to {MAX_POWER} only, got {n}")
        j = sp.Symbol("j", integer=True)
        body = factor.base.xreplace(
            {
                v: TimeVec(v.name, j, *v.shape)
                for v in factor.base.atoms(TimeVec)
                if v.time == ERASED
            }
        )
        self.notes.append(
            "[Diag(σ') W]^n read as the ordered product ∏_{j=t−n+1}^{t} Diag(σ'(a_j)) W "
            "(the course's abuse of notation: the Diag factors differ from step to step)"
        )
        return OrderedProduct(body, j, last - n + 1, last)

    def _erased_argument(self, fn_name):
        """The pre-activation a bare σ' stands for, when the cell has exactly one."""
        names = {
            node.args[0].name
            for node in self.D.trace.nodes
            if node.op == "apply" and node.fn.name == fn_name and node.args[0].name
        }
        if len(names) != 1:
            return None
        return TimeVec(names.pop(), ERASED, self.D.n)

    def fraction(self):
        self.take("frac")
        self.take("op", "{")
        num = self._partial_operand()
        self.take("op", "}")
        self.take("op", "{")
        den = self._partial_operand()
        self.take("op", "}")
        return self.quantity(num, den)

    def _partial_operand(self):
        self.take("partial")
        if self.accept("op", "^"):  # ∂⁺ written \partial^{+} or \partial^+
            if self.accept("op", "{"):
                self.accept("op", "+")
                self.take("op", "}")
            else:
                self.take("op", "+")
        letter = self.take("name").text
        sub = None
        if self.accept("op", "_"):
            toks = self.braced() if self.accept("op", "{") else [self.take()]
            name = letter + "_" + "".join(t.text for t in toks)
            sub = name if name in self.D.params else self.index_value(toks)
        return letter, sub

    def quantity(self, num, den):
        (n_name, n_sub), (d_name, d_sub) = num, den
        for name, sub in ((n_name, n_sub), (d_name, d_sub)):
            if name in self.vectors and sub is None:
                raise AnswerParseError(f"∂{name} needs its time step, e.g. ∂{name}_t")
        if n_name == "L":
            return self._loss_derivative(n_sub, d_name, d_sub)
        if d_sub is None or (d_name not in self.vectors):
            param = self._param(d_name, d_sub)
            return Partial(self.D.vec(n_name, n_sub), param, True)
        # the engine's own quantity, as the sheet writes it
        return self.D.jacobian(n_name, n_sub, d_sub, wrt=d_name)

    def _loss_derivative(self, t, state, k):
        """∂L_t/∂h_t; ∂L_t/∂h_k = ∂L_t/∂h_t ∂h_t/∂h_k; ∂L/∂h_k = Σ_{t=k}^{T} ∂L_t/∂h_k (δ_k)."""
        if state not in self.D.states or k is None:
            raise AnswerParseError(
                f"∂L/∂{state}: the loss is differentiated by a state, e.g. ∂L_t/∂h_t"
            )
        if t is None:
            T = self.context.get("T")
            if T is None:
                raise AnswerParseError("∂L/∂h_k (δ_k) needs the horizon: give --T")
            tau = sp.Symbol("τ", integer=True)
            return TimeSum(self._loss_derivative(tau, state, k), tau, k, T)
        head = Partial(Loss(t), self.D.vec(state, t))
        if t == k:
            return head
        return mul(head, self.D.jacobian(self.D.states[0], t, k, wrt=state))

    def _param(self, name, sub):
        key = name if sub is None else sub if isinstance(sub, str) else f"{name}_{sub}"
        if key not in self.D.params:
            raise AnswerParseError(
                f"unknown parameter {key}; this cell has: {', '.join(self.D.params)}"
            )
        return self.D.params[key]

    def _bounds(self):
        self.take("op", "_")
        self.take("op", "{")
        var = self.take("name").text
        self.take("op", "=")
        start = self.i
        depth = 0
        while not (self.peek().kind == "op" and self.peek().text == "}" and depth == 0):
            tok = self.take()
            if tok.kind == "end":
                raise AnswerParseError(
                    f"cannot read the answer at position {tok.pos}: unclosed bounds"
                )
            depth += {"{": 1, "}": -1}.get(tok.text, 0)
        lo = self.index_value(self.tokens[start : self.i])
        self.take("op", "}")
        self.take("op", "^")
        hi = self.group()
        return sp.Symbol(var, integer=True), lo, hi

    def product(self):
        self.take("prod")
        var, lo, hi = self._bounds()
        body = self._bound_body(var)
        return OrderedProduct(body, var, lo, hi)

    def summation(self):
        """Σ_{var=lo}^{hi} body; written out once its bounds are numbers (an inner sum's
        bounds become numbers when the outer sum is written out)."""
        self.take("sum")
        var, lo, hi = self._bounds()
        return TimeSum(self._bound_body(var), var, lo, hi)

    def _bound_body(self, var):
        saved = self.context.get(var.name)
        self.context[var.name] = var
        try:
            return self.mterm()
        finally:
            if saved is None:
                self.context.pop(var.name, None)
            else:
                self.context[var.name] = saved


MAX_WORK = 50_000  # the matrix operations an answer may describe once ∏, Σ and powers unroll


def answer_work(expr) -> int:
    """How many matrix operations ``expr`` describes once its sums, ordered products and
    powers with number bounds are written out: what bounds an answer that is short to type
    but huge to check (``\\prod_{j=1}^{100000} W``, five nested Σ of 100 terms)."""

    memo: dict = {}

    def count(e) -> int:
        if e in memo:
            return memo[e]
        own = 1 + sum(count(a) for a in e.args if isinstance(a, sp.Basic) and a.args)
        repeat = 1
        if isinstance(e, TimeSum | OrderedProduct):
            lo, hi = e.lo, e.hi
            if lo.is_Integer and hi.is_Integer:
                repeat = max(int(hi) - int(lo) + 1, 1)
        elif isinstance(e, sp.MatPow | BracketPower):
            n = e.args[1]
            repeat = max(int(n), 1) if n.is_Integer and abs(n) <= 10**9 else 1
        total = own * repeat
        memo[e] = total
        if total > MAX_WORK:
            raise AnswerParseError(
                f"the answer describes more than {MAX_WORK:,} matrix products once its sums, "
                "products and powers are written out: too much to check"
            )
        return total

    return count(expr)


def write_out_sums(expr, depth=0):
    """Every Σ with number bounds written out as its terms, inner sums after outer ones."""
    if depth > 8:
        raise AnswerParseError("sums nested too deeply")
    if depth == 0:
        answer_work(expr)
    for s in sorted(expr.atoms(TimeSum), key=lambda s: -len(s.atoms(TimeSum))):
        lo, hi = s.lo, s.hi
        if not (lo.is_Integer and hi.is_Integer):
            continue
        if hi - lo > 1000:
            raise AnswerParseError(f"a sum of {hi - lo + 1} terms is too long to check")
        terms = [s.body.xreplace({s.index: sp.Integer(v)}) for v in range(int(lo), int(hi) + 1)]
        zero = sp.ZeroMatrix(*s.shape)
        return write_out_sums(expr.xreplace({s: add(*terms) if terms else zero}), depth + 1)
    if expr.atoms(TimeSum):
        raise AnswerParseError(
            "sums are checked with number bounds: give them (or --T for T), e.g. \\sum_{k=1}^{3}"
        )
    return expr


def has_erased_step(expr) -> bool:
    return any(v.time == ERASED for v in expr.atoms(TimeVec))
