"""The table of the course's mistakes: each row a stable answer note, its message and its edit.

Each row of :data:`EDITS` is one classic mistake: a stable answer note (``ORDER``,
``TRANSPOSE``, ``BIAS_MISSING``...), its message in French and English (a key of
:mod:`symbrnn.judge.messages`), and how it edits an expression. A row edits in one of
two ways:

- ``fix``: an edit of the *answer* that would make it right (transpose it, swap σ and
  σ′, shift every step...). Most are their own inverse, so applied to the expected
  result they make the mistake: that is how the exam's distractors and the judge's
  lookup (:mod:`symbrnn.judge.lookup`) read the table.
- ``mistake``: the expected result with the mistake made (a path of the cell left out,
  the bias dropped); the answer has the mistake when it equals one of these.

The search that reads the table is :mod:`symbrnn.judge.diagnose`.

>>> [row.code for row in EDITS][:3]
['TRANSPOSE', 'TRANSPOSE_ONE', 'ORDER']
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import sympy as sp
from sympy import MatMul, MatrixSymbol, Symbol, Transpose

from symbrnn.engine.matexpr import Apply, Diag, OrderedProduct, Partial, TimeVec, mul, neg
from symbrnn.judge import mistake_rows as more
from symbrnn.judge.calculus import tidy
from symbrnn.judge.elements import Entry, ScalarApply
from symbrnn.judge.messages import Msg
from symbrnn.printing.names import text_name
from symbrnn.printing.text import text


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
    whole: bool = False  # its message speaks of the whole answer: never made on a part of it
    extra_keys: tuple = field(default=())
    exam: bool = True  # whether the exam makes it as a wrong option (not as read back)


# -- the edits ---------------------------------------------------------------------


def _transpose_whole(e, ctx) -> Edits:
    yield Transpose(e), {}


def _transpose_one(e, ctx) -> Edits:
    kept = {p: p for p in e.atoms(Partial)}  # ∂⁺h_k/∂W names W: not a factor to transpose
    hidden = {p: MatrixSymbol(f"∂{i}", *p.shape) for i, p in enumerate(kept)}
    outside = e.xreplace(hidden).atoms(MatrixSymbol) - set(hidden.values())
    for P in sorted(outside, key=str):
        transposed = [t for t in e.atoms(Transpose) if t.arg == P]
        if transposed:
            edit, key = kept | {t: P for t in transposed}, "extra"
        else:
            edit, key = kept | {P: Transpose(P)}, "missing"
        back = "missing" if key == "extra" else "extra"
        yield e.xreplace(edit), {"matrix": text(P), "_key": key, "_inverse": {"_key": back}}


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
            was = ", ".join(sorted({_name(a.fn) for a in swapped}))
            yield e.xreplace(swapped), {"activation": _name(other), "_inverse": {"activation": was}}


def _argument(e, ctx) -> Edits:
    """φ′(h_j) written for φ′(a_j): the derivative is taken at the pre-activation."""
    pre = {
        node.name: node.args[0].name
        for node in ctx.D.trace.nodes
        if node.op == "apply" and node.name and node.args[0].name
    }
    edits = {}
    for a in sorted(e.atoms(Apply), key=str):
        vec = a.vec
        if a.order and isinstance(vec, TimeVec) and vec.name in pre:
            edits[a] = Apply(a.fn, TimeVec(pre[vec.name], vec.time, *vec.shape), a.order)
    if edits:
        first = next(iter(edits))
        said = {"yours": text(first.vec), "right": text(edits[first].vec)}
        yield (
            e.xreplace(edits),
            said | {"_inverse": {"yours": said["right"], "right": said["yours"]}},
        )


def _time_shift(e, ctx) -> Edits:
    if ctx.q.kind == "input":  # II.1's u, v and A v have no step to shift
        return
    for shift in (1, -1):
        moved = {
            v: TimeVec(v.name, v.time + shift, *v.shape)
            for v in e.atoms(TimeVec)
            if v.time.is_Integer or v.time.free_symbols
        }
        if moved:
            state = ctx.q.name if ctx.q.kind != "gradient" else ctx.D.states[0]
            yield e.xreplace(moved), {"shift": f"{-shift:+d}", "state": state}


def _time_one(e, ctx) -> Edits:
    """One vector at the wrong step: h₃ for h₂ inside σ'(W h₂ + U x₃ + b)."""
    if ctx.q.kind == "input":
        return
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
def products_written_out(ref):
    """The expected result with its products written out (once per result: a class asks the
    same quantities); None when it cannot be."""
    from symbrnn.engine.derive import expand_products

    try:
        return expand_products(ref)
    except Exception:  # a form that cannot be written out
        return None


def _missing_diag(ctx) -> Edits:
    """The expected product with its Diag(φ′(a_j)) factors left out: W W for ∂h₃/∂h₁."""
    written = products_written_out(ctx.ref)
    if written is None:
        return
    diags = [d for d in written.atoms(Diag) if d.atoms(Apply)]
    said = {"_key": "input", "diag": text(diags[0])} if ctx.q.kind == "input" and diags else {}
    if diags:  # II.1 has one Diag, not a chain of steps: said on its own
        yield tidy(written.xreplace({d: sp.Identity(d.shape[0]) for d in diags})), said


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
        yield without, {"gate": text_name(gate), "state": text_name(q.name)}


