"""Every sentence of the judge exists in French and English, under a key the code uses."""

import ast
from pathlib import Path

import pytest

import symbrnn
from symbrnn.errors import LANGS
from symbrnn.judge.mistakes import EDITS, NOTES
from symbrnn.judge.messages import MESSAGES, JudgeError, Msg, placeholders, say

JUDGE = Path(symbrnn.__file__).parent / "judge"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_parameters(key):
    words = MESSAGES[key]
    assert set(words) == set(LANGS), key
    assert all(words[lang].strip() for lang in LANGS), key
    assert placeholders(words["fr"]) == placeholders(words["en"]), key
    if key.startswith(("diag.", "answer.", "check.", "note.")):
        assert words["fr"] != words["en"], f"{key}: the French is the English"


def _keys_used_in_the_judge():
    """(file, line, first argument) of every JudgeError, AnswerParseError, Msg.of, say and
    self.fail call of the judge's modules."""
    for path in sorted(JUDGE.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name in ("JudgeError", "AnswerParseError", "of", "say", "fail") and node.args:
                if name == "of" and getattr(f.value, "id", "") != "Msg":
                    continue
                yield path.name, node.lineno, node.args[0]


def test_every_message_the_judge_raises_is_a_key_with_both_languages():
    seen = 0
    for where, line, arg in _keys_used_in_the_judge():
        if isinstance(arg, ast.Constant):
            assert arg.value in MESSAGES, f"{where}:{line}: no message {arg.value!r}"
            seen += 1
        else:  # a computed key: the f-strings of the verdict and of the rows
            assert isinstance(arg, ast.JoinedStr | ast.Name | ast.BinOp | ast.Attribute), (
                f"{where}:{line}: a message must be a key of judge/messages.py"
            )
    assert seen > 60


def test_every_row_of_the_table_and_every_answer_note_has_its_message():
    for row in EDITS:
        keys = row.extra_keys or (row.key,)
        assert all(k in MESSAGES for k in keys), row.code
    assert all(key in MESSAGES for key in NOTES.values())
    # the codes grading relies on stay
    assert {"TRANSPOSE", "ORDER", "BIAS_MISSING", "MISSING_TERM", "UNKNOWN", "SHAPE"} <= set(NOTES)


def test_a_message_is_said_in_the_language_asked():
    error = JudgeError("answer.unclosed", pos=3, bracket="'('")
    assert str(error) == error.text("en")
    assert "jamais fermé" in error.text("fr") and "never closed" in error.text("en")
    nested = Msg.of("diag.WRONG_TERM", t=2, k=1, why=Msg.of("diag.ORDER"))
    assert "mauvais ordre" in nested.text("fr") and "wrong order" in nested.text("en")
    assert say("verdict.equivalent", "fr") == "✓ équivalent"
    with pytest.raises(KeyError):
        Msg.of("no.such.key")


def test_every_answer_note_has_a_short_name_of_words_in_both_languages():
    import re

    for code in NOTES:
        for lang in LANGS:
            name = say(f"name.{code}", lang)
            # printed as it is in LaTeX and HTML: letters, commas, hyphens and spaces only
            assert re.fullmatch(r"[A-Za-zÀ-ÿ' ,-]+", name), (code, lang, name)
        assert say(f"name.{code}", "fr") != say(f"name.{code}", "en"), code
