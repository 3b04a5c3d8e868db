"""Proof of what symbrnn prints: derived results against element-level brute force.

The cell is unrolled element by element with SymPy symbols. Every scalar it
computes at every step is bound to a symbol of its own (``f2[0]``, ``c3[1]``)
whose definition is one step of the cell, so the unrolled network is a DAG of
small scalar equations. The brute-force derivative differentiates each scalar
equation with ``sympy.diff`` and chains them through the DAG (element by
element, nothing of the matrix-level derivation is used). The derived matrix
formula is evaluated at the same symbols. Then:

- ``method="exact"``: both sides expand to the same polynomial in the bound
  symbols, the weights and the activation values (a deterministic proof);
- ``method="random"``: both sides are evaluated exactly at random points of
  the integers modulo a prime, the brute force by forward-mode dual numbers
  through the cell's equations (:mod:`symbrnn.proof.modular`): a polynomial
  identity test (Schwartz–Zippel), with no SymPy expression per element and
  a cost linear in T;
- ``method="naive"``: the baseline: inline the whole unrolled expression,
  ``sympy.diff`` it and expand; exponential in T.

>>> from symbrnn.engine.cells import simple_rnn
>>> verify_jacobian(simple_rnn(bias=False), "h", t=3, k=1, n=2, d=1).equal
True
"""

from __future__ import annotations

import random
import time

import sympy
from sympy import Matrix

from symbrnn.engine.derive import Derivation
from symbrnn.errors import InputError
from symbrnn.numeric.instantiate import SYMPY, Evaluator, draw_point, forward
from symbrnn.numeric.loss import gradient_value, loss_partials, total_loss
from symbrnn.proof.finite_differences import verify_numeric
from symbrnn.proof.modular import gradient_agrees, jacobian_agrees
from symbrnn.proof.report import Proofs, Verification

METHODS = ("exact", "random", "naive")


def symbolic_values(derivation: Derivation, n: int, d: int, T: int):
    """Parameters, inputs x_1..x_T and initial states as matrices of fresh symbols."""

    def symbols(kind, name, rows, cols):
        if kind == "parameter":
            return Matrix(rows, cols, lambda i, j: _real(f"{name}[{i},{j}]"))
        label = name if kind == "input" else f"{name}0"
        return Matrix(rows, cols, lambda i, j: _real(f"{label}[{i}]"))

    return draw_point(derivation, n, d, T, symbols)


class UnrolledDAG:
    """The unrolled cell as scalar equations: each computed entry bound to a symbol.

    ``defs[s]`` is the one-step expression of symbol s; ``step[s]`` its step.
    """

    def __init__(self, derivation: Derivation, n: int, d: int, T: int):
        self.values, self.xs, self.initial = symbolic_values(derivation, n, d, T)
        self.defs: dict = {}
        self.step: dict = {sym: 0 for v in self.initial.values() for sym in v}
        self.env = self._bind_forward(derivation, T)

    def _bind_forward(self, D: Derivation, T: int):
        env = {(s, 0): self.initial[s] for s in D.states}
        for t in range(1, T + 1):

            def bind(name, _step, expr, t=t):
                """Each named quantity of step t becomes fresh symbols, defined by its
                one-step expression: what comes after it reads the symbols (never a copy
                of the expression, which SymPy might distribute: GELU's z/2 (1 + …))."""
                syms = Matrix(expr.rows, 1, lambda i, j: _real(f"{name}{t}[{i}]"))
                for sym, e in zip(syms, expr, strict=True):
                    self.defs[sym] = e
                    self.step[sym] = t
                return syms

            # forward() numbers its steps from 1
            step_env = forward(
                D,
                self.values,
                [self.xs[t - 1]],
                {s: env[s, t - 1] for s in D.states},
                SYMPY,
                bind=bind,
            )
            env["x", t] = self.xs[t - 1]
            for node in D.trace.named_nodes:  # the states among them
                env[node.name, t] = step_env[node.name, 1]
        return env

    def derivative(self, expr, seeds: dict, detach=frozenset()):
        """d expr / d(seed) by the chain rule over the bound symbols (element level).

        ``seeds`` maps a symbol to its derivative (1 for the variable, 0 for
        others); symbols whose name starts with a detached state are constants.
        """
        memo: dict = {}

        def total(sym):
            if sym in seeds:
                return seeds[sym]
            if sym in memo:
                return memo[sym]
            if sym not in self.defs:
                return 0
            memo[sym] = through(self.defs[sym], self.step[sym])
            return memo[sym]

        def through(e, step=None):
            out = 0
            for u in e.free_symbols:
                if step is not None and _state_of(u) in detach and self.step.get(u, step) < step:
                    continue  # a detached state read from the previous step: a constant
                du = total(u)
                if du != 0:
                    out += sympy.diff(e, u) * du
            return out

        return through(expr)


