"""Cells carry their names and options: one registry row, read by the CLI, a class CSV,
the web page's menus and a sheet's check; the library names its own options and each
front end spells them its way."""

import dataclasses
import subprocess
import sys

import pytest
from starlette.testclient import TestClient

from symbrnn.engine.cells import CELLS, builtin, chosen_options, make_cell, takes
from symbrnn.errors import InputError, flag
from symbrnn.judge.grade import grade_rows


@pytest.mark.parametrize(
    ("written", "name"),
    [("rnn", "rnn"), ("SimpleRNN", "rnn"), ("simple_rnn", "rnn"), ("LSTM", "lstm"), ("Gru", "gru")],
)
def test_a_cell_answers_to_its_framework_names(written, name):
    assert builtin(written).name == name
    assert make_cell(written) is make_cell(name)  # one traced cell per set of options


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("lstm", {"activation": "tanh"}, "activation applies to rnn, not to lstm"),
        ("rnn", {"reset_after": True}, "reset_after applies to gru, not to rnn"),
        ("lstm", {"reset_after": True}, "reset_after applies to gru, not to lstm"),
    ],
)
def test_an_option_the_cell_does_not_take_is_refused(name, options, message):
    with pytest.raises(InputError) as caught:
        make_cell(name, **options)
    assert str(caught.value) == message
    option = next(iter(options))
    assert caught.value.speak(flag) == message.replace(option, flag(option), 1)


def test_an_option_at_its_default_is_accepted_by_every_cell():
    for name in CELLS:
        assert make_cell(name, reset_after=False, activation=None, bias=True).trace


def test_the_options_of_a_row_are_read_as_text():
    chosen = chosen_options({"cell": "GRU", "bias": "non", "reset_after": "oui"})
    assert chosen == {"cell": "gru", "activation": None, "bias": False, "reset_after": True}
    assert chosen_options({"cell": ""}, base={"cell": "lstm"})["cell"] == "lstm"
    with pytest.raises(InputError, match="bias is true or false, got 'maybe'"):
        chosen_options({"bias": "maybe"})


def test_a_class_csv_names_a_cell_and_its_options():
    rows = [
        {"student": "a", "quantity": "dh_2/dh_1", "answer": "I", "cell": "GRU"},
        {"student": "b", "quantity": "dh_2/dh_1", "answer": "I", "cell": "gru", "reset_after": "1"},
        {
            "student": "c",
            "quantity": "dh_2/dh_1",
            "answer": "I",
            "cell": "lstm",
            "reset_after": "1",
        },
    ]
    a, b, c = grade_rows(rows, jobs=1)
    assert a.cell == b.cell == "gru" and a.status == b.status == "wrong"
    assert a.expected != b.expected  # the two Keras conventions of the GRU
    assert c.status == "malformed" and "reset_after applies to gru" in c.diagnosis


def test_the_web_menus_and_requests_read_the_registry():
    from symbrnn.web.app import cells, create_app

    assert cells() == {c.name: c.options for c in CELLS.values()}
    client = TestClient(create_app())
    page = client.get("/check?lang=en").text
    assert all(f"<option>{name}</option>" in page for name in CELLS)
    assert 'id="reset_after"' in page
    ask = {"quantity": "dh_2/dh_1", "answer": "I", "cell": "gru"}
    before = client.post("/api/check", json=ask).json()["expected"]
    after = client.post("/api/check", json=ask | {"reset_after": True}).json()["expected"]
    assert before != after
    refused = client.post("/api/check", json=ask | {"cell": "lstm", "reset_after": True})
    assert refused.status_code == 400
    assert refused.json()["error"] == "reset_after applies to gru, not to lstm"


def test_each_front_end_spells_the_library_s_options():
    from symbrnn.web.app import create_app

    client = TestClient(create_app())
    ask = {"quantity": "dh_2/dh_1", "answer": "W", "cell": "rnn", "reset_after": True}
    web = client.post("/api/check", json=ask | {"lang": "en"}).json()["error"]
    assert web.startswith("reset_after applies to gru") and "--" not in web and "⟨" not in web
    cli = subprocess.run(
        [sys.executable, "-m", "symbrnn", "check", "-q", "dh_2/dh_1", "--reset-after", "-a", "W"],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 2
    assert "--reset-after applies to gru" in cli.stderr and "⟨" not in cli.stderr


def test_a_cell_added_to_the_registry_is_offered_everywhere(monkeypatch):
    """A new built-in is one row: make_cell, the options, the web menus and the counts."""
    from symbrnn.counts import params
    from symbrnn.web.app import cells

    row = dataclasses.replace(
        CELLS["rnn"], name="elman", keras="ElmanRNN", keras_layer="elman", torch="RNN"
    )
    monkeypatch.setitem(CELLS, "elman", row)
    assert builtin("ElmanRNN") is row and "elman" in takes("activation")
    assert make_cell("elman", activation="tanh").description == "simple RNN (tanh)"
    assert cells()["elman"] == ("activation", "bias")
    assert params.recurrent_layer("elman", units=3, features=2).params == 3 * (2 + 3 + 1)


@pytest.mark.parametrize(
    ("check", "accepted"),
    [
        ('{ cell = "GRU", reset_after = true, quantity = "dh_2/dh_1" }', True),
        ('{ cell = "lstm", activation = "tanh", quantity = "dh_2/dh_1" }', False),
        ('{ cell = "elman", quantity = "dh_2/dh_1" }', False),
    ],
)
def test_a_sheet_s_check_names_a_cell_the_registry_has_and_its_options(tmp_path, check, accepted):
    from pathlib import Path

    from symbrnn.sheets.questions import question_check

    mini = (Path(__file__).parents[1] / "data" / "mini_sheet.toml").read_text(encoding="utf-8")
    path = tmp_path / "sheet.toml"
    path.write_text(mini + f"check = {check}\n", encoding="utf-8")
    if accepted:
        assert question_check(str(path), "1.1")["cell"] == "gru"
    else:
        with pytest.raises(
            InputError, match=r"question 1\.1.*check: (activation applies|unknown cell)"
        ):
            question_check(str(path), "1.1")


def test_a_cell_no_framework_ships_needs_no_framework_names(monkeypatch):
    """A row without Keras or PyTorch names: it answers to its own name, its layers take
    that name, and it is counted as its parameters are declared, in both conventions."""
    from symbrnn.counts import params
    from symbrnn.engine.cells import BuiltinCell, simple_rnn

    row = BuiltinCell("plain", lambda bias=True: simple_rnn(bias=bias), ("bias",))
    monkeypatch.setitem(CELLS, "plain", row)
    assert row.names == ("plain",) and builtin("PLAIN") is row
    for convention in ("keras", "pytorch"):
        layer = params.recurrent_layer("plain", units=3, features=2, convention=convention)
        assert layer.type == "plain" and layer.name == "plain"
        assert layer.params == 3 * (2 + 3) + 3 * (2 if convention == "pytorch" else 1)
    model = params.build_model("plain", timesteps=4, features=2, units=[3, 3], classes=2)
    assert [layer.name for layer in model.layers[1:3]] == ["plain", "plain_1"]
