"""What a class-mode server hands out: each route's answer built from the fields listed
for it, nested fields included, never by deleting what should not be there.

A schema is a dict of the allowed keys, each mapped to the schema of its value:
``LEAF`` (a number, a string, a boolean, null, or a list of those at any depth), a dict
(a record), ``[schema]`` (a list of records) or ``Names(schema)`` (a record whose keys
are names chosen elsewhere: the parameters of a cell). A field not listed is not copied,
so a field added to a verdict later stays on the teacher's side until it is listed here.
What a class never gets — the key's value at a point, an expected formula, the
counterexample's expected side — is simply not in any list.

>>> build({"outcome": "not_equivalent", "expected": "W"}, {"outcome": LEAF})
{'outcome': 'not_equivalent'}
"""

from __future__ import annotations

from dataclasses import dataclass


class _Leaf:
    def __repr__(self):
        return "LEAF"


LEAF = _Leaf()


@dataclass(frozen=True)
class Names:
    """A record keyed by names (a cell's parameters, its states), each value of ``schema``."""

    schema: object


def leaves(names: str) -> dict:
    """A record of plain values: ``leaves("id text")`` is ``{"id": LEAF, "text": LEAF}``."""
    return dict.fromkeys(names.split(), LEAF)


def build(value, schema):
    """A new value holding only what ``schema`` allows of ``value``."""
    if schema is LEAF:
        return value if _plain(value) else None
    if isinstance(schema, Names):
        if not isinstance(value, dict):
            return None
        return {str(k): build(v, schema.schema) for k, v in value.items() if isinstance(k, str)}
    if isinstance(schema, list):
        if not isinstance(value, list | tuple):
            return None
        return [build(v, schema[0]) for v in value]
    if not isinstance(value, dict):
        return None
    return {k: build(value[k], sub) for k, sub in schema.items() if k in value}


def _plain(value) -> bool:
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, bool | int | float | str)


def paths(schema, prefix: str = "") -> set[str]:
    """Every field a schema allows, as dotted paths (``steps[].counterexample.entry``,
    ``counterexample.weights.*``): what a test compares with what a response holds."""
    if schema is LEAF:
        return {prefix}
    if isinstance(schema, Names):
        return paths(schema.schema, f"{prefix}.*")
    if isinstance(schema, list):
        return paths(schema[0], f"{prefix}[]")
    return set().union(
        *(paths(sub, f"{prefix}.{key}" if prefix else key) for key, sub in schema.items())
    )


# the point at which a member differs: the inputs (to reproduce it) and the student's side
COUNTEREXAMPLE = {
    "n": LEAF,
    "d": LEAF,
    "weights": Names(LEAF),
    "x": LEAF,
    "initial": Names(LEAF),
    "opaque": Names(LEAF),
    "entry": LEAF,
    "yours": LEAF,
}

VERDICT = {
    **leaves("equivalent outcome verdict quantity lang answer yours_latex diagnosis answer_notes"),
    "counterexample": COUNTEREXAMPLE,
    "note": LEAF,
    "steps": [
        leaves("index latex outcome diagnosis answer_notes notes")
        | {"counterexample": COUNTEREXAMPLE}
    ],
    "first_wrong_step": LEAF,
    "group": LEAF,
}

READING = {"latex": LEAF, "steps": [leaves("index latex")], "note": LEAF}

QUESTION = leaves("id points text")

SPECTRAL = leaves(
    "eigenvalues spectral_radius singular_values largest_singular_value gamma bound activation"
    " normal W norms trend sentences eigenvalues_text singular_values_text"
)

ERROR = leaves("error position")

# every route of the server in class mode: JSON answers by their schema (an error is
# always ERROR), other answers by what they are: a page rendered from its template and
# the page's words, a drawing of the client's own W, the questions' sheet, static files
JSON_ROUTES = {
    "/api/check": VERDICT,
    "/api/read": READING,
    "/api/question": QUESTION,
    "/api/spectral": SPECTRAL,
    "/api/params": None,  # off in class mode: an ERROR
    "/api/expand": None,  # off in class mode: an ERROR
}
OTHER_ROUTES = {
    "/": "redirect",
    "/check": "page",
    "/expand": "off",
    "/params": "off",
    "/sheet": "page",
    "/spectral": "page",
    "/api/spectral.svg": "image/svg+xml",
    "/api/sheet": "questions",
    "/static": "static",
}


def class_json(path: str, data: dict) -> dict:
    """The answer of route ``path`` to a class: built from its schema (an unknown route,
    or one that is off, hands out nothing)."""
    schema = JSON_ROUTES.get(path)
    return {} if schema is None else build(data, schema)
