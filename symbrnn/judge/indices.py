"""Time indices of an answer: a tiny grammar of their own, never an evaluator.

index := term (('+' | '-') term)*;  term := ['-'] (INTEGER | LETTER | '(' index ')'),
with the letters t, k, j, T, n, s (a letter the context knows, such as the quantity's t,
takes its value). The value is built from SymPy integers and symbols.
"""

from __future__ import annotations

import sympy as sp

from symbrnn.judge.messages import Msg
from symbrnn.judge.notation import AnswerParseError

INDEX_LETTERS = frozenset("tkjTns")
MAX_INDEX = 100_000  # the largest number an index may hold (the commands bound T far lower)


class IndexReader:
    """index := term (('+' | '-') term)*;  term := ['-'] (INTEGER | LETTER | '(' index ')')."""

    def __init__(self, toks, context, where):
        self.toks, self.i, self.context, self.where = list(toks), 0, context, where

    def fail(self, why: str = "index.letters", **params) -> AnswerParseError:
        text = "".join(t.text for t in self.toks)[:40]
        pos = self.toks[min(self.i, len(self.toks) - 1)].pos if self.toks else self.where
        return AnswerParseError(
            "answer.index", index=repr(text), pos=pos, why=Msg.of(why, **params)
        )

    def read(self):
        if not self.toks:
            raise self.fail("index.empty")
        value = self.index()
        if self.i != len(self.toks):
            raise self.fail()
        return value

    def index(self, depth=0):
        if depth > 20:
            raise self.fail("index.nested")
        value = self.term(depth)
        while self.i < len(self.toks) and self.toks[self.i].text in ("+", "-"):
            sign = self.toks[self.i].text
            self.i += 1
            right = self.term(depth)
            value = value + right if sign == "+" else value - right
        return value

    def term(self, depth):
        if self.i >= len(self.toks):
            raise self.fail("index.incomplete")
        tok = self.toks[self.i]
        self.i += 1
        if tok.text == "-":
            return -self.term(depth)
        if tok.kind == "number" and tok.text.isdigit():
            if len(tok.text) > 6 or int(tok.text) > MAX_INDEX:
                raise self.fail("index.too_large", limit=f"{MAX_INDEX:,}")
            return sp.Integer(int(tok.text))
        bound = tok.kind in ("name", "cmd") and tok.text in self.context  # ∏_{i=2}^{3}, τ
        if (tok.kind == "name" and tok.text in INDEX_LETTERS) or bound:
            value = self.context.get(tok.text)
            return value if value is not None else sp.Symbol(tok.text, integer=True)
        if tok.text == "(":
            value = self.index(depth + 1)
            if self.i >= len(self.toks) or self.toks[self.i].text != ")":
                raise self.fail("index.unclosed")
            self.i += 1
            return value
        self.i -= 1
        raise self.fail()
