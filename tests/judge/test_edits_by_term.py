"""The search of a sum of (t, k) terms by its wrong terms (issue 35, speed) names what the
search of the whole answer names: the rows it leaves out are never the fix."""

from __future__ import annotations

import pytest

from symbrnn.engine.cells import make_cell
from symbrnn.engine.derive import Derivation
from symbrnn.engine.quantity import parse_quantity
from symbrnn.judge import edits
from symbrnn.judge.expected import answer_expression, reference
from symbrnn.judge.mistakes import Context, mistaken_forms
from symbrnn.judge.points import cached_points


def _context(cell_name: str, quantity: str, T: int) -> Context:
    cell = make_cell(cell_name, bias=True, allow_files=False)
    q = parse_quantity(quantity, allow_input=True)
    D = Derivation.of(cell)
    ref = reference(D, q, T=T, paths="all")
    return Context(ref=ref, points=cached_points(D, T), D=D, q=q, cell=cell, T=T)


def _wrong_answers(ctx: Context) -> list:
    """The key with each row's mistake made on it, and made inside one (t, k) term."""
    from sympy import MatAdd

    from symbrnn.engine.matexpr import add

    key = answer_expression(ctx.D, ctx.q, ctx.ref)
    wrong = [e for _, e, _ in mistaken_forms(key, ctx)]
    if isinstance(key, MatAdd):
        for i, term in enumerate(key.args[:3]):
            inner = Context(term, ctx.points, ctx.D, ctx.q, ctx.cell, None)
            for _, e, _ in mistaken_forms(term, inner):
                if getattr(e, "shape", None) == term.shape:
                    wrong.append(add(*key.args[:i], e, *key.args[i + 1 :]))
    return wrong


@pytest.mark.parametrize(("cell", "quantity", "T"), [("rnn", "dL/dW", 3), ("rnn", "dL/dU", 2)])
def test_the_search_by_terms_names_what_the_whole_search_names(cell, quantity, T, monkeypatch):
    ctx = _context(cell, quantity, T)
    answers = _wrong_answers(ctx)
    by_terms = [edits.single_edits(a, ctx) for a in answers]
    split = sum(edits._unmatched(a, ctx) is not None for a in answers)
    monkeypatch.setattr(edits, "_rows_for_terms", lambda yours, ctx: None)
    whole = [edits.single_edits(a, ctx) for a in answers]
    assert by_terms == whole
    assert split >= len(answers) // 3  # the search by terms is the one taken, often
    assert any(whole)  # and it names mistakes


def test_a_sum_with_one_term_wrong_is_split_there():
    ctx = _context("rnn", "dL/dW", 2)
    key = answer_expression(ctx.D, ctx.q, ctx.ref)
    terms = list(key.args)
    W, U = ctx.D.params["W"], ctx.D.params["U"]
    i = next(i for i, t in enumerate(terms) if W in t.args)  # ∂L_t/∂h_t Diag(σ′) W ∂⁺h_k/∂W
    args = list(terms[i].args)
    args[args.index(W)] = U  # U for the W of the Jacobian (not the W of ∂⁺h_k/∂W)
    wrong_term = type(terms[i])(*args)
    answer = type(key)(*terms[:i], wrong_term, *terms[i + 1 :])
    mine, theirs = edits._unmatched(answer, ctx)
    assert mine == [wrong_term]
    assert len(theirs) == 1
    assert [d.code for d in edits.single_edits(answer, ctx)] == ["PARAMETER"]
