"""The grammar of notation students write beside the course's: identities (``\\mathrm{Id}``,
``I_n``, ``\\mathbb{1}`` where a matrix is due), indicators (``\\mathbb{1}_{\\{a_3>0\\}}``,
``\\mathbf{1}[a_3>0]``) for relu′, numbers (``\\frac14``, ``0{,}25``), and the definitions
of a remark (``\\text{ où } a_t = W h_{t-1} + U x_t``) put in place of their names.

A mixin of :class:`~symbrnn.judge.grammar.Parser`: the same tokens and helpers.
"""

from __future__ import annotations

import sympy as sp
from sympy import Identity
from sympy.core.sympify import _sympify  # strict: never parses a string

from symbrnn.engine.matexpr import (
    ERASED,
    Apply,
    BracketPower,
    Ones,
    Partial,
    TimeVec,
    add,
    hadamard,
    mul,
    neg,
)
from symbrnn.judge.accents import accent_suffix
from symbrnn.judge.calculus import MAX_POWER, has_erased_step
from symbrnn.judge.indices import IndexReader
from symbrnn.judge.messages import Msg
from symbrnn.judge.notation import AnswerParseError, Token, function_name

_CLOSE = {"(": ")", "[": "]", "{": "}"}
_NEGATIVE = ("<", "<=", "≤", "\\le", "\\leq", "\\lt", "\\leqslant")
MAX_DEFINITIONS = 8


class BoldOne(Ones):
    """𝟙 or 𝟏 as written: the vector of ones, or the identity where only a matrix fits
    (``\\mathbf{1} + W``, ``\\mathbb{1} W``, a Jacobian that is 𝟙 alone)."""

    rows = property(lambda self: self.args[0])

    @staticmethod
    def promote(term, other):
        """``term`` as the identity when it is 𝟙 and ``other`` a square matrix of its size."""
        if not isinstance(term, BoldOne):  # nearly always: no shape asked of the other
            return term
        shape = getattr(other, "shape", None)
        return Identity(term.rows) if shape and shape[0] == shape[1] == term.rows else term

    @staticmethod
    def promote_factors(factors):
        """𝟙 followed by a factor it cannot multiply as a column: the identity."""
        out = list(factors)
        for i, f in enumerate(out[:-1]):
            after = getattr(out[i + 1], "shape", None) if isinstance(f, BoldOne) else None
            if after and after[0] != 1:
                out[i] = Identity(f.rows)
        return out


def rational(text: str):
    """A number token (digits, one optional point) as an exact rational, from its digits."""
    whole, _, frac = text.partition(".")
    if not (whole.isdigit() and (frac == "" or frac.isdigit())) or len(text) > 12:
        raise AnswerParseError("answer.bare_number", pos=0, number=text[:20])
    return sp.Rational(int(whole + frac), 10 ** len(frac))


