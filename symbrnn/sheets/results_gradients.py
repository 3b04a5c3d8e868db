"""Results of sections II–III.2 (the lemma, BPTT, its expansion, the numeric example) and the
checks, for a sheet; III.3–III.4 are in ``results_vanishing``, IV in ``results_lstm``."""

from __future__ import annotations

import sympy as sp

from symbrnn.engine.activations import activation as lookup_activation
from symbrnn.engine.cells import lstm, simple_rnn
from symbrnn.engine.derive import Derivation, Loss, j_, k_, t_
from symbrnn.engine.expand import expand_gradient
from symbrnn.engine.matexpr import Partial, TimeSum, TimeVec, TotalDerivative, mul
from symbrnn.printing.latex import latex
from symbrnn.printing.names import latex_timed
from symbrnn.sheets.producers import decimal, matrix_entries, producer, significant
from symbrnn.sheets.producers import eq as _eq
from symbrnn.sheets.producers import rnn_of as _rnn


@producer(
    "lemma", "structured element element_checked closed derivative derivative_closed symbol n d"
)
def lemma(sizes):
    """II.1: u = σ(A v) ⇒ ∂u/∂v = Diag(σ'(A v)) A, derived and shown element by element."""
    from symbrnn.engine.cell import Cell

    act = lookup_activation(sizes["activation"])

    def step(u_prev, x, A):
        a = A @ x
        u = act(a)
        return u

    D = Derivation(Cell("lemma", step, states=("u",)))
    A_, v_ = D.params["A"], sp.MatrixSymbol("v", D.d, 1)
    structured = D.within_step(D.state_node("u"), D.trace.leaves["x"], t_)
    structured = structured.xreplace({TimeVec("a", t_, D.n): A_ * v_, TimeVec("x", t_, D.d): v_})
    # element level, n = d = 2: SymPy's jacobian of u_i = σ(Σ_j A_ij v_j)
    n, d = 2, 2
    A = sp.Matrix(n, d, lambda i, j: sp.Symbol(f"A_{{{i + 1}{j + 1}}}"))
    v = sp.Matrix(d, 1, lambda i, j: sp.Symbol(f"v_{{{i + 1}}}"))
    pre = A * v
    element = (pre.applyfunc(act.sympy_form)).jacobian(v)
    prime = sp.Function(act.latex + "'")
    readable = sp.Matrix(n, d, lambda i, j: prime(pre[i]) * A[i, j])
    same = readable.replace(prime, lambda z: act.derivative(z)) - element
    z = sp.Symbol("z")
    closed = act.sympy_form(z).rewrite(sp.exp)
    return {
        "structured": latex(structured),
        "element": sp.latex(readable),
        "element_checked": all(sp.simplify(e) == 0 for e in same),
        "closed": sp.latex(closed),
        "derivative": sp.latex(act.derivative(z)),
        "derivative_closed": sp.latex(sp.simplify(sp.diff(closed, z))),
        "symbol": act.latex,
        "n": n,
        "d": d,
    }


def _element_partial(act, a: int = 1, b: int = 2) -> str:
    """∂⁺h_{k,a}/∂W_{ab} = φ'(a_{k,a}) h_{k−1,b}, by ``sympy.diff`` of the entry a of
    φ(W h_{k−1} + U x_k) (n = 2, d = 1), printed with the activation's symbol."""

    class prime(sp.Function):
        def _latex(self, printer, exp=None):
            return rf"{act.latex}'\left({printer._print(self.args[0])}\right)"

    class phi(sp.Function):
        def fdiff(self, argindex=1):
            return prime(self.args[0])

    W = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"W_{{{i + 1}{j + 1}}}"))
    h = sp.Matrix(2, 1, lambda i, j: sp.Symbol(f"h_{{k-1,{i + 1}}}"))
    U, x = sp.Matrix(2, 1, lambda i, j: sp.Symbol(f"U_{{{i + 1}}}")), sp.Symbol("x_{k}")
    pre = (W * h + U * x)[a - 1]
    entry = sp.diff(phi(pre), W[a - 1, b - 1]).xreplace({pre: sp.Symbol(f"a_{{k,{a}}}")})
    factors = sorted(sp.Mul.make_args(entry), key=lambda f: not f.is_Function)  # φ' first
    rhs = " ".join(sp.latex(f) for f in factors)
    return rf"\frac{{\partial^{{+}} h_{{k,{a}}}}}{{\partial W_{{{a}{b}}}}} = {rhs}"


