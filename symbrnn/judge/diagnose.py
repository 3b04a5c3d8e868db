"""Where a wrong answer goes wrong: the table of the course's mistakes, each an edit.

Each row of :data:`EDITS` is one classic mistake: a stable answer note (``ORDER``,
``TRANSPOSE``, ``BIAS_MISSING``...), its message in French and English (a key of
:mod:`symbrnn.judge.messages`), and how it edits an expression. A row edits in one of
two ways:

- ``fix``: an edit of the *answer* that would make it right (transpose it, swap σ and
  σ′, shift every step...). Most are their own inverse, so applied to the expected
  result they make the mistake: that is how the exam's distractors read the table.
- ``mistake``: the expected result with the mistake made (a path of the cell left out,
  the bias dropped); the answer has the mistake when it equals one of these.

The search tries every row, then every pair of rows (an answer with two mistakes);
:func:`locate` says which factor of a product or which (t, k) term of a sum is wrong.

>>> [row.code for row in EDITS][:3]
['TRANSPOSE', 'TRANSPOSE_ONE', 'ORDER']
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import sympy as sp
from sympy import MatAdd, MatMul, MatrixSymbol, Symbol, Transpose

from symbrnn.engine.derive import Loss
from symbrnn.engine.matexpr import Apply, Diag, OrderedProduct, Partial, TimeVec, add, mul, neg
from symbrnn.judge.calculus import tidy
from symbrnn.judge.elements import Entry, ScalarApply
from symbrnn.judge.messages import Msg
from symbrnn.judge.points import cached_points
from symbrnn.printing.text import text

MAX_PAIR_TRIES = 120  # evaluations the two-edit search may spend (a class has many wrong answers)
MAX_TERMS = 600  # terms of a distributed sum


@dataclass(frozen=True)
class Diagnosis:
    """One mistake found: its stable code and its message (say it with :meth:`text`)."""

    code: str
    said: Msg

    @property
    def message(self) -> str:
        return self.said.text("en")

    def text(self, lang: str = "en") -> str:
        return self.said.text(lang)


@dataclass
class Context:
    """What an edit may look at: the answer, the result it should equal, the cell."""

    ref: object
    points: object
    D: object
    q: object
    cell: object = None
    T: int | None = None
    paths: str = "all"
    target: object = None  # the student's previous member when it is right, else ref

    def fixes(self, candidate, ref=None) -> bool:
        try:
            return self.points.equal(candidate, self.ref if ref is None else ref)[0]
        except Exception:  # an edit that makes no sense as matrices is simply not the fix
            return False


Edits = Iterator[tuple[object, dict]]


@dataclass(frozen=True)
class Edit:
    """One row of the table: a stable code, a message key, and the edit."""

    code: str
    key: str
    fix: Callable[[object, Context], Edits] | None = None
    mistake: Callable[[Context], Edits] | None = None
    pairs: bool = True  # whether the row takes part in the two-edit search
    extra_keys: tuple = field(default=())


# -- the edits ---------------------------------------------------------------------


def _transpose_whole(e, ctx) -> Edits:
    yield Transpose(e), {}


def _transpose_one(e, ctx) -> Edits:
    for P in sorted(e.atoms(MatrixSymbol), key=str):
        transposed = [t for t in e.atoms(Transpose) if t.arg == P]
        if transposed:
            yield e.xreplace({t: P for t in transposed}), {"matrix": text(P), "_key": "extra"}
        else:
            yield e.xreplace({P: Transpose(P)}), {"matrix": text(P), "_key": "missing"}


def _reorder(e, ctx) -> Edits:
    if isinstance(e, MatMul):
        for order in _reorderings(e.args):
            yield MatMul(*order), {}


def _sigma_for_prime(e, ctx) -> Edits:
    applies = [a for a in e.atoms(Apply) if a.order <= 1]
    if applies:
        yield e.xreplace({a: Apply(a.fn, a.vec, 1 - a.order) for a in applies}), {}
    scalars = [a for a in e.atoms(ScalarApply) if a.order <= 1]  # an entry's σ(z)
    if scalars:
        yield e.xreplace({a: ScalarApply(a.fn, 1 - a.order, a.arg) for a in scalars}), {}


def _swap_indices(e, ctx) -> Edits:
    """A_{ji} written for A_{ij} in an element-level member."""
    for entry in sorted(e.atoms(Entry), key=str):
        r, c = entry.row, entry.col
        if isinstance(r, Symbol) and isinstance(c, Symbol) and r != c:
            swapped = e.xreplace({entry: Entry(entry.matrix, c, r)})
            yield (
                swapped,
                {"entry": f"{text(entry.matrix)}_{r}{c}", "right": f"{text(entry.matrix)}_{c}{r}"},
            )


def _activation(e, ctx) -> Edits:
    from symbrnn.engine.activations import bounded_activations

    applies = e.atoms(Apply)
    for other in bounded_activations():  # every activation of the table (not the generic φ)
        swapped = {a: Apply(other, a.vec, a.order) for a in applies if a.order and a.fn != other}
        if swapped:
            yield e.xreplace(swapped), {"activation": _name(other)}


def _argument(e, ctx) -> Edits:
    """φ′(h_j) written for φ′(a_j): the derivative is taken at the pre-activation."""
    pre = {
        node.name: node.args[0].name
        for node in ctx.D.trace.nodes
        if node.op == "apply" and node.name and node.args[0].name
    }
    edits = {}
    for a in e.atoms(Apply):
        vec = a.vec
        if a.order and isinstance(vec, TimeVec) and vec.name in pre:
            edits[a] = Apply(a.fn, TimeVec(pre[vec.name], vec.time, *vec.shape), a.order)
    if edits:
        yield e.xreplace(edits), {}


def _time_shift(e, ctx) -> Edits:
    for shift in (1, -1):
        moved = {
            v: TimeVec(v.name, v.time + shift, *v.shape)
            for v in e.atoms(TimeVec)
            if v.time.is_Integer or v.time.free_symbols
        }
        if moved:
            yield e.xreplace(moved), {"shift": f"{-shift:+d}"}


def _time_one(e, ctx) -> Edits:
    """One vector at the wrong step: h₃ for h₂ inside σ'(W h₂ + U x₃ + b)."""
    for v in sorted(e.atoms(TimeVec), key=str):
        if not (v.time.is_Integer or v.time.free_symbols):
            continue
        for shift in (1, -1):
            right = TimeVec(v.name, v.time + shift, *v.shape)
            yield e.xreplace({v: right}), {"yours": text(v), "right": text(right)}