class StudentNotation:
    """Identities, indicators, bold ones and numeric fractions."""

    def identity(self):
        """\\mathrm{Id}, \\mathbb{I}, I_n: the identity of the state's size (of the input's
        size when written I_d, a readable wrong answer)."""
        if not self.accept("op", "_"):
            return Identity(self.D.n)
        return self.sized_identity(self.braced() if self.accept("op", "{") else [self.take()])

    def sized_identity(self, toks):
        letters = [t.text for t in toks if t.kind != "times"]
        if letters and set(letters) <= {"n"} and len(letters) <= 2:
            return Identity(self.D.n)
        if letters and set(letters) <= {"d"} and len(letters) <= 2:
            return Identity(self.D.d)
        raise AnswerParseError("answer.identity_size", pos=toks[0].pos if toks else 0)

    def bold_one(self):
        """𝟙, 𝟙_n: ones, or the identity where a matrix is due (see :class:`BoldOne`)."""
        if self.peek().text == "_":
            self.take()
            toks = self.braced() if self.accept("op", "{") else [self.take()]
            if [t.text for t in toks if t.kind != "times"] not in (["n"], ["n", "n"]):
                raise AnswerParseError("answer.identity_size", pos=toks[0].pos if toks else 0)
        return BoldOne(self.D.n)

    def _compares(self) -> bool:
        """Whether the group after 𝟙 (``_{…}``, ``(…)``, ``[…]``) holds a comparison."""
        at = self.i + (self.peek().text == "_")
        first = self.tokens[at]
        if first.text not in _CLOSE:
            return False
        depth = 0
        for tok in self.tokens[at:]:
            depth += (tok.text in _CLOSE) - (tok.text in _CLOSE.values())
            if tok.kind == "compare":
                return True
            if depth == 0 or tok.kind == "end":
                return False
        return False

    def indicator(self):
        """𝟙_{a_t > 0}, 𝟙_{\\{a_t>0\\}}, 𝟙[a_t > 0], 𝟙(0 < a_t): relu′(a_t); 𝟙_{a_t < 0} is
        1 − relu′(a_t) (a readable answer, wrong for relu′)."""
        self.accept("op", "_")
        closes = []
        while self.peek().text in _CLOSE:
            opened = self.take()
            self.opened.append(opened)
            closes.append(opened)
        if self.peek().kind == "number" and self.peek(1).kind == "compare":
            zero, compare = self.take(), self.take()
            vec = self.expr()
            negative = compare.text not in _NEGATIVE  # 0 > a: a is negative
        else:
            vec = self.expr()
            compare, zero = self.take("compare"), self.take("number")
            negative = compare.text in _NEGATIVE
        if zero.text != "0":
            raise AnswerParseError("answer.indicator", pos=zero.pos)
        for opened in reversed(closes):
            self.close(_CLOSE[opened.text], opened)
        relu = Apply("relu", vec, 1)
        return add(Ones(self.D.n), neg(relu)) if negative else relu

    def _numeric_fraction(self) -> bool:
        """\\frac14, \\frac{1}{4}, \\tfrac{1}4: a fraction of two numbers."""
        nxt = [self.peek(k) for k in range(1, 4)]
        if nxt[0].kind == "number":
            return True
        return nxt[0].text == "{" and nxt[1].kind == "number" and nxt[2].text == "}"

    def number_fraction(self):
        self.take("frac")
        num = self._fraction_digits()
        den_tok = self.peek()
        den = self._fraction_digits()
        if den == 0:
            raise AnswerParseError("answer.unexpected", pos=den_tok.pos, got=repr("0"))
        return num / den

    def number_power(self, tok):
        """10^{-3}, 2^5 before a matrix: a number to an integer power, a scalar factor."""
        caret = self.take()
        toks = self.braced() if self.accept("op", "{") else [self.take()]
        exponent = self.index_value(toks)
        if not exponent.is_Integer or abs(exponent) > MAX_POWER:
            raise AnswerParseError("answer.power_range", exponent=exponent, limit=MAX_POWER)
        base = rational(tok.text)
        if base == 0 or not (self._starts_atom() or self.peek().kind == "times"):
            raise AnswerParseError("answer.bare_number", pos=caret.pos, number=tok.text)
        return base ** int(exponent)

    def _fraction_digits(self):
        """One argument of a numeric fraction: {12}, or a single digit (\\frac14)."""
        if self.accept("op", "{"):
            tok = self.take("number")
            self.take("op", "}")
            return rational(tok.text)
        tok = self.take("number")
        if len(tok.text) > 1:  # \frac14: the argument is the first digit, the rest follows
            rest = tok.text[1:]
            kind = "number" if rest[0].isdigit() else "op"
            self.i -= 1
            self.tokens[self.i] = type(tok)(kind, rest, tok.pos + 1)
            return rational(tok.text[0])
        return rational(tok.text)

    def function(self):
        """σ(a_t), σ'(a_t), \tanh^2(a_t) (the square of tanh), σ'_t and σ′ₜ (σ' at a_t), σ'
        alone inside [Diag(σ') W]^n; a bare vector argument: \tanh a_t."""
        tok = self.take("func")
        name = function_name(tok.text)
        order, exponent, step = 0, None, None
        while True:
            if self.peek().kind == "prime":
                prime = self.take().text
                order += max(1, prime.count("\\prime") + prime.count("'"))
            elif self.peek().text == "^" and exponent is None:  # \tanh^2(a_t)
                caret = self.take()
                toks = self.braced() if self.accept("op", "{") else [self.take()]
                exponent = (self.index_value(toks), caret.pos)
            elif self.peek().text == "_" and step is None:  # σ'_t: σ' at the step t
                self.take()
                step = self.braced() if self.accept("op", "{") else [self.take()]
            else:
                break
        if order > 1:  # σ'': no Jacobian of the course has one (and none is evaluated)
            raise AnswerParseError("answer.second_derivative", pos=tok.pos, order=order)
        if self.peek().kind == "op" and self.peek().text in "([":
            value = Apply(name, self.argument(), order)
            if self.peek().kind == "prime":  # σ'(a_3)': a prime on a vector, not σ''
                raise AnswerParseError("answer.prime_after_argument", pos=self.peek().pos)
        elif self.peek().kind in ("name", "tilde") and self._names_vector():
            value = Apply(name, self.symbol(), order)
        else:
            erased = self._erased_argument(name) or self._activated()
            if erased is None or not (order or exponent or step):
                raise AnswerParseError(
                    "answer.function_argument", pos=tok.pos, function=tok.text + "'" * order
                )
            at = self.index_value(step) if step else erased.time
            value = Apply(name, erased.at(at), order)
        return value if exponent is None else self.power(value, *exponent)

    def _activated(self):
        """The one vector the cell applies any activation to: σ' written where the cell has
        tanh (the abuse of notation of a tanh variant) is read at it, a wrong activation."""
        names = {
            node.args[0].name
            for node in self.D.trace.nodes
            if node.op == "apply" and node.args[0].name
        }
        return TimeVec(names.pop(), ERASED, self.D.n) if len(names) == 1 else None

    def _names_vector(self) -> bool:
        tok = self.peek(1) if self.peek().kind == "tilde" else self.peek()
        letter = self.D.cell.notation.get(tok.text, tok.text)
        return tok.kind == "name" and (letter in self.vectors or letter in self.shapes)

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

    def defined(self, name, sub_toks):
        """A name a remark defines (its shape known from its value), at its step."""
        rows, cols = self.shapes[name]
        step = self.index_value(sub_toks) if sub_toks else self.context.get("step", 0)
        return TimeVec(name, step, rows, cols)


