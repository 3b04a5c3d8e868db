"""Read a hand-written derivation (the course's LaTeX, or plain text) into symbrnn expressions.

Matrix products are juxtaposition (``A B``, ``A \\cdot B``, ``A \\times B``), ``\\odot``
or ``\\circ`` the Hadamard product, ``^\\top`` / ``^T`` / ``^{\\intercal}`` a transpose,
``[B]^{n}`` a matrix power. ``\\prod_{j=a}^{b}`` is read with the factor j = b on
the left (symbrnn's convention, as in ∂h_t/∂h_k = Π ∂h_j/∂h_{j-1}).

>>> from symbrnn.engine.cells import simple_rnn
>>> from symbrnn.printing.text import text
>>> e = parse_answer(r"\\mathrm{diag}(\\sigma'(a_3)) W", simple_rnn(), {"t": 3, "k": 1})
>>> text(e)
"Diag(σ'(a₃)) W"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp
from sympy import Identity, Transpose

from symbrnn.engine.derive import Derivation
from symbrnn.engine.matexpr import (
    ERASED,
    Apply,
    BracketPower,
    Diag,
    Ones,
    OrderedProduct,
    TimeVec,
    add,
    hadamard,
    mul,
    neg,
)
from symbrnn.judge import elements
from symbrnn.judge.calculus import MAX_POWER, CalculusNotation, has_erased_step, write_out_sums
from symbrnn.judge.indices import IndexReader
from symbrnn.judge.messages import Msg
from symbrnn.judge.notation import AnswerParseError, Token, function_name, tokenize

# The letters an index may use: the steps t, k, j, the horizon T, n, s.


def _is_vector(e) -> bool:
    shape = getattr(e, "shape", None)
    return bool(shape) and shape[1] == 1 and shape[0] != 1


class Parser(CalculusNotation):
    """Recursive descent over the tokens; builds symbrnn matrix expressions."""

    def __init__(self, tokens: list[Token], derivation: Derivation, context: dict):
        self.tokens = tokens
        self.notes: list[str] = []
        self.i = 0
        self.opened: list[Token] = []  # the brackets open where the reader is
        self.waiting_powers = 0  # [B]^n read before the ∂L_t/∂h_t that gives their step
        self.D = derivation
        self.context = {k: sp.Integer(v) if isinstance(v, int) else v for k, v in context.items()}
        self.vectors = (
            {n.name for n in derivation.trace.named_nodes} | set(derivation.states) | {"x"}
        )

    # -- helpers ---------------------------------------------------------------
    def peek(self, offset=0) -> Token:
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def take(self, kind=None, text=None) -> Token:
        tok = self.peek()
        if (kind and tok.kind != kind) or (text is not None and tok.text != text):
            self._unclosed_at_end(tok)
            raise AnswerParseError(
                "answer.expected_token", pos=tok.pos, want=repr(text or kind), got=_shown(tok)
            )
        self.i += 1
        return tok

    def accept(self, kind=None, text=None) -> bool:
        tok = self.peek()
        if (kind is None or tok.kind == kind) and (text is None or tok.text == text):
            self.i += 1
            return True
        return False

    def close(self, bracket: str, opened: Token):
        """The bracket that closes ``opened``; at the end of the text, the error points at
        the bracket left open."""
        self.take("op", bracket)
        self.opened.remove(opened)

    def _unclosed_at_end(self, tok: Token):
        if tok.kind == "end" and self.opened:
            opened = self.opened[-1]
            raise AnswerParseError("answer.unclosed", pos=opened.pos, bracket=repr(opened.text))

    def braced(self) -> list[Token]:
        """The tokens up to the '}' that closes a '{' just taken."""
        start, depth = self.i, 1
        opened = self.tokens[start - 1].pos
        while depth:
            tok = self.take()
            if tok.kind == "end":
                raise AnswerParseError("answer.unclosed_brace", pos=opened)
            depth += {"{": 1, "}": -1}.get(tok.text, 0)
        return self.tokens[start : self.i - 1]

    def group(self):
        """{ ... } or a single token, as a time index expression."""
        toks = self.braced() if self.accept("op", "{") else [self.take()]
        return self.index_value(toks)

    def index_value(self, toks: list[Token]):
        """A time index from its tokens: integers, t, k, j, T, n, s, + − ( ). No evaluation
        of text: the value is built from SymPy integers and symbols."""
        where = toks[0].pos if toks else self.peek().pos
        reader = IndexReader(toks, self.context, where)
        return reader.read()

    # -- grammar ---------------------------------------------------------------
    def parse(self):
        expr = self.expr()
        if self.peek().kind != "end":
            tok = self.peek()
            raise AnswerParseError("answer.unexpected", pos=tok.pos, got=_shown(tok))
        zeroed: list = []
        expr = write_out_sums(expr, zeroed=zeroed)
        if zeroed:
            t, k = min(zeroed)
            self.notes.append(Msg.of("note.future_zero", t=t, k=k))
        nodes = set(sp.preorder_traversal(expr))  # one walk for every check below
        products = [n for n in nodes if isinstance(n, OrderedProduct)]
        vectors = [n for n in nodes if isinstance(n, TimeVec)]
        bound = {p.index for p in products}
        free = sorted(
            {str(s) for v in vectors if v.time != ERASED for s in v.time.free_symbols - bound}
        )
        for p in products:
            free += sorted(str(s) for s in (p.lo.free_symbols | p.hi.free_symbols) - bound)
        if free == ["T"] or (free and free[0] == "T"):
            raise AnswerParseError("answer.T_unbound")
        if free:
            raise AnswerParseError("answer.step_not_bound", step=free[0])
        if any(isinstance(n, BracketPower) for n in nodes):  # no ∂L_t/∂h_t came to resolve it
            raise AnswerParseError("answer.power_last_step")
        erased = sorted({v.name for v in vectors if v.time == ERASED})
        if erased:
            in_prime = {
                a.vec.name
                for a in nodes
                if isinstance(a, Apply) and a.order and a.vec.time == ERASED
            }
            if set(erased) <= in_prime and erased == ["a"]:
                raise AnswerParseError("answer.prime_without_step")
            name = erased[0]
            raise AnswerParseError("answer.needs_step", name=name)
        return expr

    def expr(self):
        sign = -1 if self.accept("op", "-") else 1
        self.accept("op", "+")
        out = self.hterm()
        out = neg(out) if sign < 0 else out
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take().text
            right = self.hterm()
            out = add(out, right if op == "+" else neg(right))
        return out

    def hterm(self):
        out = self.mterm()
        while self.accept("hadamard"):
            out = hadamard(out, self.mterm())
        return out

    def mterm(self):
        factors = [self.postfix()]
        while True:
            if self.peek().kind == "op" and self.peek().text == "*":
                self.take()
                right = self.postfix()
                if _is_vector(factors[-1]) and _is_vector(right):  # NumPy's *: elementwise
                    factors[-1] = hadamard(factors[-1], right)
                else:
                    factors.append(right)
            elif self.accept("times") or self._starts_atom():
                factors.append(self.postfix())
            else:
                break
        unfolded = [self._unfold(f, factors[:i]) for i, f in enumerate(factors)]
        scalar = sp.Mul(*(f for f in unfolded if not getattr(f, "is_Matrix", False)))
        matrices = [f for f in unfolded if getattr(f, "is_Matrix", False)]
        if not matrices:
            return scalar
        product = mul(*matrices)
        if scalar == 1:
            return product
        if scalar == 0:
            return sp.ZeroMatrix(*product.shape)
        return sp.MatMul(scalar, *(product.args if isinstance(product, sp.MatMul) else [product]))

    def _starts_atom(self) -> bool:
        tok = self.peek()
        return (
            tok.kind
            in (
                "diag",
                "func",
                "frac",
                "prod",
                "sum",
                "name",
                "number",
                "tilde",
                "partial",
                "font",
                "begin",
                "indicator",
            )
            or (tok.kind == "op" and tok.text in "([")
            or (tok.kind == "cmd" and tok.text == "\\delta")
        )

    def postfix(self):
        out = self.atom()
        while True:
            if self.accept("transpose"):
                out = Transpose(out)
            elif self.peek().kind == "op" and self.peek().text == "^":
                caret = self.take()
                toks = self.braced() if self.accept("op", "{") else [self.take()]
                if self.transposes(out, toks):
                    out = Transpose(out)  # W^T, W^{T}: T is never a power of a matrix here
                else:
                    out = self.power_at(out, self.index_value(toks), caret.pos)
            else:
                return out

    def power(self, base, exponent, pos):
        """A whole power: of a matrix (a product), or elementwise of a vector (h_t^2).

        A base whose σ' has no step ([Diag(σ') W]^n, the course's abuse of notation)
        stays a bracket power until its product knows its last step (see ``mterm``).
        """
        if not getattr(base, "is_Matrix", False):  # a number: (1/4)^{35}
            if not exponent.is_Integer or abs(exponent) > MAX_POWER:
                raise AnswerParseError("answer.power_range", exponent=exponent, limit=MAX_POWER)
            return base**exponent
        generic = {
            v: TimeVec(v.name, ERASED, *v.shape)
            for v in base.atoms(TimeVec)
            if v.time.is_Symbol and v.time.name not in self.context
        }
        if generic:  # [Diag(σ'(a_j)) W]^n with j free: the same abuse of notation
            base = base.xreplace(generic)
        if has_erased_step(base):
            return BracketPower(base, exponent)
        if not exponent.is_Integer:
            raise AnswerParseError("answer.symbolic_power", exponent=exponent, pos=pos)
        if not 0 <= exponent <= MAX_POWER:
            raise AnswerParseError("answer.power_range", exponent=exponent, limit=MAX_POWER)
        e = int(exponent)
        if base.shape[1] == 1 and base.shape[0] != 1:  # a vector: elementwise, h_t^2 = h_t ⊙ h_t
            out = base
            for _ in range(e - 1):
                out = hadamard(out, base)
            return out if e else Ones(self.D.n)
        return mul(*([base] * e)) if e else Identity(base.shape[0])

    def atom(self):
        tok = self.peek()
        if tok.text == "(" and (scalar := self.bound_scalar()) is not None:
            return scalar  # (t − k) of a general answer, at its instance
        if tok.kind == "op" and tok.text in "([":
            close = ")" if tok.text == "(" else "]"
            self.opened.append(self.take())
            inner = self.expr()
            self.close(close, tok)
            bare = has_erased_step(inner) and not inner.atoms(BracketPower)
            if bare and self.peek().text != "^":
                return BracketPower(inner, 1)  # [Diag(σ') W], one step of the product
            return inner
        if tok.kind == "diag":
            self.take()
            return Diag(self.argument())
        if tok.kind == "func":
            return self.function()
        if tok.kind == "frac":
            return self.fraction()
        if tok.kind == "prod":
            return self.product()
        if tok.kind == "sum":
            return self.summation()
        if tok.kind == "number":
            self.take()
            if tok.text == "1" and self.peek().text == "_":  # 1_{a_t > 0}, the indicator
                return self.indicator()
            if tok.text == "1":
                return Ones(self.D.n)
            if tok.text == "0":
                return sp.ZeroMatrix(self.D.n, self.D.n)
            if self._starts_atom() or self.peek().kind == "times":  # a scalar factor: 2 W
                return sp.Rational(tok.text)
            raise AnswerParseError("answer.bare_number", pos=tok.pos, number=tok.text)
        if tok.kind == "indicator":
            self.take()
            return self.indicator()
        if tok.kind in ("name", "tilde"):
            return self.symbol()
        if tok.kind == "font":
            self.take()
            if self.peek().text == "{" and self.peek(1).kind == "name" and self.peek(2).text == "}":
                self.take()
                letter = self.take("name").text
                self.take("op", "}")
                return self.symbol(letter)
            return self.argument()  # \mathbf{1}, \mathbf{(...)}
        if tok.kind == "begin":
            return self.block_matrix()
        if tok.kind == "cmd" and tok.text == "\\delta" and self.peek(1).text == "_":
            self.take()
            self.take("op", "_")
            k = self.group()  # δ_k = (∂L/∂h_k)ᵀ, the error signal at step k (a column)
            return Transpose(self._loss_derivative(None, self.D.states[0], k))
        if tok.kind == "cmd":
            raise AnswerParseError("answer.unknown_command", pos=tok.pos, command=tok.text)
        self._unclosed_at_end(tok)
        raise AnswerParseError("answer.unexpected", pos=tok.pos, got=_shown(tok))

    def indicator(self):
        """𝟙_{a_t > 0}: the elementwise indicator, relu′(a_t)."""
        self.take("op", "_")
        self.take("op", "{")
        vec = self.expr()
        self.take("compare")
        zero = self.take("number")
        if zero.text != "0":
            raise AnswerParseError("answer.unexpected", pos=zero.pos, got=repr(zero.text))
        self.take("op", "}")
        return Apply("relu", vec, 1)

    def block_matrix(self):
        """\\begin{pmatrix} A & B \\\\ C & D \\end{pmatrix}: a matrix of blocks."""
        start = self.take("begin")
        rows, row = [], [self.expr()]
        while not self.accept("endmatrix"):
            if self.accept("cell"):
                row.append(self.expr())
            elif self.accept("row"):
                rows.append(row)
                row = [self.expr()]
            else:
                tok = self.peek()
                raise AnswerParseError("answer.matrix_cell", pos=tok.pos, start=start.pos)
        rows.append(row)
        if len({len(r) for r in rows}) != 1:
            raise AnswerParseError("answer.matrix_rows", start=start.pos)
        return sp.BlockMatrix(rows)

    def argument(self):
        if self.peek().kind == "op" and self.peek().text in "([{":
            opened = self.take()
            self.opened.append(opened)
            inner = self.expr()
            self.close({"(": ")", "[": "]", "{": "}"}[opened.text], opened)
            return inner
        return self.postfix()

    def function(self):
        tok = self.take("func")
        name = function_name(tok.text)
        order = 0
        while self.accept("prime"):
            order += 1
        exponent = None
        if self.peek().text == "^":  # \tanh^2(a_t): the elementwise square
            caret = self.take()
            toks = self.braced() if self.accept("op", "{") else [self.take()]
            exponent = (self.index_value(toks), caret.pos)
        while self.accept("prime"):
            order += 1
        if self.peek().kind == "op" and self.peek().text in "([":
            value = Apply(name, self.argument(), order)
            return value if exponent is None else self.power(value, *exponent)
        erased = self._erased_argument(name) if order and exponent is None else None
        if erased is not None:  # Diag(σ') of [Diag(σ') W]^n: the step comes from the power
            return Apply(name, erased, order)
        raise AnswerParseError(
            "answer.function_argument", pos=tok.pos, function=tok.text + "'" * order
        )

    def symbol(self, letter=None):
        tilde = False
        if letter is not None:
            pass
        elif self.accept("tilde"):
            tilde = True
            if self.accept("op", "{"):
                letter = self.take("name").text
                self.take("op", "}")
            else:  # \tilde h_t, \tilde{h}_t
                letter = self.take("name").text
        else:
            letter = self.take("name").text
        sub, sub_toks = None, []
        if self.accept("op", "_"):
            sub_toks = self.braced() if self.accept("op", "{") else [self.take()]
            sub = "".join(t.text for t in sub_toks)
        letter = self.D.cell.notation.get(letter, letter)  # v for the input x of the lemma
        name = letter + ("_tilde" if tilde else "")
        if letter == "I" and sub in (None, "n", "{n}"):  # I, I_n
            return Identity(self.D.n)
        if sub is not None and f"{letter}_{sub}" in self.D.params:
            return self.D.params[f"{letter}_{sub}"]
        if sub is None and letter in self.D.params:
            return self.D.params[letter]
        if name in self.vectors:
            if sub is None and "step" in self.context:  # a one-step quantity: u, v, a
                return self.D.vec(name, self.context["step"])
            if sub is None:  # a step left out: read inside [..]^n, refused elsewhere (parse)
                return self.D.vec(name, ERASED)
            return self.D.vec(name, self.index_value(sub_toks))
        if sub is not None and f"{letter}_{sub}" in self.vectors:  # a_f of σ'(a_f) in [..]^n
            return self.D.vec(f"{letter}_{sub}", ERASED)
        # pre-activation of a gate written a_f,t or a^{(f)}_t is rare: a_{f,t}
        if letter == "a" and sub and "," in sub:
            comma = next(i for i, t in enumerate(sub_toks) if t.text == ",")
            gate = "".join(t.text for t in sub_toks[:comma])
            if f"a_{gate}" in self.vectors:
                return self.D.vec(f"a_{gate}", self.index_value(sub_toks[comma + 1 :]))
        known = ", ".join(sorted(self.D.params) + sorted(self.vectors))
        raise AnswerParseError(
            "answer.unknown_symbol", symbol=name + ("_" + sub if sub else ""), known=known
        )


MAX_MEMBERS = 12  # members of one derivation (a sheet's longest derivation has six)


@dataclass
class Member:
    """One member of a derivation M₀ = M₁ = … = M_k: its text, its value, what was read."""

    index: int  # 1-based, after a M₀ that names the quantity is dropped
    latex: str
    expr: object
    notes: list = field(default_factory=list)


def split_members(tokens: list[Token]) -> list[tuple[list[Token], int, int]]:
    """The members of a derivation: its tokens cut at every top-level '=', each with the
    span of text it came from.

    Outside a matrix, the alignment marks of ``aligned``/``align*`` (``&`` and ``\\\\``)
    only lay the lines out: they are dropped. A leading '=' (a line that starts with
    '=') leaves an empty first member, dropped too.
    """
    members: list[list[Token]] = [[]]
    spans = [0]
    depth = matrices = 0
    for tok in tokens[:-1]:
        if tok.kind == "begin":
            matrices += 1
        elif tok.kind == "endmatrix":
            matrices -= 1
        elif matrices == 0 and tok.kind in ("cell", "row"):
            continue
        if tok.text in ("{", "(", "["):
            depth += 1
        elif tok.text in ("}", ")", "]"):
            depth -= 1
        if tok.kind == "op" and tok.text == "=" and depth == 0 and matrices == 0:
            members.append([])
            spans += [tok.pos, tok.pos + 1]
        else:
            members[-1].append(tok)
    spans.append(tokens[-1].pos)
    pairs = [(m, spans[2 * i], spans[2 * i + 1]) for i, m in enumerate(members)]
    if not members[0] and len(members) > 1:
        pairs.pop(0)
    for number, (member, _, _) in enumerate(pairs, 1):
        if not member:
            raise AnswerParseError("answer.empty_member", index=number)
    if len(pairs) > MAX_MEMBERS:
        raise AnswerParseError("answer.too_many_members", limit=MAX_MEMBERS)
    return [([*m, Token("end", "", m[-1].pos + len(m[-1].text))], a, b) for m, a, b in pairs]


_LAYOUT_EDGE = (
    r"(?:\s|&|\\\\|\\(?:begin|end)\s*\{\s*\w+\*?\s*\}|\\(?:text\w*|mbox)\s*\{[^{}]*\}"
    r"|\\q?quad(?![A-Za-z])|\\[,;!: ]|\$|%[^\n]*)+"
)
_EDGES = re.compile(f"^{_LAYOUT_EDGE}|{_LAYOUT_EDGE}$")


def _source(text: str, start: int, end: int) -> str:
    """A member's text as the student typed it, without the layout around it."""
    return _EDGES.sub("", text[start:end])


