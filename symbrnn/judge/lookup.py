"""Single-edit mistakes named by lookup: the table of mistakes applied once to a question's key.

Every row of :data:`~symbrnn.judge.mistakes.EDITS` is applied to the expected result (in
its engine form and written out) once per question, points and table; each mistaken key
is kept under its *fingerprint*, its values at the judge's test points divided by the
key's own scale at each point and rounded. A wrong answer's fingerprint then names its
mistake by one dictionary look-up (the hit is confirmed by the test points' own
comparison), instead of trying every edit of the table on the answer: a wrong answer is
judged in a few milliseconds in a warm process (the server, ``grade``).

A ``fix`` row that says what to say the other way round (a swap's ``_inverse``) has its
message kept with its mistaken key; any other is its own inverse (transposed, σ for σ′,
shifted): the mistaken key, edited back by the same row, says what to change (the
message's parameters), computed on the first hit and kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sympy import Dummy, MatAdd, MatMul, degree, preorder_traversal

from symbrnn.engine.activations import ACTIVATIONS
from symbrnn.engine.matexpr import Apply, add, mul
from symbrnn.judge import mistakes
from symbrnn.judge.edits import step_of
from symbrnn.judge.messages import Msg
from symbrnn.judge.mistakes import Context, Diagnosis, ZeroBias, message, products_written_out
from symbrnn.judge.points import digest, rounded
from symbrnn.numeric.small import isfinite, max_abs
from symbrnn.printing.text import text

DECIMALS = 5  # a value's digits kept, relative to the key's scale at its point
MAX_DEPTH = 3  # levels of sums and products a single edit is looked for in
MAX_MISTAKEN = 3000  # mistaken keys one table may hold (a long gradient has many terms)
KEPT = 64  # tables kept (a server's class asks a few questions of a few variants)
MAX_KEY_NODES = 2000  # a key written out larger than this is not fingerprinted edit by edit
UNDERFLOW = 1e-280  # as the test points: a point below this scale says nothing


@dataclass
class Mistaken:
    """One mistaken key: the row that made it, the expression, and what to say (None until
    the first answer that has it)."""

    row: mistakes.Edit
    expr: object
    params: dict | None = None
    path: tuple = ()  # where in the key the row's edit was made (() for the whole of it)
    made: dict | None = None  # the parameters of the edit that made it from the key


class MistakenKeys:
    """The table applied to one question's key, by fingerprint."""

    def __init__(self, ctx: Context):
        self.points = ctx.points
        self.scales = [_scale(self.points, ctx.ref, p) for p in self.points.points]
        self.key = self.fingerprint(ctx.ref)
        self.table: dict[str, list[Mistaken]] = {}
        self.zero_bias = []
        # mistaken keys in another activation than the key's (tanh′ for σ′), by the
        # activations they need: fingerprinted when an answer has them (their float forms
        # cost a derivative each, that a right answer or another mistake never needs)
        self.deferred: dict[frozenset, list[Mistaken]] = {}
        self.fixes = {row.code for row in mistakes.EDITS if row.fix is not None}
        written = products_written_out(ctx.ref) or ctx.ref
        if sum(1 for _ in preorder_traversal(written)) > MAX_KEY_NODES:
            return  # each mistaken key would cost as much as ∂h_200/∂h_1: the search names it
        seen, theirs = set(), _activations(ctx.ref)
        for row, expr, params, path in _mistaken(ctx):
            if isinstance(expr, ZeroBias):
                self.zero_bias.append(Mistaken(row, expr, params))
                continue
            if (row.code, expr) in seen:
                continue
            seen.add((row.code, expr))
            said = dict(params) if row.fix is None else _said_back(params)
            entry = Mistaken(row, expr, said, path, dict(params))
            others = frozenset(f for f in _activations(expr) - theirs if _deferred(f))
            if others:
                self.deferred.setdefault(others, []).append(entry)
            else:
                self._keep(entry)

    def _keep(self, entry: Mistaken) -> None:
        found = self.fingerprint(entry.expr)
        if found and found != self.key:
            self.table.setdefault(found, []).append(entry)

    def _undefer(self, yours) -> None:
        """The deferred mistaken keys whose activations the answer has, fingerprinted."""
        if not self.deferred:
            return
        has = _activations(yours)
        for needed in [n for n in self.deferred if n <= has]:
            for entry in self.deferred.pop(needed):
                self._keep(entry)

    def fingerprint(self, expr) -> str:
        """The values of ``expr`` at every informative point, relative to the key's scale,
        rounded and hashed; empty when it cannot be evaluated or is not finite."""
        parts = []
        try:
            for point, scale in zip(self.points.points, self.scales, strict=True):
                if scale is None:
                    continue
                value = self.points.evaluate(expr, point)
                if not isfinite(value):
                    return ""
                parts.append((value.shape, rounded(value, scale, DECIMALS)))
        except Exception:  # an expression that is not a matrix at some size has no fingerprint
            return ""
        return digest(parts, 16)

    def name(self, yours, ctx: Context) -> list[Diagnosis]:
        """The rows whose mistaken key the answer equals (each confirmed), or []."""
        self._undefer(yours)
        if not self.table:
            return []
        entries = self.table.get(self.fingerprint(yours), [])
        found: list[Diagnosis] = []
        for entry in entries:
            if not ctx.fixes(yours, entry.expr):
                continue
            if entry.params is None:
                entry.params = _inverted(entry, yours, ctx)
            if entry.params is False:
                continue
            said = _in_its_term(message(entry.row, entry.params), entry, ctx)
            if all(d.said != said for d in found):
                found.append(Diagnosis(entry.row.code, said))
        if any(d.code not in self.fixes for d in found):  # the key's mistake made exactly
            found = [d for d in found if d.code not in self.fixes]
        order = {row.code: i for i, row in enumerate(mistakes.EDITS)}
        found.sort(key=lambda d: order.get(d.code, len(order)))
        if any(d.code == "TIME_SHIFT" for d in found):  # every index shifted says it all
            found = [d for d in found if d.code != "TIME_ONE"]
        return found