@producer("bptt", "general collapsed step product matrix chain recursion unrolled element")
def bptt(sizes):
    """II.2: the general form and its pieces, for the simple RNN, with the recursion of the
    total derivative that makes the double sum appear."""

    cell = _rnn(sizes)
    D = Derivation.of(cell)
    e = expand_gradient(cell, "W", sp.Symbol("T", integer=True, positive=True))
    total, recursion, unrolled = D.gradient_recursion("W")
    W, h_t = D.params["W"], D.vec("h", t_)
    chain = TimeSum(
        mul(Partial(Loss(t_), h_t), TotalDerivative(h_t, W)),
        t_,
        1,
        sp.Symbol("T", integer=True, positive=True),
    )
    return {
        "chain": latex(chain),
        "recursion": f"{latex(total)} = {latex(recursion)}",
        "unrolled": f"{latex(total)} = {latex(unrolled)}",
        "element": _element_partial(lookup_activation(sizes["activation"])),
        "general": latex(e.general),
        "collapsed": latex(e.general_collapsed),
        "step": _eq(Partial(D.vec("h", t_), D.vec("h", t_ - 1)), D.step_jacobian("h", "h", t_)),
        "product": _eq(Partial(D.vec("h", t_), D.vec("h", k_)), D.jacobian("h")),
        "matrix": latex(e.matrix_form),
    }


@producer("expansion", "T terms sum sum_rows base first last lhs")
def expansion(sizes):
    """III.1: ∂L/∂W for the sheet's T, term by term, explicit and collapsed."""
    cell = _rnn(sizes)
    T = sizes["T"]
    e = expand_gradient(cell, "W", T)
    D = Derivation.of(cell)
    first = e.step.xreplace({j_: t_})
    last = e.step.xreplace({j_: k_ + 1})
    terms = e.terms
    # every term in the power form, [B] for one step (no exponent 1), [B]^0 = I left out
    collapsed = [latex(x.collapsed) for x in terms]
    return {
        "T": T,
        "terms": [
            {"t": x.t, "k": x.k, "power": x.power, "explicit": latex(x.explicit), "collapsed": c}
            for x, c in zip(terms, collapsed, strict=True)
        ],
        "sum": " + ".join(collapsed),
        "sum_rows": [" + ".join(collapsed[i : i + 2]) for i in range(0, len(collapsed), 2)],
        "base": latex(e.step_collapsed),
        "first": latex(first),
        "last": latex(last),
        "lhs": latex(Partial(sp.Symbol("L"), D.params["W"])),
    }


