"""Reading pasted summaries: the sheet's markdown, Keras 2 ASCII, Keras 3 boxes."""

import pytest

from symbrnn.counts.report import explain_json
from symbrnn.counts.summary import explain_summary, parse_summary
from symbrnn.errors import SummaryParseError


def explain(text):
    return explain_json(explain_summary(text), text)


@pytest.mark.parametrize(
    ("fixture", "counts", "total"),
    [
        ("sheet_rnn.md", [0, 17300, 20100, 808], 38208),
        ("sheet_lstm.md", [0, 69200, 80400, 808], 150408),
        ("sheet_gru.md", [0, 51900, 60300, 808], 113008),
    ],
)
def test_sheet_tables_are_explained(data, fixture, counts, total):
    info = explain((data / fixture).read_text())
    assert [layer["params"] for layer in info["layers"]] == counts
    assert info["total"] == total == info["reported_total"]
    assert info["flagged"] == []
    assert info["convention"] == "keras"


def test_sheet_gru_is_keras_without_reset_after(data):
    info = explain((data / "sheet_gru.md").read_text())
    gru = info["layers"][1]
    assert gru["reset_after"] is False
    assert gru["keras3_default_params"] == 3 * (100 * 72 + 100 * 100 + 2 * 100)
    assert [r["convention"] for r in gru["readings"]] == ["keras"]


def test_keras2_ascii_summary(data):
    info = explain((data / "keras2_gru.txt").read_text())
    assert [layer["name"] for layer in info["layers"]] == ["gru", "gru_1", "dense"]
    assert all(layer["reset_after"] is False for layer in info["layers"][:2])
    assert info["layers"][0]["note"].startswith("input size inferred from the count")


def test_keras3_box_summary_with_separators(data):
    info = explain((data / "keras3_gru.txt").read_text())
    assert [layer["params"] for layer in info["layers"]] == [52200, 60600, 808]
    assert info["layers"][0]["reset_after"] is True
    assert info["reported_total"] == 113608 and info["total_matches"]


def test_functional_summary_with_bidirectional(data):
    info = explain((data / "keras2_lstm_functional.txt").read_text())
    bidi = info["layers"][2]
    assert bidi["explained"]
    assert bidi["readings"][0]["type"] == "Bidirectional(LSTM)"
    assert info["flagged"] == []


def test_wrong_count_is_flagged():
    text = "| input (InputLayer) | (None, 12, 72) | 0 |\n| lstm (LSTM) | (None, 100) | 69201 |"
    info = explain(text)
    assert info["flagged"] == ["lstm"]
    assert "69,201 is not produced by any convention" in info["layers"][1]["note"]


def test_reported_total_mismatch_is_noticed():
    text = "| dense (Dense) | (None, 8) | 808 |\n| Total params: 900 | | |"
    assert explain(text)["total_matches"] is False


def test_unknown_layer_with_parameters_is_flagged():
    info = explain("| conv (Conv1D) | (None, 10, 4) | 52 |")
    assert info["flagged"] == ["conv"]


@pytest.mark.parametrize("text", ["", "hello world", "| a | b | c |", "Total params: 12"])
def test_garbled_summary_is_refused(text):
    with pytest.raises(SummaryParseError, match=r"^no layer rows found in the summary"):
        parse_summary(text)


def _readings(text):
    from symbrnn.counts.report import explain_json
    from symbrnn.counts.summary import explain_summary

    return explain_json(explain_summary(text), text)["layers"]


def test_a_bidirectional_sum_is_read_with_n_units_and_a_concat_with_2n():
    summed = _readings(
        "| input (InputLayer) | (None, 5, 6) | 0 |\n| b (Bidirectional) | (None, 10) | 1,360 |"
    )
    readings = summed[1]["readings"]
    assert [r.get("merge_mode") for r in readings] == ["sum/ave/mul"]
    assert readings[0]["params"] == 2 * 4 * (10 * 6 + 10 * 10 + 10)  # n = 10, d = 6
    concat = _readings(
        "| input (InputLayer) | (None, 5, 6) | 0 |\n| b (Bidirectional) | (None, 20) | 1,360 |"
    )
    assert [r.get("merge_mode") for r in concat[1]["readings"]] == ["concat"]


def test_without_an_input_size_every_reading_that_fits_is_listed():
    layers = _readings("| b (Bidirectional) | (None, 10) | 1,360 |")
    fits = {(r.get("merge_mode"), r["formula"]) for r in layers[0]["readings"]}
    assert ("sum/ave/mul", "2 × [4 × (10·6 + 10·10 + 10)]") in fits  # the true reading
    assert any(m == "concat" for m, _ in fits)  # n = 5, d = 28 fits too
    assert "several readings" in layers[0]["note"]


def test_use_bias_false_is_read_as_such_and_said_once():
    layers = _readings(
        "| input (InputLayer) | (None, 5, 6) | 0 |\n| lstm (LSTM) | (None, 10) | 640 |"
    )
    readings = layers[1]["readings"]
    assert len(readings) == 1 and readings[0]["use_bias"] is False
    assert readings[0]["params"] == 4 * (10 * 6 + 10 * 10)
    assert (
        "keras3_default_params"
        not in _readings(
            "| input (InputLayer) | (None, 5, 6) | 0 |\n| gru (GRU) | (None, 8) | 3 × 0 |".replace(
                "3 × 0", "336"
            )
        )[1]
    )


def test_a_summary_without_param_column_is_computed_not_read_as_zero():
    text = "Layer (type)  Output Shape\n input_1 (InputLayer) (None, 5, 6)\n lstm (LSTM) (None, 10)\n dense (Dense) (None, 3)"
    layers = _readings(text)
    assert [layer["params"] for layer in layers] == [0, 4 * (10 * 6 + 10 * 10 + 10), 3 * 10 + 3]
    assert all("computed" in layer["note"] for layer in layers[1:])


def test_the_keras3_aside_names_the_input_size_of_its_reading():
    from symbrnn.counts.report import explain_text
    from symbrnn.counts.summary import explain_summary

    text = "| gru (GRU) | (None, 5, 10) | 420 |"
    out = explain_text(explain_summary(text), text)
    line = next(x for x in out.splitlines() if "reset_after=False:" in x)
    d = int(line.split("(10·")[1].split(" ")[0])
    assert f"with the same d = {d}, Keras 3's default" in out
