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


@pytest.mark.parametrize(("lang", "seed"), [("fr", None), ("en", 2), ("fr", 2)])
def test_the_teachers_copy_says_exactly_what_was_proved(lang, seed):
    from symbrnn.sheets.spec import load_sheet, sheet_sizes

    teacher = render_sheet("td5", lang=lang, teacher_notes=True, variant_seed=seed)
    head = "Vérification" if lang == "fr" else "Check"
    part = teacher[teacher.index(rf"\section*{{{head}}}") :]
    part = part[: part.index(r"\section*", 10)]
    T = sheet_sizes(load_sheet("td5"), seed)["T"]
    assert f"$T = {T}$" in part  # the proof at this sheet's own T
    items = re.findall(r"\\item (.*)", part)
    assert len(items) >= 4
    for item in items:  # each checked formula by the number of the question that shows it
        assert re.match(r"(I|II|III|IV)\.\d", item), item
        assert f"_{{{T}}}" in item or r"\partial L}{\partial W}" in item
    assert "W_{f}}" not in " ".join(items)  # no check of a ∂L/∂W_f the key never shows
    assert part.count("SymPy") == 1  # one sentence per kind of proof
    probabilistic = "test probabiliste" if lang == "fr" else "probabilistic test"
    assert probabilistic in part
    assert ("Ne sont pas vérifiés" if lang == "fr" else "Not checked") in part
    assert "IV.2" in part and "III.4" in part
    assert "Toutes les formules" not in teacher and "Every formula in this" not in teacher
