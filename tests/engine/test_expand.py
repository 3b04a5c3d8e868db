"""Expansions: one term per (t, k), ordered products and their collapsed powers."""

import json

import pytest

from symbrnn.engine.cells import lstm, simple_rnn
from symbrnn.engine.derive import Derivation, Loss, expand_products
from symbrnn.engine.expand import expand_gradient, expand_jacobian
from symbrnn.engine.matexpr import BracketPower, Partial, mul
from symbrnn.printing.expansion import expansion_json
from symbrnn.printing.latex import latex
from symbrnn.printing.text import text
from tests.processes import symbrnn


def run(*args):
    return symbrnn(*args)


@pytest.mark.parametrize("T", [1, 3, 5])
def test_one_term_per_pair_with_power_t_minus_k(T):
    e = expand_gradient(simple_rnn(), "W", T)
    assert [(x.t, x.k) for x in e.terms] == [
        (t, k) for t in range(1, T + 1) for k in range(1, t + 1)
    ]
    assert all(x.power == x.t - x.k for x in e.terms)


def test_explicit_terms_are_products_of_one_step_jacobians():
    D = Derivation(simple_rnn())
    for term in expand_gradient(simple_rnn(), "W", 4).terms:
        steps = [D.step_jacobian("h", "h", j) for j in range(term.t, term.k, -1)]
        expected = mul(
            Partial(Loss(term.t), D.vec("h", term.t)),
            *steps,
            Partial(D.vec("h", term.k), D.params["W"], True),
        )
        assert term.explicit == expected


def test_collapsed_terms_carry_the_power():
    for term in expand_gradient(simple_rnn(), "W", 3).terms:
        powers = term.collapsed.atoms(BracketPower)
        if term.power == 0:
            assert not powers
        else:
            (power,) = powers
            assert power.exponent == term.power
            assert text(power.base) == "Diag(σ') W"


def test_sheet_T3_text():
    """III.1: the collapsed terms as the course writes them (printer output)."""
    e = expand_gradient(simple_rnn(), "W", 3)
    assert [text(x.collapsed) for x in e.terms] == [
        "∂L₁/∂h₁ ∂⁺h₁/∂W",
        "∂L₂/∂h₂ [Diag(σ') W] ∂⁺h₁/∂W",
        "∂L₂/∂h₂ ∂⁺h₂/∂W",
        "∂L₃/∂h₃ [Diag(σ') W]² ∂⁺h₁/∂W",
        "∂L₃/∂h₃ [Diag(σ') W] ∂⁺h₂/∂W",
        "∂L₃/∂h₃ ∂⁺h₃/∂W",
    ]


def test_general_forms_print():
    e = expand_gradient(simple_rnn(), "W", 3)
    assert (
        text(e.general_collapsed) == "Σ_{t=1}^{T} Σ_{k=1}^{t} ∂L_t/∂h_t [Diag(σ') W]^{t−k} ∂⁺h_k/∂W"
    )
    assert latex(e.step) == r"\operatorname{Diag}\left(\sigma'\left(a_{j}\right)\right) W"


def test_lstm_approximation_goes_through_c():
    e = expand_gradient(lstm(), "W_f", 3, state="c", paths="direct")
    assert e.approximate
    assert (
        text(e.general_collapsed) == "Σ_{t=1}^{T} Σ_{k=1}^{t} ∂L_t/∂c_t [Diag(f)]^{t−k} ∂⁺c_k/∂W_f"
    )


def test_jacobian_expansion_lstm_all_paths_has_blocks():
    e = expand_jacobian(lstm(), "c", 2)
    assert "[0  I]" in text(e.general)
    assert text(e.terms[0].explicit) == "I"


def test_json_keys():
    e = expand_gradient(simple_rnn(), "W", 3)
    info = expansion_json(e, Derivation(simple_rnn()).params)
    assert {"cell", "T", "wrt", "terms", "latex"} <= set(info)
    assert set(info["terms"][0]) >= {"t", "k", "power", "latex"}


def test_cli_expand_default_is_the_sheet_T3():
    result = run("expand", "--T", "3")
    assert result.returncode == 0
    assert "∂L₃/∂h₃ [Diag(σ') W]² ∂⁺h₁/∂W" in result.stdout
    assert "abuse of notation" in result.stdout


def test_cli_expand_json():
    result = run("expand", "--T", "3", "--format", "json")
    info = json.loads(result.stdout)
    assert info["T"] == 3 and info["cell"] == "rnn" and info["wrt"] == "W"
    assert len(info["terms"]) == 6
    assert [t["power"] for t in info["terms"]] == [0, 1, 0, 2, 1, 0]


def test_cli_symbolic_T_latex():
    result = run("expand", "--T", "T", "--format", "latex")
    assert result.returncode == 0
    assert r"\sum_{t=1}^{T}" in result.stdout and r"\prod_{j=k + 1}^{t}" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--T", "0"], r"must be a positive integer"),
        (["--T", "x"], r"expected a positive integer or the letter T"),
        (["--T", "100000"], r"use --T T for the symbolic form"),
        (["--quantity", "dQ/dh"], r"unknown quantity 'dQ/dh'"),
        (["--cell", "transformer"], r"unknown cell 'transformer'"),
        (["--cell", "lstm", "--quantity", "dz/dz"], r"has no state 'z'"),
        (["--cell", "nofile.py:cell"], r"cell file not found: nofile.py"),
    ],
)
def test_cli_expand_bad_input(args, message):
    import re

    result = run("expand", *args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.search(message, lines[0]), result.stderr


def test_block_products_multiply_out_to_the_same_numbers():
    import numpy as np
    from sympy import BlockMatrix

    from symbrnn.numeric.instantiate import NUMPY, Evaluator, forward

    D = Derivation(lstm())
    n, d, T = 3, 2, 3
    rng = np.random.default_rng(1)
    values = {
        p: rng.normal(size=(n, n if p.startswith("W") else d if p.startswith("U") else 1))
        for p in D.params
    }
    env = forward(
        D,
        values,
        [rng.normal(size=(d, 1)) for _ in range(T)],
        {"h": rng.normal(size=(n, 1)), "c": rng.normal(size=(n, 1))},
        NUMPY,
    )
    ev = Evaluator(env, values, NUMPY, {D.n: n, D.d: d})
    for term in expand_jacobian(lstm(), "c", T).terms:
        if term.k == 0:
            continue
        assert not term.explicit.atoms(BlockMatrix)
        assert np.allclose(ev(term.explicit), ev(term.structured))


def test_lstm_one_step_cell_state_jacobian_every_path():
    """IV.4: ∂c_t/∂c_{t-1} = Diag(f_t) + (∂c_t/∂h_{t-1}) Diag(o_{t-1}) Diag(tanh'(c_{t-1}))."""
    D = Derivation(lstm())
    one_step = expand_products(D.jacobian("c", 5, 4))
    assert "Diag(f₅)" in text(one_step)
    assert "Diag(o₄) Diag(tanh'(c₄))" in text(one_step)
