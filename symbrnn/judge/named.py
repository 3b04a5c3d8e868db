"""Jacobians a student names: ∂s_t/∂r_k, its value the engine's derivative of that pair.

A named ∂h_2/∂c_2 is never 0 nor an opaque symbol: it is :func:`pair_jacobian`, the
engine's derivative of the pair under the question's paths, kept inside a
:class:`NamedJacobian` that evaluates as that value and prints as the student's fraction
(an echo or a diagnosis never shows the engine's block form).

>>> from symbrnn.engine.cells import make_cell
>>> from symbrnn.engine.derive import Derivation
>>> from symbrnn.printing.text import text
>>> D = Derivation.of(make_cell("lstm", bias=False))
>>> text(pair_jacobian(D, "h", 2, "c", 2))
"Diag(o₂) Diag(tanh'(c₂))"
>>> text(named(D, "h", 2, "c", 2))
'∂h₂/∂c₂'
"""

from __future__ import annotations

import functools

import sympy as sp

from symbrnn.engine.matexpr import Partial, RNNExpr, TimeVec, add, mul
from symbrnn.judge.notation import AnswerParseError
from symbrnn.numeric.instantiate import register_evaluation


class NamedJacobian(RNNExpr):
    """∂num/∂den as the student wrote it, worth ``value`` (the engine's derivative)."""

    def __new__(cls, num: TimeVec, den: TimeVec, value):
        return sp.Basic.__new__(cls, num, den, value)

    num, den, value = (property(lambda self, i=i: self.args[i]) for i in range(3))
    shape = property(lambda self: self.args[2].shape)

    def _shown(self):
        return Partial(self.num, self.den)

    def _latex(self, printer):
        return printer._print(self._shown())

    def _sympystr(self, printer):
        return printer._print(self._shown())


register_evaluation(NamedJacobian, lambda ev, e: ev(e.value))


def named(D, state, t, wrt, k, paths="all"):
    """∂state_t/∂wrt_k, printed as written and worth :func:`pair_jacobian`."""
    value = pair_jacobian(D, state, t, wrt, k, paths)
    return NamedJacobian(D.vec(state, t), D.vec(wrt, k), value)


def pair_jacobian(D, state, t, wrt, k, paths="all"):
    """The engine's ∂state_t/∂wrt_k for two quantities of a cell, t ≥ k.

    Two states: :meth:`Derivation.jacobian`, the other states of step k recomputed from
    wrt_k (h_k = o_k ⊙ tanh(c_k) when wrt is c; at k = 0 the initial states are given),
    every path counted, or the direct path alone when ``paths`` is "direct" and both are
    the same state (a pair of two states has no direct path: every path is counted). A quantity of the step
    that is not a state (a, o, c̃, x): the chain rule inside the step (∂h_t/∂a_t,
    ∂a_t/∂h_{t−1}), and across steps through the states between.
    """
    states = D.states
    if state in states and wrt in states:
        initial = k == 0  # the initial states are given, none computed from another
        if state == wrt and (paths == "direct" or len(states) == 1):
            return D.jacobian(state, t, k, paths=paths if len(states) > 1 else "all")
        return D.jacobian(state, t, k, wrt=wrt, recompute=not initial)
    if state not in states:  # v_t = f(states_{t−1}, x_t): through the states of step t − 1
        if _same(t, k) or (wrt in states and _same(t - 1, k)):
            return _within(D, state, wrt, t, prev=not _same(t, k))
        return add(
            *(
                mul(_within(D, state, q, t, prev=True), pair_jacobian(D, q, t - 1, wrt, k, paths))
                for q in states
            )
        )
    if _same(t, k):  # a state by a quantity of its own step
        return _within(D, state, wrt, t, prev=False)
    return add(  # a state by a quantity of an earlier step: through the states of that step
        *(
            mul(
                D.jacobian(state, t, k, wrt=q, recompute=False),
                _within(D, q, wrt, k, prev=False),
            )
            for q in states
        )
    )