def _real(name: str):
    """A real unknown: the cell's numbers are real (|z|' is sign(z), not SymPy's complex
    form), as the activations' derivatives are derived on the reals."""
    return sympy.Symbol(name, real=True)


def _state_of(sym) -> str:
    return sym.name.split("[")[0].rstrip("0123456789")


def _expand_zero(m: Matrix) -> bool:
    """Every entry expands to 0, activation values φ(s) taken as atoms: one atom per value,
    however its argument is written (GELU's tanh(√2 (z + c z³)/√π) and its distributed
    form are the same atom)."""
    by_value: dict = {}
    atoms: dict = {}
    for entry in m:
        for f in entry.atoms(sympy.Function):
            canonical = f.func(*(a.expand() if isinstance(a, sympy.Expr) else a for a in f.args))
            atoms[f] = by_value.setdefault(canonical, sympy.Dummy())
    return all(sympy.expand(entry.xreplace(atoms)) == 0 for entry in m)


def verify_jacobian(
    cell, state, *, t, k, wrt=None, paths="all", n=2, d=1, method="exact", trials=2, seed=0
):
    """∂state_t/∂wrt_k: the derived ordered product against element-level brute force.

    For a multi-state cell and ``wrt == state`` the other states of step k are
    recomputed from wrt_k (h_k = o_k ⊙ tanh(c_k)); ``paths="direct"`` detaches them.
    """
    _check_sizes(n=n, d=d, t=t, k=k)
    _check_method(method)
    if k > t:
        raise InputError.said("proof.error.k_t", t=t, k=k)
    start = time.perf_counter()
    D = Derivation.of(cell)  # shared: run_all's checks derive each step Jacobian once
    wrt = wrt or state
    D.check_state(state)
    D.check_state(wrt)
    detach = frozenset(set(D.states) - {state}) if paths == "direct" else frozenset()
    derived_expr = D.jacobian(state, t, k, wrt=wrt, paths=paths)
    label = f"∂{state}_{t}/∂{wrt}_{k}" + (" (direct path)" if paths == "direct" else "")
    if method == "naive":
        equal = _naive_jacobian(D, state, wrt, t, k, n, d, detach, derived_expr)
    elif method == "random":
        rng = random.Random(seed)
        equal = all(
            jacobian_agrees(
                D, state, wrt, t=t, k=k, n=n, d=d, rng=rng, paths=paths, derived=derived_expr
            )
            for _ in range(trials)
        )
    else:
        dag = UnrolledDAG(D, n, d, t)
        seeds_of = _jacobian_seeds(dag, wrt, k)
        brute = Matrix(n, n, lambda i, j: dag.derivative(dag.env[state, t][i], seeds_of(j), detach))
        derived = Evaluator(dag.env, dag.values, SYMPY, {D.n: n, D.d: d})(derived_expr)
        equal = _expand_zero(brute - derived)
    sizes = {"n": n, "d": d, "t": t, "k": k}
    return Verification(label, D.cell.name, sizes, method, bool(equal), time.perf_counter() - start)


def _jacobian_seeds(dag, wrt, k):
    """Seeds for column j: d(wrt_k[i])/d(wrt_k[j]) = δ_ij; everything of steps ≤ k upstream."""
    target = dag.env[wrt, k]
    upstream = {sym: 0 for sym, step in dag.step.items() if step < k}
    for sym in dag.defs:  # quantities of step k computed before wrt_k do not depend on it
        if dag.step[sym] == k and not _downstream(dag, sym, set(target)):
            upstream[sym] = 0
    return lambda j: upstream | {sym: (1 if i == j else 0) for i, sym in enumerate(target)}


def _downstream(dag, sym, targets) -> bool:
    e = dag.defs.get(sym)
    if e is None:
        return False
    return any(
        u in targets or (dag.step.get(u) == dag.step[sym] and _downstream(dag, u, targets))
        for u in e.free_symbols
    )


