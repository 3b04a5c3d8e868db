"""Parameter counts of stacked recurrent models, derived from the cell declarations.

Every count is the sum of the sizes of the parameters a traced cell uses,
grouped by gate (the activation each parameter feeds), under the storage
rules of a framework:

- Keras: one bias per gate, except the GRU with ``reset_after=True`` that
  declares an input and a recurrent bias per gate (stored as ``(2, 3n)``);
- PyTorch: two bias vectors per gate set, ``bias_ih`` and ``bias_hh``; its
  GRU is the reset-after one.

>>> model = build_model("lstm", timesteps=5, features=3, units=[10], classes=2)
>>> [layer.params for layer in model.layers], model.total
([0, 560, 22], 582)
>>> model.layers[1].formula
'4 × (10·3 + 10·10 + 10)'
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

from symbrnn.engine.cell import Cell, Gate
from symbrnn.engine.cells import CELLS, RESET_AFTER, make_cell, takes
from symbrnn.errors import InputError

CONVENTIONS = ("keras", "pytorch")


def gates(cell: Cell) -> list[Gate]:
    """Group a cell's parameters by the activation (gate) they feed, each by its role
    (the engine's :attr:`Trace.gates`).

    >>> from symbrnn.engine.cells import lstm
    >>> [(g.name, g.recurrent) for g in gates(lstm())]
    [('f', ('W_f',)), ('i', ('W_i',)), ('o', ('W_o',)), ('c_tilde', ('W_c',))]
    """
    return cell.trace.gates


@dataclass
class Tensor:
    """One stored weight array: its name in the framework and its shape."""

    name: str
    shape: tuple[int, ...]

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@dataclass
class Layer:
    """One row of a model summary, with where its count comes from."""

    name: str
    type: str
    output_shape: tuple
    params: int
    formula: str
    symbolic: str = ""
    tensors: list[Tensor] = field(default_factory=list)
    matrices: list[tuple[str, str]] = field(default_factory=list)  # (W_f, "100×100")
    reset_after: bool | None = None
    convention: str = ""
    units: int | None = None
    features: int | None = None
    bidirectional: bool = False
    use_bias: bool = True
    merge_mode: str | None = None  # a Bidirectional reading: concat, or sum/ave/mul

    def as_json(self) -> dict:
        out = {
            "name": self.name,
            "type": self.type,
            "output_shape": list(self.output_shape),
            "params": self.params,
            "formula": self.formula,
            "formula_symbolic": self.symbolic,
            "weights": [
                {"name": t.name, "shape": list(t.shape), "size": t.size} for t in self.tensors
            ],
        }
        if self.reset_after is not None:
            out["reset_after"] = self.reset_after
        return out


@dataclass
class Model:
    convention: str
    layers: list[Layer]

    @property
    def total(self) -> int:
        return sum(layer.params for layer in self.layers)

    def _repr_html_(self) -> str:
        """The summary as a table, for a notebook: each layer's count and its formula."""
        from html import escape

        rows = "".join(
            f"<tr><td>{escape(layer.name)} ({escape(layer.type)})</td>"
            f"<td>{escape(str(layer.output_shape))}</td><td>{layer.params:,}</td>"
            f"<td>{escape(layer.formula)}</td></tr>"
            for layer in self.layers
        )
        return (
            "<table><thead><tr><th>layer</th><th>output shape</th><th>params</th>"
            f"<th>where it comes from ({escape(self.convention)})</th></tr></thead>"
            f"<tbody>{rows}<tr><td><b>total</b></td><td></td><td><b>{self.total:,}</b></td>"
            "<td></td></tr></tbody></table>"
        )

    def as_json(self) -> dict:
        return {
            "convention": self.convention,
            "layers": [layer.as_json() for layer in self.layers],
            "total": self.total,
            "trainable": self.total,
            "non_trainable": 0,
        }


def recurrent_layer(
    cell_name: str,
    *,
    units: int,
    features: int,
    convention: str = "keras",
    reset_after: bool = RESET_AFTER,
    return_sequences: bool = False,
    timesteps: int | None = None,
    bidirectional: bool = False,
    name: str | None = None,
    index: int = 0,
    use_bias: bool = True,
) -> Layer:
    """Count the parameters of one recurrent layer (n = units, d = features).

    >>> recurrent_layer("gru", units=10, features=3, reset_after=False).params
    420
    """
    _check_convention(convention)
    if convention == "pytorch":
        reset_after = True  # PyTorch's GRU applies the reset after the product
    cell, cell_gates = _cell_and_gates(cell_name, reset_after, use_bias)
    n, d = units, features
    # PyTorch stores two bias vectors for a gate that has a bias (bias_ih, bias_hh)
    biases = [
        (2 if g.biases else 0) if convention == "pytorch" else len(g.biases) for g in cell_gates
    ]
    counts, figures, symbols = zip(
        *(_gate_terms(g, k, n, d) for g, k in zip(cell_gates, biases, strict=True)), strict=True
    )
    formula, symbolic = _factor(figures), _factor(symbols)
    directions = 2 if bidirectional else 1
    width = n * directions
    if bidirectional:
        formula, symbolic = f"2 × [{formula}]", f"2 × [{symbolic}]"
    kind = CELLS.get(cell_name)  # a built-in cell's names in the frameworks, else its own
    if kind and kind.keras:  # a framework's own layer: its concatenated arrays
        tensors = _storage(convention, len(cell_gates), n, d, max(biases), index)
    else:  # a cell of the user's: each parameter as declared (PyTorch: two biases a gate)
        tensors = _declared_storage(cell, cell_gates, convention, n, d)
    if bidirectional:
        sides = ("forward", "backward")
        tensors = [Tensor(f"{t.name} ({side})", t.shape) for side in sides for t in tensors]
    return Layer(
        name=name or _layer_name(cell_name),
        type=_layer_type(cell_name, convention, bidirectional),
        output_shape=(None, timesteps, width) if return_sequences else (None, width),
        params=sum(counts) * directions,
        formula=formula,
        symbolic=symbolic,
        tensors=tensors,
        matrices=[(p.name, _dims(p.shape, n, d)) for p in cell.parameters],
        reset_after=reset_after if cell_name in takes("reset_after") else None,
        convention=convention,
        units=n,
        features=d,
        bidirectional=bidirectional,
        use_bias=use_bias,
    )


def _dims(shape: tuple[str, ...], n: int, d: int) -> str:
    """A parameter's shape in figures: ``100×72``."""
    return "×".join(str({"n": n, "d": d}[s]) for s in shape)


def _gate_terms(g: Gate, biases: int, n: int, d: int) -> tuple[int, str, str]:
    """One gate's count, its formula in figures and in symbols (n·d a kernel, n² a recurrent
    matrix, a vector of n each bias and each elementwise weight w ⊙ v)."""
    k = biases + len(g.elementwise)
    figures = [f"{n}·{d}"] * len(g.kernels) + [f"{n}·{n}"] * len(g.recurrent)
    symbols = ["n·d"] * len(g.kernels) + ["n²"] * len(g.recurrent)
    if k:
        figures.append(f"{k}·{n}" if k > 1 else f"{n}")
        symbols.append(f"{k}n" if k > 1 else "n")
    count = n * d * len(g.kernels) + n * n * len(g.recurrent) + n * k
    return count, " + ".join(figures), " + ".join(symbols)


def _layer_type(cell_name: str, convention: str, bidirectional: bool) -> str:
    """The layer's class in the framework (a built-in cell's name there, else the cell's own)."""
    kind = CELLS.get(cell_name)
    keras_type = (kind.keras if kind else None) or _user_cell_name(cell_name)
    if convention == "pytorch":
        torch_type = (kind.torch if kind else None) or keras_type
        return f"{torch_type}(bidirectional=True)" if bidirectional else torch_type
    return f"Bidirectional({keras_type})" if bidirectional else keras_type


@functools.lru_cache(maxsize=32)
def _cell_and_gates(cell_name: str, reset_after: bool, use_bias: bool = True):
    """A cell and its gates, traced once per process (summaries try many conventions);
    ``use_bias=False`` (Keras' option, PyTorch's ``bias=False``) drops every bias."""
    if cell_name not in takes("reset_after"):
        reset_after = None  # a reading of every convention: the option of the GRU only
    cell = make_cell(cell_name, reset_after=reset_after, bias=use_bias)
    return cell, gates(cell)


def _layer_name(cell_name: str) -> str:
    """How Keras names a layer of this cell: the registry's name, else the cell's own NAME."""
    kind = CELLS.get(cell_name)
    return (kind.keras_layer if kind else None) or _user_cell_name(cell_name)


def _user_cell_name(spec: str) -> str:
    """The NAME of a user cell FILE.py:NAME, as its layers are named."""
    return spec.rpartition(":")[2]


def _factor(terms: tuple[str, ...]) -> str:
    """'g × (term)' when every gate has the same terms, else the sum of the gates."""
    if len(set(terms)) == 1:
        return f"{len(terms)} × ({terms[0]})" if len(terms) > 1 else terms[0]
    return " + ".join(f"({t})" for t in terms)


def _storage(convention, g, n, d, biases, index) -> list[Tensor]:
    if convention == "keras":
        bias_shape = (g * n,) if biases == 1 else (biases, g * n)
        out = [Tensor("kernel", (d, g * n)), Tensor("recurrent_kernel", (n, g * n))]
        return out + ([Tensor("bias", bias_shape)] if biases else [])
    weights = [Tensor(f"weight_ih_l{index}", (g * n, d)), Tensor(f"weight_hh_l{index}", (g * n, n))]
    if not biases:  # bias=False
        return weights
    return [*weights, Tensor(f"bias_ih_l{index}", (g * n,)), Tensor(f"bias_hh_l{index}", (g * n,))]


def _declared_storage(cell: Cell, cell_gates, convention: str, n: int, d: int) -> list[Tensor]:
    """A user cell's parameters as they are declared, one array each; under PyTorch's
    convention a gate's biases are its two, ``<bias>_ih`` and ``<bias>_hh``."""
    dims = {"n": n, "d": d}
    counted = {p for g in cell_gates for p in g.parameters}
    out = []
    for p in cell.parameters:
        if p.name not in counted:
            continue
        shape = tuple(dims[s] for s in p.shape)
        if p.role != "bias" or convention != "pytorch":
            out.append(Tensor(p.name, shape))
        elif any(g.biases[:1] == (p.name,) for g in cell_gates):  # the gate's first bias
            out += [Tensor(f"{p.name}_ih", shape), Tensor(f"{p.name}_hh", shape)]
    return out


def dense_layer(*, units: int, features: int, name: str = "dense") -> Layer:
    """A fully connected head: K·d weights and K biases.

    >>> dense_layer(units=8, features=100).formula
    '8·100 + 8'
    """
    return Layer(
        name=name,
        type="Dense",
        output_shape=(None, units),
        params=units * features + units,
        formula=f"{units}·{features} + {units}",
        symbolic="K·d + K",
        tensors=[Tensor("kernel", (features, units)), Tensor("bias", (units,))],
        convention="any",
    )


def build_model(
    cell: str,
    *,
    timesteps: int,
    features: int,
    units: list[int],
    classes: int | None = None,
    convention: str = "keras",
    reset_after: bool = RESET_AFTER,
    bidirectional: bool = False,
) -> Model:
    """A stacked model: all recurrent layers but the last return sequences.

    >>> build_model("rnn", timesteps=5, features=3, units=[10, 10], classes=2).total
    372
    """
    _check_convention(convention)
    for label, value in (("timesteps", timesteps), ("features", features), ("classes", classes)):
        if value is not None and value <= 0:
            raise InputError.said("counts.error.positive", label=label, got=value)
    if not units:
        raise InputError.said("counts.error.no_units")
    for u in units:
        if u <= 0:
            raise InputError.said("counts.error.units", got=u)
    _cell_and_gates(cell, reset_after)  # an unknown name or a broken user cell: one line, first
    layers = [Layer("input", "InputLayer", (None, timesteps, features), 0, "0", "0")]
    base = "bidirectional" if bidirectional else _layer_name(cell)
    d = features
    for i, n in enumerate(units):
        layer = recurrent_layer(
            cell,
            units=n,
            features=d,
            convention=convention,
            reset_after=reset_after,
            return_sequences=i < len(units) - 1,
            timesteps=timesteps,
            bidirectional=bidirectional,
            name=f"{base}_{i}" if i else base,
            index=i,
        )
        layers.append(layer)
        d = layer.output_shape[-1]
    if classes:
        layers.append(dense_layer(units=classes, features=d))
    return Model(convention, layers)


def _check_convention(convention: str) -> None:
    if convention not in CONVENTIONS:
        raise InputError.said(
            "counts.error.convention", got=repr(convention), choices=", ".join(CONVENTIONS)
        )


def sheet_models(*, timesteps: int, features: int, units: list[int], classes: int) -> dict:
    """The models of a sheet's section I, one for each cell of the registry (the simple
    RNN, the LSTM, the GRU as the course's Keras builds it, reset_after=False…), by name.

    >>> sheet_models(timesteps=5, features=3, units=[10], classes=2)["rnn"].total
    162
    """
    return {
        cell: build_model(
            cell, timesteps=timesteps, features=features, units=list(units), classes=classes
        )
        for cell in CELLS
    }
