"""The latexify appendix: the cells' step functions with ⊙ for the Hadamard product, and
latexify left as it was found, even after concurrent calls (serve's threads)."""

import ast
import concurrent.futures

import numpy as np
import pytest

from symbrnn.engine.cells import gru, lstm, simple_rnn
from symbrnn.sheets.appendix import step_latex


def _latexify_rules():
    from latexify.codegen import expression_codegen, expression_rules

    return (
        expression_rules.BIN_OP_RULES[ast.Mult],
        expression_rules.BIN_OP_RULES[ast.MatMult],
        expression_rules._PRECEDENCES[ast.Mult],
        expression_codegen.ExpressionCodegen.visit_BinOp,
    )


def test_the_hadamard_product_is_odot_and_the_matrix_product_a_thin_space():
    out = step_latex(gru(reset_after=False))
    assert r"\odot" in out and r"\, " in out
    assert r"\odot" not in step_latex(simple_rnn())


def test_concurrent_calls_agree_and_leave_latexify_as_found():
    import latexify

    before = _latexify_rules()
    cells = [lstm(), gru(reset_after=False), simple_rnn()] * 8
    alone = [step_latex(c) for c in cells]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        together = list(pool.map(step_latex, cells))
    assert together == alone
    assert _latexify_rules() == before

    # latexify itself, called after: its own rules (the product is not ⊙)
    def f(a, b):
        return a * b

    assert r"\odot" not in str(latexify.function(f))


def test_a_tanh_variant_shows_its_simple_rnn_with_tanh_in_the_appendix():
    import re

    from symbrnn.sheets.render import render_sheet
    from symbrnn.sheets.spec import load_sheet, variant_sizes

    sheet = load_sheet("td5")
    seed = next(s for s in range(1, 50) if variant_sizes(sheet, s)["activation"] == "tanh")
    for variant, act, glyph in ((seed, "tanh", r"\tanh"), (None, "sigmoid", r"\sigma")):
        tex = render_sheet("td5", lang="en", variant_seed=variant)
        rnn = tex[tex.index("def rnn(") : tex.index("def lstm(")]
        assert f"h = {act}(a)" in rnn
        assert re.search(r"h_\{t\} &\\gets " + re.escape(glyph) + r"\b", rnn)


def test_the_keras_printouts_are_those_of_the_appendixs_sequential_model():
    """One convention everywhere: the appendix builds keras.Sequential, whose summary has
    no InputLayer row; the questions' tables print what that code prints."""
    from symbrnn.sheets.render import render_sheet

    tex = render_sheet("td5", answers=True)
    assert "keras.Sequential([" in tex and "Model: ``sequential" in tex
    assert "InputLayer" not in tex


def _verbatim_blocks(tex: str, first_line: str) -> list[str]:
    """The verbatim blocks of the rendered key whose first line starts with ``first_line``."""
    import re

    blocks = re.findall(r"\\begin\{verbatim\}\n(.*?)\\end\{verbatim\}", tex, re.S)
    return [b for b in blocks if b.startswith(first_line)]


@pytest.mark.parametrize("seed", [None, 2, 7])
def test_the_appendixs_numpy_script_reproduces_the_keys_L_and_gradient(seed, tmp_path):
    """The script printed in the key, run by this Python with NumPy, gives the engine's L
    and ∇_W L of III.2 at the variant's numbers, activation and T."""
    import ast
    import subprocess
    import sys

    from symbrnn.numeric.evaluate import evaluate_spec
    from symbrnn.sheets.render import render_sheet
    from symbrnn.sheets.results_gradients import example_case
    from symbrnn.sheets.spec import load_sheet, sheet_sizes

    tex = render_sheet("td5", lang="fr", variant_seed=seed)
    (script,) = _verbatim_blocks(tex, "import numpy")
    assert len(script.splitlines()) <= 16  # a short script, not a program
    assert "Vérifier III.2 avec NumPy" in tex and "reproduit $L$ et $\\nabla_W L$" in tex
    path = tmp_path / "check.py"
    path.write_text(script, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True
    )
    printed = dict(line.split(" = ", 1) for line in run.stdout.splitlines())
    sizes = sheet_sizes(load_sheet("td5"), seed)
    engine = evaluate_spec(example_case(sizes))
    assert float(printed["L"]) == pytest.approx(engine["L"], abs=1e-9)
    assert np.allclose(ast.literal_eval(printed["grad_W L"]), engine["grad"]["W"], atol=1e-9)
    assert np.shape(engine["grad"]["W"]) == (2, 2)