def read_definitions(remarks, D, context, parser):
    """The definitions of a remark read for the cell: name → (its index, its value); the
    shapes of the names the cell does not have; the notes that say how they were read."""
    defined, shapes, said = {}, {}, []
    for d in remarks.definitions:
        reader = parser([*d.lhs, Token("end", "", d.rhs[0].pos)], D, context)
        accent = d.lhs[0].text if d.lhs[0].kind == "tilde" else ""
        if reader.accept("tilde") or reader.accept("font"):
            reader.accept("op", "{")
        letter = reader.take("name").text
        reader.accept("op", "}")
        name = D.cell.notation.get(letter, letter) + accent_suffix(accent)
        sub = []
        if reader.accept("op", "_"):
            sub = reader.braced() if reader.accept("op", "{") else [reader.take()]
        letters = {t.text for t in sub if t.kind == "name"}
        local = {k: v for k, v in context.items() if k not in letters}
        index = IndexReader(sub, local, d.lhs[0].pos).read() if sub else None
        if index is not None and not (index.is_Symbol or index.is_Integer):
            remarks.skipped.append(d.source)
            continue
        rhs = parser(d.rhs, D, local)
        rhs.shapes = shapes
        value = rhs.expr()
        if rhs.peek().kind != "end":
            raise AnswerParseError(
                "answer.unexpected", pos=rhs.peek().pos, got=repr(rhs.peek().text)
            )
        value = value.xreplace({b: Ones(b.rows) for b in value.atoms(BoldOne)})
        if not hasattr(value, "shape"):
            remarks.skipped.append(d.source)
            continue
        if name in D.params:
            if value != D.params[name]:
                raise AnswerParseError("answer.contradicts_cell", definition=d.source[:80])
            continue  # W = W: the cell's own parameter, said again
        remarks.own.append((name, index, value, d.source))
        if name not in rhs.vectors:
            shapes[name] = value.shape
        defined[name] = (index, value)
        said.append(Msg.of("note.definition", definition=d.source))
    said += [Msg.of("note.remark_skipped", remark=r[:80]) for r in remarks.skipped]
    for name in _recurrent(defined):  # h_t = z_t ⊙ h_{t−1} + …, or a_t and h_t together:
        index, value = defined.pop(name)  # the cell's recurrence, checked and never unrolled
        if not _agrees_with_cell(D, name, index, value, context):
            source = next(src for n, _, _, src in remarks.own if n == name)
            raise AnswerParseError("answer.contradicts_cell", definition=source[:80])
    return defined, shapes, said


