"""More rows of the table of mistakes (:data:`symbrnn.judge.mistakes.EDITS`): the edits that
swap a matrix or a vector for another one the question also names.

- ``fix`` edits (their own inverse, as in :mod:`symbrnn.judge.mistakes`): U written for W
  (one occurrence, or every one), one gate for another (Diag(i_j) for Diag(f_j)), σ′(v) for
  σ′(A v), one bias left out of one
  pre-activation, 1 − h̃ for 1 − h̃² (tanh′ without its square);
- ``mistake`` edits of a gradient ∂L/∂W = Σ_t Σ_k ∂L_t/∂h_t ∂h_t/∂h_k ∂⁺h_k/∂W: every
  ∂h_t/∂h_k written ∂h_k/∂h_t (0: only the terms k = t are left), and ∂⁺h_t/∂W written
  for ∂⁺h_k/∂W.
"""

from __future__ import annotations

from sympy import MatAdd, MatMul, MatrixSymbol
from sympy.matrices.expressions.hadamard import HadamardProduct

from symbrnn.engine.matexpr import Apply, Diag, Ones, Partial, TimeVec, add
from symbrnn.printing.names import text_name
from symbrnn.printing.text import text


def _params(ctx, roles=("recurrent_kernel", "input_kernel")) -> dict:
    return {p.name: ctx.D.params[p.name] for p in ctx.D.trace.parameters if p.role in roles}


def occurrences(expr, leaf, path=()):
    """The paths of ``leaf`` in ``expr`` (never inside a ∂: ∂⁺h_k/∂W names W)."""
    if expr == leaf:
        yield path
        return
    if isinstance(expr, Partial):
        return
    for i, arg in enumerate(expr.args):
        if leaf in arg.atoms(type(leaf)):
            yield from occurrences(arg, leaf, (*path, i))


def replaced_at(expr, path, new):
    """``expr`` with the node at ``path`` (indices of args) replaced by ``new``."""
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = replaced_at(args[path[0]], path[1:], new)
    return expr.func(*args)


def parameter_swap(e, ctx):
    """U written for W: one occurrence of a matrix of the cell, or every one of them."""
    params = _params(ctx)
    present = [p for name, p in sorted(params.items()) if p in e.atoms(MatrixSymbol)]
    for P in present:
        paths = list(occurrences(e, P))
        for Q in (q for name, q in sorted(params.items()) if q != P):
            said = {"yours": text(P), "right": text(Q)}
            said["_inverse"] = {"yours": text(Q), "right": text(P)}
            if len(paths) > 1:
                yield e.xreplace({P: Q}), said
            for path in paths:
                try:
                    yield replaced_at(e, path, Q), said
                except Exception:  # a node that cannot be rebuilt with another matrix
                    continue


def gate_swap(e, ctx):
    """Diag(i_j) for Diag(f_j): one gate (or candidate) of the cell written for another, at
    every place it is named at that step (a Jacobian's: a gradient names its Jacobians)."""
    gates = [n.name for n in ctx.D.trace.named_nodes if n.kind is None]
    if ctx.q.kind == "gradient":
        return
    for v in sorted((v for v in e.atoms(TimeVec) if v.name in gates), key=str):
        for other in (g for g in gates if g != v.name):
            right = ctx.D.vec(other, v.time)
            if right.shape == v.shape:
                said = {"yours": text(v), "right": text(right)}
                said["_inverse"] = {"yours": text(right), "right": text(v)}
                yield e.xreplace({v: right}), said


def argument_product(e, ctx):
    """σ′(v) for σ′(A v): the derivative taken at the vector the matrix multiplies."""
    matrices = [p for p in _params(ctx).values() if p in e.atoms(MatrixSymbol)]
    for a in sorted((a for a in e.atoms(Apply) if a.order), key=str):
        vec = a.vec
        if isinstance(vec, MatMul) and len(vec.args) == 2 and vec.args[0] in matrices:
            inner = vec.args[1]
            said = {"yours": text(vec), "right": text(inner)}
            said["_inverse"] = {"yours": text(inner), "right": text(vec)}
            yield e.xreplace({a: Apply(a.fn, inner, a.order)}), said
        elif isinstance(vec, TimeVec | MatrixSymbol):
            for P in matrices:
                if P.shape[1] == vec.shape[0]:
                    product = P * vec  # built once (SymPy's * simplifies: ~0.3 ms)
                    said = {"yours": text(vec), "right": text(product)}
                    said["_inverse"] = {"yours": text(product), "right": text(vec)}
                    yield e.xreplace({a: Apply(a.fn, product, a.order)}), said


def bias_one(e, ctx):
    """One bias left out of one pre-activation written out (W_f h + U_f x for … + b_f)."""
    cell = ctx.cell
    if cell is None or not cell.bias:
        return
    biases = _params(ctx, ("bias",))
    for a in sorted((a for a in e.atoms(Apply) if isinstance(a.vec, MatAdd)), key=str):
        if any(b in a.vec.atoms(MatrixSymbol) for b in biases.values()):
            continue
        for name, b in sorted(biases.items()):
            yield e.xreplace({a: Apply(a.fn, a.vec + b, a.order)}), {"biases": name}


