"""The students' key speaks of the mathematics; what was checked, and how, is the teacher's."""

import re

import pytest

from symbrnn.sheets.render import render_sheet

TOOL_WORDS = re.compile(r"SymPy|symbrnn|sympy|latexify|Vérification|vérifiée|\bCheck\b")


def _visible(tex: str) -> str:
    """The text a reader sees: LaTeX comments dropped."""
    return "\n".join(line for line in tex.splitlines() if not line.lstrip().startswith("%"))


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("seed", [None, 2])
def test_the_students_key_names_no_tool(lang, seed):
    key = _visible(render_sheet("td5", lang=lang, variant_seed=seed))
    assert not TOOL_WORDS.findall(key), TOOL_WORDS.findall(key)[:5]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_teachers_copy_carries_the_verification(lang):
    teacher = render_sheet("td5", lang=lang, teacher_notes=True)
    assert ("Vérification" if lang == "fr" else "Check") in teacher
    assert "SymPy" in teacher
    # the teacher's copy adds notes: the mathematics of the key is unchanged around them
    key = render_sheet("td5", lang=lang)
    assert len(teacher) > len(key)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sigma_is_defined_where_the_gates_use_it_in_a_tanh_variant(lang):
    import sympy as sp

    from symbrnn.engine.activations import activation

    key = render_sheet("td5", lang=lang, variant_seed=2)  # variant 2: the RNN uses tanh
    s = sp.Symbol("s")
    closed = sp.latex(activation("sigmoid").sympy_form(s).rewrite(sp.exp))
    assert key.count(rf"\sigma(s) = {closed}") >= 2  # the GRU of I.4 and the LSTM of IV