def _in_its_term(said, entry: Mistaken, ctx: Context):
    """A mistake made in one (t, k) term of a gradient, said with its term."""
    if ctx.q.kind != "gradient" or not entry.path:
        return said

    term = _at(_forms(ctx.ref)[-1], entry.path[:1])
    t, k = step_of(term, "t"), step_of(term, "k")
    if t is None or k is None:
        return said
    return Msg.of("diag.WRONG_TERM", t=t, k=k, why=said)


def _inverted(entry: Mistaken, yours, ctx: Context):
    """What to say of an answer with the mistake of a ``fix`` row: the row's edit that takes
    the mistaken key back to the key, where it was made (or, failing that, anywhere in the
    mistaken key or in the answer); False when none does (the row is not its own inverse)."""
    tries = [(entry.expr, entry.path), (entry.expr, ()), (yours, ())]
    for source, path in tries if entry.path else tries[1:]:
        try:
            node = _at(source, path)
            for edited, params in entry.row.fix(node, ctx):
                if ctx.fixes(_replaced(source, path, edited)):
                    return dict(params)
        except Exception:  # the answer is not built like the key there
            continue
    return {} if not entry.made else False


def _said_back(made: dict) -> dict | None:
    """What to say of a ``fix`` row's mistaken key when the row says it, the other way round
    (a swap: U for W made from the key is W for U in the answer), kept when the table is
    built: a hit then costs no search of the row's edits back to the key; None otherwise."""
    if "_inverse" not in made:
        return None
    made = dict(made)
    return made | made.pop("_inverse")


MAX_FACTORS = 24  # factors of a written-out product the table is applied to, one by one


def _forms(ref) -> list:
    """The key as the engine writes it, and written out when that stays short (a product
    of 200 steps is edited as its ∏, not factor by factor)."""
    written = products_written_out(ref)
    if written is None or written == ref:
        return [ref]
    longest = max((len(m.args) for m in written.atoms(MatMul)), default=0)
    return [ref] if longest > MAX_FACTORS else [ref, written]


def _positions(expr, depth=MAX_DEPTH, path=()):
    """Every sub-expression a single edit may be made on: the whole, the terms of a sum and
    the factors of a product, down to ``depth`` levels."""
    yield path, expr
    if depth and isinstance(expr, MatAdd | MatMul):
        for i, arg in enumerate(expr.args):
            if getattr(arg, "is_Matrix", False):
                yield from _positions(arg, depth - 1, (*path, i))


def _at(expr, path):
    for i in path:
        expr = expr.args[i]
    return expr


def _replaced(expr, path, new):
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = _replaced(args[path[0]], path[1:], new)
    return expr.func(*args)


_MISSING_FACTOR = mistakes.Edit("MISSING_FACTOR", "diag.MISSING_FACTOR", mistake=lambda ctx: ())
_MISSING_SUMMAND = mistakes.Edit("MISSING_SUMMAND", "diag.MISSING_SUMMAND", mistake=lambda ctx: ())


