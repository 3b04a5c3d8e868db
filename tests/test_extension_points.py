"""Each extension point of ARCHITECTURE.md, exercised: a new cell, activation, sheet,
diagnosis, count mistake and matrix object are each one declaration, and the rest of
symbrnn takes them as they are."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_every_extension_point_names_its_test():
    section = (ROOT / "ARCHITECTURE.md").read_text().split("## Extension points", 1)[1]
    points = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(points) >= 6
    for point in points:
        tests = re.findall(r"test: `(tests/[\w/]+\.py)`", point + _continuation(section, point))
        assert tests, point
        assert all((ROOT / t).exists() for t in tests), tests


def _continuation(section: str, point: str) -> str:
    after = section.split(point, 1)[1]
    return after.split("\n- ", 1)[0]


def test_a_new_diagnosis_is_one_row_and_its_message(monkeypatch):
    from symbrnn.engine.cells import make_cell
    from symbrnn.engine.matexpr import Apply, Diag, TimeVec
    from symbrnn.judge import messages, mistakes
    from symbrnn.judge.check import check_answer
    from symbrnn.judge.mistakes import EDITS, Edit

    def prime_forgotten(e, ctx):  # Diag(a_j) written for Diag(σ'(a_j))
        bare = {
            d: Diag(Apply("sigmoid", d.vec, 1)) for d in e.atoms(Diag) if isinstance(d.vec, TimeVec)
        }
        if bare:
            yield e.xreplace(bare), {}

    monkeypatch.setitem(
        messages.MESSAGES,
        "diag.PRIME_FORGOTTEN",
        {"en": "σ′ is missing inside Diag", "fr": "σ′ manque dans Diag"},
    )
    row = Edit("PRIME_FORGOTTEN", "diag.PRIME_FORGOTTEN", fix=prime_forgotten)
    monkeypatch.setattr(mistakes, "EDITS", (row, *EDITS))
    verdict = check_answer(make_cell("rnn"), "dh_2/dh_1", r"\operatorname{Diag}(a_2) W", lang="fr")
    assert verdict.answer_notes[0] == "PRIME_FORGOTTEN"
    assert verdict.diagnosis[0] == "σ′ manque dans Diag"


def test_a_new_count_mistake_is_one_row_and_its_words(monkeypatch):
    from symbrnn.exam import counts, words
    from symbrnn.exam.build import build_exam

    monkeypatch.setitem(
        words.WORDS, "count.SQUARE", {"fr": "d² au lieu de n·d", "en": "d² instead of n·d"}
    )
    row = counts.CountMistake("SQUARE", lambda a: (a.right + a.units * (a.input_size - 1), {}))
    monkeypatch.setattr(counts, "COUNT_MISTAKES", (row, *counts.COUNT_MISTAKES))
    exam = build_exam("td5", [1], lang="en", choices=8, only=["I.2"])
    notes = {o.answer_note for o in exam.variants[0].questions[0].options}
    assert "SQUARE" in notes
