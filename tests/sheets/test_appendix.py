"""The latexify appendix: the cells' step functions with ⊙ for the Hadamard product, and
latexify left as it was found, even after concurrent calls (serve's threads)."""

import ast
import concurrent.futures

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
