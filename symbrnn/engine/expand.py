"""Expansions of ∂L/∂P and of Jacobians over T steps, as the course writes them.

>>> from symbrnn.engine.cells import simple_rnn
>>> e = expand_gradient(simple_rnn(), "W", T=3)
>>> [(term.t, term.k, term.power) for term in e.terms][:3]
[(1, 1, 0), (2, 1, 1), (2, 2, 0)]
>>> from symbrnn.printing.text import text
>>> text(e.terms[3].collapsed)
"∂L₃/∂h₃ [Diag(σ') W]² ∂⁺h₁/∂W"
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sympy import Symbol

from symbrnn.engine.derive import (
    Derivation,
    collapse,
    drop_empty_powers,
    expand_products,
    j_,
    k_,
    t_,
)
from symbrnn.engine.matexpr import OrderedProduct, TimeSum
from symbrnn.engine.quantity import MAX_T
from symbrnn.errors import InputError

DERIVED_ROWS_UP_TO = 6  # up to this T every row is derived on its own (and written out)


@dataclass
class ExpansionTerm:
    """One (t, k) row. ``at`` is None for a row derived on its own; otherwise ``collapsed``
    is the general (t, k) term, derived and collapsed once, and ``at`` the values of t and k
    the printers substitute into it (a test proves the two ways print the same)."""

    t: int
    k: int
    power: int
    structured: object  # with ordered products Π_{j=k+1}^{t} (None for a substituted row)
    collapsed: object  # ordered products collapsed into [B]^n
    at: dict | None = None

    @property
    def explicit(self):
        """Ordered products written factor by factor (t − k factors: ask only for small T)."""
        return expand_products(self.structured)


@dataclass
class Expansion:
    """A derived quantity: its general form and, for a concrete T, its terms."""

    cell: str
    quantity: str  # "dL/dW", "dh/dh", "dc/dc"
    wrt: str
    T: object
    general: object  # Σ/Π form with symbolic bounds
    general_collapsed: object
    step: object  # the one-step Jacobian B_j of the product
    step_collapsed: object  # B with its time index erased, as in [Diag(σ')W]
    approximate: bool = False
    paths: str = "all"
    matrix_form: object = None  # ∂L/∂P as Σ_t Σ_k of outer products (gradients only)
    row: object = None  # (t, k) -> the (t, k) term derived on its own
    general_row: object = None  # the general (t, k) term, collapsed
    params: dict = field(default_factory=dict)  # the cell's parameters by name (for printing)

    def iter_terms(self):
        """The rows for 1 ≤ k ≤ t ≤ T, produced one at a time (memory flat in T).

        Rows with t = k, and every row while T ≤ DERIVED_ROWS_UP_TO, are derived on
        their own; the others instantiate the general term derived once.
        """
        if not isinstance(self.T, int):
            return
        for t in range(1, self.T + 1):
            for k in range(1, t + 1):
                if t == k or self.T <= DERIVED_ROWS_UP_TO:
                    term = self.row(t, k)
                    yield ExpansionTerm(t, k, t - k, term, drop_empty_powers(collapse(term)))
                else:
                    yield ExpansionTerm(t, k, t - k, None, self.general_row, {t_: t, k_: k})

    @property
    def terms(self) -> list[ExpansionTerm]:
        """Every row as a list (for a small T; printing uses :meth:`iter_terms`)."""
        return list(self.iter_terms())

    def _repr_latex_(self):
        from symbrnn.printing.expansion import expansion_latex  # the printer, on first use

        return expansion_latex(self, self.params)

    def _repr_html_(self):
        from symbrnn.printing.expansion import expansion_html

        return expansion_html(self)


def _check_T(T):
    if isinstance(T, int):
        if T <= 0:
            raise InputError.said("expand.error.T_positive", got=T)
        if T > MAX_T:
            terms = T * (T + 1) // 2
            raise InputError.said("expand.error.T_large", T=T, terms=terms, top=MAX_T)


def expand_gradient(cell, param: str, T, *, state=None, paths="all") -> Expansion:
    """∂L/∂param = Σ_t Σ_{k≤t} ∂L_t/∂s_t ∂s_t/∂s_k ∂⁺s_k/∂param, general and for T steps."""
    _check_T(T)
    D = Derivation.of(cell)
    D.check_param(param)
    state = state or D.states[0]
    D.check_state(state)
    general = D.gradient(param, Symbol("T", integer=True, positive=True), state=state, paths=paths)
    out = _expansion(
        D,
        f"dL/d{param}",
        param,
        T,
        general,
        state,
        paths,
        approximate=(state != D.states[0] or (paths == "direct" and len(D.states) > 1)),
        matrix_form=None
        if state != D.states[0]
        else TimeSum(TimeSum(D.gradient_matrix_term(param, t_, k_), k_, 1, t_), t_, 1, Symbol("T")),
    )
    out.row = lambda t, k: D.gradient_term(param, t, k, state=state, paths=paths)
    out.general_row = drop_empty_powers(collapse(out.row(t_, k_)))
    return out


def expand_jacobian(cell, state: str, T, *, paths="all") -> Expansion:
    """∂s_t/∂s_k = Π_{j=k+1}^{t} ∂s_j/∂s_{j-1}, general and for every 1 ≤ k ≤ t ≤ T."""
    _check_T(T)
    D = Derivation.of(cell)
    D.check_state(state)
    out = _expansion(
        D, f"d{state}/d{state}", state, T, D.jacobian(state, t_, k_, paths=paths), state, paths
    )
    out.row = lambda t, k: D.jacobian(state, t, k, paths=paths)
    out.general_row = collapse(out.row(t_, k_))
    return out


def _expansion(D, quantity, wrt, T, general, state, paths, **extra) -> Expansion:
    """The parts every expansion has: general form, collapsed form, the one-step Jacobian."""
    one_state = len(D.states) == 1 or paths == "direct"
    step = D.step_jacobian(state, state, j_) if one_state else D.step_block(j_)
    return Expansion(
        cell=D.cell.name,
        quantity=quantity,
        wrt=wrt,
        T=T,
        general=general,
        general_collapsed=collapse(general),
        step=step,
        step_collapsed=collapse(OrderedProduct(step, j_, 1, 1)).base,
        paths=paths,
        params=D.params,
        **extra,
    )


__all__ = ["Expansion", "ExpansionTerm", "expand_gradient", "expand_jacobian"]
