"""A marking guide per step: sheet data, checked, rendered in the key, read by grade."""

import pytest

from symbrnn.errors import InputError
from symbrnn.judge.grade import grade_rows
from symbrnn.sheets import load
from symbrnn.sheets.render import render_sheet
from symbrnn.sheets.spec import load_sheet

SIGMA_FOR_PRIME = (
    r"\sum_{t=1}^{3}\sum_{k=1}^{t} \frac{\partial L_t}{\partial h_t} \left(\prod_{j=k+1}^{t} "
    r"\operatorname{Diag}(\sigma(a_j)) W\right) \frac{\partial^+ h_k}{\partial W}"
)


def test_every_guide_adds_up_to_its_question_and_is_in_the_key():
    sheet = load_sheet("td5")
    guided = [q for s in sheet.data["sections"] for q in s["questions"] if q.get("marking")]
    assert guided
    fr, en = render_sheet("td5", lang="fr"), render_sheet("td5", lang="en")
    questions = render_sheet("td5", lang="fr", answers=False)
    for q in guided:
        assert sum(m["points"] for m in q["marking"]) == q["points"]
        part = fr[fr.index(rf"\subsection*{{{q['id']}") :]
        assert r"\textbf{Barème.}" in part[: part.index(r"\subsection*", 10)]
    assert r"\textbf{Marking scheme.}" in en and "Barème.}" not in questions


def test_a_guide_that_does_not_add_up_is_one_line(tmp_path):
    from pathlib import Path

    from symbrnn import derivations

    source = Path(derivations.__file__).parent / "td5.toml"
    text = source.read_text(encoding="utf-8").replace(
        '{ points = 1, fr = "la récurrence', '{ points = 2, fr = "la récurrence'
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"II\.2.*adds up to 3\.5, the question has 2\.5"):
        load_sheet(str(bad))


def test_grade_with_a_sheet_marks_each_question_with_its_own_points_and_notes():
    rows = [
        {"student": "a", "question": "II.2", "answer": SIGMA_FOR_PRIME},
        {"student": "b", "question": "II.2", "answer": "W"},
        {"student": "c", "question": "II.1", "answer": r"\operatorname{Diag}(\sigma'(A v)) A"},
    ]
    sheet = load_sheet("td5")
    q22 = next(q for s in sheet.data["sections"] for q in s["questions"] if q["id"] == "II.2")
    q21 = next(q for s in sheet.data["sections"] for q in s["questions"] if q["id"] == "II.1")
    scores = {r.student: r.score for r in grade_rows(rows, questions=load("td5").question)}
    assert scores == {"a": q22["marking_notes"]["SIGMA_FOR_PRIME"], "b": 0.0, "c": q21["points"]}
    # a scheme given on the command line wins over the sheet's marks
    given = {"correct": 1.0, "notes": {}, "step": 0.0}
    assert {r.score for r in grade_rows(rows, questions=load("td5").question, scheme=given)} == {
        0.0,
        1.0,
    }


def test_the_question_sheet_draws_the_forward_graph_without_the_gradient_paths():
    key = render_sheet("td5", lang="fr")
    questions = render_sheet("td5", lang="fr", answers=False)
    for tex, has in ((key, True), (questions, False)):
        part = tex[tex.index(r"\section*{II.") : tex.index(r"\subsection*{II.1")]
        assert (r"\draw[grad]" in part) is has
        assert ("pointillés" in part) is has
        assert r"\begin{tikzpicture}" in part


def _notes_the_checker_gives(question):
    """The answer notes the checker gives the mistaken forms of a question's expected answer
    (each row of judge/diagnose.py made on it), as a student would hand them in."""
    from symbrnn.engine.cells import make_cell
    from symbrnn.engine.derive import Derivation
    from symbrnn.engine.quantity import parse_quantity
    from symbrnn.judge.check import check_answer
    from symbrnn.judge.expected import answer_expression, reference
    from symbrnn.judge.mistakes import Context, mistaken_forms
    from symbrnn.judge.points import cached_points
    from symbrnn.printing.latex import latex
    from symbrnn.sheets.questions import question_check

    s = question_check("td5", question, None)
    cell = make_cell(s["cell"], bias=s.get("bias", True), allow_files=False)
    T, paths = s.get("T"), s.get("paths", "all")
    q = parse_quantity(s["quantity"], allow_input=True)
    D = Derivation.of(cell)
    ref = reference(D, q, T=T, paths=paths)
    steps = max(int(T or q.t or 1), 1)
    ctx = Context(ref=ref, points=cached_points(D, steps), D=D, q=q, cell=cell, T=T, paths=paths)
    given = set()
    for _row, expr, _ in mistaken_forms(answer_expression(D, q, ref), ctx):
        try:
            verdict = check_answer(cell, s["quantity"], latex(expr), T=T, paths=paths)
        except InputError:
            continue  # a form that cannot be written back is no answer
        given |= set(verdict.answer_notes[:1])
    return given