def _bounds(e, ctx) -> Edits:
    for p in sorted(e.atoms(OrderedProduct), key=str):
        for lo, hi in ((p.lo + 1, p.hi), (p.lo - 1, p.hi), (p.lo, p.hi + 1), (p.lo, p.hi - 1)):
            shown = f"∏_{{{p.index}={p.lo}}}^{{{p.hi}}}"
            yield (
                e.xreplace({p: OrderedProduct(p.body, p.index, lo, hi)}),
                {"product": shown, "index": str(p.index), "lo": lo, "hi": hi},
            )


def _sign(e, ctx) -> Edits:
    yield neg(e) if getattr(e, "is_Matrix", False) else -e, {}


def _scale(e, ctx) -> Edits:
    """A numeric factor too many: (1/4)^35 W^35 for ∏ Diag(σ'(a_j)) W."""
    if isinstance(e, MatMul):
        scalars = [a for a in e.args if a.is_number]
        if scalars and scalars != [-1]:
            factor = sp.Mul(*scalars)
            shown = str(factor) if len(str(factor)) <= 12 else f"{float(factor):.3g}"
            yield mul(*(a for a in e.args if not a.is_number)), {"factor": shown}


@functools.lru_cache(maxsize=256)
def _written_out(ref):
    """The expected result with its products written out (once per result: a class asks the
    same quantities); None when it cannot be."""
    from symbrnn.engine.derive import expand_products

    try:
        return expand_products(ref)
    except Exception:  # a form that cannot be written out
        return None


def _missing_diag(ctx) -> Edits:
    """The expected product with its Diag(φ′(a_j)) factors left out: W W for ∂h₃/∂h₁."""
    written = _written_out(ctx.ref)
    if written is None:
        return
    diags = [d for d in written.atoms(Diag) if d.atoms(Apply)]
    if diags:
        yield tidy(written.xreplace({d: sp.Identity(d.shape[0]) for d in diags})), {}


