"""A new cell is one declaration: every command works on it without calculus code."""

import subprocess
import sys
from pathlib import Path

import pytest

from symbrnn.engine.cell import Cell
from symbrnn.engine.cells import load_cell
from symbrnn.engine.expand import expand_gradient, expand_jacobian
from symbrnn.errors import DeclarationError, InputError
from symbrnn.printing.text import text
from symbrnn.proof.verify import verify_gradient, verify_jacobian

EXAMPLES = Path(__file__).parents[2] / "examples" / "cells.py"


@pytest.fixture(scope="module")
def mgu():
    return load_cell(f"{EXAMPLES}:mgu")


@pytest.fixture(scope="module")
def peephole():
    return load_cell(f"{EXAMPLES}:peephole_lstm")


def test_mgu_is_declared_and_verified(mgu):
    assert [p.name for p in mgu.parameters] == ["W_f", "U_f", "b_f", "W_h", "U_h", "b_h"]
    assert verify_jacobian(mgu, "h", t=3, k=1, method="exact").equal
    for param in ("W_f", "W_h", "b_f"):
        assert verify_gradient(mgu, param, T=3, method="random").equal


def test_peephole_lstm_is_verified(peephole):
    assert [p.shape for p in peephole.parameters if p.name.startswith("P_")] == [("n",)] * 3
    assert verify_jacobian(peephole, "c", t=3, k=1, method="random").equal
    assert verify_jacobian(peephole, "c", t=2, k=1, paths="direct", method="exact").equal
    assert verify_gradient(peephole, "P_f", T=3, method="random").equal


def test_peephole_direct_path_sees_the_peepholes(peephole):
    """c_{t-1} now also enters f_t and i_t: the direct path is no longer Diag(f_t) alone."""
    step = expand_jacobian(peephole, "c", 2, paths="direct").step
    assert (
        text(step)
        == "Diag(c_{j−1}) Diag(σ'(a_f,j)) Diag(P_f) + Diag(f_j) + Diag(c̃_j) Diag(σ'(a_i,j)) Diag(P_i)"
    )


def test_expand_works_on_a_user_cell(mgu):
    e = expand_gradient(mgu, "W_h", 3)
    assert len(e.terms) == 6


def test_cli_with_a_user_cell():
    result = subprocess.run(
        [sys.executable, "-m", "symbrnn", "verify", "--cell", f"{EXAMPLES}:mgu", "--T", "2"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "0 failed" in result.stdout


def test_untraceable_step_function_is_refused():
    import math

    def bad(h_prev, x, W):
        return math.exp(W @ h_prev)

    with pytest.raises(DeclarationError, match=r"^cell 'bad' cannot be traced: TypeError"):
        _ = Cell("bad", bad).trace


def test_step_function_must_start_with_states():
    with pytest.raises(DeclarationError, match=r"must start with arguments h_prev, x"):
        Cell("bad", lambda x, h_prev: x)


def test_missing_attribute_in_cell_file():
    with pytest.raises(InputError, match=r"has no 'nothing'$"):
        load_cell(f"{EXAMPLES}:nothing")
