"""Parameter counts: the sheet's tables, a grid against closed forms, PyTorch's numel()."""

import itertools

import pytest

from symbrnn.counts.params import build_model, gates, recurrent_layer
from symbrnn.engine.cells import CELLS, gru, lstm, simple_rnn
from symbrnn.errors import InputError
from tests.conftest import require

SHEET = {
    # cell, reset_after: (layer counts, total) as printed on the exercise sheet
    ("rnn", True): ([0, 17300, 20100, 808], 38208),
    ("lstm", True): ([0, 69200, 80400, 808], 150408),
    ("gru", False): ([0, 51900, 60300, 808], 113008),
}


@pytest.mark.parametrize(("cell", "reset_after"), list(SHEET))
def test_sheet_tables_come_out_of_the_options(cell, reset_after):
    model = build_model(
        cell, timesteps=12, features=72, units=[100, 100], classes=8, reset_after=reset_after
    )
    counts, total = SHEET[cell, reset_after]
    assert [layer.params for layer in model.layers] == counts
    assert model.total == total
    assert model.layers[1].output_shape == (None, 12, 100)
    assert model.layers[2].output_shape == (None, 100)


def closed_form(cell, n, d, convention, reset_after):
    """Independent textbook formulas (not using the cell declarations)."""
    g = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    biases = 1
    if convention == "pytorch" or (cell == "gru" and reset_after):
        biases = 2
    return g * (n * d + n * n + biases * n)


GRID = list(
    itertools.product(
        ["rnn", "lstm", "gru"], [1, 3, 17, 100], [1, 5, 72], ["keras", "pytorch"], [True, False]
    )
)


@pytest.mark.parametrize(("cell", "n", "d", "convention", "reset_after"), GRID)
def test_grid_against_closed_form(cell, n, d, convention, reset_after):
    layer = recurrent_layer(
        cell, units=n, features=d, convention=convention, reset_after=reset_after
    )
    assert layer.params == closed_form(cell, n, d, convention, reset_after)
    assert sum(t.size for t in layer.tensors) == layer.params


def test_bidirectional_doubles_and_concatenates():
    model = build_model("lstm", timesteps=5, features=7, units=[4, 3], bidirectional=True)
    assert model.layers[1].params == 2 * closed_form("lstm", 4, 7, "keras", True)
    assert model.layers[2].params == 2 * closed_form("lstm", 3, 8, "keras", True)
    assert model.layers[2].output_shape == (None, 6)


def test_gates_are_read_from_the_declarations():
    assert [g.name for g in gates(lstm())] == ["f", "i", "o", "c_tilde"]
    assert [g.name for g in gates(gru(reset_after=False))] == ["z", "r", "h_tilde"]
    assert [len(g.biases) for g in gates(gru(reset_after=True))] == [2, 2, 2]
    assert [g.name for g in gates(simple_rnn())] == ["h"]


def test_formula_names_gates_and_sizes():
    layer = recurrent_layer("lstm", units=100, features=72)
    assert layer.formula == "4 × (100·72 + 100·100 + 100)"
    assert layer.symbolic == "4 × (n·d + n² + n)"
    gru_k3 = recurrent_layer("gru", units=100, features=72, reset_after=True)
    assert gru_k3.formula == "3 × (100·72 + 100·100 + 2·100)"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        # the library names its own parameters; the command line spells them as flags
        ({"units": [0]}, r"^units must hold positive integers, got 0$"),
        ({"units": [-3]}, r"^units must hold positive integers, got -3$"),
        ({"units": []}, r"^units needs at least one layer size"),
        ({"features": 0}, r"^features must be a positive integer, got 0$"),
        (
            {"cell": "transformer"},
            rf"^unknown cell 'transformer'; choose one of: {', '.join(CELLS)}$",
        ),
        ({"convention": "jax"}, r"^unknown convention 'jax'"),
    ],
)
def test_bad_sizes_are_refused(kwargs, message):
    args = {"cell": "rnn", "timesteps": 12, "features": 72, "units": [100]} | kwargs
    cell = args.pop("cell")
    with pytest.raises(InputError, match=message):
        build_model(cell, **args)


@pytest.mark.parametrize(
    ("cell", "n", "d"), itertools.product(["rnn", "lstm", "gru"], [1, 4, 100], [1, 9, 72])
)
def test_pytorch_numel(cell, n, d):
    torch = require("torch")
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](
        d, n, num_layers=2
    )
    expected = sum(p.numel() for p in module.parameters())
    model = build_model(cell, timesteps=3, features=d, units=[n, n], convention="pytorch")
    assert model.total == expected
    names = {name: tuple(p.shape) for name, p in module.named_parameters()}
    ours = {t.name: t.shape for layer in model.layers for t in layer.tensors}
    assert ours == names