def test_a_wrong_derivative_in_the_script_is_caught():
    """The comparison can fail: the script with φ' replaced by φ gives another gradient."""
    from symbrnn.numeric.evaluate import evaluate_spec
    from symbrnn.sheets.results_gradients import example_case
    from symbrnn.sheets.results_scripts import numpy_script
    from symbrnn.sheets.spec import load_sheet

    example = example_case(load_sheet("td5").data["sizes"])
    script = numpy_script(example).replace("e = delta * dphi(", "e = delta * phi(")
    scope: dict = {}
    exec(compile(script.replace("print(", "(lambda *a: a)("), "check", "exec"), scope)  # our text
    assert not np.allclose(scope["gW"], evaluate_spec(example)["grad"]["W"], atol=1e-9)


def test_the_exercises_commands_redraw_the_figure_of_III_4(tmp_path):
    """III.4's exercise: the commands printed in the key run, write their plots, and compute
    the figure's curves (one command per panel, the sheet's activation first)."""
    import json
    import re
    import shlex
    import subprocess
    import sys

    from symbrnn.sheets.render import render_sheet

    students = render_sheet("td5", lang="en")  # the students' key names no tool
    assert "Exercise: predict the vanishing gradient" in students
    assert "symbrnn spectral" not in students and "changing the NumPy script" in students
    tex = render_sheet("td5", lang="en", teacher_notes=True)
    (block,) = _verbatim_blocks(tex, "symbrnn spectral")
    commands = [shlex.split(c.replace("\\\n", " ")) for c in block.strip().split("\n\n")]
    end = tex.index(r"\label{fig:spectral}")
    figure = tex[tex.rindex(r"\begin{figure}", 0, end) : end]
    panels = figure.split(r"\begin{tikzpicture}")[1:]
    assert len(commands) == len(panels) == 2
    for argv, panel in zip(commands, panels, strict=True):
        assert argv[:2] == ["symbrnn", "spectral"]
        run = subprocess.run(
            [sys.executable, "-m", "symbrnn", *argv[1:], "--format", "json"],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
        )
        assert run.returncode == 0, run.stderr
        assert (tmp_path / argv[argv.index("--plot") + 1]).stat().st_size > 0
        drawn = [
            [float(v) for v in re.findall(r"\(\d+,([^)]+)\)", coords)]
            for coords in re.findall(r"coordinates \{([^}]*)\}", panel)
        ]
        computed = [report["norms"] for report in json.loads(run.stdout)]
        assert len(drawn) == len(computed) == 4
        for ours, theirs in zip(drawn, computed, strict=True):
            assert np.allclose(ours, np.maximum(theirs, 1e-300), rtol=1e-3)


def test_an_extra_marked_appendix_follows_the_cells_and_a_wrong_flag_is_one_line(tmp_path):
    from symbrnn.errors import InputError
    from symbrnn.sheets.render import render_sheet
    from tests.sheets.test_hostile_sheets import MINI

    def sheet(flag: str) -> str:
        path = tmp_path / "extras.toml"
        path.write_text(
            MINI
            + "\n[[extras]]\ntitle = 'Before'\ntext = 'one'\n"
            + f"\n[[extras]]\n{flag}\ntitle = 'After'\ntext = 'two'\n",
            encoding="utf-8",
        )
        return str(path)

    tex = render_sheet(sheet("appendix = true"), lang="en")
    appendix = tex.index(r"\section*{" + "Appendix")
    assert tex.index(r"\section*{Before}") < appendix < tex.index(r"\subsection*{After}")
    assert r"\section*{After}" not in tex
    with pytest.raises(InputError, match=r"\[\[extras\]\] appendix is true or false"):
        render_sheet(sheet("appendix = 'yes'"), lang="en")
