"""Results of sections II–IV (BPTT, vanishing gradients, the LSTM) and the checks, for a sheet."""

from __future__ import annotations

import sympy as sp

from symbrnn.engine.activations import activation as lookup_activation
from symbrnn.engine.cells import lstm, simple_rnn
from symbrnn.engine.derive import Derivation, collapse, expand_products, j_, k_, t_
from symbrnn.engine.expand import expand_gradient
from symbrnn.engine.matexpr import Diag, Ones, OrderedProduct, Partial, TimeVec
from symbrnn.printing.latex import latex
from symbrnn.printing.names import latex_timed
from symbrnn.sheets.producers import decimal, producer, significant
from symbrnn.sheets.producers import eq as _eq
from symbrnn.sheets.producers import rnn_of as _rnn


@producer(
    "lemma",
    "structured",
    "element",
    "element_checked",
    "closed",
    "derivative",
    "derivative_closed",
    "symbol",
    "n",
    "d",
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


@producer(
    "bptt",
    "general",
    "collapsed",
    "step",
    "product",
    "matrix",
    "chain",
    "recursion",
    "unrolled",
    "element",
)
def bptt(sizes):
    """II.2: the general form and its pieces, for the simple RNN, with the recursion of the
    total derivative that makes the double sum appear."""
    from symbrnn.engine.derive import Loss
    from symbrnn.engine.matexpr import TimeSum, TotalDerivative, mul

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


@producer("expansion", "T", "terms", "sum", "sum_rows", "base", "first", "last", "lhs")
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


@producer("eigen", "hypothesis", "once", "product", "result", "checked")
def eigen(sizes):
    """III.3: Mⁿ = QΛⁿQ⁻¹ by induction, with SymPy's own simplification of Q⁻¹Q."""
    from symbrnn.numeric.spectral import check_eigen_power_symbolic, eigen_power_steps

    steps = dict(eigen_power_steps())
    return {
        "hypothesis": sp.latex(steps["hypothesis M^n"]),
        "once": sp.latex(steps["M"]),
        "product": sp.latex(steps["M^{n+1} = M^n M"]),
        "result": sp.latex(steps["Q^{-1} Q = I, Λ^n Λ = Λ^{n+1}"]),
        "checked": check_eigen_power_symbolic(),
    }


@producer("spectral", "panels", "gamma", "inverse_gamma", "T", "transient")
def spectral(sizes):
    """III.4: curves ‖∂h_T/∂h_1‖₂ for the sheet's example matrices, one panel for the sheet's
    activation and one for ``spectral_activation`` (when it differs), with Pascanu's bound."""
    from symbrnn.numeric.curve import norm_curve
    from symbrnn.numeric.spectral import analyse

    names = [sizes["activation"]]
    if sizes.get("spectral_activation", names[0]) != names[0]:
        names.append(sizes["spectral_activation"])
    panels = []
    for name in names:
        act = lookup_activation(name)
        curves = []
        for W in sizes["spectral_examples"]:
            info = analyse(W, name)
            norms = norm_curve(
                W, name, sizes["spectral_T"], inputs=sizes.get("spectral_inputs", "none"), seed=0
            )
            peak = max(norms)
            curves.append(
                {
                    "rho": significant(info["spectral_radius"], sizes),
                    "smax": significant(info["largest_singular_value"], sizes),
                    "W": rf"\begin{{bmatrix}}{_entries(W, lambda v: significant(v, sizes))}"
                    r"\end{bmatrix}",
                    "normal": info["normal"],
                    # the largest norm and the first T where it is reached (transient growth)
                    "peak": significant(peak, sizes),
                    "peak_T": 1 + norms.index(peak),
                    "grows_first": peak > norms[0] and norms[-1] < peak,
                    "rho_below_one": info["spectral_radius"] < 1,
                    "vanishing": info["verdict"]["vanishing_sufficient"],
                    "coordinates": " ".join(
                        f"({t},{max(v, 1e-300):.4e})" for t, v in enumerate(norms, start=1)
                    ),
                }
            )
        zero = sp.Integer(0)
        panels.append(
            {
                "activation": act.latex,
                # every curve under Pascanu's sufficient condition for vanishing
                "all_vanish": all(c["vanishing"] for c in curves),
                # φ(0) = 0 and φ'(0) = 1: around h = 0 the Jacobian product is W^{T-1}
                "linear_at_zero": act.sympy_form(zero) == 0 and act.derivative(zero) == 1,
                "gamma": sp.latex(act.gamma),
                "inverse_gamma": sp.latex(1 / act.gamma),
                "sheet": name == sizes["activation"],
                "curves": curves,
            }
        )
    act = lookup_activation(sizes["activation"])
    # a curve that grows before it decays although ρ(W) < 1: the non-normal counterexample
    transient = [
        {"activation": p["activation"], **c}
        for p in panels
        for c in p["curves"]
        if c["grows_first"] and c["rho_below_one"] and not c["normal"]
    ]
    return {
        "transient": transient[0] if transient else None,
        "panels": panels,
        "gamma": sp.latex(act.gamma),
        "inverse_gamma": sp.latex(1 / act.gamma),
        "T": sizes["spectral_T"],
    }


@producer("scalar", "lhs", "jacobian", "bound", "factors", "threshold", "weight")
def scalar_case(sizes):
    """III.4 by hand: the derived ∂h_T/∂h_1 of the sheet's RNN read at n = 1, where each
    one-step Jacobian Diag(σ'(a_j)) W is the number σ'(a_j) w, and its bound (γ|w|)^{T−1}."""
    D = Derivation.of(_rnn(sizes))
    T = sp.Symbol("T", integer=True, positive=True)
    product = D.jacobian("h", T, 1)
    j, lower, upper = product.index, product.lo, product.hi
    scalars, weights = [], []
    body = product.body.args if isinstance(product.body, sp.MatMul) else (product.body,)
    for factor in body:
        if isinstance(factor, Diag):  # a diagonal of one entry: that entry
            scalars.append(latex(factor.args[0]))
        elif isinstance(factor, sp.MatrixSymbol):  # a 1×1 matrix: its entry, lower case
            weights.append(sp.Symbol(str(factor.name).lower()))
            scalars.append(sp.latex(weights[-1]))
        else:
            raise ValueError(f"no scalar reading of {factor} at n = 1")
    (w,) = weights
    gamma = lookup_activation(sizes["activation"]).gamma
    factors = product.length
    return {
        "lhs": latex(Partial(D.vec("h", T), D.vec("h", 1))),
        "jacobian": rf"\prod_{{{sp.latex(j)}={sp.latex(lower)}}}^{{{sp.latex(upper)}}} "
        + r"\, ".join(scalars),
        "bound": sp.latex((gamma * sp.Abs(w)) ** factors),
        "factors": sp.latex(factors),
        "threshold": sp.latex(1 / gamma),
        "weight": sp.latex(w),
    }


@producer(
    "lstm",
    "approx",
    "approx_collapsed",
    "direct",
    "direct_collapsed",
    "saturated",
    "saturated_value",
    "gradient_saturated",
    "one_step",
    "one_step_full",
    "dc_dh_terms",
    "dc_dh_lhs",
    "one_step_direct",
    "one_step_direct_j",
    "h_from_c",
    "preactivations",
    "dL_dc",
    "local_f",
    "constant_gates_exact",
)
def lstm_results(sizes):
    """IV.2–IV.4: the cell-state path, the case f = 1, i = 0, and ∂c_t/∂c_{t-1}; the cell
    with its biases, as I.3 counts them."""
    from symbrnn.engine.derive import Loss
    from symbrnn.engine.matexpr import mul

    cell = lstm()
    D = Derivation.of(cell)
    approx = expand_gradient(
        cell, "W_f", sp.Symbol("T", integer=True, positive=True), state="c", paths="direct"
    )
    direct = D.jacobian("c", paths="direct")
    saturated = direct.xreplace({TimeVec("f", j_, D.n): Ones(D.n)})
    identity_body = saturated.body
    simplified = sp.Identity(D.n) if identity_body == Diag(Ones(D.n)) else saturated
    one_step = expand_products(D.jacobian("c", t_, t_ - 1))
    dc_dh = D.step_jacobian("c", "h", t_)
    one_step_short = one_step.xreplace({dc_dh: Partial(D.vec("c", t_), D.vec("h", t_ - 1))})
    return {
        "approx": latex(approx.general),
        "approx_collapsed": latex(approx.general_collapsed),
        "direct": _eq(Partial(D.vec("c", t_), D.vec("c", k_)), direct),
        "direct_collapsed": latex(collapse(direct)),
        "saturated": latex(saturated),
        "saturated_value": latex(simplified),
        "gradient_saturated": latex(
            _sums_of(approx.general, {a: simplified for a in approx.general.atoms(OrderedProduct)})
        ),
        "one_step": _eq(Partial(D.vec("c", t_), D.vec("c", t_ - 1)), one_step_short),
        "one_step_full": latex(one_step),
        "dc_dh_terms": [
            latex(term) for term in (dc_dh.args if isinstance(dc_dh, sp.MatAdd) else [dc_dh])
        ],
        "dc_dh_lhs": latex(Partial(D.vec("c", t_), D.vec("h", t_ - 1))),
        "one_step_direct": latex(D.step_jacobian("c", "c", t_)),
        "one_step_direct_j": latex(D.step_jacobian("c", "c", j_)),
        "h_from_c": latex(D.within_step(D.state_node("h"), D.state_node("c"), t_ - 1)),
        "preactivations": [
            _eq(lhs, rhs)
            for (lhs, rhs), node in zip(D.definitions(t_), D.trace.named_nodes, strict=True)
            if node.kind == "preactivation"
        ],
        "dL_dc": _eq(
            Partial(Loss(t_), D.vec("c", t_)),
            mul(
                Partial(Loss(t_), D.vec("h", t_)),
                D.within_step(D.state_node("h"), D.state_node("c"), t_),
            ),
        ),
        "local_f": _eq(Partial(D.vec("c", k_), D.vec("a_f", k_), True), _local_of(D, "W_f")),
        "constant_gates_exact": _constant_gates_exact(D, one_step),
    }


def _local_of(D, param):
    """∂⁺c_k/∂(P h_{k−1}): how the cell state of step k moves with the product P h_{k−1}."""
    target = next(node for node, v in D.uses(param) if v is not None)
    return D.local_term("c", target, k_)


def _constant_gates_exact(D, one_step) -> bool:
    """Whether ∂c_t/∂c_{t−1}, every path counted, is exactly I when f ≡ 1 and i ≡ 0 (constant
    gates: their derivatives vanish), checked at the random trajectories of the checker."""
    from symbrnn.engine.matexpr import Apply
    from symbrnn.judge.points import Points

    n = D.n
    hypothesis = {
        TimeVec("f", t_, n): Ones(n),
        TimeVec("i", t_, n): sp.ZeroMatrix(n, 1),
        Apply("sigmoid", TimeVec("a_f", t_, n), 1): sp.ZeroMatrix(n, 1),
        Apply("sigmoid", TimeVec("a_i", t_, n), 1): sp.ZeroMatrix(n, 1),
    }
    under = one_step.xreplace(hypothesis).xreplace({t_: 2})
    return Points(D, T=2).equal(under, sp.Identity(n))[0]


def _sums_of(expr, replacements):
    """Substitute inside Σ Σ body and tidy the product (an identity factor disappears)."""
    from symbrnn.engine.matexpr import TimeSum, mul

    if isinstance(expr, TimeSum):
        return TimeSum(_sums_of(expr.body, replacements), expr.index, expr.lo, expr.hi)
    body = expr.xreplace(replacements)
    return mul(*body.args) if isinstance(body, sp.MatMul) else body


@producer("verification", "checks", "all", "T", "n", "d", "methods")
def verification(sizes):
    """How the results were checked: the proofs actually run while writing the sheet, at the
    sheet's (or the variant's) T; each check named by ``key`` (the sheet says which question
    shows that formula)."""
    from symbrnn.proof.verify import verify_gradient, verify_jacobian

    T = sizes["T"]
    rnn = simple_rnn(lookup_activation("phi"), bias=False)
    cell = lstm(bias=False)
    D, L = Derivation.of(cell), sp.Symbol("L")
    R = Derivation.of(rnn)
    checks = [
        (
            "rnn_jacobian",
            Partial(R.vec("h", T), R.vec("h", 1)),
            verify_jacobian(rnn, "h", t=T, k=1, method="exact"),
        ),
        ("rnn_gradient", Partial(L, R.params["W"]), verify_gradient(rnn, "W", T=T)),
        (
            "lstm_direct",
            Partial(D.vec("c", T), D.vec("c", 1)),
            verify_jacobian(cell, "c", t=T, k=1, paths="direct", method="exact"),
        ),
        (
            "lstm_one_step",
            Partial(D.vec("c", T), D.vec("c", T - 1)),
            verify_jacobian(cell, "c", t=T, k=T - 1, method="random"),
        ),
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


def _entries(rows, entry) -> str:
    """The body of a LaTeX matrix of numbers: ``a & b \\\\ c & d``, each written by ``entry``."""
    return r" \\ ".join(" & ".join(entry(v) for v in row) for row in rows)


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


@producer("numeric", "L", "gradW", "W", "U", "h0", "x", "y", "n", "d", "T", "activation", "steps")
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

        return rf"\left[\begin{{matrix}}{_entries(rows, entry)}\end{{matrix}}\right]"

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
