"""Diagnoses of single-edit wrong answers (issue 35, point 4): how many name the mistake.

For td5's variants (seeds 0–20 by default, each distinct question and options once) and a
few questions td5 does not ask (a GRU step, the biased RNN and LSTM, ∂h_t/∂h_t), the key is
written the ways the course writes it (as the engine prints it, products written out,
pre-activations written out, tanh′ as 1 − y², ∂L/∂W as Σ_t Σ_k), then edited once by
mutations made HERE, not by the table of mistakes: a factor or a summand dropped or added
anywhere (inside and outside sums of (t, k) terms), one matrix for another, one transposed,
σ′(v) for σ′(A v), σ for σ′, one index t ↔ t − 1 or every one, ∂h_k/∂h_t for ∂h_t/∂h_k,
∂⁺h_t for ∂⁺h_k, tanh′'s square left out, I added. Each edit is printed in the course's
LaTeX and judged by ``check_answer``; an edit the judge accepts is one that changes
nothing (left out). The rate is the share of wrong answers whose first note names a
mistake (not UNKNOWN, SHAPE, or an unreadable answer).

    python benchmarks/diagnoses.py [--seeds 21] [--per-kind 6] [--misses 40] [--json]
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import time

from sympy import Identity, MatAdd, MatMul, MatrixSymbol, Symbol, Transpose
from sympy.matrices.expressions.hadamard import HadamardProduct

from symbrnn.engine.cells import make_cell
from symbrnn.engine.derive import Derivation, expand_products
from symbrnn.engine.matexpr import (
    Apply,
    Diag,
    Ones,
    OrderedProduct,
    Partial,
    TimeSum,
    TimeVec,
    add,
    mul,
)
from symbrnn.engine.quantity import parse_quantity
from symbrnn.judge.check import check_answer
from symbrnn.judge.expected import answer_expression, reference
from symbrnn.printing.latex import latex

UNNAMED = {"UNKNOWN", "SHAPE"}
EXTRAS = [  # (id, options): questions td5 does not ask, where the course's slips are made
    ("GRU", {"cell": "gru", "bias": False, "quantity": "dh_3/dh_2"}),
    ("GRU+b", {"cell": "gru", "quantity": "dh_3/dh_2"}),
    ("RNN+b", {"cell": "rnn", "quantity": "dh_3/dh_2"}),
    ("RNN4", {"cell": "rnn", "bias": False, "quantity": "dh_4/dh_1"}),
    ("LSTM+b", {"cell": "lstm", "quantity": "dh_3/dh_2"}),
    ("I", {"cell": "rnn", "bias": False, "quantity": "dh_2/dh_2"}),
    ("SUM", {"cell": "rnn", "bias": False, "quantity": "dL/dW", "T": 3}),
]


def cases(seeds: int) -> list[tuple[str, dict]]:
    from symbrnn.sheets.variants import variant_json

    found = {}
    for seed in range(seeds):
        for q in variant_json("td5", seed)["questions"]:
            if q["checkable"]:
                options = {k: v for k, v in q["check"].items() if k not in ("variant_seed", "also")}
                same = {k: v for k, v in options.items() if k != "T" or "L" in options["quantity"]}
                found.setdefault(json.dumps(same, sort_keys=True), (q["id"], options))
    return sorted(found.values(), key=lambda c: c[0]) + EXTRAS


# -- the key written the course's ways ----------------------------------------------


def _kids(node):
    """The indices of the arguments an edit may go into."""
    if isinstance(node, TimeVec | Partial | MatrixSymbol | Ones | Identity):
        return []
    if isinstance(node, Apply):
        return [1]
    if isinstance(node, OrderedProduct | TimeSum):
        return [0]
    return [i for i, a in enumerate(node.args) if getattr(a, "is_Matrix", False)]


def _rebuild(node, args):
    if isinstance(node, MatMul):
        return mul(*args)
    if isinstance(node, MatAdd):
        return add(*args)
    return node.func(*args)


def positions(expr, path=()):
    yield path, expr
    for i in _kids(expr):
        yield from positions(expr.args[i], (*path, i))


def put(expr, path, new):
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = put(args[path[0]], path[1:], new)
    return _rebuild(expr, args)


def written_pre(expr, D, t_max):
    """Every pre-activation a_j inside φ′(·) written out (W h + U x + b)."""
    pre = {n.name for n in D.trace.nodes if n.op == "add" and n.name and n.kind == "preactivation"}
    swaps = {}
    for a in expr.atoms(Apply):
        v = a.vec
        if isinstance(v, TimeVec) and str(v.name) in pre and v.time.is_Integer:
            defs = dict((str(k), e) for k, e in D.definitions(v.time))
            swaps[a] = Apply(a.fn, defs[str(TimeVec(v.name, v.time, *v.shape))], a.order)
    return expr.xreplace(swaps) if swaps else None


def _posts(D):
    return {n.args[0].name: n.name for n in D.trace.nodes if n.op == "apply" and n.name}


def tanh_as_states(expr, D):
    """tanh′(a_j) written 1 − y_j ⊙ y_j with y_j = tanh(a_j) a named quantity."""
    post = _posts(D)
    swaps = {}
    for a in expr.atoms(Apply):
        v = a.vec
        if a.fn == "tanh" and a.order == 1 and isinstance(v, TimeVec) and str(v.name) in post:
            y = TimeVec(post[str(v.name)], v.time, *v.shape)
            swaps[a] = Ones(y.shape[0]) - HadamardProduct(y, y)
    return expr.xreplace(swaps) if swaps else None


def forms(D, q, ref, T):
    """(name, expression): the key as the engine prints it and the course's other ways."""
    key = answer_expression(D, q, ref)
    out = [("key", key)]
    if q.kind == "input":  # II.1 is written in u, v and A v: no step, no a₁ to write out
        return out
    written = expand_products(ref)
    if written != key:
        out.append(("written", written))
    pre = written_pre(written, D, T)
    if pre is not None:
        out.append(("pre", pre))
    tanh = tanh_as_states(written, D)
    if tanh is not None:
        out.append(("tanh", tanh))
    if q.kind == "gradient":
        from symbrnn.engine.expand import expand_gradient

        general = expand_gradient(D.cell, q.name, T).general
        out.append(("sum", general.xreplace({Symbol("T", integer=True): T})))
        named = general.xreplace({Symbol("T", integer=True): T})
        t, k = Symbol("t", integer=True), Symbol("k", integer=True)
        state = D.states[0]
        jac = Partial(TimeVec(state, t, D.n), TimeVec(state, k, D.n), False)
        named = named.xreplace({p: jac for p in named.atoms(OrderedProduct)})
        out.append(("named", named))
    return out