def _same(a, b) -> bool:
    return sp.expand(a - b) == 0


def _within(D, name, wrt, t, *, prev):
    """∂name_t/∂wrt inside step t; ``prev``: wrt is a state of step t − 1."""
    nodes = {n.name: n for n in D.trace.named_nodes}
    node = D.state_node(name) if name in D.states else nodes[name]
    if prev:
        target = D.state_node(wrt, "prev")
    elif wrt == "x":
        target = D.trace.leaves["x"]
    elif wrt in D.states:
        target = D.state_node(wrt)
    else:
        target = nodes[wrt]
    if target is node:
        return sp.Identity(D.n)
    return D.within_step(node, target, t)


def check_pair(D, state, wrt):
    """An AnswerParseError unless both names are quantities of the cell (x only below)."""
    known = {n.name for n in D.trace.named_nodes} | set(D.states)
    if state not in known or wrt not in known | {"x"}:
        raise AnswerParseError("answer.jacobian_pair", num=state, den=wrt)


def immediate_parts(D, p):
    """∂⁺s_k/∂W of a cell of several states as the engine's graph makes it (None for one
    state, or anything but a state by a parameter): the states q whose own part the
    parameter reaches without going through another state of step k, each with the
    within-step Jacobian ∂s_k/∂q_k in front of it (None for s itself). Split by the first
    state a path meets, ∂⁺h_k/∂W_f = ∂h_k/∂c_k ∂⁺c_k/∂W_f; ∂⁺c_k/∂W_o = 0."""
    num, den = p.num, p.den
    names = {q.name for q in D.trace.parameters}
    if not p.immediate or len(D.states) < 2 or not isinstance(num, TimeVec):
        return None
    if num.name not in D.states or getattr(den, "name", None) not in names:
        return None
    return [
        (
            q,
            None
            if q == num.name
            else D.within_step(D.state_node(num.name), D.state_node(q), num.time),
        )
        for q in _first_states(D, num.name, den.name)
    ]


@functools.lru_cache(maxsize=64)
def _first_states(D, state, param) -> tuple:
    """The states of step k that ``param`` reaches with no other state between, among those
    ``state`` depends on (itself included)."""
    new = {q: D.state_node(q) for q in D.states}

    def reaches(node, stop) -> bool:  # param among node's arguments, not through ``stop``
        seen, todo = set(), [node]
        while todo:
            x = todo.pop()
            if id(x) in seen:
                continue
            seen.add(id(x))
            if x.op == "param" and x.name == param:
                return True
            todo += [a for a in x.args if not any(a is s for s in stop)]
        return False

    out = []
    for q, node in new.items():
        others = [s for name, s in new.items() if name != q]
        depends = q == state or _depends(new[state], node)
        if depends and reaches(node, others):
            out.append(q)
    return tuple(out)


def _depends(node, target) -> bool:
    seen, todo = set(), [node]
    while todo:
        x = todo.pop()
        if x is target:
            return True
        if id(x) not in seen:
            seen.add(id(x))
            todo += list(x.args)
    return False


def named_gradient_term(D, param, t, k):
    """The (t, k) term of ∂L/∂W for a cell of several states as a student writes it, never
    the engine's block form: ∂L_t/∂h_t ∂h_t/∂q_k ∂⁺q_k/∂W over the states q the parameter
    enters first (the LSTM's W_f: c), ∂h_k/∂h_k left out at t = k."""
    from symbrnn.engine.derive import Loss

    state, P = D.states[0], D.params[param]
    dL = Partial(Loss(t), D.vec(state, t))
    terms = []
    for q in _first_states(D, state, param):
        middle = () if q == state and _same(t, k) else (named(D, state, t, q, k),)
        terms.append(mul(dL, *middle, Partial(D.vec(q, k), P, True)))
    return add(*terms) if terms else None
