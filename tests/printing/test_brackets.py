"""Printing reads the table of operations: brackets come from precedence; the memo is bounded."""

import pytest
from sympy import Identity, MatrixSymbol, Symbol, Transpose
from sympy.matrices.expressions.hadamard import HadamardProduct

from symbrnn.engine.matexpr import Apply, Diag, OrderedProduct, TimeSum, TimeVec
from symbrnn.engine.ops import OPS
from symbrnn.printing import base
from symbrnn.printing.base import binding
from symbrnn.printing.text import RNNTextPrinter

n = Symbol("n")
W, U = MatrixSymbol("W", n, n), MatrixSymbol("U", n, n)
t, j = Symbol("t", integer=True), Symbol("j", integer=True)
h, c = TimeVec("h", t, n), TimeVec("c", t, n)


def text(expr):
    return RNNTextPrinter().doprint(expr)


def test_the_binding_of_each_operation_is_the_table_s():
    assert binding(W + U) == OPS["add"].precedence
    assert binding(HadamardProduct(h, c)) == OPS["hadamard"].precedence
    assert binding(W * U) == OPS["matmul"].precedence
    assert binding(Diag(Apply("tanh", h, 1))) == OPS["apply"].precedence
    assert binding(W) > binding(Diag(h)) > binding(W * U) > binding(HadamardProduct(h, c))


@pytest.mark.parametrize(
    ("expr", "printed"),
    [
        ((W + U) * W, "[U + W] W"),  # a sum in a product: the course's square brackets
        (W * (W + U), "W [U + W]"),
        (W * U * W, "W U W"),  # tighter than the product: no bracket
        (-(W * U) + W, "−W U + W"),
        (Diag(h) * W, "Diag(h_t) W"),
    ],
)
def test_an_operand_is_bracketed_when_it_binds_less_tightly(expr, printed):
    assert text(expr) == printed


def test_big_operators_extend_to_the_end_and_are_bracketed_before_a_factor():
    body = Diag(Apply("sigmoid", TimeVec("a", j, n), 1)) * W
    prod = OrderedProduct(body, j, 2, t)
    inner = text(prod)
    assert text(prod * U).startswith("(" + inner + ")")  # ∏ before a factor: bracketed
    total = TimeSum(TimeSum(U * W, j, 1, t), t, 1, 3)
    assert text(total).count("(") == 0  # Σ_t Σ_k: the inner Σ is the body, to the end
    assert text(TimeSum(W + U, t, 1, 3)).endswith("[U + W]")


def test_the_transpose_binds_tighter_than_an_application():
    assert text(W.T) == "Wᵀ"
    assert text(Diag(h).T) == "(Diag(h_t))ᵀ"
    assert text(Transpose(W * U)) == "(W U)ᵀ"


def test_the_memo_is_bounded_and_printing_is_unchanged_after_it_starts_again(monkeypatch):
    monkeypatch.setattr(base, "MEMO_LIMIT", 40)
    printer = RNNTextPrinter()
    exprs = [MatrixSymbol(f"V{i}", n, n) * (W + Identity(n)) for i in range(300)]
    printed = [printer.doprint(e) for e in exprs]
    assert sum(map(len, printer._memos)) <= 40 + 8  # started again: never much above the bound
    assert printed == [RNNTextPrinter().doprint(e) for e in exprs]
    terms = [Diag(h) * MatrixSymbol(f"X{i}", n, n) for i in range(300)]
    rows = [printer.print_at(term, {t: 3}) for term in terms]  # rows memoised by identity
    assert rows == [RNNTextPrinter().print_at(term, {t: 3}) for term in terms]
    assert rows[0] == "Diag(h₃) X0"
