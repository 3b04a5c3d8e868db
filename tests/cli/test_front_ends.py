"""Thin front ends: one library call per command, one ``emit`` keyed by the result's type,
help summaries that end at a sentence's end, every terminal line in ``--lang``."""

import importlib
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from symbrnn.cli import cli
from symbrnn.cli.emit import FORMATTERS, emit, formatter_of
from tests.processes import symbrnn

ROOT = Path(__file__).resolve().parents[2]


def run(*args, stdin=""):
    return symbrnn(*args, stdin=stdin, cwd=ROOT)


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_summary_ends_at_a_sentence_end(name):
    summary = cli.commands[name].get_short_help_str(limit=45)
    assert summary.endswith("."), summary
    assert not summary.endswith("..."), summary


@pytest.mark.parametrize("width", [60, 80, 100])
def test_the_groups_help_cuts_no_summary(width):
    result = CliRunner().invoke(cli, ["--help"], terminal_width=width)
    assert result.exit_code == 0
    commands = result.output.split("Commands:")[1]
    assert "..." not in commands
    listed = {line.split()[0] for line in commands.splitlines() if line[2:3].strip()}
    assert listed == set(cli.commands)


def test_every_type_of_the_registry_exists_and_has_a_formatter_per_format():
    for dotted, by_format in FORMATTERS.items():
        module, _, name = dotted.rpartition(".")
        assert isinstance(getattr(importlib.import_module(module), name), type), dotted
        assert by_format and set(by_format) <= {"text", "json", "latex", "csv"}, dotted


def test_emit_finds_the_formatter_by_type_and_refuses_what_it_does_not_know(capsys):
    from symbrnn.counts.params import build_model

    model = build_model("gru", timesteps=3, features=4, units=[5], classes=None)
    emit(model, "json")
    assert json.loads(capsys.readouterr().out)["total"] == model.total
    emit(model, "latex")
    assert r"\begin{tabular}" in capsys.readouterr().out
    with pytest.raises(TypeError, match="no formatter"):
        formatter_of(object(), "text")


def test_the_commands_are_library_calls_usable_from_python():
    from symbrnn.counts.explained import explain
    from symbrnn.engine.cells import simple_rnn
    from symbrnn.engine.derived import expand
    from symbrnn.sheets.checking import check
    from symbrnn.sheets.picture import draw

    assert check("W", "dh_2/dh_1", activation="identity").outcome == "equivalent"
    assert check("W W", "dh_2/dh_1", activation="identity").outcome == "not_equivalent"
    sheet_verdict = check(
        r"\prod_{j=2}^{3} \operatorname{Diag}(\sigma'(a_j)) W", sheet="td5", question="III.2"
    )
    assert sheet_verdict.outcome == "equivalent"
    derived = expand(simple_rnn(), "dL/dW", 3)
    assert len(list(derived.expansion.iter_terms())) == 6  # one per 1 ≤ k ≤ t ≤ 3
    assert draw("unrolled", T=4, standalone=True).startswith(r"\documentclass")
    summary = (ROOT / "examples" / "summary.md").read_text(encoding="utf-8")
    assert explain(summary).explained


def _forward_loss(example, activation):
    """The oracle: ½ Σ_t ‖h_t − y_t‖² by a plain NumPy forward pass."""
    phi = {"sigmoid": lambda a: 1 / (1 + np.exp(-a)), "tanh": np.tanh}[activation]
    W, U = np.array(example["W"]), np.array(example["U"])
    h, loss = np.array(example["h0"], dtype=float), 0.0
    for x, y in zip(example["x"], example["y"], strict=True):
        h = phi(W @ h + U @ np.array(x))
        loss += 0.5 * float(np.sum((h - np.array(y)) ** 2))
    return loss


@pytest.mark.parametrize("seed", [3, 8])
def test_evaluate_reads_the_json_of_a_sheets_variant(seed):
    printed = run("sheet", "td5", "--variant-seed", str(seed), "--format", "json")
    assert printed.returncode == 0, printed.stderr
    data = json.loads(printed.stdout)
    result = run("evaluate", "-", stdin=printed.stdout)
    assert result.returncode == 0, result.stderr
    T, example = data["sizes"]["T"], data["sizes"]["example"]
    cut = example | {"x": example["x"][:T], "y": example["y"][:T]}
    expected = _forward_loss(cut, data["sizes"]["activation"])
    assert json.loads(result.stdout)["L"] == pytest.approx(expected, rel=1e-9)


def test_a_sheets_json_without_a_numeric_example_is_one_line():
    data = {"sheet": "mine", "variant_seed": 1, "sizes": {"T": 3}, "questions": []}
    result = run("evaluate", "-", stdin=json.dumps(data))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "sizes.example" in result.stderr


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        ("fr", ["réponses :", "juste", "écrit :"], ["answers:", "wrote ", "(s)"]),
        ("en", ["answers:", "correct", "wrote "], ["réponses", "écrit"]),
    ],
)
def test_grade_says_its_summary_in_its_language(tmp_path, lang, said, not_said):
    report = tmp_path / "report.csv"
    result = run("grade", "examples/answers.csv", "--lang", lang, "--jobs", "1", "-o", str(report))
    assert result.returncode == 0, result.stderr
    for words in said:
        assert words in result.stderr
    for words in not_said:
        assert words not in result.stderr
    assert report.exists()