def _dropped(ctx):
    """The key written out with one factor of its product, or one summand of one of its sums
    (not a (t, k) term of ∂L/∂W: the search names those by their steps), left out."""
    form = _forms(ctx.ref)[-1]
    if isinstance(form, MatMul):
        for i, factor in enumerate(form.args):
            rest = [a for j, a in enumerate(form.args) if j != i]
            if rest and getattr(factor, "is_Matrix", False) and factor.shape[0] == factor.shape[1]:
                params = {"position": i + 1, "expected": text(factor)}
                yield _MISSING_FACTOR, mul(*rest), params, ()
    for path, node in _positions(form):
        if isinstance(node, MatAdd) and not (path == () and ctx.q.kind == "gradient"):
            for i, term in enumerate(node.args):
                rest = add(*(a for j, a in enumerate(node.args) if j != i))
                yield _MISSING_SUMMAND, _replaced(form, path, rest), {"terms": text(term)}, ()


def _mistaken(ctx):
    """(row, mistaken key, parameters, where): each ``mistake`` row's own expressions, each
    ``fix`` row applied to the whole key and to each of its terms and factors."""
    made = [0]  # the fixes made so far, across the key's forms and its terms
    for row in mistakes.EDITS:
        if row.fix is None:
            try:
                for expr, params in row.mistake(ctx):
                    yield row, expr, params, ()
            except Exception:  # a mistake this question cannot make
                continue
    yield from _dropped(ctx)
    for form in _forms(ctx.ref):
        for path, node in _positions(form, depth=0):  # a part's slip is located, not looked up
            yield from _fixed(form, path, node, ctx, made, whole=not path)
            if made[0] > MAX_MISTAKEN:
                return
    if ctx.q.kind == "gradient":
        yield from _in_one_term(ctx, made)


def _fixed(form, path, node, ctx, made, whole):
    """Each ``fix`` row applied to ``node`` (a row that edits the whole key only where
    ``whole``), put back at ``path`` in ``form``; ``made`` (a one-item list) counts them and
    stops past MAX_MISTAKEN."""
    for row in mistakes.EDITS:
        if row.fix is None or (row.whole and not whole):
            continue
        try:
            for edited, params in row.fix(node, ctx):
                made[0] += 1
                if made[0] > MAX_MISTAKEN:
                    return
                yield row, _replaced(form, path, edited), params, path
        except Exception:  # an edit that makes no sense here makes no mistake
            continue


def _in_one_term(ctx, made):
    """A gradient Σ_t Σ_k …: each row made on ONE (t, k) term, or on one factor of it, and
    one factor of one term left out (named with its term by :meth:`MistakenKeys.name`)."""
    form = _forms(ctx.ref)[-1]
    if not isinstance(form, MatAdd):
        return
    for path, node in _positions(form, depth=2):
        if not path:
            continue
        if len(path) == 1 and isinstance(node, MatMul):
            for j, factor in enumerate(node.args):
                rest = [a for i, a in enumerate(node.args) if i != j]
                if getattr(factor, "is_Matrix", False) and factor.shape[0] == factor.shape[1]:
                    params = {"position": j + 1, "expected": text(factor)}
                    yield _MISSING_FACTOR, _replaced(form, path, mul(*rest)), params, path
        yield from _fixed(form, path, node, ctx, made, whole=False)
        if made[0] > MAX_MISTAKEN:
            return


def _activations(expr) -> set[str]:
    try:
        return {a.fn for a in expr.atoms(Apply)}
    except AttributeError:  # not an expression: no activation
        return set()


def _deferred(fn: str) -> bool:
    """Whether a mistaken key in ``fn`` waits for an answer in ``fn``: not when φ is affine
    (the identity: φ′ = 1 vanishes from an answer, ``W W`` is the key in id′)."""
    x = Dummy("x")
    form = ACTIVATIONS[fn].form(x)
    return not (form.is_polynomial(x) and degree(form, x) <= 1)


def _scale(points, ref, point):
    try:
        value = points.evaluate(ref, point)
    except Exception:
        return None
    scale = max_abs(value)
    if not math.isfinite(scale):
        return None
    if 0 < scale < UNDERFLOW:
        return None
    return scale or 1.0


_TABLES: dict = {}


def mistaken_keys(ctx: Context) -> MistakenKeys:
    """The table applied to the key of ``ctx`` (built once per key, points and table)."""
    key = (ctx.D, ctx.q, ctx.ref, ctx.points, ctx.paths, ctx.T, mistakes.EDITS)
    table = _TABLES.get(key)
    if table is None:
        if len(_TABLES) >= KEPT:
            _TABLES.pop(next(iter(_TABLES)))
        table = _TABLES[key] = MistakenKeys(ctx)
    return table


def looked_up(yours, ctx: Context) -> list[Diagnosis]:
    """The single-edit mistakes of ``yours`` found by lookup, or [] (then the search runs)."""
    try:
        return mistaken_keys(ctx).name(yours, ctx)
    except Exception:  # a key the table cannot be applied to: the search decides
        return []
