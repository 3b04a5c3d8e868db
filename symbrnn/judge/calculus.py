"""The calculus of an answer: ∂ fractions, ∏ and Σ with bounds, and the course's [B]^n.

A mixin of :class:`~symbrnn.judge.grammar.Parser`: the same tokens and helpers,
the grammar of derivatives, products and sums.
"""

from __future__ import annotations

import sympy as sp

from symbrnn.engine.derive import Loss
from symbrnn.engine.matexpr import (
    ERASED,
    BracketPower,
    Diag,
    Ones,
    OrderedProduct,
    Partial,
    TimeSum,
    TimeVec,
    add,
    hadamard,
    mul,
)
from symbrnn.judge.accents import accent_suffix
from symbrnn.judge.bounds import BoundsNotation, elementwise, numbers, vector_steps
from symbrnn.judge.messages import Msg
from symbrnn.judge.named import check_pair, named, pair_jacobian
from symbrnn.judge.notation import AnswerParseError
from symbrnn.judge.written import Causal, has_erased_step
from symbrnn.judge.written import tidy as tidy  # read from here by the search and the key
from symbrnn.judge.written import unnamed as unnamed
from symbrnn.judge.written import write_out_sums as write_out_sums
from symbrnn.numeric.instantiate import check_deadline

MAX_POWER = 64  # the largest power of a matrix an answer may write


