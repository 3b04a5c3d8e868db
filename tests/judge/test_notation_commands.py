"""Commands read by their name alone (one ``\\[A-Za-z]+`` token looked up in a table, not
one alternative each in the tokenizer's pattern) are the tokens they were."""

import pytest

from symbrnn.judge.notation import _COMMANDS, tokenize

ROWS = [(kind, name) for kind, names in _COMMANDS.items() if names for name in names]


@pytest.mark.parametrize(("kind", "name"), ROWS, ids=[f"{k}-{n}" for k, n in ROWS])
def test_a_command_is_its_kind_and_a_longer_name_is_not(kind, name):
    first = _first_row(name)
    tokens = [(t.kind, t.text) for t in tokenize(f"\\{name} W", keep_words=True)][:-1]
    if first == "ws":  # spacing and layout are dropped
        assert tokens == [("name", "W")]
    else:
        assert tokens[0] == (first, f"\\{name}") and tokens[-1] == ("name", "W")
    longer = tokenize(f"\\{name}zz 2")
    assert (longer[0].kind, longer[0].text) == ("cmd", f"\\{name}zz")


def _first_row(name):
    return next(kind for kind, names in _COMMANDS.items() if names and name in names)


def test_the_activations_commands_come_from_their_table():
    assert [(t.kind, t.text) for t in tokenize(r"\sigma'(a_3) \tanh x \varphi")][:6] == [
        ("func", r"\sigma"),
        ("prime", "'"),
        ("op", "("),
        ("name", "a"),
        ("op", "_"),
        ("number", "3"),
    ]
    assert [t.kind for t in tokenize(r"\tanh \varphi \sigmas")][:3] == ["func", "func", "cmd"]
    assert tokenize(r"\Pi_{j} \Pi")[0].kind == "prod" and tokenize(r"\Pi x")[0].kind == "cmd"