def names_quantity(tokens: list[Token], quantity, context: dict) -> bool:
    """Whether a member is only the quantity's own name (∂L/∂W, ∂h_3/∂h_1): the M₀ of a
    derivation, dropped before judging."""
    kinds = [t.kind for t in tokens]
    if quantity is not None and quantity.kind == "gradient" and _nabla(tokens) == quantity.name:
        return True
    if kinds[:1] != ["frac"] or quantity is None:
        return False
    parts, i = [], 1
    for _ in range(2):
        if tokens[i].text != "{" or tokens[i + 1].kind != "partial":
            return False
        i += 2
        if tokens[i].text == "^":  # ∂⁺
            i += 1
            i += 3 if tokens[i].text == "{" else 1
        if tokens[i].kind != "name":
            return False
        letter, sub = tokens[i].text, None
        i += 1
        if tokens[i].text == "_":
            if tokens[i + 1].text == "{":
                close = next((j for j in range(i + 2, len(tokens)) if tokens[j].text == "}"), None)
                if close is None:
                    return False
                sub, i = tokens[i + 2 : close], close + 1
            else:
                sub, i = [tokens[i + 1]], i + 2
        if tokens[i].text != "}":
            return False
        parts.append((letter, sub))
        i += 1
    if tokens[i].kind != "end":
        return False
    (num, num_sub), (den, den_sub) = parts
    if quantity.kind == "input":
        return num == quantity.name and den == quantity.wrt and num_sub == den_sub
    if quantity.kind == "gradient":
        name = den + ("" if den_sub is None else "_" + "".join(t.text for t in den_sub))
        return num == "L" and num_sub is None and name == quantity.name
    try:
        values = [
            IndexReader(
                sub, {k: sp.Integer(v) for k, v in context.items() if isinstance(v, int)}, 0
            ).read()
            if sub
            else None
            for sub in (num_sub, den_sub)
        ]
    except AnswerParseError:
        return False
    return (num, den, values[0], values[1]) == (
        quantity.name,
        quantity.name,
        quantity.t,
        quantity.k,
    )