def _sum_for_product(ctx) -> Edits:
    """The one-step Jacobians added instead of multiplied."""
    if ctx.q.kind != "jacobian" or ctx.q.t - ctx.q.k < 2:
        return
    steps = [ctx.D.step_block(j) for j in range(ctx.q.t, ctx.q.k, -1)]
    if len(ctx.D.states) == 1:
        yield add(*steps), {}


def _missing_path(ctx) -> Edits:
    q, D = ctx.q, ctx.D
    if q.kind == "jacobian" and len(D.states) > 1 and ctx.paths == "all":
        others = ", ".join(s for s in D.states if s != q.name)
        yield D.jacobian(q.name, q.t, q.k, paths="direct"), {"state": q.name, "others": others}


def _missing_gate_path(ctx) -> Edits:
    """A single-state gated cell (GRU, MGU): the paths through one gate are left out."""
    q, D = ctx.q, ctx.D
    if q.kind != "jacobian" or len(D.states) > 1 or q.t == q.k:
        return
    j = Symbol("j", integer=True)
    for gate in D.trace.inner_gates:
        without = OrderedProduct(D.step_without(q.name, (gate,), j), j, q.k + 1, q.t)
        yield without, {"gate": gate, "state": q.name}


def _bias_missing(ctx) -> Edits:
    cell, D = ctx.cell, ctx.D
    if cell is not None and cell.bias:
        biases = [p.name for p in D.trace.parameters if p.role == "bias"]  # not w of w ⊙ h
        if biases:
            yield _ZeroBias(ctx.ref), {"biases": ", ".join(biases)}


@dataclass(frozen=True)
class _ZeroBias:
    """The expected result at the same points with every bias 0 (a marker, compared by
    :func:`_matches` on the unbiased trajectories)."""

    ref: object


EDITS: tuple[Edit, ...] = (
    Edit("TRANSPOSE", "diag.TRANSPOSE", fix=_transpose_whole),
    Edit(
        "TRANSPOSE_ONE",
        "diag.TRANSPOSE_ONE",
        fix=_transpose_one,
        extra_keys=("diag.TRANSPOSE_ONE.extra", "diag.TRANSPOSE_ONE.missing"),
    ),
    Edit("ORDER", "diag.ORDER", fix=_reorder),
    Edit("SIGMA_FOR_PRIME", "diag.SIGMA_FOR_PRIME", fix=_sigma_for_prime),
    Edit("INDEX_ORDER", "diag.INDEX_ORDER", fix=_swap_indices),
    Edit("WRONG_ACTIVATION", "diag.WRONG_ACTIVATION", fix=_activation),
    Edit("ARGUMENT", "diag.ARGUMENT", fix=_argument),
    Edit("TIME_SHIFT", "diag.TIME_SHIFT", fix=_time_shift),
    Edit("TIME_ONE", "diag.TIME_ONE", fix=_time_one),
    Edit("BOUNDS", "diag.BOUNDS", fix=_bounds),
    Edit("SIGN", "diag.SIGN", fix=_sign),
    Edit("SCALE", "diag.SCALE", fix=_scale),
    Edit("MISSING_DIAG", "diag.MISSING_DIAG", mistake=_missing_diag),
    Edit("SUM_FOR_PRODUCT", "diag.SUM_FOR_PRODUCT", mistake=_sum_for_product),
    Edit("MISSING_PATH", "diag.MISSING_PATH", mistake=_missing_path),
    Edit("MISSING_PATH", "diag.MISSING_GATE_PATH", mistake=_missing_gate_path),
    Edit("BIAS_MISSING", "diag.BIAS_MISSING", mistake=_bias_missing),
)
"""The table of mistakes. A new diagnosis is one row here, its messages in
``judge/messages.py`` and a test."""


def mistaken_forms(shown, ctx: Context) -> Iterator[tuple[Edit, object, dict]]:
    """Every row's mistake made on the expected result ``shown`` (as a student hands it
    in): a ``fix`` row applied to it (most are their own inverse), a ``mistake`` row's own
    expression. These are the exam's wrong options, each proven wrong by the checker before
    it is used; a row that edits the test points only (the bias set to 0) makes none."""
    for row in EDITS:
        made = row.fix(shown, ctx) if row.fix is not None else row.mistake(ctx)
        for expr, params in made:
            if not isinstance(expr, _ZeroBias):
                yield row, expr, params


