"""The word book (symbrnn/words/): every sentence in French and English, each key written
once, every key the code says exists, and counts and numbers said as each language says them."""

import ast
import tomllib
from pathlib import Path

import pytest

import symbrnn
from symbrnn.errors import LANGS
from symbrnn.words import FOLDER, Msg, WordError, book, number, placeholders, say

LIBRARY = Path(symbrnn.__file__).parent
# the functions that take a key of the book, and the prefix they put before it
SAYERS = {"say": "", "JudgeError": "", "AnswerParseError": "", "WordError": "", "fail": ""}
SAYERS |= {"RequestError": "", "of": ""}
PREFIXED = {("web", "word"): "page.", ("cli", "_say"): "doctor.", ("exam", "word"): ""}


@pytest.mark.parametrize("key", sorted(book()))
def test_every_key_has_both_languages_with_the_same_parameters(key):
    row = book()[key]
    assert set(row) == set(LANGS), key
    assert all(isinstance(row[lang], str) and row[lang].strip() for lang in LANGS), key
    assert placeholders(row["fr"]) == placeholders(row["en"]), key
    if key.startswith(("diag.", "answer.", "check.", "note.")):
        assert row["fr"] != row["en"], f"{key}: the French is the English"


def test_no_key_is_written_in_two_files():
    seen: dict[str, str] = {}
    for path in sorted(FOLDER.glob("*.toml")):
        for key in tomllib.loads(path.read_text("utf-8")):
            assert key not in seen, f"{key} in {seen[key]} and {path.name}"
            seen[key] = path.name
    assert set(seen) <= set(book()) and len(seen) > 300


def keys_said(folder: Path = LIBRARY):
    """(file, line, key node) of every call that names a key of the book: say, word,
    JudgeError, RequestError, AnswerParseError, Msg.of, self.fail and doctor's _say."""
    for path in sorted(folder.rglob("*.py")):
        room = path.relative_to(LIBRARY).parts[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name == "of" and getattr(f.value, "id", "") != "Msg":
                continue
            if name == "fail" and room != "judge":
                continue
            prefix = PREFIXED.get((room, name), SAYERS.get(name))
            if prefix is not None and not (name == "word" and room == "sheets"):
                yield f"{path.relative_to(LIBRARY)}:{node.lineno}", prefix, node.args[0]


def test_every_key_the_code_says_is_in_the_book():
    seen = 0
    for where, prefix, key in keys_said():
        for arg in [key.body, key.orelse] if isinstance(key, ast.IfExp) else [key]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                assert prefix + arg.value in book(), f"{where}: no sentence {arg.value!r}"
                seen += 1
            else:  # a computed key: the f-strings of the verdict and of the rows
                assert isinstance(arg, ast.JoinedStr | ast.Name | ast.BinOp | ast.Attribute), (
                    f"{where}: a sentence must be a key of the word book"
                )
    assert seen > 150


@pytest.mark.parametrize(
    ("count", "fr", "en"),
    [(0, "0 élève", "0 students"), (1, "1 élève", "1 student"), (3, "3 élèves", "3 students")],
)
def test_a_count_agrees_with_its_noun(count, fr, en):
    assert (say("cli.students", "fr", count=count), say("cli.students", "en", count=count)) == (
        fr,
        en,
    )


def test_french_numbers_have_a_decimal_comma_and_grouped_thousands():
    assert number(0.5, "fr") == "0,5" and number(0.5, "en") == "0.5"
    assert number(7.800000000000001, "en") == "7.8"  # no float noise
    assert number(1234567, "fr", ",") == "1\u202f234\u202f567"
    assert "1\u202f000\u202f000" in say("csv.too_long", "fr", at="a.csv", limit=1_000_000)
    assert "1,000,000" in say("csv.too_long", "en", at="a.csv", limit=1_000_000)


def test_a_sentence_is_said_in_the_reader_s_language_and_crosses_processes():
    import pickle

    error = pickle.loads(pickle.dumps(WordError("cli.note", note="x")))
    assert (str(error), error.text("fr"), error.exit_code) == ("note: x", "remarque : x", 2)
    nested = Msg.of("cli.note", note=Msg.of("cli.progress.sheets"))
    assert (nested.text("fr"), nested.text("en")) == ("remarque : feuilles", "note: sheets")
    with pytest.raises(KeyError):
        Msg.of("no.such.key")
