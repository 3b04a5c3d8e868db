"""The LSTM cell drawn as teachers draw it, from its declaration."""

import re

from symbrnn.engine.activations import sigmoid, tanh
from symbrnn.engine.cell import Cell
from symbrnn.engine.cells import gru, lstm, simple_rnn
from symbrnn.sheets.draw import cell_tikz
from symbrnn.sheets.draw_flow import flow_tikz


def _nodes(tex, style):
    return [
        (float(x), float(y), label)
        for x, y, label in re.findall(
            rf"\\node\[{style}\] \(\w+\) at \(([\d.]+),([\d.]+)\) \{{\$?(.*?)\$?\}};", tex
        )
    ]


def test_the_lstm_gates_in_a_row_and_the_cell_state_on_top():
    tex = flow_tikz(lstm(bias=False))
    gates = sorted(_nodes(tex, "gate"))
    assert [g[2] for g in gates] == [r"\sigma", r"\sigma", r"\tanh", r"\sigma"]  # f, i, c̃, o
    top = sorted(n for n in _nodes(tex, "op") if n[1] == 2.6)
    assert [n[2] for n in top] == [r"\odot", "+"]  # c_{t-1} → ⊙ f_t → + → c_t
    acts = _nodes(tex, "act")
    assert [a[2] for a in acts] == [r"\tanh"]  # tanh(c_t) on the way to h_t
    assert re.search(r"\(outc\) at \([\d.]+,2.6\) \{\$c_\{t\}\$\}", tex)
    assert re.search(r"\(outh\) at \([\d.]+,1.9\) \{\$h_\{t\}\$\}", tex)
    labels = re.findall(r"anchor=west\] at \([\d.]+,1.0\) \{\$(.*?)\$\}", tex)
    assert labels == ["f_{t}", "i_{t}", r"\tilde{c}_{t}", "o_{t}"]
    positions = [(x, y) for x, y, _ in _nodes(tex, "op") + _nodes(tex, "act")]
    assert len(positions) == len(set(positions))  # no two nodes on one spot
    assert "-0.5" not in tex  # every gate reads h_{t-1} and x_t: one bus


def test_another_declaration_draws_another_picture():
    def no_forget(h_prev, c_prev, x, W_i, U_i, W_o, U_o, W_c, U_c):
        i = sigmoid(W_i @ h_prev + U_i @ x)
        o = sigmoid(W_o @ h_prev + U_o @ x)
        c_tilde = tanh(W_c @ h_prev + U_c @ x)
        c = c_prev + i * c_tilde
        h = o * tanh(c)
        return h, c

    tex = flow_tikz(Cell("lstm1997", no_forget, states=("h", "c")))
    assert len(_nodes(tex, "gate")) == 3
    assert [n[2] for n in sorted(_nodes(tex, "op")) if n[1] == 2.6] == ["+"]


def test_a_cell_without_gates_falls_back_to_its_graph():
    cell = simple_rnn()
    assert flow_tikz(cell) == cell_tikz(cell)


def test_the_gru_reset_gate_feeds_its_candidate_and_h_runs_on_top():
    tex = flow_tikz(gru(reset_after=False, bias=False))
    gates = sorted(_nodes(tex, "gate"))
    assert [g[2] for g in gates] == [r"\sigma", r"\sigma", r"\tanh"]  # z, r, h̃
    row = sorted(n for n in _nodes(tex, "op") if n[1] == 1.0)
    assert [n[2] for n in row] == [r"\odot"]  # r_t ⊙ h_{t-1}, in the gates' row
    assert gates[1][0] < row[0][0] < gates[2][0]  # between the gate it reads and h̃_t
    assert re.search(r"\(m0\) -- \(g3\)", tex)  # ... and it feeds h̃_t
    assert re.search(r"\(g2\) -- \(m0\)", tex)  # it reads r_t from its left
    assert re.search(r"\([\d.]+,0\) -- \(m0\.south\)", tex)  # and h_{t-1} from its line
    # h_{t-1} alone into r_t ⊙, x_t joining after it: h̃_t reads x_t from the x line only,
    # and the h line stops at r_t ⊙ (it does not run under h̃_t)
    assert re.search(r"\([\d.]+,-0\.5\) -- \(g3\.south\)", tex)
    assert not re.search(r"\([\d.]+,0\) -- \(g3\.south\)", tex)
    h_end = float(re.search(r"\(ph\.south\) \|- \(([\d.]+),0\)", tex)[1])
    assert h_end < gates[2][0]
    # z_t and r_t read both: from the x line through a dot on the h line
    for gate in ("g1", "g2"):
        assert re.search(rf"\\fill \(([\d.]+),0\) circle.*\(\1,-0\.5\) -- \({gate}\.south\)", tex)
    assert "(ph) -- (m0)" not in tex  # not by a diagonal from the top line
    top = sorted(n for n in _nodes(tex, "op") if n[1] == 2.6)
    assert [n[2] for n in top] == [r"\odot", "+"]  # h_{t-1} → ⊙ z_t → + → h_t
    assert [a[2] for a in _nodes(tex, "act")] == [r"\mathbf{1}-"]  # 𝟏 − z_t
    assert re.search(r"\(outh\) at \([\d.]+,2.6\)", tex)
    positions = [(x, y) for x, y, _ in _nodes(tex, "op") + _nodes(tex, "act") + gates]
    assert len(positions) == len(set(positions))


def test_the_unrolled_stacked_model_starts_from_each_layers_h0():
    from symbrnn.counts.params import build_model
    from symbrnn.sheets.draw import stacked_tikz

    model = build_model("rnn", timesteps=6, features=3, units=[4, 5], classes=2)
    tex = stacked_tikz(model, simple_rnn())
    for layer in (1, 2):
        assert re.search(rf"\(u{layer}0\) at .*\{{\$h\^\{{\({layer}\)\}}_\{{0\}}\$\}}", tex)
        assert f"(u{layer}0) -- (u{layer}1)" in tex  # h_0 feeds the first step
