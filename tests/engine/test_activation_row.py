"""A new activation is one row: registered at run time (GELU's tanh form, with √2 and π;
softsign, with |z|), every command, the checker and the web page accept it, and both
proofs pass with its derivative derived by SymPy."""

import json
from fractions import Fraction

import pytest
import sympy as sp

from symbrnn.cli import main
from symbrnn.engine.activations import ACTIVATIONS, Activation, register_activation

ROWS = {
    "gelu": Activation(
        "gelu",
        r"\operatorname{gelu}",
        "gelu",
        Fraction(113, 100),  # sup |gelu'| of the tanh form, rounded up
        spellings=("gelu", "GELU"),
        form=lambda z: (
            z / 2 * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (z + sp.Rational(447, 10000) * z**3)))
        ),
    ),
    "softsign": Activation(
        "softsign",
        r"\operatorname{softsign}",
        "softsign",
        Fraction(1),
        spellings=("softsign",),
        form=lambda z: z / (1 + sp.Abs(z)),
    ),
}


@pytest.fixture(params=list(ROWS))
def added(request):
    row = register_activation(ROWS[request.param])
    yield row.name
    ACTIVATIONS.pop(row.name)


@pytest.fixture
def run(capsys):
    """symbrnn in this process (where the activation was added), its exit code and output."""

    def invoke(*args):
        with pytest.raises(SystemExit) as stop:
            main(list(args))
        return stop.value.code, capsys.readouterr().out

    return invoke


def test_expand_verify_check_and_spectral_accept_it(added, run):
    code, out = run("expand", "--activation", added, "--T", "2")
    assert code == 0 and f"h_t = {added}(a_t)" in out
    for method in ("exact", "random"):
        code, out = run("verify", "--activation", added, "--T", "2", "--method", method)
        assert code == 0 and ", 0 failed" in out, out
    right = rf"\operatorname{{Diag}}(\operatorname{{{added}}}'(a_3)) W"
    code, out = run(
        "check", "--activation", added, "-q", "dh_3/dh_2", "-a", right, "--format", "json"
    )
    assert code == 0 and json.loads(out)["equivalent"]
    code, out = run(
        "check", "--activation", added, "-q", "dh_3/dh_2", "-a", "W", "--format", "json"
    )
    assert code == 1
    code, out = run("spectral", "--W", "[[0.5, 0.1], [0, 0.4]]", "--activation", added)
    assert code == 0 and f"γ = sup|{added}'|" in out


def test_its_derivative_is_derived_and_agrees_with_finite_differences(added):
    row = ACTIVATIONS[added]
    for z in (-1.3, 0.4, 2.0):
        h = 1e-6
        numeric = (
            float(row.sympy_form(sp.Float(z + h))) - float(row.sympy_form(sp.Float(z - h)))
        ) / (2 * h)
        assert abs(float(row.derivative(sp.Float(z))) - numeric) < 1e-6


def test_a_cell_file_that_registers_it_gets_params_expand_and_check(tmp_path, run):
    cell = tmp_path / "gelu_cell.py"
    cell.write_text(
        "import sympy\nfrom fractions import Fraction\n"
        "from symbrnn.engine.activations import Activation, register_activation\n"
        "gelu = register_activation(Activation('gelu2', r'\\operatorname{gelu2}', 'gelu2',"
        " Fraction(113, 100), spellings=('gelu2',), form=lambda z: z / 2 * (1 + sympy.tanh("
        "sympy.sqrt(2 / sympy.pi) * (z + sympy.Rational(447, 10000) * z**3)))))\n\n"
        "def cell(h_prev, x, W, U, b):\n    return gelu(W @ h_prev + U @ x + b)\n"
    )
    try:
        spec = f"{cell}:cell"
        code, out = run(
            "params", "--cell", spec, "--units", "10", "--features", "3", "--format", "json"
        )
        assert code == 0 and json.loads(out)["layers"][1]["params"] == 10 * 3 + 10 * 10 + 10
        code, out = run("expand", "--cell", spec, "--quantity", "dh/dh", "--T", "2")
        assert code == 0 and "gelu2" in out
        answer = r"\operatorname{Diag}(\operatorname{gelu2}'(a_{h,2})) W"
        code, out = run("check", "--cell", spec, "-q", "dh_2/dh_1", "-a", answer)
        assert code == 0, out
    finally:
        ACTIVATIONS.pop("gelu2", None)


def test_the_web_menus_offer_it(added):
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from symbrnn.web.app import create_app

    client = TestClient(create_app())
    assert f"<option>{added}</option>" in client.get("/check").text
    assert f"<option>{added}</option>" in client.get("/spectral").text
    answer = client.get("/api/expand", params={"activation": added, "T": "2"})
    assert answer.status_code == 200 and added in json.dumps(answer.json())


def test_a_piecewise_activation_is_checked_on_both_sides_of_its_breakpoints(run):
    """A hard sigmoid is linear on (−3, 3): an answer right on that piece alone (its slope
    1/6) is refused, since every other test point reaches past the row's breakpoints."""
    row = register_activation(
        Activation(
            "hardsig",
            r"\operatorname{hardsig}",
            "hardsig",
            Fraction(1, 6),
            spellings=("hardsig",),
            form=lambda z: sp.Piecewise(
                (0, z <= -3), (z / 6 + sp.Rational(1, 2), z < 3), (1, True)
            ),
            breakpoints=(Fraction(-3), Fraction(3)),
        )
    )
    try:
        right = r"\operatorname{Diag}(\operatorname{hardsig}'(a_3)) W"
        ask = ("check", "--activation", row.name, "-q", "dh_3/dh_2", "--format", "json")
        code, out = run(*ask, "-a", right)
        assert code == 0 and json.loads(out)["equivalent"]
        for wrong in (r"\frac{1}{6} W", "0"):  # the linear piece's; the saturations'
            code, out = run(*ask, "-a", wrong)
            assert code == 1 and not json.loads(out)["equivalent"], wrong
    finally:
        ACTIVATIONS.pop(row.name)