def _naive_jacobian(D, state, wrt, t, k, n, d, detach, derived_expr) -> bool:
    values, xs, initial = symbolic_values(D, n, d, t)
    base = forward(D, values, xs, initial, SYMPY)
    eps = Matrix(n, 1, lambda i, j: sympy.Symbol(f"e[{i}]"))
    perturbed = forward(
        D, values, xs, initial, SYMPY, perturb={(wrt, k): eps}, detach=detach or None, base=base
    )
    brute = perturbed[state, t].jacobian(eps).xreplace({e: 0 for e in eps})
    derived = Evaluator(base, values, SYMPY, {D.n: n, D.d: d})(derived_expr)
    return _expand_zero(brute - derived)


def verify_gradient(cell, param, *, T, n=2, d=1, method="exact", seed=0) -> Verification:
    """∂L/∂param for L = Σ_t ½‖h_t − y_t‖², against element-level brute force."""
    _check_sizes(n=n, d=d, T=T)
    _check_method(method)
    start = time.perf_counter()
    D = Derivation.of(cell)
    D.check_param(param)
    if method == "random":
        rng = random.Random(seed)
        equal = all(gradient_agrees(D, param, T=T, n=n, d=d, rng=rng) for _ in range(2))
    else:
        steps = range(1, T + 1)
        ys = [Matrix(n, 1, lambda i, j, t=t: sympy.Symbol(f"y{t}[{i}]")) for t in steps]
        if method == "naive":  # the whole unrolled loss, differentiated by sympy.diff
            values, xs, initial = symbolic_values(D, n, d, T)
            env = forward(D, values, xs, initial, SYMPY)
        else:  # the chain rule over the scalar equations of the unrolled DAG
            dag = UnrolledDAG(D, n, d, T)
            env, values = dag.env, dag.values
        loss = total_loss(D, env, ys, steps)
        P = values[param]
        if method == "naive":
            brute = Matrix(P.rows, P.cols, lambda i, j: sympy.diff(loss, P[i, j]))
        else:
            brute = Matrix(P.rows, P.cols, lambda i, j: dag.derivative(loss, {P[i, j]: 1}))
        partials = loss_partials(D, env, ys, steps)
        derived = gradient_value(D, param, T, env, values, SYMPY, {D.n: n, D.d: d}, partials)
        equal = _expand_zero(brute - derived)
    sizes = {"n": n, "d": d, "T": T}
    return Verification(
        f"∂L/∂{param}", D.cell.name, sizes, method, bool(equal), time.perf_counter() - start
    )


def auto_method(derivation: Derivation, steps: int, n: int = 2) -> str:
    """Expansion while it stays small, else the random-point identity test. An expanded
    entry of an n×n product of ``steps`` factors has about n^steps terms: the limit
    shrinks with n so that every size verify accepts finishes within seconds."""
    small = len(derivation.states) == 1 and len(derivation.trace.nodes) < 12
    limit = {1: 6, 2: 6, 3: 3}.get(n, 2) if small else 1
    return "exact" if steps <= limit else "random"


def auto_gradient_method(derivation: Derivation, T: int, n: int = 2) -> str:
    small = len(derivation.states) == 1 and len(derivation.trace.nodes) < 12
    longest = 4 if n <= 2 else 2
    return "exact" if (small and longest >= T) or T <= 1 else "random"


def run_all(cell, *, T, n=2, d=1, method="auto", numeric=True) -> Proofs:
    """Every Jacobian ∂s_T/∂s_k (k = 1..T) and every gradient ∂L/∂P of a cell, exactly;
    then (``numeric``) every gradient at random numbers against finite differences."""
    D = Derivation.of(cell)  # the one every check below reads: derived once, shared
    out = Proofs()
    for state in D.states:
        path_options = ["all", "direct"] if len(D.states) > 1 else ["all"]
        for paths in path_options:
            for k in range(1, T + 1):
                m = auto_method(D, T - k, n) if method == "auto" else method
                out.append(verify_jacobian(cell, state, t=T, k=k, paths=paths, n=n, d=d, method=m))
    for param in D.params:
        m = auto_gradient_method(D, T, n) if method == "auto" else method
        out.append(verify_gradient(cell, param, T=T, n=n, d=d, method=m))
    if numeric:
        out.extend(verify_numeric(cell, T=T, derivation=D))
    return out


def _check_sizes(**sizes):
    for name, value in sizes.items():
        if not isinstance(value, int) or value < 1:
            raise InputError.said("proof.error.positive", name=name, got=repr(value))


def _check_method(method):
    if method not in METHODS:
        raise InputError.said("proof.error.method", method=repr(method), methods=", ".join(METHODS))


__all__ = ["Verification", "run_all", "verify_gradient", "verify_jacobian", "verify_numeric"]
