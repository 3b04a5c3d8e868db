"""Every terminal error in the command's language (issue 39): an error made from a key of the
word book is said in ``--lang``, in English without it; a plain-string error is English."""

import ast
import pickle
from functools import cache
from pathlib import Path

import pytest

from symbrnn.cli import _lang
from symbrnn.errors import DerivationError, InputError, SummaryParseError, flag
from tests.processes import symbrnn

PACKAGE = Path(__file__).resolve().parents[1] / "symbrnn"

# (arguments, the English line's end, the French line's end)
CASES = [
    (["check", "--sheet", "td5", "--question", "III.2"], "(one of them)", "(l'un des deux)"),
    (["grade"], "--exam EXAM.json", "--exam EXAM.json"),
    (["serve", "--roster", "x.csv"], "--session FILE.sqlite", "--session FICHIER.sqlite"),
    (["verify", "--method", "exact", "--T", "9"], "any size in seconds", "en quelques secondes"),
    (["sheet", "td5", "--with-keys"], "(a class's sheets)", "(les feuilles d'une classe)"),
    (
        ["exam", "td5", "--variants", "1-2", "--format", "amc"],
        "written beside it)",
        "écrit à côté)",
    ),
    (
        ["check", "-q", "dL/dW", "--answer-file", "/nonexistent/a.tex"],
        "file not found: /nonexistent/a.tex",
        "fichier introuvable : /nonexistent/a.tex",
    ),
    (["sheet", "nosuch"], "(or give a FILE.toml)", "(ou donnez un FICHIER.toml)"),
]


def _line(result) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symbrnn: error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize(("args", "english", "french"), CASES, ids=lambda a: str(a)[:30])
def test_an_error_is_said_in_the_commands_language(args, english, french):
    assert _line(symbrnn(*args)).endswith(english)
    assert _line(symbrnn(*args, "--lang", "fr")).endswith(french)
    assert _line(symbrnn(*args, "--lang=fr")).endswith(french)
    assert _line(symbrnn(*args, "--lang", "en")).endswith(english)


def test_an_english_line_and_its_french_line_differ():
    english = _line(symbrnn("grade"))
    french = _line(symbrnn("grade", "--lang", "fr"))
    assert english != french and "donnez" in french and "give" in english


def test_the_language_is_read_from_the_command_line():
    assert _lang(["check", "--lang", "fr"]) == "fr"
    assert _lang(["check", "--lang=fr", "-a", "x"]) == "fr"
    assert _lang(["check", "--lang", "de"]) == "en"  # unknown: English (Click refuses it)
    assert _lang(["check", "--", "--lang", "fr"]) == "en"  # after --, an argument
    assert _lang(["check"]) == "en"


def test_a_keyed_error_crosses_processes_and_is_said_in_each_language():
    error = InputError.said("cli.error.one_csv", fmt="moodle")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is InputError and again.key == "cli.error.one_csv"
    assert str(again) == "--format moodle writes one CSV: -o FILE.csv, and no --report"
    assert again.text("fr").startswith("--format moodle écrit un seul CSV")
    summary = pickle.loads(pickle.dumps(SummaryParseError.said("counts.error.many_rows", top=3)))
    assert isinstance(summary, SummaryParseError) and "3" in summary.text("fr")


def test_a_keyed_error_spells_its_options_as_the_front_end_does():
    error = InputError.said("grade.error.question_sheet")
    assert error.text("en", flag) == "a question column needs --sheet (e.g. --sheet td5)"
    assert (
        error.text("fr", flag) == "une colonne question demande --sheet (par exemple --sheet td5)"
    )
    assert str(error) == "a question column needs sheet (e.g. sheet = td5)"


def test_an_error_inside_another_is_said_in_the_same_language():
    inner = InputError.said("io.error.not_found", name="a.tex")
    outer = InputError.said("sheet.error.at", where="x", reason=inner.phrase())
    assert str(outer) == "x: file not found: a.tex"
    assert pickle.loads(pickle.dumps(outer)).text("fr") == "x : fichier introuvable : a.tex"
    assert DerivationError("⟨T⟩ too large").phrase() == "⟨T⟩ too large"  # spelled outside


def test_a_plain_error_stays_english_and_an_unknown_key_is_refused():
    error = DerivationError("the derivation failed")
    assert error.key is None and error.text("fr") == "the derivation failed"
    assert pickle.loads(pickle.dumps(error)).text("fr") == "the derivation failed"
    with pytest.raises(KeyError):
        InputError.said("cli.error.no_such_key")


@cache
def _ours() -> dict[str, set[str]]:
    """The error classes of the package: every subclass of SymbrnnError, and those of
    InputError (a user's error, exit 2), by name."""
    bases = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
    found = {"SymbrnnError": {"SymbrnnError"}, "InputError": {"InputError"}}
    for root, names in found.items():
        while grown := {k for k, b in bases.items() if b & names} - names:
            names |= grown
        found[root] = names
    return found


def literal_raises(root: str = "SymbrnnError") -> dict[str, int]:
    """Each module's ``raise SomeError("a sentence …")``: a message written in English in the
    code (a literal, an f-string or a sum), not a key of the word book."""
    names, counts = _ours()[root], {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            call = node.exc if isinstance(node, ast.Raise) else None
            if not isinstance(call, ast.Call) or not call.args:
                continue
            name = getattr(call.func, "id", getattr(call.func, "attr", ""))
            first = call.args[0]
            sentence = isinstance(first, ast.JoinedStr | ast.BinOp) or (
                isinstance(first, ast.Constant) and " " in str(first.value)
            )
            if name in names and sentence:
                rel = str(path.relative_to(PACKAGE.parent))
                counts[rel] = counts.get(rel, 0) + 1
    return counts


# 216 before the errors carried keys (issue 39); what is left is in modules other helpers
# edited at the time (engine/activations.py, judge/points.py, numeric/instantiate.py)
CEILING = 4
SAID = [
    "symbrnn/cli",
    "symbrnn/judge/grade.py",
    "symbrnn/web/roster.py",
    "symbrnn/web/session_store.py",
    "symbrnn/exam",
    "symbrnn/engine/cells.py",
    "symbrnn/engine/derive.py",
    "symbrnn/numeric/weights.py",
    "symbrnn/numeric/evaluate.py",
    "symbrnn/proof/verify.py",
    "symbrnn/counts",
    "symbrnn/io.py",
    "symbrnn/engine/cell.py",
    "symbrnn/engine/quantity.py",
    "symbrnn/engine/expand.py",
    "symbrnn/proof/modular.py",
    "symbrnn/numeric/spectral.py",
    "symbrnn/numeric/curve.py",
    "symbrnn/judge/class_csv.py",
    "symbrnn/judge/class_summary.py",
    "symbrnn/sheets",
]


def test_english_only_error_sentences_are_counted_and_do_not_grow():
    counts = literal_raises()
    assert sum(counts.values()) <= CEILING, sorted(counts.items(), key=lambda kv: -kv[1])
    assert counts, "the scan finds the sentences still written in the code"


def test_the_errors_of_these_modules_all_come_from_the_word_book():
    left = {m: n for m, n in literal_raises().items() if m.startswith(tuple(SAID))}
    assert not left, left


def test_the_web_page_says_a_keyed_error_in_its_language():
    from symbrnn.web.exchange import error_line

    error = InputError.said("grade.error.question_sheet")
    assert error_line(error, "fr").startswith("une colonne question demande")
    assert error_line(error, "en").startswith("a question column needs")
    assert error_line(DerivationError("the derivation failed"), "en") == "the derivation failed"