# Codes found by locating the mistake rather than by one edit (see :func:`locate`).
LOCATED = {
    "WRONG_FACTOR": "diag.WRONG_FACTOR",
    "WRONG_FACTORS": "diag.WRONG_FACTORS",
    "MISSING_FACTOR": "diag.MISSING_FACTOR",
    "EXTRA_FACTOR": "diag.EXTRA_FACTOR",
    "MISSING_TERM": "diag.MISSING_TERM",
    "MISSING_SUMMAND": "diag.MISSING_SUMMAND",
    "EXTRA_SUMMAND": "diag.EXTRA_SUMMAND",
    "EXTRA_TERM": "diag.EXTRA_TERM",
    "WRONG_TERM": "diag.WRONG_TERM",
    "TWO_EDITS": "diag.TWO_EDITS",
    "BOUND_FOR_VALUE": "diag.BOUND_FOR_VALUE",
    "RIGHT_AFTER_WRONG": "note.right_after_wrong",
    "BIAS_EXTRA": "diag.BIAS_EXTRA",
    "SHAPE": "diag.SHAPE",
    "UNKNOWN": "diag.UNKNOWN",
}

NOTES: dict[str, str] = {row.code: (row.extra_keys or (row.key,))[0] for row in EDITS} | LOCATED
"""Every stable answer note (the codes grading relies on) and its message key."""


def _message(row: Edit, params: dict) -> Msg:
    params = dict(params)
    variant = params.pop("_key", None)
    return Msg.of(row.key + ("." + variant if variant else ""), **params)


def _matches(ctx: Context, yours, wrong) -> bool:
    if isinstance(wrong, _ZeroBias):
        unbiased = cached_points(ctx.D, ctx.points.T, zero_bias=True)
        try:
            return unbiased.equal(yours, ctx.ref)[0]
        except Exception:
            return False
    return ctx.fixes(yours, wrong)


def single_edits(yours, ctx: Context) -> list[Diagnosis]:
    """Every row of the table whose one edit explains the answer."""
    found: list[Diagnosis] = []

    def add_found(code, said):
        if all(d.said != said for d in found):
            found.append(Diagnosis(code, said))

    for row in EDITS:
        if row.fix is not None:
            for edited, params in row.fix(yours, ctx):
                if ctx.fixes(edited):
                    add_found(row.code, _message(row, params))
        else:
            for wrong, params in row.mistake(ctx):
                if _matches(ctx, yours, wrong):
                    add_found(row.code, _message(row, params))
    if any(d.code == "TIME_SHIFT" for d in found):  # every index shifted says it all
        found = [d for d in found if d.code != "TIME_ONE"]
    return found


def two_edits(yours, ctx: Context) -> list[Diagnosis]:
    """Two rows whose edits together explain the answer (the first pair found)."""
    tries = 0
    fixes = [row for row in EDITS if row.fix is not None and row.pairs]
    for a, b in itertools.combinations(fixes, 2):
        for first, p1 in a.fix(yours, ctx):
            for second, p2 in b.fix(first, ctx):
                tries += 1
                if tries > MAX_PAIR_TRIES:
                    return []
                if ctx.fixes(second):
                    return [
                        Diagnosis(
                            f"{a.code}+{b.code}",
                            Msg.of("diag.TWO_EDITS", first=_message(a, p1), second=_message(b, p2)),
                        )
                    ]
    for a in fixes:
        for row in EDITS:
            if row.mistake is None:
                continue
            for wrong, p2 in row.mistake(ctx):
                if isinstance(wrong, _ZeroBias):
                    continue
                for first, p1 in a.fix(yours, ctx):
                    tries += 1
                    if tries > MAX_PAIR_TRIES:
                        return []
                    if ctx.fixes(first, wrong):
                        return [
                            Diagnosis(
                                f"{a.code}+{row.code}",
                                Msg.of(
                                    "diag.TWO_EDITS",
                                    first=_message(a, p1),
                                    second=_message(row, p2),
                                ),
                            )
                        ]
    return []


# -- locating the mistake in a product or a sum -------------------------------------


