"""Parameter roles read from the trace: counts, storage, drawings and the checker read them,
never a name or a shape."""

import re

import pytest

from symbrnn import Cell, sigmoid, tanh
from symbrnn.counts.params import recurrent_layer
from symbrnn.engine.cells import gru, lstm, simple_rnn
from symbrnn.errors import SymbrnnError
from symbrnn.sheets.draw import cell_tikz, stacked_tikz, unrolled_tikz


def _indrnn(h_prev, x, w, U, b):
    return sigmoid(w * h_prev + U @ x + b)


def _linear(h_prev, x, W, U):  # no activation, no bias
    return W @ h_prev + U @ x


def _shared(h_prev, x, W, U, c0):  # one W in two gates; a bias not named b
    f = sigmoid(W @ h_prev + U @ x + c0)
    g = tanh(W @ h_prev + U @ x)
    return f * g


def _coupled(h_prev, c_prev, x, W_f, U_f, b_f, W_c, U_c, b_c, W_o, U_o, b_o):
    f = sigmoid(W_f @ h_prev + U_f @ x + b_f)
    c_tilde = tanh(W_c @ h_prev + U_c @ x + b_c)
    c = f * c_prev + (1 - f) * c_tilde  # the input gate coupled to the forget gate
    o = sigmoid(W_o @ h_prev + U_o @ x + b_o)
    return o * tanh(c), c


def _peephole(h_prev, c_prev, x, W_f, U_f, P_f, W_i, U_i, P_i, W_o, U_o, P_o, W_c, U_c):
    f = sigmoid(W_f @ h_prev + U_f @ x + P_f * c_prev)
    i = sigmoid(W_i @ h_prev + U_i @ x + P_i * c_prev)
    c_tilde = tanh(W_c @ h_prev + U_c @ x)
    c = f * c_prev + i * c_tilde
    o = sigmoid(W_o @ h_prev + U_o @ x + P_o * c)
    return o * tanh(c), c


CELLS = {
    "indrnn": Cell("indrnn", _indrnn),
    "linear": Cell("linear", _linear),
    "shared": Cell("shared", _shared),
    "coupled": Cell("coupled", _coupled, states=("h", "c")),
    "peephole": Cell("peephole", _peephole, states=("h", "c")),
}


def test_roles_come_from_how_the_step_uses_each_parameter():
    roles = {p.name: p.role for p in CELLS["indrnn"].parameters}
    assert roles == {"w": "elementwise", "U": "input_kernel", "b": "bias"}
    assert {p.name: p.role for p in CELLS["shared"].parameters}["c0"] == "bias"
    peephole = {p.name: p.role for p in CELLS["peephole"].parameters}
    assert peephole["P_f"] == "elementwise" and peephole["W_c"] == "recurrent_kernel"
    assert CELLS["peephole"].trace.operand_reads("P_f") == {"c"}


@pytest.mark.parametrize("name", list(CELLS))
@pytest.mark.parametrize("n, d", [(10, 3), (7, 11)])
def test_the_count_is_every_declared_parameter_once_and_stored_as_much(monkeypatch, name, n, d):
    from symbrnn.counts import params

    cell = CELLS[name]
    monkeypatch.setattr(params, "_cell_and_gates", lambda *_: (cell, cell.trace.gates))
    monkeypatch.setattr(params, "make_cell", lambda *a, **k: cell)
    layer = recurrent_layer(name, units=n, features=d)
    declared = sum(p.size(n, d) for p in cell.parameters)  # brute force: the sizes, each once
    assert layer.params == declared
    assert sum(t.size for t in layer.tensors) == layer.params
    assert {t.name for t in layer.tensors} == {p.name for p in cell.parameters}


@pytest.mark.parametrize(
    "cell", [simple_rnn(), lstm(), gru(reset_after=False), gru(reset_after=True)]
)
def test_a_keras_cell_counts_its_declared_parameters(cell):
    name = {"rnn": "rnn", "lstm": "lstm"}.get(cell.name, "gru")
    reset_after = getattr(cell, "description", "").endswith("(reset_after=True)")
    layer = recurrent_layer(name, units=9, features=4, reset_after=reset_after)
    assert layer.params == sum(p.size(9, 4) for p in cell.parameters)
    assert sum(t.size for t in layer.tensors) == layer.params


