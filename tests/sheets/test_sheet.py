"""Answer sheets: every question, both languages, deterministic, compiled by a real TeX engine."""

import re
import subprocess

import pytest

from symbrnn.errors import InputError
from symbrnn.sheets.compile import LatexError, compile_tex
from symbrnn.sheets.render import render_sheet
from symbrnn.sheets.spec import load_sheet, variant_sizes
from tests.conftest import DATA, need_program
from tests.processes import symbrnn

QUESTIONS = [
    "I.1",
    "I.2",
    "I.3",
    "I.4",
    "II.1",
    "II.2",
    "III.1",
    "III.2",
    "III.3",
    "III.4",
    "IV.1",
    "IV.2",
    "IV.3",
    "IV.4",
]


@pytest.fixture(scope="module")
def sheets():
    return {lang: render_sheet("td5", lang=lang) for lang in ("fr", "en")}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_question_in_order(sheets, lang):
    found = re.findall(r"\\subsection\*\{([IV]+\.\d)[}\\]", sheets[lang])
    assert found == QUESTIONS


def test_languages_differ_and_use_babel(sheets):
    assert r"\usepackage[french]{babel}" in sheets["fr"] and "Réponse" in sheets["fr"]
    assert r"\usepackage[english]{babel}" in sheets["en"] and "Answer" in sheets["en"]


def test_same_inputs_give_the_same_bytes(sheets):
    assert render_sheet("td5", lang="fr") == sheets["fr"]


def test_answers_carry_derived_formulas(sheets):
    tex = sheets["en"]
    assert r"\left[\operatorname{Diag}\left(\sigma'\right) W\right]^{2}" in tex  # III.1
    assert r"\operatorname{Diag}\left(\sigma'\left(A v\right)\right) A" in tex  # II.1
    assert r"\prod_{j=k + 1}^{t} \operatorname{Diag}\left(f_{j}\right)" in tex  # IV.2
    assert "reset\\_after=False" in tex and "52{,}200" in tex  # I.4, Keras 3 beside it
    assert r"\odot" in tex and r"\," in tex  # appendix: Hadamard and matrix product differ
    # IV.3: with f = 1 the product of Jacobians disappears from the gradient
    assert r"\frac{\partial L_{t}}{\partial c_{t}} \frac{\partial^{+} c_{k}}{\partial W_{f}}" in tex


def test_the_lstm_is_shown_with_the_biases_i3_counts(sheets):
    """IV's equations and pre-activations carry b_f, b_i, b_o, b_c: I.3 counts them."""
    section = sheets["fr"].split(r"\section*{IV.")[1][:3000]
    for gate in "fioc":
        assert rf"U_{{{gate}}} x_{{t}} + b_{{{gate}}}\right)" in section  # the equation
        assert (
            rf"a_{{{gate},t}} = W_{{{gate}}} h_{{t-1}} + U_{{{gate}}} x_{{t}} + b_{{{gate}}}$"
            in section
        )


def test_the_sources_header_on_the_key_and_the_question_sheet(sheets):
    assert r"\date{QARMA team -- LIS lab, Janvier 2025}" in sheets["fr"]
    assert r"\date{QARMA team -- LIS lab, January 2025}" in sheets["en"]
    assert "QARMA team -- LIS lab, Janvier 2025" in render_sheet("td5", answers=False)


def test_saturated_gates_are_a_limit_of_the_sigmoid(sheets):
    """IV.3: f_t = 1 is reached only in the limit a_{f,t} → +∞ (a sigmoid never equals 1)."""
    for lang, words in (("fr", "l'hypothèse est une limite"), ("en", "the hypothesis is a limit")):
        answer = sheets[lang].split(r"\subsection*{IV.3")[1].split(r"\subsection*{IV.4")[0]
        assert words in answer and r"a_{f,t} \to +\infty" in answer
        assert r"\sigma'(a_{f,k}) = 0" not in answer