def test_every_note_a_guide_marks_is_one_the_checker_gives_that_question():
    from symbrnn.judge.mistakes import LOCATED

    sheet = load_sheet("td5")
    marked = [q for s in sheet.data["sections"] for q in s["questions"] if q.get("marking_notes")]
    assert len(marked) >= 4
    for q in marked:
        edits = set(q["marking_notes"]) - set(LOCATED)  # the located ones need no edit
        assert edits <= _notes_the_checker_gives(q["id"]), q["id"]


def test_a_note_the_checker_never_gives_is_refused(tmp_path):
    from pathlib import Path

    from symbrnn import derivations

    source = Path(derivations.__file__).parent / "td5.toml"
    text = source.read_text(encoding="utf-8").replace(
        'MISSING_PATH = "central"', 'MISSNG_PATH = "central"'
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"IV\.4.*MISSNG_PATH, which the checker never gives"):
        load_sheet(str(bad))


@pytest.mark.parametrize(
    ("lang", "lead"),
    [("fr", "Une réponse avec une erreur vaut"), ("en", "An answer with one mistake earns")],
)
def test_the_key_says_what_an_answer_with_each_marked_mistake_earns(lang, lead):
    from symbrnn.judge.messages import say

    tex = render_sheet("td5", lang=lang)
    part = tex[tex.index(r"\subsection*{II.2") : tex.index(r"\section*{III.")]
    sheet = load_sheet("td5")
    q = next(q for s in sheet.data["sections"] for q in s["questions"] if q["id"] == "II.2")
    assert lead in part
    for note in q["marking_notes"]:
        assert say(f"name.{note}", lang) in part


def test_every_mistake_earns_what_the_one_rule_gives_it():
    """Central: at most a third; carried after the question about it: all the points;
    otherwise the points less the guide's steps it breaks."""
    import tomllib
    from pathlib import Path

    from symbrnn import derivations
    from symbrnn.sheets.marking import credit

    raw = tomllib.loads((Path(derivations.__file__).parent / "td5.toml").read_text("utf-8"))
    sheet = load_sheet("td5")
    derived = {q["id"]: q for s in sheet.data["sections"] for q in s["questions"]}
    order = list(derived)
    central_at = {}
    for q in (q for s in raw["sections"] for q in s["questions"]):
        for note, kind in q.get("marking_notes", {}).items():
            marks = derived[q["id"]]["marking_notes"][note]
            assert marks == credit(q, kind)
            if kind == "central":
                assert marks <= q["points"] / 3
                central_at.setdefault(note, q["id"])
            elif kind == "carried":
                assert order.index(central_at[note]) < order.index(q["id"])
                assert marks == q["points"]
            else:
                lost = sum(q["marking"][i - 1]["points"] for i in kind)
                assert marks == q["points"] - lost
    # the question about forgotten Diags gives them no more than a third
    assert derived["II.1"]["marking_notes"]["MISSING_DIAG"] <= derived["II.1"]["points"] / 3


@pytest.mark.parametrize(
    ("lang", "rule"),
    [
        ("fr", "une erreur déjà sanctionnée n'est plus sanctionnée ensuite"),
        ("en", "a mistake already sanctioned is not sanctioned again later"),
    ],
)
def test_the_key_prints_the_rule_once(lang, rule):
    key = render_sheet("td5", lang=lang)
    assert key.count(rule) == 1
    assert rule not in render_sheet("td5", lang=lang, answers=False)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('MISSING_PATH = "central"', 'MISSING_PATH = "carried"', r"IV\.4.*no earlier question"),
        ("ORDER = [1]", 'ORDER = "carried"', r"III\.2.*no earlier question"),
        ("ORDER = [1]", "ORDER = [4]", r"III\.2.*numbers 1 to 3"),
        ("ORDER = [1]", "ORDER = 1", r"III\.2.*'central', 'carried'"),
        (
            'MISSING_TERM = "central", SIGMA_FOR_PRIME = "carried"',
            'MISSING_TERM = "central", SIGMA_FOR_PRIME = [1]',
            r"III\.1.*sanctioned at II\.1",
        ),
    ],
)
def test_a_mistake_the_rule_does_not_describe_is_one_line(tmp_path, old, new, message):
    from pathlib import Path

    from symbrnn import derivations

    text = (Path(derivations.__file__).parent / "td5.toml").read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_sheet(str(bad))
