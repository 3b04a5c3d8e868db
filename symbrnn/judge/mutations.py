"""Mutated answers for fuzzing the checker: the engine's own LaTeX, broken the ways students do.

Starting from what ``expand`` prints, each mutation makes one classic slip or
one typing accident: factors swapped, a Diag dropped, a transpose added, an
index shifted, a brace lost, a character inserted or deleted, a huge number.
The checker must answer each one with a verdict or one line of error, never a
crash.

>>> answers = list(mutated_answers(seed=1, count=5))
>>> len(answers), all(isinstance(a, tuple) and len(a) == 4 for a in answers)
(5, True)
"""

from __future__ import annotations

import random
import re

TOKENS = [
    "\\operatorname{Diag}",
    "\\sigma'",
    "W",
    "^{\\top}",
    "{",
    "}",
    "(",
    ")",
    "_",
    "^",
    "\\prod_{j=2}^{3}",
    "\\sum_{k=1}^{T}",
    "\\frac{\\partial h_3}{\\partial h_1}",
    "\\odot",
    "h_{t-1}",
    "a_{99999999}",
    "^{999999999}",
    "\\left[",
    "\\right]",
    "$",
    "&",
    "\\\\",
    "\\begin{pmatrix}",
    "\\end{pmatrix}",
    "x_3",
    "\\mathbf{1}",
    "'",
    "=",
    "\\cdot",
    "0",
]


def _sources():
    """(cell name, quantity, LaTeX, options): Jacobians and gradients the engine prints."""
    from symbrnn.engine.cells import make_cell
    from symbrnn.engine.expand import expand_gradient, expand_jacobian
    from symbrnn.printing.latex import latex

    out = []
    for name, act in (
        ("rnn", "sigmoid"),
        ("rnn", "tanh"),
        ("rnn", "phi"),
        ("lstm", None),
        ("gru", None),
    ):
        cell = make_cell(name, activation=act)
        for state in cell.states:
            for term in expand_jacobian(cell, state, 3).terms:
                q = f"d{state}_{term.t}/d{state}_{term.k}"
                out += [
                    (name, act, q, latex(term.structured), {}),
                    (name, act, q, latex(term.explicit), {}),
                ]
        kernel = next(p.name for p in cell.parameters if p.role == "recurrent_kernel")
        e = expand_gradient(cell, kernel, 2)
        out.append(
            (name, act, f"dL/d{e.wrt}", " + ".join(latex(t.explicit) for t in e.terms), {"T": 2})
        )
    return out


def mutate(text: str, rng: random.Random) -> str:
    """One random slip applied to an answer."""
    choice = rng.randrange(9)
    if choice == 0:  # swap two factors
        parts = re.split(r"(?<=\}) (?=\\)", text)
        if len(parts) > 1:
            i, j = rng.sample(range(len(parts)), 2)
            parts[i], parts[j] = parts[j], parts[i]
        return " ".join(parts)
    if choice == 1:
        return text.replace("\\operatorname{Diag}", "", 1)
    if choice == 2:
        return text.replace(" W", " W^{\\top}", 1)
    if choice == 3:
        return re.sub(
            r"_\{(\d+)\}", lambda m: f"_{{{int(m[1]) + rng.choice((-1, 1))}}}", text, count=1
        )
    if choice == 4:
        i = rng.randrange(len(text) + 1)
        return text[:i] + rng.choice("{}()[]^_\\'$&") + text[i:]
    if choice == 5 and text:
        i = rng.randrange(len(text))
        return text[:i] + text[i + 1 :]
    if choice == 6:
        i = rng.randrange(len(text) + 1)
        return text[:i] + rng.choice(TOKENS) + text[i:]
    if choice == 7:
        return text.replace("}", "", 1)
    return "".join(rng.choice(TOKENS) for _ in range(rng.randrange(1, 12)))


def mutated_answers(seed: int = 0, count: int = 1000):
    """``count`` tuples (cell, quantity, answer, options), reproducible from the seed."""
    from symbrnn.engine.cells import make_cell

    rng = random.Random(seed)
    sources = _sources()
    cells = {}
    for _ in range(count):
        name, act, quantity, text, options = rng.choice(sources)
        key = (name, act)
        if key not in cells:
            cells[key] = make_cell(name, activation=act)
        for _ in range(rng.randrange(1, 4)):
            text = mutate(text, rng)
        yield cells[key], quantity, text, options
