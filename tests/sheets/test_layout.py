"""The answer key as a teacher hands it out: every version compiles with nothing past the
margin, and a tanh variant speaks of tanh only."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from symbrnn.sheets.compile import compile_seeded, overfull_boxes
from symbrnn.sheets.render import render_sheet
from symbrnn.sheets.spec import load_sheet, variant_sizes
from tests.conftest import DATA, need_program
from tests.sheets.test_sheet import _latexmk

VERSIONS = [
    (lang, answers, seed)
    for seed in (None, *range(1, 21))
    for lang in ("fr", "en")
    for answers in (True, False)
]
TOLERANCE = 1.0  # points: what the eye cannot see


def _overfull(layout, compiled):
    """The overfull boxes of every version of one layout (language, key or questions), each
    compile seeded with the previous version's .aux as ``sheet --variants`` does: a seeded
    pass ends the compile only at a fixed point, where it is the pass a fresh folder ends
    with, so its log is the one to read."""
    found, aux = [], None
    for version in (v for v in VERSIONS if v[:2] == layout):
        lang, answers, seed = version
        tex = render_sheet("td5", lang=lang, answers=answers, variant_seed=seed)
        _, log, aux = compile_seeded(tex, aux=aux) if aux else compiled(tex)
        found.append((version, [box for box in overfull_boxes(log) if box[0] > TOLERANCE]))
    return found


@pytest.mark.slow
def test_no_version_of_the_key_runs_past_the_margin(compiled):
    _latexmk()
    layouts = list(dict.fromkeys(version[:2] for version in VERSIONS))
    with ThreadPoolExecutor(2) as pool:  # each compile is a pdflatex process
        results = [
            found
            for layout in pool.map(_overfull, layouts, [compiled] * len(layouts))
            for found in layout
        ]
    assert len(results) == len(VERSIONS)
    wide = {version: boxes for version, boxes in results if boxes}
    assert not wide, wide


def test_the_log_parser_reads_overfull_boxes():
    log = (
        "Overfull \\hbox (94.03682pt too wide) detected at line 187\n"
        "Underfull \\hbox (badness 10000) in paragraph at lines 3--4\n"
        "Overfull \\vbox (3.0pt too high) has occurred while \\output is active\n"
    )
    assert [p for p, _ in overfull_boxes(log)] == [94.03682, 3.0]


def _sections(tex, first, last):
    return tex[tex.index(rf"\section*{{{first}.") : tex.index(rf"\section*{{{last}.")]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_tanh_variant_writes_tanh_prime_and_no_sigma_in_sections_II_and_III(lang):
    sheet = load_sheet("td5")
    seed = next(s for s in range(1, 50) if variant_sizes(sheet, s)["activation"] == "tanh")
    tex = render_sheet("td5", lang=lang, variant_seed=seed)
    part = _sections(tex, "II", "IV")
    assert r"\sigma" not in part and "sigmo" not in part.lower()
    assert r"\tanh'" in part


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_sigmoid_key_shows_the_sheet_model_and_tanh_labelled(lang):
    tex = render_sheet("td5", lang=lang)
    part = _sections(tex, "III", "IV")
    titles = re.findall(r"title=\{\$h_t = (\\\w+)\(W h_\{t-1\}\)\$\}", part)
    assert titles == [r"\sigma", r"\tanh"]
    assert "xmin=1" in part
    # each curve its own mark and dash, in black and white: ● and ⊗ looked alike
    cycle = re.search(r"cycle list=\{(.*?)\}, every axis plot", part).group(1)
    styles = re.findall(r"\{black(?:, ([\w ]+))?, mark=([\w*]+)", cycle)
    curves = part.count(r"\addplot") // len(titles)
    assert len(set(styles)) == len(styles) >= curves
    assert len({mark for _, mark in styles}) == len(styles)


def test_french_numbers_and_english_numbers():
    fr, en = render_sheet("td5", lang="fr"), render_sheet("td5", lang="en")
    assert r"17\,300" in fr and "0{,}8029" in fr
    assert "17{,}300" in en and "0.8029" in en


def test_the_key_has_a_marking_scheme_common_mistakes_code_and_references():
    from symbrnn.counts.params import recurrent_layer

    sheet = load_sheet("td5")
    marks = [q["points"] for s in sheet.data["sections"] for q in s["questions"]]
    fr = render_sheet("td5", lang="fr")
    # babel's French spaces the colon itself; the English key has none before it
    assert f"Barème: {sum(marks):g}~pt" in fr
    assert f"Marking scheme: {sum(marks):g}~pts" in render_sheet("td5", lang="en")
    for title in ("Erreurs fréquentes", "Code : les trois modèles", "Bibliographie"):
        assert rf"\section*{{{title}" in fr
    sizes = sheet.data["sizes"]
    n, d = sizes["units"][0], sizes["features"]
    torch_lstm = recurrent_layer("lstm", units=n, features=d, convention="pytorch").params
    assert torch_lstm == 4 * (n * d + n * n + 2 * n)  # independent closed form
    assert f"{torch_lstm:,}".replace(",", r"\,") in fr
    assert "Hochreiter" in fr and "Gers" in fr and "Pascanu" in fr
    questions = render_sheet("td5", lang="fr", answers=False)
    assert "Erreurs fréquentes" not in questions and "{(}1{,}5~pt{)}" in questions


def test_marks_must_be_numbers(tmp_path):
    import tomllib

    from symbrnn.errors import InputError

    source = (DATA / "mini_sheet.toml").read_text(encoding="utf-8")
    bad = source.replace('id = "1.1"', 'id = "1.1"\npoints = "lots"', 1)
    assert bad != source
    tomllib.loads(bad)
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError, match="points must be a number"):
        load_sheet(str(path))


@pytest.mark.parametrize("answers", [True, False], ids=["key", "questions"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_page_holds_a_single_line(tmp_path, lang, answers, compiled):
    import subprocess

    _latexmk()
    need_program("pdftotext", "poppler-utils")
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(compiled(render_sheet("td5", lang=lang, answers=answers))[0])
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for number, page in enumerate(text.split("\f")[:-1], start=1):
        lines = [line for line in page.splitlines() if line.strip() and line.strip() != str(number)]
        assert len(lines) >= 3, (number, lines)


@pytest.mark.parametrize("seed", [None, 2, 3])
def test_the_expansion_of_iii_1_is_one_display_that_never_breaks(seed):
    tex = render_sheet("td5", lang="fr", variant_seed=seed)
    part = tex[tex.index(r"\subsection*{III.1") : tex.index(r"\subsection*{III.2")]
    (display,) = re.findall(r"\\begin\{align\*\}(.*?)\\end\{align\*\}", part, re.S)
    rows = display.count(r"\\")
    assert rows >= 2 and display.count(r"\\*") == rows  # a row break never allows a page break
    assert r"\tag*{(III.1)}" in display
