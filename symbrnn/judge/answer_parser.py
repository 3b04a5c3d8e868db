"""Read a hand-written derivation (the course's LaTeX, or plain text) into symbrnn expressions.

Matrix products are juxtaposition (``A B``, ``A \\cdot B``, ``A \\times B``), ``\\odot``
or ``\\circ`` the Hadamard product, ``^\\top`` / ``^T`` / ``^{\\intercal}`` a transpose,
``[B]^{n}`` a matrix power. ``\\prod_{j=a}^{b}`` is read with the factor j = b on
the left (symbrnn's convention, as in ∂h_t/∂h_k = Π ∂h_j/∂h_{j-1}). Each member of a
derivation is read by the grammar of :mod:`symbrnn.judge.grammar`.

>>> from symbrnn.engine.cells import simple_rnn
>>> from symbrnn.printing.text import text
>>> e = parse_answer(r"\\mathrm{diag}(\\sigma'(a_3)) W", simple_rnn(), {"t": 3, "k": 1})
>>> text(e)
"Diag(σ'(a₃)) W"
"""

from __future__ import annotations

from functools import partial

from symbrnn.engine.derive import Derivation
from symbrnn.judge import elements
from symbrnn.judge.ellipsis import ellipses
from symbrnn.judge.grammar import Parser
from symbrnn.judge.members import Member, member_source, names_quantity, split_members
from symbrnn.judge.notation import AnswerParseError, tokenize
from symbrnn.judge.remarks import read_remarks
from symbrnn.judge.spelling import respell, trim_member
from symbrnn.judge.student import check_unused, read_definitions, use_definitions


def parse_derivation(text: str, cell, context: dict | None = None, quantity=None) -> list[Member]:
    """The members of a hand derivation, each read for a cell (see :func:`split_members`).

    A first member that names ``quantity`` itself is dropped; positions in messages count
    characters of ``text`` as given.

    >>> from symbrnn.engine.cells import simple_rnn
    >>> from symbrnn.engine.quantity import parse_quantity
    >>> ms = parse_derivation(r"\\frac{\\partial h_2}{\\partial h_1} = \\mathrm{diag}(\\sigma'(a_2)) W",
    ...                       simple_rnn(), {"t": 2, "k": 1}, parse_quantity("dh_2/dh_1"))
    >>> [m.latex for m in ms]
    ["\\\\mathrm{diag}(\\\\sigma'(a_2)) W"]
    """
    if not text or not text.strip():
        raise AnswerParseError("answer.empty")
    restates = partial(names_quantity, quantity=quantity, context=context or {})
    tokens, remarks = read_remarks(
        respell(ellipses(tokenize(text, keep_words=True))), text, restates, context
    )
    members = []
    for tokens_of, start, end in split_members(tokens, restates):
        trimmed = trim_member(tokens_of)
        members.append((trimmed, start, min(end, trimmed[-1].pos)))
    if not members:  # only connectives or remarks (\implies, \text{donc}): no expression
        raise AnswerParseError("answer.no_expression")
    indices = elements.element_indices(members[0][0], quantity)
    D = Derivation.of(cell)
    named = len(members) > 1 and _a_name(members[0][0], D)  # J = …: the answer's own name
    if indices or named or names_quantity(members[0][0], quantity, context or {}):
        if len(members) == 1:
            raise AnswerParseError("answer.only_quantity")
        members.pop(0)
    if quantity is not None and quantity.kind == "input":
        context = dict(context or {}, element_shape=_input_shape(cell), indices=indices)
    defined, shapes, said = read_definitions(remarks, D, context or {}, Parser)
    out, read = [], []
    for index, (tokens, start, end) in enumerate(members, 1):
        source = member_source(text, start, end)
        notes: list = list(said)
        try:
            expr = _parse_tokens(tokens, D, context or {}, notes, shapes)
            read.append(expr)
            expr = use_definitions(expr, defined)
        except AnswerParseError as exc:
            if exc.key != "answer.not_matrices":
                raise
            expr = exc  # a product that is not defined: a wrong member, not an unreadable one
        out.append(Member(index, source, expr, notes))
    check_unused(remarks, D, context or {}, read)
    return out


def _a_name(tokens, D) -> bool:
    """A letter the cell does not know, alone or with a subscript (``J``, ``J_t``, ``G_{3}``):
    a name the student gives the answer, not a value."""
    texts = [t.text for t in tokens if t.kind != "end"]
    if not texts or tokens[0].kind != "name" or (texts[1:2] and texts[1] != "_"):
        return False
    known = {name.split("_")[0] for name in [*D.params, *D.states]}
    known |= {n.name.split("_")[0] for n in D.trace.named_nodes} | {"x", "I", "L"}
    known |= set(D.cell.notation)
    rest = texts[2:]
    simple = len(rest) <= 1 or (rest[0] == "{" and rest[-1] == "}" and "{" not in rest[1:])
    return texts[0] not in known and simple


def _input_shape(cell):
    D = Derivation.of(cell)
    return (D.n, D.d)


def _parse_tokens(tokens, D, context, notes, shapes=None):
    try:
        parser = Parser(tokens, D, context)
        parser.shapes = shapes or {}
        if "element_shape" in context and elements.looks_element_level(tokens):
            reader = elements.ElementReader(parser, context["element_shape"], context["indices"])
            out = reader.read()
            notes.extend(dict.fromkeys(parser.notes))
            return out
        out = parser.parse()
        notes.extend(dict.fromkeys(parser.notes))
        return out
    except AnswerParseError:
        raise
    except RecursionError:
        raise AnswerParseError("answer.nested") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        # SymPy's ShapeError is a ValueError: the product of the answer is not defined
        raise AnswerParseError("answer.not_matrices", detail=str(exc)[:200]) from None


def parse_answer(text: str, cell, context: dict | None = None, notes: list | None = None):
    """The value of an answer's last member, for a cell; ``context`` gives the concrete t,
    k (and T); ``notes`` receives what the reader had to interpret (the abuse of notation
    [Diag(σ')W]^n).
    """
    last = parse_derivation(text, cell, context)[-1]
    if isinstance(last.expr, AnswerParseError):
        raise last.expr
    if notes is not None:
        notes.extend(last.notes)
    return last.expr


__all__ = ["AnswerParseError", "Member", "parse_answer", "parse_derivation", "tokenize"]
