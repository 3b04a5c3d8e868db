"""Results of section I (parameter counts, the cells, the drawings) for a sheet."""

from __future__ import annotations

import sympy as sp

from symbrnn.engine.activations import activation as lookup_activation
from symbrnn.engine.activations import tanh
from symbrnn.engine.cells import CELLS, RESET_AFTER, make_cell, simple_rnn, takes
from symbrnn.engine.matexpr import TimeVec
from symbrnn.printing.equations import LayerPrinter, equations, stacked_equations
from symbrnn.printing.latex import latex
from symbrnn.sheets.producers import producer, thousands
from symbrnn.sheets.producers import rnn_of as _rnn


def _sheet_cell(name: str, sizes, bias: bool = True):
    """A cell of the registry as a sheet shows it: a cell that takes an activation with the
    sheet's and no bias (section II's simple RNN); any other with its default options (the
    GRU of the counts, reset_after=False), with its biases unless ``bias=False``."""
    if "activation" in CELLS[name].options:
        return make_cell(name, activation=sizes["activation"], bias=False)
    return make_cell(name, bias=bias)


@producer(
    "cells",
    *CELLS,
    "gate_symbol gate_closed keras_rnn stacked stacked_input stacked_initial stacked_output",
)
def cells(sizes):
    """The declared equations of every cell of the registry, by name (the simple RNN the
    sheet's, the others with the biases their counts include), the gates' sigmoid in closed form (the gates of the LSTM and the GRU use σ
    whatever the simple RNN's activation), and I.1's model: Keras' SimpleRNN (tanh, with
    biases) as layer ℓ of the stack, its input, its initial state and the Dense head read
    by the last layer's last state."""
    sigmoid, s = lookup_activation("sigmoid"), sp.Symbol("s")  # z is the GRU's gate
    keras = simple_rnn(tanh, bias=True)  # Keras' SimpleRNN: tanh and a bias by default
    n, t = sp.Symbol("n"), sp.Symbol("t")
    model = all(k in sizes for k in ("units", "timesteps", "classes"))  # a sheet may have none
    output = ""
    if model:
        top, last = str(len(sizes["units"])), sizes["timesteps"]
        head = sp.MatrixSymbol("V", sizes["classes"], n) * TimeVec("h", last, n) + sp.MatrixSymbol(
            "b_y", sizes["classes"], 1
        )
        head_latex = LayerPrinter(top, only={"h"}).doprint(head)  # the last layer's h only
        output = rf"\hat y = \operatorname{{softmax}}\left({head_latex}\right)"
    return {
        **{name: equations(_sheet_cell(name, sizes), latex) for name in CELLS},
        "gate_symbol": sigmoid.latex,
        "gate_closed": sp.latex(sigmoid.sympy_form(s).rewrite(sp.exp)),
        "keras_rnn": tanh.latex,
        "stacked": stacked_equations(keras)[0],
        "stacked_input": f"{LayerPrinter('0').doprint(TimeVec('h', t, n))} = "
        f"{latex(TimeVec('x', t, n))}",
        "stacked_initial": LayerPrinter(r"\ell").doprint(TimeVec("h", 0, n)) + " = 0",
        "stacked_output": output,
    }


def _summary_table(rows, total: int) -> str:
    """The model as Keras prints it (the question's table, with its totals), in LaTeX, in
    English typography whatever the key's language (a printout: « Total params: », not
    « Total params : »). The appendix builds a ``keras.Sequential`` model, whose summary
    prints no InputLayer row: neither does this one."""
    from symbrnn.printing.escape import latex_escape

    rows = [r for r in rows if r["type"] != "InputLayer"]

    body = [
        r"\foreignlanguage{english}{\begin{tabular}{llr}",
        r"\multicolumn{3}{l}{Model: ``sequential''} \\",
        r"\hline",
        r"Layer (type) & Output Shape & Param \# \\",
        r"\hline",
    ]
    body += [
        f"{latex_escape(r['name'])} ({latex_escape(r['type'])}) & {r['shape']} & {r['keras']} \\\\"
        for r in rows
    ]
    body += [
        r"\hline",
        rf"\multicolumn{{3}}{{l}}{{Total params: {total:,}}} \\",
        rf"\multicolumn{{3}}{{l}}{{Trainable params: {total:,}}} \\",
        r"\multicolumn{3}{l}{Non-trainable params: 0} \\",
    ]
    return "\n".join([*body, r"\hline", r"\end{tabular}}"])


def _tex(formula: str, dot: str) -> str:
    """A count's formula in LaTeX: × as \\times, · as ``dot``."""
    return formula.replace("×", r"\times").replace("·", dot)


def _member(name: str, dims: str) -> str:
    """W_f ∈ R^{100×100} in LaTeX."""
    space = dims.replace("×", r" \times ")
    return f"{latex(sp.MatrixSymbol(name, 1, 1))} \\in \\mathbb{{R}}^{{{space}}}"