def pre_summand(e, ctx):
    """A summand left out of a pre-activation written out: σ′(W_i h₂) for σ′(W_i h₂ + U_i x₃)
    (the fix: the step's whole pre-activation in its place)."""
    if ctx.q.kind == "input":
        return
    pre = {n.name for n in ctx.D.trace.nodes if n.kind == "preactivation" and n.name}
    biases = set(_params(ctx, ("bias",)).values())  # a bias left out: its own row
    for a in sorted((a for a in e.atoms(Apply) if a.order), key=str):
        vec = a.vec
        if isinstance(vec, TimeVec) and vec.name in pre:
            continue
        mine = set(vec.args) if isinstance(vec, MatAdd) else {vec}
        times = {v.time for v in vec.atoms(TimeVec) if v.time.is_Integer}
        for t in sorted(times | {t + 1 for t in times}):
            for name, definition in _definitions(ctx.D, t):
                whole = set(definition.args) if isinstance(definition, MatAdd) else set()
                if name.name in pre and mine < whole and not whole - mine <= biases:
                    missing = add(*sorted(whole - mine, key=str))
                    said = {"yours": text(vec), "missing": text(missing), "right": text(name)}
                    yield e.xreplace({a: Apply(a.fn, definition, a.order)}), said
    yield from one_left_out(e, ctx)


def one_left_out(e, ctx):
    """Diag(−y ⊙ y) for Diag(1 − y ⊙ y): the 1 of tanh′ = 1 − tanh² left out."""
    for d in sorted((d for d in e.atoms(Diag) if isinstance(d.args[0], MatMul)), key=str):
        inner = d.args[0]
        if len(inner.args) == 2 and inner.args[0] == -1:
            y = inner.args[1]
            if isinstance(y, HadamardProduct) and len(set(y.args)) == 1:
                right = add(inner, Ones(y.shape[0]))
                said = {"_key": "one", "yours": text(inner), "right": text(right)}
                yield e.xreplace({d: Diag(right)}), said


def _definitions(D, t):
    try:
        return D.definitions(t)
    except Exception:  # a step the cell does not define
        return []


def square(e, ctx):
    """1 − h̃ for 1 − h̃ ⊙ h̃: tanh′ = 1 − tanh² written without its square."""
    if not e.atoms(Ones):
        return
    sums = [m for m in e.atoms(MatAdd) if any(isinstance(x, Ones) for x in m.args)]
    for node in sorted(sums, key=str):
        for arg in node.args:
            negated = isinstance(arg, MatMul) and len(arg.args) == 2 and arg.args[0] == -1
            inner = arg.args[1] if negated else None
            if isinstance(inner, TimeVec):
                squared = HadamardProduct(inner, inner)
                said = {"yours": text(node), "right": text(node.xreplace({inner: squared}))}
                said["_inverse"] = {"yours": said["right"], "right": said["yours"]}
                yield e.xreplace({node: node.xreplace({inner: squared})}), said


def sum_for_product(ctx):
    """The one-step Jacobians added instead of multiplied: Σ_j ∂s_j/∂s_{j−1} for ∂s_t/∂s_k,
    each step under the question's paths (IV.3's ∂c_j/∂c_{j−1} = Diag(f_j), (t − k) I when
    f = 1); said with the state's own letter."""
    q, D = ctx.q, ctx.D
    if q.kind != "jacobian" or q.t is None or q.t - q.k < 2:
        return
    if len(D.states) == 1:
        steps = [D.step_block(j) for j in range(q.t, q.k, -1)]
    else:
        steps = [D.jacobian(q.name, j, j - 1, paths=ctx.paths) for j in range(q.t, q.k, -1)]
    yield add(*steps), {"_key": "of", "state": text_name(q.name)}


def _state(ctx) -> str:
    return ctx.q.name if ctx.q.kind != "gradient" else ctx.D.states[0]


def _terms(ctx):
    q, D = ctx.q, ctx.D
    if q.kind != "gradient" or ctx.T is None:
        return {}
    return {
        (t, k): D.gradient_term(q.name, t, k, paths=ctx.paths)
        for t in range(1, ctx.T + 1)
        for k in range(1, t + 1)
    }


def inverted_jacobian(ctx):
    """Every ∂h_t/∂h_k written ∂h_k/∂h_t: 0 for k < t, only the terms k = t are left."""
    terms = _terms(ctx)
    if ctx.T and ctx.T > 1 and terms:
        yield add(*(terms[t, t] for t in range(1, ctx.T + 1))), {"state": _state(ctx)}


def immediate_step(ctx):
    """∂⁺h_t/∂W for ∂⁺h_k/∂W in every term (t, k)."""
    terms = _terms(ctx)
    if not ctx.T or ctx.T < 2 or not terms:
        return
    moved = []
    for (t, k), term in terms.items():
        swap = {}
        for p in term.atoms(Partial):
            if p.immediate and isinstance(p.num, TimeVec) and p.num.time == k:
                swap[p] = Partial(TimeVec(p.num.name, t, *p.num.shape), p.den, True)
        moved.append(term.xreplace(swap))
    yield add(*moved), {"state": _state(ctx), "param": ctx.q.name}


__all__ = [
    "argument_product",
    "bias_one",
    "immediate_step",
    "inverted_jacobian",
    "occurrences",
    "parameter_swap",
    "pre_summand",
    "replaced_at",
    "square",
    "sum_for_product",
]
