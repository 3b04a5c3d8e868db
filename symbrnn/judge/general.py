"""The general case: an answer with free steps t, k (or horizon T) is an identity in them.

``check -q dh_t/dh_k`` (III.2), ``dc_t/dc_k`` (IV.2, IV.3) or ``dL/dW`` without T is
judged at enough instances — t ≥ k with t − k = 0..7 (t = k included) and k = 1..6, T = 1..7
— each an ordinary check with the question's letters bound to numbers; the first instance
that fails is named (``Verdict.instance``). Enough, too, that a term which vanishes at some
instances only (``(k-1)(k-2) W``, ``(t-k)(t-k-1)(t-k-2)(t-k-3) W``) is seen at another. An
answer that cannot be written at one instance but reads at another (``[…]^{t-k-1}`` at
t = k) is wrong there, not unreadable.

>>> from symbrnn.engine.quantity import parse_quantity
>>> [i.letters for i in instances(parse_quantity("dh_t/dh_k"), "dh_t/dh_k")][:3]
[{'t': 1, 'k': 1}, {'t': 2, 'k': 2}, {'t': 2, 'k': 1}]
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import sympy as sp

from symbrnn.judge.indices import IndexReader
from symbrnn.judge.messages import JudgeError, Msg
from symbrnn.judge.notation import AnswerParseError, tokenize

# (t − k, rank of k among the instances of that gap): t − k = 0..3 at the two first k,
# then further instances (k = 3..6, gaps 4 to 7): a term in t, k that vanishes at every
# instance is of degree 8 or more in t − k, or 6 or more in k
PICKS = ((0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1), (3, 0), (3, 1))
FURTHER = ((0, 2), (2, 3), (4, 0), (5, 1), (1, 4), (0, 5), (6, 0), (7, 0))
HORIZONS = (1, 2, 3, 4, 5, 6, 7)  # T of a gradient asked for every T: degree 7 or more vanishes
_SUBSCRIPTS = re.compile(r"_\s*(\{[^{}]*\}|[A-Za-z0-9])")


@dataclass(frozen=True)
class Instance:
    """One instance of a general question: its concrete quantity, T, the letters' values."""

    quantity: str
    T: int | None
    letters: dict

    def shown(self) -> str:
        return "(" + ", ".join(f"{k} = {v}" for k, v in self.letters.items()) + ")"


def is_general(q, T) -> bool:
    """Whether the question leaves its steps (or its horizon) free."""
    return (q.kind == "jacobian" and not q.concrete) or (q.kind == "gradient" and T is None)


def _steps(quantity: str):
    """The two steps of a quantity as written (dh_t/dh_k, \\frac{∂h_T}{∂h_1}), t and k when
    it writes none."""
    found = _SUBSCRIPTS.findall(quantity.replace("\\partial", "d"))[-2:]
    if len(found) != 2:
        t, k = sp.symbols("t k", integer=True)
        return t, k
    try:
        return tuple(IndexReader(tokenize(s.strip("{}"))[:-1], {}, 0).read() for s in found)
    except AnswerParseError:
        raise JudgeError("check.quantity", quantity=repr(quantity)[:60]) from None


def instances(q, quantity: str, T=None) -> list[Instance]:
    """The instances a general answer is judged at (at most two per gap t − k)."""
    if q.kind == "gradient":
        return [Instance(quantity, n, {"T": n}) for n in HORIZONS]
    t, k = _steps(quantity)
    free = list(dict.fromkeys([*sorted(t.free_symbols, key=str), *sorted(k.free_symbols, key=str)]))
    found: dict[int, list] = {g: [] for g, _ in PICKS + FURTHER}
    for values in itertools.product(range(0, 10), repeat=len(free)):
        at = {s: sp.Integer(v) for s, v in zip(free, values, strict=True)}
        tv, kv = t.xreplace(at), k.xreplace(at)
        if not (tv.is_Integer and kv.is_Integer) or kv < 1 or int(tv - kv) not in found:
            continue
        letters = {str(s): int(v) for s, v in at.items()}
        found[int(tv - kv)].append((int(kv), int(tv), letters))
    out = []
    for gap, rank in PICKS + FURTHER:
        ranked = sorted(found[gap], key=lambda x: x[:2])
        if ranked:  # a fixed k (dh_t/dh_1) has one instance per gap
            kv, tv, letters = ranked[min(rank, len(ranked) - 1)]
            case = Instance(f"d{q.name}_{tv}/d{q.name}_{kv}", T, letters)
            if case not in out:
                out.append(case)
    if not out:
        raise JudgeError("check.quantity_steps", quantity=repr(quantity)[:60], name=q.name)
    return out


def judge_general(q, quantity: str, T, run):
    """``run(instance)`` → its Verdict, at every instance; the first that is not
    equivalent is the verdict, saying which instance fails."""
    cases = instances(q, quantity, T)
    letters = ", ".join(cases[0].letters)
    last = None
    for i, case in enumerate(cases):
        read = True
        try:
            verdict = run(case)
        except AnswerParseError as exc:
            verdict, read = _unwritable_at(exc, cases[i + 1 :], run, quantity), False
        verdict.quantity = quantity
        if verdict.outcome != "equivalent":
            if read and verdict.outcome == "not_equivalent" and not _named(verdict):
                case, verdict = _named_elsewhere(case, cases, run, quantity) or (case, verdict)
            verdict.instance = dict(case.letters)
            if verdict.outcome == "not_equivalent":  # "cannot judge" says why on its own
                verdict.notes.insert(
                    0, Msg.of("note.general_fails", instance=case.shown(), letters=letters)
                )
            return verdict
        last = verdict
    shown = "; ".join(c.shown() for c in cases)
    last.notes.insert(0, Msg.of("note.general_judged", letters=letters, instances=shown))
    return last


def _named(verdict) -> bool:
    return any(d.code not in ("UNKNOWN", "SHAPE") for d in verdict.diagnoses)


def _named_elsewhere(case, cases, run, quantity):
    """At t = k the Jacobian is I and a wrong answer is named nowhere (``(t−k) I`` is 0
    there): the answer judged once more at the first instance with t − k = 2, where its
    mistake may be named (the steps added); that verdict if it names one."""
    letters = case.letters
    if "t" not in letters or "k" not in letters or letters["t"] != letters["k"]:
        return None
    further = next((c for c in cases if c.letters.get("t", 0) - c.letters.get("k", 0) == 2), None)
    if further is None:
        return None
    try:
        verdict = run(further)
    except AnswerParseError:
        return None
    if verdict.outcome == "not_equivalent" and _named(verdict):
        verdict.quantity = quantity
        return further, verdict
    return None


def _unwritable_at(exc, others, run, quantity):
    """An answer that cannot be read at one instance (a power ^{-1} at t = k, a step 0 or
    below) but reads at another is wrong at the first: a verdict saying why. Unreadable at
    every instance, it is unreadable (the error is raised again)."""
    from symbrnn.judge.verdict import Verdict

    for case in others:
        try:
            read = run(case)
        except AnswerParseError:
            continue
        verdict = Verdict(quantity, "", "", outcome="not_equivalent", lang=read.lang)
        verdict.notes.append(Msg(exc.key, tuple(sorted(exc.params.items()))))
        return verdict
    raise exc