def factors(expr, limit=12) -> list:
    """The factors of a product, left to right, short ordered products written out."""
    parts = list(expr.args) if isinstance(expr, MatMul) else [expr]
    out = []
    for p in parts:
        if isinstance(p, OrderedProduct) and p.length.is_Integer and 0 <= p.length <= limit:
            for f in p.factors():
                out.extend(f.args if isinstance(f, MatMul) else [f])
        else:
            out.append(p)
    return [f for f in out if not (getattr(f, "is_number", False) and f == 1)]


def locate_factor(yours, ctx: Context) -> list[Diagnosis]:
    """The one factor of a product that is wrong, missing or extra (counted from the left)."""
    target = ctx.target if ctx.target is not None else ctx.ref
    mine, theirs = factors(yours), factors(target)
    if len(mine) < 2 or len(theirs) < 2:
        return []
    if len(mine) == len(theirs):
        for i, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            if a == b:
                continue
            edited = mul(*mine[:i], b, *mine[i + 1 :])
            if ctx.fixes(edited):
                return [
                    Diagnosis(
                        "WRONG_FACTOR",
                        Msg.of(
                            "diag.WRONG_FACTOR", position=i + 1, yours=text(a), expected=text(b)
                        ),
                    )
                ]
    elif len(mine) + 1 == len(theirs):
        for i, b in enumerate(theirs):
            if ctx.fixes(mul(*mine[:i], b, *mine[i:])):
                return [
                    Diagnosis(
                        "MISSING_FACTOR",
                        Msg.of("diag.MISSING_FACTOR", position=i + 1, expected=text(b)),
                    )
                ]
    elif len(mine) == len(theirs) + 1:
        for i, a in enumerate(mine):
            if ctx.fixes(mul(*mine[:i], *mine[i + 1 :])):
                return [
                    Diagnosis(
                        "EXTRA_FACTOR", Msg.of("diag.EXTRA_FACTOR", position=i + 1, yours=text(a))
                    )
                ]
    return _aligned(mine, theirs, ctx)


MAX_MIDDLE = 3  # factors a located mistake may span (beyond, it says nothing useful)


def _aligned(mine, theirs, ctx) -> list[Diagnosis]:
    """The factors that differ once the equal ones at both ends are set aside."""

    def same(a, b):
        return a == b or (getattr(a, "shape", 0) == getattr(b, "shape", 1) and ctx.fixes(a, b))

    start = 0
    while start < min(len(mine), len(theirs)) and same(mine[start], theirs[start]):
        start += 1
    end = 0
    while end < min(len(mine), len(theirs)) - start and same(
        mine[len(mine) - 1 - end], theirs[len(theirs) - 1 - end]
    ):
        end += 1
    mid_mine, mid_theirs = mine[start : len(mine) - end], theirs[start : len(theirs) - end]
    if max(len(mid_mine), len(mid_theirs)) > MAX_MIDDLE or not (mid_mine or mid_theirs):
        return []
    if not ctx.fixes(mul(*mine[:start], *mid_theirs, *mine[len(mine) - end :])):
        return []
    if not mid_mine:
        said = Msg.of("diag.MISSING_FACTOR", position=start + 1, expected=text(mul(*mid_theirs)))
        return [Diagnosis("MISSING_FACTOR", said)]
    if not mid_theirs:
        said = Msg.of("diag.EXTRA_FACTOR", position=start + 1, yours=text(mul(*mid_mine)))
        return [Diagnosis("EXTRA_FACTOR", said)]
    if len(mid_mine) == 1:
        said = Msg.of(
            "diag.WRONG_FACTOR",
            position=start + 1,
            yours=text(mid_mine[0]),
            expected=text(mul(*mid_theirs)),
        )
        return [Diagnosis("WRONG_FACTOR", said)]
    said = Msg.of(
        "diag.WRONG_FACTORS",
        first=start + 1,
        last=start + len(mid_mine),
        yours=text(mul(*mid_mine)),
        expected=text(mul(*mid_theirs)),
    )
    return [Diagnosis("WRONG_FACTORS", said)]


def distribute(expr) -> list:
    """The terms of an expression with every product of sums multiplied out."""
    if isinstance(expr, MatAdd):
        out = []
        for a in expr.args:
            out.extend(distribute(a))
            if len(out) > MAX_TERMS:
                raise ValueError("too many terms")
        return out
    if isinstance(expr, MatMul):
        options = [distribute(a) if isinstance(a, MatAdd) else [a] for a in expr.args]
        count = 1
        for o in options:
            count *= len(o)
        if count > MAX_TERMS:
            raise ValueError("too many terms")
        return [mul(*combo) for combo in itertools.product(*options)]
    return [expr]