class CalculusNotation(BoundsNotation):
    """∂, ∏, Σ and the collapsed power, read into the engine's objects."""

    def _unfold(self, factor, before):
        """[B]^n → ∏_{j=t−n+1}^{t} B_j, with t the step of the ∂L_t/∂h_t on its left, else the
        quantity's t; a note says the abuse of notation was read. A power inside a group
        (∂L_2/∂h_2 (∂⁺h_2/∂W + [B] ∂⁺h_1/∂W), as III.1 is written) waits for the product
        around the group to know its step."""
        check_deadline()  # the check's budget, at every factor read
        if not isinstance(factor, BracketPower) and not self.waiting_powers:
            return factor  # nothing to unfold: no walk back over the factors before it
        last = next(
            (
                f.num.time
                for f in (g.value if isinstance(g, Causal) else g for g in reversed(before))
                if isinstance(f, Partial) and isinstance(f.num, Loss)
            ),
            None,
        )
        if not isinstance(factor, BracketPower):
            if last is None:
                return factor
            nested = factor.atoms(BracketPower)
            return factor.xreplace({p: self._unfolded(p, last) for p in nested})
        last = last if last is not None else self.context.get("t")
        if last is None:
            if self.context.get("T") is not None:  # a gradient: the group's ∂L_t/∂h_t will say
                self.waiting_powers += 1
                return factor
            raise AnswerParseError("answer.power_last_step")
        return self._unfolded(factor, last)

    def _unfolded(self, factor, last):
        ambiguous = sorted(
            {
                v.name
                for v in factor.base.atoms(TimeVec)
                if v.time == ERASED and v.name in self.D.states
            }
        )
        if ambiguous:
            s = ambiguous[0]
            raise AnswerParseError("answer.power_ambiguous", state=s)
        n = factor.exponent
        if n.is_Integer and not 0 <= n <= MAX_POWER:
            raise AnswerParseError("answer.power_range", exponent=n, limit=MAX_POWER)
        j = sp.Symbol("j", integer=True)
        body = factor.base.xreplace(
            {
                v: TimeVec(v.name, j, *v.shape)
                for v in factor.base.atoms(TimeVec)
                if v.time == ERASED
            }
        )
        self.notes.append(Msg.of("note.power_read"))
        return OrderedProduct(body, j, last - n + 1, last)

    def transposes(self, base, toks) -> bool:
        """W^T, W^{T}: a transpose; but [Diag(σ') W]^{T}, the abuse of notation, is a power
        (T the question's horizon, t its step)."""
        letter = len(toks) == 1 and toks[0].kind == "name" and toks[0].text in "Tt"
        return letter and not (has_erased_step(base) and toks[0].text in self.context)

    def power_at(self, base, exponent, pos):
        """W^{t−k} with steps still symbolic (inside Σ_t Σ_k): the ordered product of t − k
        factors, written out with its sum; any other power as ``power`` reads it."""
        plain = _square(base) and not any(
            v.time.is_Symbol and v.time.name not in self.context for v in base.atoms(TimeVec)
        )
        if plain and not exponent.is_Integer and not has_erased_step(base):
            return OrderedProduct(base, sp.Symbol("j", integer=True), 1, exponent)
        return self.power(base, exponent, pos)

    def bound_scalar(self):
        """(t − k), (T − 1) at a '(': a number made of the question's letters bound to their
        values (a general answer judged at an instance), taken; else None, nothing taken."""
        j, letters = self.i + 1, 0
        while self.tokens[j].kind != "end" and self.tokens[j].text != ")":
            tok = self.tokens[j]
            bound = tok.kind == "name" and isinstance(self.context.get(tok.text), sp.Integer)
            if not (bound or tok.text in "+-" or (tok.kind == "number" and tok.text.isdigit())):
                return None
            letters += bound
            j += 1
        if not letters or self.tokens[j].kind == "end":
            return None
        inner = self.tokens[self.i + 1 : j]
        self.i = j + 1
        return self.index_value(inner)

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
        if self.peek().kind == "number":  # \frac{1}{4}: a scalar
            num = self.take("number")
            self.take("op", "}")
            self.take("op", "{")
            den = self.take("number")
            self.take("op", "}")
            if float(den.text) == 0:
                raise AnswerParseError("answer.unexpected", pos=den.pos, got=repr(den.text))
            return sp.Rational(num.text) / sp.Rational(den.text)
        start, total = self.i - 2, self.peek().text == "d"
        num = self._partial_operand()
        self.take("op", "}")
        self.take("op", "{")
        den = self._partial_operand()
        self.take("op", "}")
        return self.quantity(num, den, total, start)

    def slash_fraction(self):
        """∂h₃/∂h₂, ∂L_t/∂h_t, ∂⁺h_k/∂W, dh_3/dh_1: a fraction written on one line."""
        start, total = self.i, self.peek().text == "d"
        num = self._partial_operand()
        self.take("op", "/")
        return self.quantity(num, self._partial_operand(), total, start)

    def _partial_operand(self):
        self.take("partial")
        if self.accept("op", "^"):  # ∂⁺ written \partial^{+} or \partial^+
            self._plus = True  # the immediate partial (read by ``quantity``)
            if self.accept("op", "{"):
                self.accept("op", "+")
                self.take("op", "}")
            else:
                self.take("op", "+")
        self.accept("font")  # \\partial \\boldsymbol h_3, \\partial \\vec h_3
        accent = self.peek().text if self.peek().kind == "tilde" else ""
        tilde = self.accept("tilde")  # \\partial \\tilde h_3, \\tilde{h}_3
        braced = tilde and self.accept("op", "{")
        letter = self.take("name").text
        if braced:
            self.take("op", "}")
        sub = None
        script = None if self.peek().text == "_" else self.paren_script(letter)
        if script is not None or self.accept("op", "_"):
            toks = script or (self.braced() if self.accept("op", "{") else [self.take()])
            name = letter + "_" + "".join(t.text for t in toks)
            comma = next((i for i, t in enumerate(toks) if t.text == ","), None)
            if name in self.D.params:
                sub = name
            elif comma and f"{letter}_{''.join(t.text for t in toks[:comma])}" in self.vectors:
                letter += "_" + "".join(t.text for t in toks[:comma])  # a_{f,3}: a_f at 3
                sub = self.index_value(toks[comma + 1 :])
            else:
                sub = self.index_value(toks)
        return letter + accent_suffix(accent), sub

    def quantity(self, num, den, total=False, start=None):
        """∂num/∂den; written with d (``total``), a state by a parameter is the total
        derivative Σ_κ ∂s_t/∂q_κ ∂⁺q_κ/∂W, except where every fraction is written with d and
        it follows ∂s_t/∂s_k (the sheet's formula, each ∂ written d: the immediate one)."""
        (n_name, n_sub), (d_name, d_sub) = num, den
        plus, self._plus = getattr(self, "_plus", False), False
        for name, sub in ((n_name, n_sub), (d_name, d_sub)):
            if name in self.vectors and sub is None:
                raise AnswerParseError("answer.partial_needs_step", name=name)
        if n_name == "L":
            return self._loss_derivative(n_sub, d_name, d_sub)
        if d_sub is None or (d_name not in self.vectors):
            param = self._param(d_name, d_sub)
            if total and n_sub is not None and not self._after_chain(n_name, n_sub, start):
                return self.total_derivative(n_name, n_sub, param)
            partial = Partial(self.D.vec(n_name, n_sub), param, True)
            return partial if n_sub is None else Causal(partial, n_sub, 1)
        # the engine's derivative of the pair, as the sheet writes it; 0 when k > t
        check_pair(self.D, n_name, d_name)
        self._chain_end = (d_name, d_sub, self.i)
        return self.jacobian(n_name, n_sub, d_sub, d_name, shown=True, immediate=plus)

    def _after_chain(self, name, step, start) -> bool:
        """d name_step/dW follows the d s_t/d s_k it ends, every fraction written with d."""
        chained = getattr(self, "_chain_end", None) == (name, step, start)
        return chained and all(t.text == "d" for t in self.tokens if t.kind == "partial")

    def total_derivative(self, state, t, param):
        """ds_t/dW = Σ_{κ=1}^{t} Σ_q ∂s_t/∂q_κ ∂⁺q_κ/∂W (q: the states the paths go through)."""
        kappa = sp.Symbol("κ", integer=True)
        direct = self.context.get("paths", "all") == "direct"
        through = [state] if len(self.D.states) == 1 or direct else self.D.states
        terms = (
            mul(
                self.jacobian(state, t, kappa, q),
                Causal(Partial(self.D.vec(q, kappa), param, True), kappa, 1),
            )
            for q in through
        )
        return TimeSum(add(*terms), kappa, 1, t)

    def jacobian(self, state, t, k, wrt, shown=False, immediate=False):
        """∂state_t/∂wrt_k: the engine's derivative of the pair under the question's paths
        (``shown``: printed as the student's fraction), 0 when k > t (the future does not
        act on the past); with steps still symbolic, decided once the sums are written out."""
        if t.is_Integer and k.is_Integer and k > t:
            return sp.ZeroMatrix(*self.D.vec(state, t).shape[:1], self.D.vec(wrt, k).shape[0])
        paths = "direct" if immediate else self.context.get("paths", "all")  # ∂⁺c_3/∂c_2
        if shown:
            value = named(self.D, state, t, wrt, k, paths)
        else:
            value = pair_jacobian(self.D, state, t, wrt, k, paths)
        return value if (t - k).is_Integer else Causal(value, t, k)

    def _loss_derivative(self, t, state, k):
        """∂L_t/∂h_t; ∂L_t/∂h_k = ∂L_t/∂h_t ∂h_t/∂h_k; ∂L/∂h_k = Σ_{t=k}^{T} ∂L_t/∂h_k (δ_k)."""
        param = state if k is None else k if isinstance(k, str) else None  # W, or W_f
        if param in self.D.params:
            return self._loss_by_param(t, param)
        if state not in self.D.states or k is None:
            raise AnswerParseError("answer.loss_by_state", state=state)
        if t is None:
            T = self.context.get("T")
            if T is None:
                raise AnswerParseError("answer.delta_needs_T")
            tau = sp.Symbol("τ", integer=True)
            return TimeSum(self._loss_derivative(tau, state, k), tau, k, T)
        head = Causal(Partial(Loss(t), self.D.vec(state, t)), t, 1)
        if t == k:
            return head
        return mul(head, self.jacobian(self.D.states[0], t, k, state))

    def _loss_by_param(self, t, param):
        """∂L_t/∂W = Σ_{k=1}^{t} ∂L_t/∂h_t ∂h_t/∂h_k ∂⁺h_k/∂W; ∂L/∂W sums it over t ≤ T
        (the engine's terms, as in the quantity itself)."""
        kappa = sp.Symbol("κ", integer=True)
        if t is None:
            T = self.context.get("T")
            if T is None:
                raise AnswerParseError("answer.T_unbound")
            tau = sp.Symbol("τ", integer=True)
            return TimeSum(self._loss_by_param(tau, param), tau, 1, T)
        return TimeSum(self.D.gradient_term(param, t, kappa), kappa, 1, t)

    def _param(self, name, sub):
        key = name if sub is None else sub if isinstance(sub, str) else f"{name}_{sub}"
        if key not in self.D.params:
            raise AnswerParseError(
                "answer.unknown_parameter", name=key, known=", ".join(self.D.params)
            )
        return self.D.params[key]

    def product(self):
        """∏_{var=lo}^{hi} body. Without parentheses the body runs to the end of the
        product; its trailing factors that are not square and do not depend on the index
        (∂⁺h_k/∂W) are read after the product, as the course writes it. A body of vectors
        (∏ f_j, ∏ f_j ⊙ o_j) is their elementwise product, decided by its shape; ⨀ and
        ∏^{⊙} are elementwise whatever the body."""
        opened = self.i > 0 and self.tokens[self.i - 1].text in ("(", "[")
        start = self.take("prod")
        pointwise = start.text in _ELEMENTWISE or self._odot_mark()
        var, lo, hi = self._bounds()
        if self._descending():
            lo, hi = hi, lo
        body = self._bound_body(var, elementwise=True)
        vectors = vector_steps(body, var)
        if (pointwise or vectors) and numbers(lo, hi):
            return elementwise(body, var, int(lo), int(hi), MAX_POWER)
        if vectors:  # bounds of a sum's index: ∏_j v_j = (∏_j Diag(v_j)) 1, written out later
            return mul(OrderedProduct(Diag(body), var, lo, hi), Ones(body.shape[0]))
        if pointwise:
            raise AnswerParseError("answer.elementwise_bounds", index=var, pos=start.pos)
        after = []
        factors = list(body.args) if isinstance(body, sp.MatMul) else [body]
        # (∏ … Diag(σ') U): the bracket around the product holds its whole body
        enclosed = opened and self.peek().text in (")", "]")
        while len(factors) > 1 and var not in factors[-1].free_symbols and not _square(factors[-1]):
            if enclosed and isinstance(factors[-1], sp.MatrixSymbol):  # a body not square:
                return OrderedProduct(mul(*factors), var, lo, hi)  # wrong, the table names it
            after.insert(0, factors.pop())
        if not _square(mul(*factors)):
            raise AnswerParseError("answer.product_body", index=var, pos=start.pos)
        product = OrderedProduct(mul(*factors), var, lo, hi)
        return mul(product, *after) if after else product

    def _odot_mark(self) -> bool:
        r"""^{\odot} (or ^\odot) after ∏: the elementwise product, taken."""
        toks = self.tokens[self.i : self.i + 4]
        texts = [t.kind if t.kind == "hadamard" else t.text for t in toks]
        for mark in (["^", "{", "hadamard", "}"], ["^", "hadamard"]):
            if texts[: len(mark)] == mark:
                self.i += len(mark)
                return True
        return False

    def summation(self):
        """Σ_{var=lo}^{hi} body; written out once its bounds are numbers (an inner sum's
        bounds become numbers when the outer sum is written out)."""
        self.take("sum")
        var, lo, hi = self._bounds()
        return TimeSum(self._bound_body(var), var, lo, hi)

    def _bound_body(self, var, elementwise=False):
        """The body of ∏ or Σ, its index bound; a ∏ of vectors runs on over ⊙ (∏ f_j ⊙ o_j)."""
        saved = self.context.get(var.name)
        self.context[var.name] = var
        try:
            body = self.mterm()
            while elementwise and _column(body) and self.peek().kind == "hadamard":
                self.take()
                right = self.mterm()
                if not _column(right):
                    raise AnswerParseError("answer.hadamard_broadcast", pos=self.peek().pos)
                body = hadamard(body, right)
            return body
        finally:
            if saved is None:
                self.context.pop(var.name, None)
            else:
                self.context[var.name] = saved


_ELEMENTWISE = ("\\bigodot", "⨀")


def _column(m) -> bool:
    shape = getattr(m, "shape", None)
    return bool(shape) and shape[1] == 1


def _square(m) -> bool:
    shape = getattr(m, "shape", None)
    return bool(shape) and shape[0] == shape[1] and shape[0] != 1
