"""The judge's sentences: each row of the table of mistakes and each answer note has one."""

import ast
from pathlib import Path

import pytest

import symbrnn
from symbrnn.errors import LANGS
from symbrnn.judge.messages import MESSAGES, JudgeError, Msg, say
from symbrnn.judge.mistakes import EDITS, NOTES

JUDGE = Path(symbrnn.__file__).parent / "judge"


# Every key has both languages with the same parameters, and every key the code says (the
# judge's JudgeError, AnswerParseError, Msg.of, say and self.fail calls among them) is in the
# book: tests/test_word_book.py checks the whole library.


def test_the_judge_says_many_keys_of_the_book():
    from tests.test_word_book import keys_said

    said = [arg.value for _, _, arg in keys_said(JUDGE) if isinstance(arg, ast.Constant)]
    assert len(said) > 60 and all(key in MESSAGES for key in said)


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
