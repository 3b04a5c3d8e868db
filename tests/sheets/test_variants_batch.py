"""A class's sheets in one command: one file per seed, the assistants' table, shared results."""

import subprocess

import pytest

from symbrnn.errors import InputError
from symbrnn.sheets.batch import parse_seeds, variant_row
from symbrnn.sheets.render import render_sheet
from symbrnn.sheets.spec import load_sheet
from tests.conftest import need_program
from tests.processes import symbrnn


def _run(*args, cwd=None):
    return symbrnn(*args, cwd=cwd)


def test_seeds_are_read_as_ranges_and_lists():
    assert parse_seeds("1-3,7,2") == [1, 2, 3, 7]
    for bad in ("", "3-1", "a", "1-99999999999", "0-5000"):
        with pytest.raises(InputError):
            parse_seeds(bad)


def test_one_file_per_seed_each_the_same_as_its_own_sheet(tmp_path):
    result = _run("sheet", "td5", "--variants", "2-4", "--no-answers", "-o", str(tmp_path / "c"))
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in (tmp_path / "c").iterdir())
    assert files == [
        "td5-fr-questions-0002.tex",
        "td5-fr-questions-0003.tex",
        "td5-fr-questions-0004.tex",
        "variants.html",
    ]
    # results shared between variants change nothing: the sheet alone is byte-identical
    alone = render_sheet("td5", answers=False, variant_seed=3)
    assert (tmp_path / "c" / "td5-fr-questions-0003.tex").read_text() == alone
    assert "3)" in alone.split("\\maketitle")[0]  # the seed in the sheet's header


def test_the_assistants_table_has_each_variants_numbers(tmp_path):
    from symbrnn.numeric.evaluate import evaluate_spec

    spec = load_sheet("td5")
    row = variant_row(spec, 2)
    sizes = __import__("symbrnn.sheets.spec", fromlist=["x"]).sheet_sizes(spec, 2)
    case = dict(sizes["example"]) | {"T": sizes["T"], "activation": sizes["activation"]}
    case |= {"x": case["x"][: sizes["T"]], "y": case["y"][: sizes["T"]]}
    assert row["L"] == f"{float(evaluate_spec(case)['L']):.4f}"
    assert row["T"] == sizes["T"] and row["activation"] == sizes["activation"]
    assert row["params rnn"].count(" + ") == len(sizes["units"])  # per layer, then the total
    assert row["terms"] == sizes["T"] * (sizes["T"] + 1) // 2


def test_the_assistants_page_speaks_the_sheets_language_and_links_each_sheet_and_key(tmp_path):
    from symbrnn.sheets.batch import write_variants

    write_variants(
        "td5", [2, 3], tmp_path, lang="fr", answers=False, pdf=False, jobs=1, with_keys=True
    )
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [
        "td5-fr-0002.tex",
        "td5-fr-0003.tex",
        "td5-fr-questions-0002.tex",
        "td5-fr-questions-0003.tex",
        "variants.html",
    ]
    page = (tmp_path / "variants.html").read_text(encoding="utf-8")
    assert '<a href="td5-fr-questions-0002.tex">' in page and '<a href="td5-fr-0003.tex">' in page
    assert "graine" in page and "corrigé" in page and "seed" not in page
    L = variant_row(load_sheet("td5"), 2, "fr")["L"]
    assert "," in L and "." not in L and f"<td>{L}</td>" in page  # a French decimal comma
    assert "par couche" in page and "Keras 3" in page
    assert (tmp_path / "td5-fr-0002.tex").read_text() == render_sheet("td5", variant_seed=2)


def test_a_sheet_without_variants_or_a_file_for_a_folder_is_one_line(tmp_path):
    result = _run("sheet", "examples/my-sheet.toml", "--variants", "1-2", "-o", str(tmp_path / "x"))
    assert result.returncode == 2 and "no [variants]" in result.stderr
    target = tmp_path / "file.tex"
    target.write_text("")
    result = _run("sheet", "td5", "--variants", "1", "-o", str(target))
    assert result.returncode == 2 and "folder" in result.stderr


def test_the_pdfs_of_a_class_are_compiled(tmp_path):
    need_program(
        "pdflatex",
        "texlive-latex-base texlive-latex-recommended texlive-pictures texlive-lang-french latexmk",
    )
    result = _run(
        "sheet",
        "td5",
        "--variants",
        "5-6",
        "--no-answers",
        "--pdf",
        "--jobs",
        "2",
        "-o",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    for seed in (5, 6):
        pdf = tmp_path / f"td5-fr-questions-000{seed}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")


