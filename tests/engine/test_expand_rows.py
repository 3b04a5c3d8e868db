"""A row instantiated from the general (t, k) term equals the row derived on its own."""

from pathlib import Path

import pytest

from symbrnn.engine.cells import make_cell
from symbrnn.engine.derive import collapse, drop_empty_powers, k_, t_
from symbrnn.engine.expand import expand_gradient, expand_jacobian
from symbrnn.printing.latex import latex
from symbrnn.printing.text import text

MGU = str(Path(__file__).parents[2] / "examples" / "cells.py") + ":mgu"

CASES = [
    ("rnn", "gradient", "W", {}),
    ("rnn", "gradient", "b", {}),
    ("rnn", "jacobian", "h", {}),
    ("lstm", "gradient", "W_f", {}),
    ("lstm", "gradient", "W_f", {"state": "c", "paths": "direct"}),
    ("lstm", "jacobian", "c", {}),
    ("lstm", "jacobian", "c", {"paths": "direct"}),
    ("lstm", "jacobian", "h", {}),
    ("gru", "gradient", "U_h", {}),
    ("gru", "jacobian", "h", {}),
    (MGU, "gradient", "W_h", {}),
]


@pytest.mark.parametrize(("cell_name", "kind", "name", "options"), CASES)
def test_every_row_of_the_general_term_is_the_row_derived_directly(cell_name, kind, name, options):
    cell = make_cell(cell_name)
    expand = expand_gradient if kind == "gradient" else expand_jacobian
    e = expand(cell, name, 6, **options)
    for t in range(2, 7):
        for k in range(1, t):
            direct = drop_empty_powers(collapse(e.row(t, k)))
            at = {t_: t, k_: k}
            assert e.general_row.xreplace(at) == direct, (t, k)
            assert latex(e.general_row, at=at) == latex(direct)
            assert text(e.general_row, at=at) == text(direct)


def test_long_expansions_use_the_general_term_and_keep_the_row_count():
    e = expand_gradient(make_cell("rnn"), "W", 40)
    rows = list(e.iter_terms())
    assert len(rows) == 40 * 41 // 2
    assert sum(r.at is None for r in rows) == 40  # only t = k is derived on its own
    assert latex(rows[-2].collapsed, at=rows[-2].at).count(r"\left[") == 1


# every case with each activation its cell takes, with and without biases
PRINTED = [
    (*case, activation, bias)
    for case in CASES
    for activation in ((None, "identity", "relu") if case[0] == "rnn" else (None,))
    for bias in ((True, False) if not case[2].startswith("b") else (True,))
]


@pytest.mark.parametrize(("cell_name", "kind", "name", "options", "activation", "bias"), PRINTED)
def test_no_row_prints_sympy_s_own_notation(cell_name, kind, name, options, activation, bias):
    """A constant φ' (identity, ReLU's pieces) or a dropped bias never leaves SymPy's
    ``**`` or an unsimplified Diag(1) in the printed rows."""
    cell = make_cell(cell_name, activation=activation, bias=bias)
    expand = expand_gradient if kind == "gradient" else expand_jacobian
    e = expand(cell, name, 4, **options)
    for term in e.terms:
        for printed in (text(term.structured), text(term.explicit), latex(term.explicit)):
            assert "**" not in printed and "Diag(1)" not in printed and "Diag(𝟏)" not in printed
