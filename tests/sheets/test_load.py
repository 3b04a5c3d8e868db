"""A sheet loaded once into typed questions (issue 39): ``sheets.load`` and its records."""

import json
import tomllib

import pytest
from click.testing import CliRunner

from symbrnn import sheets
from symbrnn.cli import cli
from symbrnn.errors import InputError
from symbrnn.judge.question import Question
from symbrnn.sheets import sheet as sheet_module


def test_a_sheet_is_parsed_once_for_sheet_format_json(monkeypatch):
    sheet_module._SHEETS.clear()
    parsed = []
    loads = tomllib.loads
    monkeypatch.setattr(tomllib, "loads", lambda text: parsed.append(1) or loads(text))
    for _ in range(2):
        out = CliRunner().invoke(cli, ["sheet", "td5", "--variant-seed", "2", "--format", "json"])
        assert out.exit_code == 0, out.output
        assert json.loads(out.output)["T"] == 4
    assert len(parsed) == 1


def test_a_sheet_file_is_read_again_when_it_changes(tmp_path):
    source = sheets.load("td5").spec
    path = tmp_path / "mine.toml"
    text = (source_path := sheet_module._resolved("td5")).read_text(encoding="utf-8")
    assert source_path.name == "td5.toml"
    path.write_text(text, encoding="utf-8")
    first = sheets.load(str(path))
    assert sheets.load(str(path)) is first and first.spec.data == source.data
    path.write_text(text.replace('quantity = "dh_{T}/dh_1"', 'quantity = "dh_{T}/dh_2"'))
    import os

    os.utime(path, ns=(1, 1))  # another modification time, whatever the clock's resolution
    again = sheets.load(str(path))
    assert again is not first and again.question("III.2").quantity == "dh_3/dh_2"


def test_questions_are_records_at_each_variant():
    td5 = sheets.load("td5")
    assert list(td5.questions)[:2] == ["II.1", "II.2"]
    q = td5.question("IV.3", 4)
    assert isinstance(q, Question) and q is td5.question("IV.3", 4)
    assert (q.cell, q.paths, dict(q.hypothesis), q.variant_seed) == (
        "lstm",
        "direct",
        {"f": 1, "i": 0},
        4,
    )
    assert q.quantity == f"dc_{q.T}/dc_1" and td5.sizes(4)["T"] == q.T
    assert q.marks is not None and q.scheme(None)["correct"] == q.marks.correct > 0
    rnn = td5.question("III.1", 2)
    assert rnn.cell_options["activation"] == td5.sizes(2)["activation"]
    assert rnn.cell_options["bias"] is False


def test_an_unknown_sheet_or_question_is_one_input_error():
    with pytest.raises(InputError, match="unknown sheet"):
        sheets.load("../td5")
    with pytest.raises(InputError, match=r"question 'I\.1' has no check; checkable: II\.1"):
        sheets.load("td5").question("I.1")