def _nabla(tokens) -> str | None:
    """The parameter of ``\\nabla_W L`` (∇_{W_f} L), else None."""
    texts = [t.text for t in tokens if t.kind != "end"]
    if len(texts) < 4 or texts[0] != "\\nabla" or texts[1] != "_" or texts[-1] != "L":
        return None
    inner = texts[2:-1]
    if inner[:1] == ["{"] and inner[-1:] == ["}"]:
        inner = inner[1:-1]
    return "".join(inner) or None


def _shown(tok: Token):
    return repr(tok.text) if tok.text else Msg.of("answer.the_end")


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
    members = split_members(tokenize(text))
    indices = elements.element_indices(members[0][0], quantity)
    if indices or names_quantity(members[0][0], quantity, context or {}):
        if len(members) == 1:
            raise AnswerParseError("answer.only_quantity")
        members.pop(0)
    if quantity is not None and quantity.kind == "input":
        context = dict(context or {}, element_shape=_input_shape(cell), indices=indices)
    D = Derivation.of(cell)
    out = []
    for index, (tokens, start, end) in enumerate(members, 1):
        source = _source(text, start, end)
        notes: list = []
        try:
            expr = _parse_tokens(tokens, D, context or {}, notes)
        except AnswerParseError as exc:
            if exc.key != "answer.not_matrices":
                raise
            expr = exc  # a product that is not defined: a wrong member, not an unreadable one
        out.append(Member(index, source, expr, notes))
    return out


def _input_shape(cell):
    D = Derivation.of(cell)
    return (D.n, D.d)


def _parse_tokens(tokens, D, context, notes):
    try:
        parser = Parser(tokens, D, context)
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