@producer("verification", "checks all T n d methods")
def verification(sizes):
    """How the results were checked: the proofs actually run while writing the sheet, at the
    sheet's (or the variant's) T; each check named by ``key`` (the sheet says which question
    shows that formula)."""
    from symbrnn.proof.verify import verify_gradient, verify_jacobian

    T = sizes["T"]
    rnn, cell = simple_rnn(lookup_activation("phi"), bias=False), lstm(bias=False)

    def jacobian(key, cell, state, k, **options):
        """∂state_T/∂state_k and its proof."""
        D = Derivation.of(cell)
        proof = verify_jacobian(cell, state, t=T, k=k, **options)
        return key, Partial(D.vec(state, T), D.vec(state, k)), proof

    gradient = Partial(sp.Symbol("L"), Derivation.of(rnn).params["W"])
    checks = [
        jacobian("rnn_jacobian", rnn, "h", 1, method="exact"),
        ("rnn_gradient", gradient, verify_gradient(rnn, "W", T=T)),
        jacobian("lstm_direct", cell, "c", 1, paths="direct", method="exact"),
        jacobian("lstm_one_step", cell, "c", T - 1, method="random"),
    ]
    rows = [
        {
            "key": key,
            "quantity": latex(q),
            "cell": v.cell,
            "method": v.method,
            "equal": v.equal,
            "direct": "direct" in v.quantity,
        }
        for key, q, v in checks
    ]
    first = checks[0][2].sizes
    return {
        "checks": rows,
        "all": all(r["equal"] for r in rows),
        "T": T,
        "n": first["n"],
        "d": first["d"],
        "methods": sorted({r["method"] for r in rows}),
    }


def example_case(sizes) -> dict:
    """The sheet's numeric example at its activation and T: the first T rows of its inputs
    and targets (what ``evaluate_spec`` computes L and ∇L from)."""
    example = dict(sizes["example"])
    T = sizes["T"]
    if len(example["x"]) < T or len(example["y"]) < T:
        raise KeyError("example.x and example.y (one row per step, at least T)")
    example |= {"T": T, "x": example["x"][:T], "y": example["y"][:T]}
    example["activation"] = sizes["activation"]
    return example


@producer("numeric", "L gradW W U h0 x y n d T activation steps")
def numeric(sizes):
    """III.2: a reproducible example from the derived formulas, at the sheet's activation and
    T (the first T rows of the example's inputs and targets), every input given."""
    from symbrnn.numeric.evaluate import evaluate_spec

    example = example_case(sizes)
    T = example["T"]
    out = evaluate_spec(example)

    def matrix(rows, transpose=False, computed=False):
        """A matrix of numbers in the key's language: the data as given, the results
        rounded to 4 decimals in every entry (−0.0750, not −0.075)."""
        rows = [list(r) for r in zip(*rows, strict=True)] if transpose else rows

        def entry(v):
            v = float(v)
            return decimal(v, sizes) if computed else significant(v, sizes, 6)

        return rf"\left[\begin{{matrix}}{matrix_entries(rows, entry)}\end{{matrix}}\right]"

    # the forward pass (a_t, h_t) and δ_t = dL/dh_t, one row per step, the last step first:
    # a plain array, one column per entry, each vector under its name
    names = [k for k in out["trajectory"][0] if k not in ("t", "delta")]
    n = len(out["trajectory"][0]["delta"])
    heads = [rf"{latex_timed(k, 't')}^\top" for k in names] + [r"\delta_t"]
    rule = ["|"] * (len(heads) - 1) + [""]  # the vertical rules of the columns, kept
    head = " & ".join(
        ["t", *(rf"\multicolumn{{{n}}}{{c{r}}}{{{h}}}" for h, r in zip(heads, rule, strict=True))]
    )
    body = [
        " & ".join(
            [str(r["t"]), *(decimal(float(v), sizes) for k in [*names, "delta"] for v in r[k])]
        )
        for r in reversed(out["trajectory"])
    ]
    columns = "|".join(["c", *(["r" * n] * len(heads))])
    steps = (
        rf"\begin{{array}}{{{columns}}} {head} \\ \hline " + r" \\ ".join(body) + r" \end{array}"
    )
    return {
        "steps": steps,
        "L": decimal(out["L"], sizes),
        "gradW": matrix(out["grad"]["W"], computed=True),
        "W": matrix(example["W"]),
        "U": matrix(example["U"]),
        "h0": matrix([[v] for v in example["h0"]]),
        "x": matrix(example["x"], transpose=True),
        "y": matrix(example["y"], transpose=True),
        "n": example["n"],
        "d": example["d"],
        "T": T,
        "activation": lookup_activation(sizes["activation"]).latex,
    }