# -- the edits, made here (not by the table) ----------------------------------------


def _pool(D, expr):
    """Factors a student adds: Diag of a named vector of the cell at a step of the key."""
    times = sorted({v.time for v in expr.atoms(TimeVec) if v.time.is_Integer})
    names = [n for n in D.states] + [
        n.name
        for n in D.trace.nodes
        if n.op == "apply" and n.name and n.name not in D.states and n.kind != "preactivation"
    ]
    square = [P for P in D.params.values() if P.shape[0] == P.shape[1]]
    return [Diag(TimeVec(n, t, D.n)) for n in names for t in times] + square


def _kernels(D):
    return [
        D.params[p.name]
        for p in D.trace.parameters
        if p.role in ("recurrent_kernel", "input_kernel")
    ]


def _fits(before, f, after) -> bool:
    """Whether ``f`` between these factors makes a product that is defined."""
    before = [a for a in before if a.is_Matrix]
    after = [a for a in after if a.is_Matrix]
    left = before[-1].shape[1] if before else None
    right = after[0].shape[0] if after else None
    return (left is None or left == f.shape[0]) and (right is None or right == f.shape[1])


def _immediate_in_term(expr, path, node):
    """∂⁺h_t/∂W written for ∂⁺h_k/∂W in one (t, k) term of ∂L/∂W written out."""
    from symbrnn.engine.derive import Loss

    steps = [p.num.time for p in node.args if isinstance(p, Partial) and isinstance(p.num, Loss)]
    for i, p in enumerate(node.args):
        if steps and isinstance(p, Partial) and p.immediate and p.num.time != steps[0]:
            moved = Partial(TimeVec(p.num.name, steps[0], *p.num.shape), p.den, True)
            yield (
                "∂⁺h_t for ∂⁺h_k",
                lambda i=i, m=moved: put(expr, path, mul(*node.args[:i], m, *node.args[i + 1 :])),
            )


