"""I.1's stacked model: the cell's own equations, each name carrying its layer."""

import re

import pytest

from symbrnn.engine.activations import tanh
from symbrnn.engine.cells import gru, lstm, simple_rnn
from symbrnn.engine.derive import Derivation
from symbrnn.printing.equations import stacked_equations
from symbrnn.printing.latex import latex


def _inlined(cell):
    """The states' equations with the named quantities written out (independently)."""
    pairs = Derivation(cell).definitions(declared_only=True)
    named = {lhs: rhs for lhs, rhs in pairs if str(lhs.name) not in cell.states}
    out = []
    for lhs, rhs in pairs:
        if str(lhs.name) in cell.states:
            for _ in range(len(named)):
                rhs = rhs.xreplace(named)
            out.append(f"{latex(lhs)} = {latex(rhs)}")
    return out


@pytest.mark.parametrize(
    "cell", [simple_rnn(tanh), simple_rnn(bias=False), lstm(), gru(reset_after=False)]
)
def test_the_layer_only_decorates_the_cells_equations(cell):
    layered = stacked_equations(cell)
    plain = [
        re.sub(r"\^\{\(\\ell\)\}", "", eq).replace(r"h^{(\ell-1)}_{t}", "x_{t}") for eq in layered
    ]
    assert plain == _inlined(cell)
    assert all(r"^{(\ell)}" in eq for eq in layered)
    assert all("x_" not in eq for eq in layered)


def test_the_key_writes_the_stacked_model_with_its_head():
    from symbrnn.sheets.render import render_sheet
    from symbrnn.sheets.spec import load_sheet

    sizes = load_sheet("td5").data["sizes"]
    tex = render_sheet("td5", lang="fr")
    part = tex[tex.index(r"\subsection*{I.1") : tex.index(r"\subsection*{I.2")]
    assert stacked_equations(simple_rnn(tanh))[0] in part
    top, last = len(sizes["units"]), sizes["timesteps"]
    assert rf"\operatorname{{softmax}}\left(V h^{{({top})}}_{{{last}}} + b_{{y}}\right)" in part
    assert r"h^{(0)}_{t} = x_{t}" in part and r"h^{(\ell)}_{0} = 0" in part
