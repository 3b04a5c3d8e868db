"""The word book read lazily: a sentence is parsed from its own lines, and it is the same
entry as the whole book's (a check says a few sentences without parsing every file)."""

import subprocess
import sys

from symbrnn.words import _alone, _where, book, files, known


def test_each_key_alone_is_its_entry_in_the_whole_book():
    whole = {key: row for entries in files().values() for key, row in entries.items()}
    assert set(_where()) == set(whole)
    for key, row in whole.items():
        assert _alone(key) == row, key


def test_a_check_says_its_sentences_without_reading_the_whole_book():
    code = (
        "from symbrnn.words import book, say, known; "
        "say('verdict.equivalent', 'fr'); assert known('label.expected'); "
        "print(book.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_a_key_added_to_the_book_is_known_and_said():
    from symbrnn.words import Table, say

    table = Table("zz_test.")
    table["hello"] = {"en": "hello {name}", "fr": "bonjour {name}"}
    try:
        assert known("zz_test.hello") and say("zz_test.hello", "fr", name="A") == "bonjour A"
    finally:
        del table["hello"]
    assert not known("zz_test.hello") and "zz_test.hello" not in book()