def mutations(expr, D, q):
    """(kind, expression) for every single edit of ``expr``."""
    kernels = _kernels(D)
    post = _posts(D)
    pool = _pool(D, expr)
    for path, node in positions(expr):
        shape = node.shape
        if isinstance(node, MatMul):
            for i in range(len(node.args)):
                yield (
                    "drop factor",
                    lambda p=path, n=node, i=i: put(expr, p, mul(*n.args[:i], *n.args[i + 1 :])),
                )
            for i in range(len(node.args) + 1):
                for f in pool:
                    if _fits(node.args[:i], f, node.args[i:]):
                        yield (
                            "add factor",
                            lambda p=path, n=node, i=i, f=f: put(
                                expr, p, mul(*n.args[:i], f, *n.args[i:])
                            ),
                        )
            yield from _immediate_in_term(expr, path, node)
        if isinstance(node, MatAdd):
            for i in range(len(node.args)):
                yield (
                    "drop summand",
                    lambda p=path, n=node, i=i: put(expr, p, add(*n.args[:i], *n.args[i + 1 :])),
                )
        if shape[0] == shape[1] and not isinstance(node, Apply | TimeVec):
            yield "add summand", lambda p=path, n=node: put(expr, p, add(n, Identity(n.shape[0])))
        if node in kernels:
            for other in kernels:
                if other != node:
                    yield "swap matrix", lambda p=path, o=other: put(expr, p, o)
            yield "transpose one", lambda p=path, n=node: put(expr, p, Transpose(n))
        if isinstance(node, Apply) and node.order:
            v = node.vec
            if isinstance(v, MatMul) and len(v.args) == 2:
                yield (
                    "σ′(v) for σ′(Av)",
                    lambda p=path, n=node: put(expr, p, Apply(n.fn, n.vec.args[1], n.order)),
                )
            if isinstance(v, TimeVec) and v.name in post:
                yield (
                    "σ′(h) for σ′(a)",
                    lambda p=path, n=node, v=v: put(
                        expr, p, Apply(n.fn, TimeVec(post[v.name], v.time, *v.shape), n.order)
                    ),
                )
            yield "σ for σ′", lambda p=path, n=node: put(expr, p, Apply(n.fn, n.vec, 0))
        if isinstance(node, TimeVec) and (node.time.is_Integer or node.time.free_symbols):
            for s in (1, -1):
                yield (
                    "index ±1",
                    lambda p=path, n=node, s=s: put(expr, p, TimeVec(n.name, n.time + s, *n.shape)),
                )
        if isinstance(node, HadamardProduct) and len(set(node.args)) == 1 < len(node.args):
            yield "square left out", lambda p=path, n=node: put(expr, p, n.args[0])
        if isinstance(node, Partial) and isinstance(node.num, TimeVec):
            if node.immediate and not node.num.time.is_Integer:
                t = Symbol("t", integer=True)
                yield (
                    "∂⁺h_t for ∂⁺h_k",
                    lambda p=path, n=node, t=t: put(
                        expr, p, Partial(TimeVec(n.num.name, t, *n.num.shape), n.den, True)
                    ),
                )
            elif isinstance(node.den, TimeVec):
                yield "∂h_k/∂h_t", lambda p=path, n=node: put(expr, p, Partial(n.den, n.num, False))
    for s in (1, -1):
        moved = {
            v: TimeVec(v.name, v.time + s, *v.shape)
            for v in expr.atoms(TimeVec)
            if v.time.is_Integer
        }
        if moved:
            yield "every index ±1", lambda m=moved: expr.xreplace(m)


# -- judging ----------------------------------------------------------------------------


def _cell(options):
    return make_cell(
        options["cell"],
        bias=options.get("bias", True),
        activation=options.get("activation"),
        allow_files=False,
    )