def test_questions_alone():
    tex = render_sheet("td5", lang="fr", answers=False)
    assert "Réponse" not in tex and "Annexe" not in tex
    assert re.findall(r"\\subsection\*\{([IV]+\.\d)[}\\]", tex) == QUESTIONS


def test_variant_sizes_flow_into_the_tables():
    sheet = load_sheet("td5")
    sizes = variant_sizes(sheet, 7)
    assert sizes != sheet.data["sizes"]
    assert variant_sizes(sheet, 7) == sizes
    tex = render_sheet("td5", lang="en", answers=False, variant_seed=7)
    n, d = sizes["units"][0], sizes["features"]
    lstm_count = 4 * (n * d + n * n + n)  # independent closed form
    assert f"{lstm_count:,}" in tex  # the question table, as model.summary() prints it
    assert f"of {sizes['timesteps']} vectors of dimension {d}" in tex


def test_a_second_sheet_written_as_data():
    tex = render_sheet(str(DATA / "mini_sheet.toml"))
    assert r"\subsection*{1.1}" in tex
    assert r"\operatorname{Diag}\left(\tanh'\left(a_{t}\right)\right) W" in tex


def test_unknown_sheet_and_language():
    with pytest.raises(InputError, match=r"^unknown sheet 'td9'; built-in sheets: td5"):
        load_sheet("td9")
    with pytest.raises(InputError, match=r"^unknown language 'de'"):
        render_sheet("td5", lang="de")


def _latexmk():
    need_program(
        "latexmk",
        "texlive-latex-base texlive-latex-recommended texlive-pictures texlive-lang-french latexmk",
    )


@pytest.mark.parametrize(
    ("lang", "keys"),
    [
        (
            "fr",
            [
                "38 208",  # French typography: a thin space between thousands
                "150 408",
                "113 008",
                "51 900",
                "52 200",
                "0,8029",  # and a decimal comma
                "reset_after=False",
                "Diag",
                "Annexe",
            ],
        ),
        ("en", ["17,300", "69,200", "60,300", "Pascanu", "constant error carousel", "Appendix"]),
    ],
)
def test_pdf_compiles_and_holds_the_key_results(tmp_path, lang, keys, compiled):
    _latexmk()
    pdf = tmp_path / f"td5-{lang}.pdf"
    pdf.write_bytes(compiled(render_sheet("td5", lang=lang))[0])  # shared with test_layout
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flowing = " ".join(text.split())  # a phrase may break across lines
    for key in keys:
        assert key in text or key in flowing, key
    for q in QUESTIONS:
        assert q in text


def test_the_teachers_copy_compiles_with_its_verification(tmp_path):
    _latexmk()
    pdf = tmp_path / "td5-teacher.pdf"
    pdf.write_bytes(compile_tex(render_sheet("td5", lang="fr", teacher_notes=True)))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Vérification" in text and "SymPy" in text


def test_latex_error_names_the_line(tmp_path):
    _latexmk()
    tex = "\\documentclass{article}\n\\begin{document}\nfine\n\\undefinedmacro\n\\end{document}\n"
    with pytest.raises(
        LatexError, match=r"^LaTeX error in broken.tex, line 4: Undefined control sequence"
    ):
        compile_tex(tex, "broken.tex")


def test_cli_sheet_writes_tex(tmp_path):
    target = tmp_path / "td5.tex"
    result = symbrnn("sheet", "td5", "--lang", "en", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text().startswith("% Generated by symbrnn")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["td9"], "unknown sheet 'td9'"),
        (["td5", "-o", "x.pdf"], "-o needs a .tex file name"),
        (["nofile.toml"], "sheet file not found"),
    ],
)
def test_cli_sheet_bad_input(tmp_path, args, message):
    result = symbrnn("sheet", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_draw_standalone_compiles(tmp_path):
    _latexmk()
    target = tmp_path / "lstm.tex"
    drawn = symbrnn("draw", "cell", "--cell", "lstm", "--standalone", "-o", str(target))
    assert drawn.returncode == 0, drawn.stderr
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", target.name],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "lstm.pdf").exists()
