"""The random-point identity test modulo a prime: agrees with every derived result, and fails
on a wrong one."""

import dataclasses
import random

import pytest
import sympy

from symbrnn.engine.activations import ACTIVATIONS, sigmoid, tanh
from symbrnn.engine.cells import gru, lstm, simple_rnn
from symbrnn.engine.derive import Derivation
from symbrnn.engine.matexpr import Diag
from symbrnn.engine.ops import OPS
from symbrnn.proof.modular import PRIME, ModularPoint, gradient_agrees, jacobian_agrees, residue
from symbrnn.proof.verify import run_all, verify_gradient

CELLS = {
    **{f"rnn-{name}": (lambda name=name: simple_rnn(ACTIVATIONS[name])) for name in ACTIVATIONS},
    "lstm": lstm,
    "gru-keras2": lambda: gru(reset_after=False),
    "gru-keras3": lambda: gru(reset_after=True),
}


@pytest.mark.parametrize("name", CELLS)
def test_every_derived_jacobian_and_gradient_agrees(name):
    D = Derivation(CELLS[name]())
    rng = random.Random(7)
    for state in D.states:
        for paths in ("all", "direct"):
            for k in (1, 3, 5):
                assert jacobian_agrees(D, state, state, t=5, k=k, n=2, d=1, rng=rng, paths=paths)
    for param in D.params:
        assert gradient_agrees(D, param, T=4, n=3, d=2, rng=rng), param


def test_a_wrong_jacobian_is_refused():
    D = Derivation(lstm())
    rng = random.Random(0)
    direct_only = D.jacobian("c", 4, 1, paths="direct")
    assert not jacobian_agrees(D, "c", "c", t=4, k=1, n=2, d=1, rng=rng, derived=direct_only)
    R = Derivation(simple_rnn())
    transposed = sympy.Transpose(R.jacobian("h", 3, 1))
    assert not jacobian_agrees(R, "h", "h", t=3, k=1, n=2, d=1, rng=rng, derived=transposed)
    one_step_short = R.jacobian("h", 3, 2)
    assert not jacobian_agrees(R, "h", "h", t=3, k=1, n=2, d=1, rng=rng, derived=one_step_short)


@pytest.mark.parametrize("cell", [simple_rnn, lstm], ids=["rnn", "lstm"])
def test_a_wrong_gradient_is_refused(monkeypatch, cell):
    # φ in place of φ' in the local rule of an activation: the brute force does not read it
    monkeypatch.setitem(
        OPS, "apply", dataclasses.replace(OPS["apply"], local=lambda y, a, i, n: Diag(a[0]))
    )
    param = "W" if cell is simple_rnn else "W_f"
    assert not verify_gradient(cell(), param, T=3, method="random").equal


def test_activation_tables_keep_the_derived_relation():
    point = ModularPoint(random.Random(3))
    z = 123456789
    s = point.activation(sigmoid, z, 0)
    assert point.activation(sigmoid, z, 1) == s * (1 - s) % PRIME
    u = point.activation(tanh, z, 0)
    assert point.activation(tanh, z, 1) == (1 - u * u) % PRIME
    assert point.activation(ACTIVATIONS["identity"], z, 0) == z
    assert point.activation(ACTIVATIONS["identity"], z, 1) == 1


def test_residue_of_a_rational():
    assert residue(sympy.Rational(-3, 4)) * 4 % PRIME == PRIME - 3
    with pytest.raises(Exception, match="modulo a prime"):
        residue(sympy.pi)


def test_run_all_random_on_the_lstm():
    results = run_all(lstm(), T=4, method="random", numeric=False)
    assert results and all(r.equal for r in results)
    assert {r.method for r in results} == {"random"}