@producer("params", *CELLS)
def params(sizes):
    """Keras summaries (the questions' tables) and their explanations, for every cell of
    the registry (a cell that takes ``reset_after`` also counted with Keras 3's default)."""
    from symbrnn.counts.params import recurrent_layer, sheet_models
    from symbrnn.counts.report import model_latex

    out = {}
    models = sheet_models(
        timesteps=sizes["timesteps"],
        features=sizes["features"],
        units=sizes["units"],
        classes=sizes["classes"],
    )
    for cell, model in models.items():
        rows = []
        for layer in model.layers:
            rows.append(
                {
                    "name": layer.name,
                    "type": layer.type,
                    "shape": "("
                    + ", ".join("None" if s is None else str(s) for s in layer.output_shape)
                    + ")",
                    "params": thousands(layer.params, sizes),
                    "keras": f"{layer.params:,}",  # as model.summary() prints it
                    "formula": _tex(layer.formula, r"\cdot "),
                    "symbolic": _tex(layer.symbolic, r"\,").replace("²", "^2"),
                    "matrices": ", ".join(_member(name, dims) for name, dims in layer.matrices),
                }
            )
        entry = {
            "model": model,
            "rows": rows,
            "total": thousands(model.total, sizes),
            "table": model_latex(model),
            "question_table": _summary_table(rows, model.total),
        }
        if cell in takes("reset_after"):
            first = model.layers[1]
            k3 = recurrent_layer(cell, units=first.units, features=first.features, reset_after=True)
            entry["keras3"] = {
                "params": thousands(k3.params, sizes),
                "formula": _tex(k3.formula, r"\cdot "),
            }
        out[cell] = entry
    return out


@producer("drawings", "stacked", "unrolled", "unrolled_forward", *CELLS)
def drawings(sizes):
    """I.1: the stacked model, the unrolled network with the gradient paths; every cell of
    the registry, by name, without its biases (the GRU of the counts, reset_after=False)."""
    from symbrnn.counts.params import build_model
    from symbrnn.sheets.draw import stacked_tikz, unrolled_tikz
    from symbrnn.sheets.draw_flow import flow_tikz

    model = build_model(
        "rnn",
        timesteps=sizes["timesteps"],
        features=sizes["features"],
        units=list(sizes["units"]),
        classes=sizes["classes"],
    )
    return {
        "stacked": stacked_tikz(model, _rnn(sizes)),
        "unrolled": unrolled_tikz(_rnn(sizes), T=sizes["T"]),
        # the question sheet's: the forward graph alone (the gradient paths are II.2's answer)
        "unrolled_forward": unrolled_tikz(_rnn(sizes), T=sizes["T"], gradient=False),
        **{name: flow_tikz(_sheet_cell(name, sizes, bias=False)) for name in CELLS},
    }


@producer(
    "mistakes",
    "features second_layer_right second_layer_wrong rnn_no_bias rnn_first",
    "lstm_keras lstm_pytorch dense dense_every_step",
)
def mistakes(sizes):
    """The counts behind the common mistakes of section I, computed as each mistake does."""
    from symbrnn.counts.params import dense_layer, recurrent_layer

    n1, n2 = sizes["units"]
    d = sizes["features"]

    def count(cell, **kw):
        return recurrent_layer(cell, **kw).params

    rnn_first = count("rnn", units=n1, features=d)
    dense = dense_layer(units=sizes["classes"], features=n2).params
    return {
        "features": d,
        "second_layer_right": thousands(count("rnn", units=n2, features=n1), sizes),
        "second_layer_wrong": thousands(count("rnn", units=n2, features=d), sizes),
        "rnn_first": thousands(rnn_first, sizes),
        "rnn_no_bias": thousands(rnn_first - n1, sizes),  # the bias b forgotten
        "lstm_keras": thousands(count("lstm", units=n1, features=d), sizes),
        "lstm_pytorch": thousands(count("lstm", units=n1, features=d, convention="pytorch"), sizes),
        "dense": thousands(dense, sizes),
        # the head counted once per time step, as if it had weights of its own at each
        "dense_every_step": thousands(sizes["timesteps"] * dense, sizes),
    }


@producer("code", "keras", "pytorch")
def code(sizes):
    """Keras and PyTorch code that builds the models of section I at the sheet's sizes, one
    for each cell of the registry a framework ships (with the course's options)."""
    T, d, classes = sizes["timesteps"], sizes["features"], sizes["classes"]
    n1, n2 = sizes["units"]
    course = f'{{"reset_after": {RESET_AFTER}}}'  # the GRU's: the course's Keras
    pairs = [
        f"(layers.{c.keras}, {course if 'reset_after' in c.options else '{}'})"
        for c in CELLS.values()
        if c.keras
    ]
    keras = [
        "import keras",
        "from keras import layers",
        "",
        *_wrapped("for Cell, options in (", pairs, "):"),
        "    model = keras.Sequential([",
        f"        keras.Input(shape=({T}, {d})),",
        f"        Cell({n1}, return_sequences=True, **options),",
        f"        Cell({n2}, **options),",
        f'        layers.Dense({classes}, activation="softmax"),',
        "    ])",
        "    model.summary()",
    ]
    pytorch = [
        "import torch",
        "",
        *_wrapped(
            "for Cell in (", [f"torch.nn.{c.torch}" for c in CELLS.values() if c.torch], "):"
        ),
        f"    first = Cell({d}, {n1}, batch_first=True)",
        f"    second = Cell({n1}, {n2}, batch_first=True)",
        f"    dense = torch.nn.Linear({n2}, {classes})",
        "    for layer in (first, second, dense):",
        "        print(type(layer).__name__, sum(p.numel() for p in layer.parameters()))",
    ]
    return {"keras": "\n".join(keras), "pytorch": "\n".join(pytorch)}


def _wrapped(head: str, items: list[str], tail: str, width: int = 72) -> list[str]:
    """``head``, the items joined by commas, then ``tail``: lines of at most ``width``
    characters where they allow it, each continuation aligned under the first item.

    >>> _wrapped("f(", ["a", "b", "c"], ")", width=6)
    ['f(a,', '  b,', '  c)']
    """
    lines, line, empty = [], head, True
    for i, item in enumerate(items):
        text = item + (tail if i == len(items) - 1 else ",")
        if not empty and len(line) + 1 + len(text) > width:
            lines.append(line)
            line, empty = " " * len(head), True
        line, empty = line + ("" if empty else " ") + text, False
    return [*lines, line]