def _bias_missing(ctx) -> Edits:
    cell, D = ctx.cell, ctx.D
    if cell is not None and cell.bias:
        biases = [p.name for p in D.trace.parameters if p.role == "bias"]  # not w of w ⊙ h
        if biases:
            yield ZeroBias(ctx.ref), {"biases": ", ".join(biases)}


@dataclass(frozen=True)
class ZeroBias:
    """The expected result at the same points with every bias 0 (a marker, compared by
    :func:`~symbrnn.judge.edits.matches` on the unbiased trajectories)."""

    ref: object


EDITS: tuple[Edit, ...] = (
    Edit("TRANSPOSE", "diag.TRANSPOSE", fix=_transpose_whole, whole=True),
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
    Edit("PARAMETER", "diag.PARAMETER", fix=more.parameter_swap, pairs=False),
    Edit("ARGUMENT", "diag.ARGUMENT", fix=_argument),
    Edit("ARGUMENT", "diag.ARGUMENT_PRODUCT", fix=more.argument_product, pairs=False),
    Edit("SQUARE", "diag.SQUARE", fix=more.square, pairs=False),
    Edit(
        "MISSING_SUMMAND",
        "diag.MISSING_SUMMAND_IN",
        fix=more.pre_summand,
        pairs=False,
        exam=False,
        extra_keys=("diag.MISSING_SUMMAND_IN", "diag.MISSING_SUMMAND_IN.one"),
    ),
    Edit("TIME_SHIFT", "diag.TIME_SHIFT", fix=_time_shift, whole=True),
    Edit("TIME_ONE", "diag.TIME_ONE", fix=_time_one),
    Edit("BOUNDS", "diag.BOUNDS", fix=_bounds),
    Edit("SIGN", "diag.SIGN", fix=_sign, whole=True),
    Edit("SCALE", "diag.SCALE", fix=_scale, whole=True),
    Edit(
        "MISSING_DIAG",
        "diag.MISSING_DIAG",
        mistake=_missing_diag,
        extra_keys=("diag.MISSING_DIAG", "diag.MISSING_DIAG.input"),
    ),
    Edit(
        "SUM_FOR_PRODUCT",
        "diag.SUM_FOR_PRODUCT",
        mistake=more.sum_for_product,
        extra_keys=("diag.SUM_FOR_PRODUCT.of",),
    ),
    Edit("MISSING_PATH", "diag.MISSING_PATH", mistake=_missing_path),
    Edit("MISSING_PATH", "diag.MISSING_GATE_PATH", mistake=_missing_gate_path),
    Edit("IMMEDIATE_STEP", "diag.IMMEDIATE_STEP", mistake=more.immediate_step),
    Edit("BIAS_MISSING", "diag.BIAS_MISSING", mistake=_bias_missing),
    Edit("BIAS_MISSING", "diag.BIAS_MISSING", fix=more.bias_one, pairs=False),
    Edit("GATE", "diag.GATE", fix=more.gate_swap, pairs=False, exam=False),
)
"""The table of mistakes. A new diagnosis is one row here, its messages in
``judge/messages.py`` and a test."""


def mistaken_forms(shown, ctx: Context) -> Iterator[tuple[Edit, object, dict]]:
    """Every row's mistake made on the expected result ``shown`` (as a student hands it
    in): a ``fix`` row applied to it (most are their own inverse), a ``mistake`` row's own
    expression. These are the exam's wrong options, each proven wrong by the checker before
    it is used; a row that edits the test points only (the bias set to 0) makes none."""
    for row in (row for row in EDITS if row.exam):
        made = row.fix(shown, ctx) if row.fix is not None else row.mistake(ctx)
        for expr, params in made:
            if not isinstance(expr, ZeroBias):
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


def message(row: Edit, params: dict) -> Msg:
    params = dict(params)
    params.pop("_inverse", None)  # what to say when the edit is made the other way round
    variant = params.pop("_key", None)
    return Msg.of(row.key + ("." + variant if variant else ""), **params)


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


def _name(fn: str) -> str:
    from symbrnn.engine.activations import ACTIVATIONS

    return ACTIVATIONS[fn].text


def _flipped(args, diag_first: bool) -> list:
    """Every step written Diag(σ') W for W Diag(σ') (or, ``diag_first`` False, the reverse)."""
    flipped, i = list(args), 0
    while i < len(flipped) - 1:
        if (
            isinstance(flipped[i], Diag) != diag_first
            and isinstance(flipped[i + 1], Diag) == diag_first
        ):
            flipped[i], flipped[i + 1] = flipped[i + 1], flipped[i]
            i += 2
        else:
            i += 1
    return flipped


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
    swaps = [f for f in (_flipped(args, True), _flipped(args, False)) if f != list(args)]
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
    "message",
    "mistaken_forms",
    "products_written_out",
]