def run(args):
    rng = random.Random(0)
    rows = []
    for qid, options in cases(args.seeds):
        if args.only and qid != args.only:
            continue
        cell = _cell(options)
        D = Derivation.of(cell)
        q = parse_quantity(options["quantity"], allow_input=True)
        T = options.get("T")
        paths = options.get("paths") or "all"
        kw = {"T": T, "paths": paths, "hypothesis": options.get("hypothesis")}
        ref = reference(D, q, T=T if q.kind == "gradient" else None, paths=paths)
        seen = set()
        for form, expr in forms(D, q, ref, T):
            if judge(cell, options["quantity"], shown(expr), kw)["note"] != "ACCEPTED":
                rows.append({"q": qid, "form": form, "kind": "form refused", "note": "FORM"})
                continue
            by_kind = collections.defaultdict(list)
            for kind, make in mutations(expr, D, q):
                if not (q.kind == "input" and "index" in kind):  # II.1's letters have no step
                    by_kind[kind].append(make)
            for kind, makes in sorted(by_kind.items()):
                if args.kind and kind != args.kind:
                    continue
                rng.shuffle(makes)
                taken = 0
                for make in makes:
                    if taken >= args.per_kind:
                        break
                    try:
                        printed = shown(make())
                    except Exception:  # an edit that makes no matrix expression
                        continue
                    if printed in seen:
                        continue
                    seen.add(printed)
                    row = judge(cell, options["quantity"], printed, kw)
                    if row["note"] == "ACCEPTED":
                        continue  # the edit changes nothing here
                    taken += 1
                    rows.append(row | {"q": qid, "form": form, "kind": kind})
    return rows


def shown(expr) -> str:
    """The course's LaTeX: the engine's, with y ⊙ y written y² as the course does."""
    return latex(expr).replace(r"^{\circ {2}}", "^{2}")


def judge(cell, quantity, printed, kw) -> dict:
    start = time.perf_counter()
    try:
        v = check_answer(cell, quantity, printed, **kw)
    except Exception as exc:  # an edit the reader refuses: counted as not named
        return {"note": "UNREADABLE", "said": str(exc)[:200], "answer": printed, "ms": 0}
    ms = (time.perf_counter() - start) * 1000
    if v.equivalent:
        return {"note": "ACCEPTED", "answer": printed, "ms": ms}
    notes = v.answer_notes or ["UNKNOWN"]
    return {"note": notes[0], "said": " ".join(v.diagnosis), "answer": printed, "ms": ms}


def report(rows, misses: int, show=False) -> dict:
    judged = [r for r in rows if r["note"] != "FORM"]
    named = [r for r in judged if r["note"] not in UNNAMED | {"UNREADABLE"}]
    by_kind = collections.defaultdict(collections.Counter)
    for r in judged:
        by_kind[r["kind"]][r["note"]] += 1
    rate = len(named) / max(len(judged), 1)
    print(f"{len(named)}/{len(judged)} single edits named: {rate:.1%}")
    for kind, notes in sorted(by_kind.items()):
        print(f"  {kind:18} {dict(notes.most_common())}")
    refused = [r for r in rows if r["note"] == "FORM"]
    for r in refused:
        print(f"  form refused: {r['q']} {r['form']}")
    missed = judged if show else [r for r in judged if r not in named]
    for r in missed[:misses]:
        print(f"MISS {r['q']} [{r['form']}] {r['kind']}: {r['note']}\n  {r['answer'][:300]}")
        if show:
            print(f"  → {r.get('said', '')[:300]}")
    return {"named": len(named), "judged": len(judged), "rate": rate}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=21)
    parser.add_argument("--per-kind", type=int, default=6)
    parser.add_argument("--misses", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", help="one question (II.1, IV.4, GRU...)")
    parser.add_argument("--kind", help="one kind of edit ('drop summand'...)")
    parser.add_argument("--show", action="store_true", help="every diagnosis, not the misses")
    args = parser.parse_args(argv)
    rows = run(args)
    summary = report(rows, args.misses, args.show)
    if args.json:
        json.dump({"summary": summary, "rows": rows}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