def _step_of(term, kind):
    """The t of ∂L_t/∂h_t or the k of ∂⁺h_k/∂W in a term of ∂L/∂W, else None."""
    for p in term.atoms(Partial):
        if kind == "t" and isinstance(p.num, Loss) and p.num.time.is_Integer:
            return int(p.num.time)
        if kind == "k" and p.immediate and isinstance(p.num, TimeVec) and p.num.time.is_Integer:
            return int(p.num.time)
    return None


def locate_terms(yours, ctx: Context) -> list[Diagnosis]:
    """Which (t, k) terms of ∂L/∂W are missing, extra or wrong; a wrong term is named with
    its own mistake and never makes its right neighbours "missing"."""
    q, D = ctx.q, ctx.D
    if q.kind != "gradient" or ctx.T is None:
        return []
    expected = {
        (t, k): D.gradient_term(q.name, t, k, paths=ctx.paths)
        for t in range(1, ctx.T + 1)
        for k in range(1, t + 1)
    }
    try:
        mine = [m for m in distribute(yours) if not getattr(m, "is_ZeroMatrix", False)]
    except ValueError:
        return []
    remaining = dict(expected)
    unmatched = []
    for term in mine:
        match = next((key for key, e in remaining.items() if ctx.fixes(term, e)), None)
        if match is None:
            unmatched.append(term)
        else:
            remaining.pop(match)
    out: list[Diagnosis] = []
    extra = []
    for term in unmatched:
        key = (_step_of(term, "t"), _step_of(term, "k"))
        if key in remaining:  # the same (t, k): a wrong term, not a missing one
            right = remaining.pop(key)
            sub = Context(right, ctx.points, D, q, ctx.cell, None, ctx.paths, right)
            found = single_edits(term, sub) or locate_factor(term, sub)
            if found:
                why = found[0].said
                out.append(
                    Diagnosis(found[0].code, Msg.of("diag.WRONG_TERM", t=key[0], k=key[1], why=why))
                )
            else:
                out.append(
                    Diagnosis(
                        "WRONG_TERM",
                        Msg.of(
                            "diag.WRONG_TERM_UNKNOWN",
                            t=key[0],
                            k=key[1],
                            yours=text(term),
                            expected=text(right),
                        ),
                    )
                )
        else:
            extra.append(term)
    codes = {d.code for d in out}
    if len(out) > 1 and len(codes) == 1 and not remaining and not extra:

        def span(d):  # the longest product shows the mistake best
            p = dict(d.said.params)
            return int(p.get("t", 0)) - int(p.get("k", 0))

        first = max(out, key=span).said
        why = dict(first.params).get("why", first)
        out = [Diagnosis(out[0].code, Msg.of("diag.EVERY_TERM", why=why))]
    if remaining:
        terms = ", ".join(f"({t}, {k})" for t, k in sorted(remaining))
        out.append(Diagnosis("MISSING_TERM", Msg.of("diag.MISSING_TERM", terms=terms)))
    if extra:
        shown = "; ".join(text(t) for t in extra[:4]) + ("; …" if len(extra) > 4 else "")
        out.append(Diagnosis("EXTRA_TERM", Msg.of("diag.EXTRA_TERM", terms=shown)))
    return out


MAX_SUMMANDS = 40  # terms of a Jacobian written out as a sum, for locating a missing one


def locate_summands(yours, ctx: Context) -> list[Diagnosis]:
    """A Jacobian written as a sum of paths (the LSTM's ∂c_t/∂c_{t−1}, a GRU step): the
    terms missing from the answer, or extra in it, against the chain rule's terms."""
    if ctx.q.kind == "gradient" or _written_out(ctx.ref) is None:
        return []
    try:
        theirs = [t for t in distribute(_written_out(ctx.ref)) if not _is_zero(t)]
        mine = [t for t in distribute(yours) if not _is_zero(t)]
    except Exception:  # a form that cannot be written out term by term
        return []
    if len(theirs) < 2 or len(theirs) > MAX_SUMMANDS or len(mine) > MAX_SUMMANDS:
        return []
    remaining = list(theirs)
    extra = []
    for term in mine:
        match = next((e for e in remaining if ctx.fixes(term, e)), None)
        if match is None:
            extra.append(term)
        else:
            remaining.remove(match)
    if not remaining and not extra:
        return []
    if len(remaining) > len(theirs) // 2 + 1 or len(extra) > 2:
        return []  # too far from the chain rule's terms for a term to be the mistake
    out = []
    if remaining:
        shown = "; ".join(text(t) for t in remaining[:3])
        out.append(Diagnosis("MISSING_SUMMAND", Msg.of("diag.MISSING_SUMMAND", terms=shown)))
    if extra:
        shown = "; ".join(text(t) for t in extra[:3])
        out.append(Diagnosis("EXTRA_SUMMAND", Msg.of("diag.EXTRA_SUMMAND", terms=shown)))
    return out