def test_without_bias_drops_what_is_a_bias_whatever_its_name():
    kept = Cell("shared", _shared, bias=False)
    assert [p.name for p in kept.parameters] == ["W", "U"]
    indrnn = Cell("indrnn", _indrnn, bias=False)
    assert [p.name for p in indrnn.parameters] == ["w", "U"]  # w is a weight, not a bias


def test_drawings_show_the_cells_own_parameters_never_an_invented_w():
    from symbrnn.counts.params import Layer, Model

    tex = unrolled_tikz(CELLS["indrnn"], T=2)
    assert "{$w$}" in tex and "{$W$}" not in tex and "{$U$}" in tex
    model = Model(
        "keras",
        [
            Layer("input", "InputLayer", (None, 5, 3), 0, "0"),
            Layer("indrnn", "indrnn", (None, 10), 50, "", units=10, features=3),
        ],
    )
    stacked = stacked_tikz(model, CELLS["indrnn"])
    assert r"w^{(1)} \in \mathbb{R}^{10}" in stacked and "W^{(1)}" not in stacked
    assert "b^{(1)}" in stacked
    assert "b^{(1)}" not in stacked_tikz(model, CELLS["linear"])  # no bias drawn where none is


def test_a_gated_cell_s_drawings_name_every_parameter_of_each_edge():
    """The LSTM's stacked model labels its edges with W_f, W_i, W_o, W_c (as W_{f,i,o,c}),
    not with the forget gate's alone."""
    import re

    from symbrnn.counts.params import build_model
    from symbrnn.engine.cells import lstm

    cell = lstm()
    model = build_model("lstm", timesteps=4, features=3, units=[5], classes=2)
    for tex in (stacked_tikz(model, cell), unrolled_tikz(cell, T=2)):
        for stem, role in (("W", "recurrent_kernel"), ("U", "input_kernel")):
            labels = re.findall(stem + r"_\{([a-z,]+)\}", tex)
            assert labels, tex
            named = {sub for label in labels for sub in label.split(",")}
            declared = {p.name.split("_")[1] for p in cell.parameters if p.role == role}
            assert named == declared
    assert r"W_{f,i,o,c}^{(1)} \in \mathbb{R}^{5\times 5}" in stacked_tikz(model, cell)


def test_the_checker_never_calls_a_weight_a_missing_bias():
    from symbrnn.judge.check import check_answer

    verdict = check_answer(CELLS["indrnn"], "dh_2/dh_1", "0")
    assert verdict.outcome == "not_equivalent"
    assert "BIAS_MISSING" not in verdict.answer_notes
    # the diagnosis may name w as a factor of the key (0 for Diag(σ′) Diag(w)), never as a bias
    assert verdict.diagnosis
    assert not any("bias" in d and re.search(r"\bw\b", d) for d in verdict.diagnosis)


def test_a_parameter_in_two_roles_is_one_line():
    def twice(h_prev, x, w, U):
        return sigmoid(w * h_prev + U @ x + w)

    with pytest.raises(SymbrnnError, match="w is used both as an elementwise weight and as a bias"):
        _ = Cell("twice", twice).parameters


@pytest.mark.parametrize(
    "cell", [*CELLS.values(), lstm(), gru(), simple_rnn()], ids=lambda c: c.name
)
def test_a_cell_s_graph_names_every_parameter_and_no_edge_crosses_a_node(cell):
    from symbrnn.printing.names import latex_name
    from symbrnn.sheets.draw import _between

    tex = cell_tikz(cell)
    shown = set(re.findall(r"\{\$([^$]*)\$\}", tex))  # edge labels and node labels
    shown |= set(re.findall(r"below:\$([^$]*)\$", tex))  # the biases under their node
    names = {part.strip() for label in shown for part in label.split(",")}
    declared = {latex_name(p.name) for p in cell.parameters}
    assert declared <= names, declared - names
    nodes = {
        m[0]: (float(m[1]), float(m[2]))
        for m in re.findall(r"\((n\d+)\) at \(([-\d.]+),([-\d.]+)\)", tex)
    }
    for a, b in re.findall(r"\\draw\[->\] \((n\d+)\) --.*?\((n\d+)\);", tex):
        assert not any(_between(nodes[a], p, nodes[b]) for p in nodes.values()), (a, b)