def test_with_keys_on_the_command_line_writes_each_key_beside_its_sheet(tmp_path):
    folder = tmp_path / "class"
    args = ["sheet", "td5", "--variants", "2-3", "--no-answers", "--with-keys", "-o", str(folder)]
    result = _run(*args)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "td5-fr-0002.tex",
        "td5-fr-0003.tex",
        "td5-fr-questions-0002.tex",
        "td5-fr-questions-0003.tex",
        "variants.html",
    ]
    assert (folder / "td5-fr-0003.tex").read_text() == render_sheet("td5", variant_seed=3)
    assert '<a href="td5-fr-0002.tex">' in (folder / "variants.html").read_text()
    # without --variants there is no class to give keys to: one line, exit 2
    alone = _run("sheet", "td5", "--with-keys", "-o", str(tmp_path / "one.tex"))
    assert alone.returncode == 2 and "--variants" in alone.stderr
    assert "Traceback" not in alone.stderr and not (tmp_path / "one.tex").exists()


def test_each_variant_draws_its_own_numeric_example_and_the_key_derives_from_it():
    from symbrnn.numeric.evaluate import evaluate_spec
    from symbrnn.sheets.results_gradients import example_case
    from symbrnn.sheets.spec import sheet_sizes

    spec = load_sheet("td5")
    source = spec.data["sizes"]["example"]
    assert sheet_sizes(spec, None)["example"] == source  # the sheet alone: the source's numbers
    drawn = [sheet_sizes(spec, seed)["example"] for seed in range(1, 9)]
    assert len({repr(e["W"]) for e in drawn}) == 8  # neighbours cannot copy III.2's numbers
    for example in drawn:
        assert example["h0"] == source["h0"]
        for name in ("W", "U", "x", "y"):  # the same shapes, each number a tenth in its range
            low, high = spec.data["variants"]["example"][name]
            assert len(example[name]) == len(source[name])
            for row, row0 in zip(example[name], source[name], strict=True):
                assert len(row) == len(row0)
                assert all(low <= round(10 * v) <= high and v == round(10 * v) / 10 for v in row)
    sizes = sheet_sizes(spec, 5)
    key = render_sheet("td5", lang="en", variant_seed=5)
    answer = key.split(r"\subsection*{III.2")[1].split(r"\subsection*{III.3")[0]
    L = float(evaluate_spec(example_case(sizes))["L"])
    assert f"$L = {L:.4f}$" in answer  # derived by the engine from the drawn numbers
    W = sizes["example"]["W"]
    assert " & ".join(f"{v:g}" for v in W[0]) in answer  # the drawn W, printed


def test_the_table_of_values_is_a_plain_array():
    answer = render_sheet("td5", lang="en").split(r"\subsection*{III.2")[1]
    table = answer[answer.index(r"\begin{array}") : answer.index(r"\end{array}")]
    assert r"\left[" not in table and r"\phantom" not in table  # no bracket cut by the rules
    assert r"\end{array} \]" in answer  # no full stop floating after it


def test_a_key_compiled_from_another_variants_aux_is_the_two_pass_key(monkeypatch):
    """One pass where the layout is the same, and the PDF (byte for byte) and its text are
    those of the passes from a fresh folder; where the layout differs, more passes, same PDF."""
    need_program(
        "pdflatex",
        "texlive-latex-base texlive-latex-recommended texlive-pictures texlive-lang-french latexmk",
    )
    from symbrnn.sheets import compile as compiling

    passes = []
    one_pass = compiling._pass
    monkeypatch.setattr(compiling, "_pass", lambda *a: passes.append(1) or one_pass(*a))

    def compiled(seed, aux=None):
        passes.clear()
        tex = render_sheet("td5", variant_seed=seed)
        pdf, _, final = compiling.compile_seeded(tex, aux=aux)
        return pdf, final, len(passes)

    _, aux, fresh_passes = compiled(7)
    assert fresh_passes == 2 and b"\\newlabel{fig:unrolled}" in aux  # the figures' numbers
    same_layout = compiled(8, aux)
    assert same_layout[2] == 1  # T, activation and sizes as seed 7's: one pass
    other_layout = compiled(2, aux)  # T = 4 against 3: more pages, the second pass needed
    assert other_layout[2] == 2
    for seed, (pdf, _, _) in ((8, same_layout), (2, other_layout)):
        two_passes, _, count = compiled(seed)
        assert count == 2 and pdf == two_passes, seed
        assert _pdf_text(pdf) == _pdf_text(two_passes) and "??" not in _pdf_text(pdf)


def _pdf_text(pdf: bytes) -> str:
    import shutil
    import tempfile
    from pathlib import Path

    if shutil.which("pdftotext") is None:  # the bytes are compared anyway
        return ""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "a.pdf").write_bytes(pdf)
        subprocess.run(["pdftotext", "a.pdf"], cwd=tmp, check=True)
        return (Path(tmp) / "a.txt").read_text(encoding="utf-8")