def _is_zero(m) -> bool:
    return bool(getattr(m, "is_ZeroMatrix", False))


def diagnose(yours, ref, points, D, q, *, cell=None, T=None, paths="all", target=None):
    """The mistakes of a wrong answer: one edit of the table, else where in its products
    and sums it goes wrong, else two edits; UNKNOWN when none explains it."""
    ctx = Context(ref, points, D, q, cell, T, paths, target)
    found = single_edits(yours, ctx)
    if not found:
        found = locate_terms(yours, ctx) if q.kind == "gradient" else []
    if not found:
        found = locate_summands(yours, ctx)
    if not found:
        found = locate_factor(yours, ctx)
    if not found and _bound_for_value(yours, ref):
        found = [Diagnosis("BOUND_FOR_VALUE", Msg.of("diag.BOUND_FOR_VALUE"))]
    if not found:
        found = two_edits(yours, ctx)
    return found or [Diagnosis("UNKNOWN", Msg.of("diag.UNKNOWN"))]


def _is_square(m) -> bool:
    shape = getattr(m, "shape", None)
    return bool(shape) and shape[0] == shape[1]


def _by_steps(args) -> list:
    """Chunks that each start with a Diag, in the reverse order."""
    chunks, current = [], []
    for a in args:
        if isinstance(a, Diag) and current:
            chunks.append(current)
            current = []
        current.append(a)
    if current:
        chunks.append(current)
    return [a for chunk in reversed(chunks) for a in chunk]


def _bound_for_value(yours, ref) -> bool:
    """A numeric factor in place of the derivatives of the activation: (1/4)^n W^n."""
    scalars = [a for m in [yours, *yours.atoms(MatMul)] if isinstance(m, MatMul) for a in m.args]
    numeric = any(getattr(a, "is_number", False) and a not in (1, -1) for a in scalars)
    return numeric and not yours.atoms(Apply) and bool(ref.atoms(Apply))


def _name(fn: str) -> str:
    from symbrnn.engine.activations import ACTIVATIONS

    return ACTIVATIONS[fn].text


def _reorderings(args) -> list[list]:
    """The factors reversed one by one, and reversed by steps (each Diag with what follows it,
    the factors before the first Diag and the non-square ones at the end kept in place:
    ∂L_t/∂h_t … ∂⁺h_k/∂W)."""
    args = list(args)
    head = 0
    while head < len(args) and not isinstance(args[head], Diag):
        head += 1
    tail = len(args)
    while tail > head and not _is_square(args[tail - 1]):
        tail -= 1
    by_steps = [*args[:head], *_by_steps(args[head:tail]), *args[tail:]]
    flipped, i = list(args), 0
    while i < len(flipped) - 1:  # every step written W Diag(σ') for Diag(σ') W
        if not isinstance(flipped[i], Diag) and isinstance(flipped[i + 1], Diag):
            flipped[i], flipped[i + 1] = flipped[i + 1], flipped[i]
            i += 2
        else:
            i += 1
    swaps = [flipped] if flipped != list(args) else []
    if by_steps != args:
        swaps.append(by_steps)
    for i in range(len(args) - 1):  # two neighbours swapped: W Diag(σ') for Diag(σ') W
        swapped = list(args)
        swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
        swaps.append(swapped)
    return [list(reversed(args)), _by_steps(args), *swaps]


__all__ = [
    "EDITS",
    "LOCATED",
    "NOTES",
    "Context",
    "Diagnosis",
    "Edit",
    "diagnose",
    "mistaken_forms",
]