def _recurrent(defined: dict) -> list:
    """The names whose definitions lead back to themselves (through the others)."""
    uses = {
        n: {v.name for v in value.atoms(TimeVec)} & set(defined)
        for n, (_, value) in defined.items()
    }
    out = []
    for name in defined:
        seen, todo = set(), list(uses[name])
        while todo:
            other = todo.pop()
            if other not in seen:
                seen.add(other)
                todo.extend(uses[other])
        if name in seen:
            out.append(name)
    return out


MAX_CHECKED_STEP = 40  # a definition of a state at a later step is not evaluated


def check_unused(remarks, D, context, exprs):
    """A remark that defines a state or a pre-activation of the cell the answer does not
    use (``h_2 = W h_1`` beside ∂h₂/∂h₁) is checked against the cell: one that
    contradicts it refuses the answer (one that is used is judged in the answer)."""
    if not remarks.own:
        return
    used = set()
    for expr in exprs:
        if hasattr(expr, "atoms"):
            used |= {(v.name, v.time) for v in expr.atoms(TimeVec)}
    for name, index, value, source in remarks.own:
        at = {time for known, time in used if known == name}
        used_here = bool(at) if index is None else index in at if index.is_Integer else bool(at)
        if not used_here and not _agrees_with_cell(D, name, index, value, context):
            raise AnswerParseError("answer.contradicts_cell", definition=source[:80])


def _agrees_with_cell(D, name, index, value, context) -> bool:
    """Whether a state or a pre-activation defined by a remark is the engine's equation at
    its step (``h_2 = W h_1`` contradicts h₂ = σ(a₂)), compared at the judge's points. A
    constant (IV.3's f_t = 1) states a hypothesis: not checked here."""
    nodes = {n.name for n in D.trace.named_nodes}
    if index is None and "step" in context:  # u = \tanh(Av) of the lemma: at its one step
        index = sp.Integer(context["step"])
    if name not in nodes or not value.atoms(TimeVec) or index is None:
        return True
    step = index if index.is_Integer else context.get("t", 2)
    if not getattr(step, "is_Integer", isinstance(step, int)) or not 1 <= step <= MAX_CHECKED_STEP:
        return True
    step = int(step)
    value = value.xreplace({index: step}) if index.is_Symbol else value
    if any(not v.time.is_Integer for v in value.atoms(TimeVec)):
        return True
    from symbrnn.judge.points import cached_points

    engine = dict(D.definitions(step))[D.vec(name, step)]
    try:
        return cached_points(D, step).equal(value, engine).agree
    except (ValueError, TypeError, KeyError):
        return True  # not comparable here (a shape the cell does not have)


def use_definitions(expr, definitions: dict):
    """``expr`` with every vector a definition names put in its place: ``a_t = W h_{t-1}
    + U x_t`` turns a_3 into W h_2 + U x_3. The name inside a derivative (∂⁺h_k/∂W) is a
    name, not a value: it is left alone. ``definitions`` maps a name to (its index: a step,
    a symbol or None, its value)."""
    if not definitions:
        return expr
    for _ in range(MAX_DEFINITIONS):
        done = _replace(expr, definitions)
        if done == expr:
            return expr
        expr = done
    return expr


def _replace(expr, definitions):
    if isinstance(expr, TimeVec) and expr.name in definitions:
        index, value = definitions[expr.name]
        if index is None or index.is_Symbol:
            return value if index is None else value.xreplace({index: expr.time})
        return value if expr.time == index else expr
    if isinstance(expr, Partial) or not isinstance(expr, sp.Basic) or not expr.args:
        return expr
    args = [_replace(a, definitions) for a in expr.args]
    if args == list(expr.args):
        return expr
    if isinstance(expr, sp.MatMul):
        return mul(*args)
    if isinstance(expr, sp.MatAdd):
        return add(*args)
    return expr.func(*(_sympify(a) for a in args))
