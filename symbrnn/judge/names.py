"""The names of an answer: a letter with its fonts, accents, primes and step (``h_t``,
``\\tilde{c}_3``, ``h^{(t)}``, ``h^{<t>}``, ``W'_f``), read as the cell's parameter or
its vector at that step; a mixin of :class:`symbrnn.judge.grammar.Parser`.
"""

from __future__ import annotations

from sympy import Identity, Transpose

from symbrnn.engine.matexpr import ERASED
from symbrnn.judge.accents import accent_suffix
from symbrnn.judge.messages import Msg
from symbrnn.judge.notation import AnswerParseError


class NameReader:
    """symbol := [\\tilde] LETTER [PRIME…] [_ index | ^{(index)}]."""

    def symbol(self, letter=None):
        tilde = ""
        if letter is not None:
            pass
        elif self.peek().kind == "tilde":
            tilde = self.take().text  # \tilde, or an accent on a parameter (\hat W, \vec W)
            if self.accept("op", "{"):
                letter = self.take("name").text
                self.take("op", "}")
            else:  # \tilde h_t, \tilde{h}_t
                letter = self.take("name").text
        else:
            letter = self.take("name").text
        primes = 0
        while self.peek().kind == "prime" and self.peek(1).text == "_":  # W'_f
            self.take()
            primes += 1
        sub, sub_toks = None, []
        if self.accept("op", "_"):
            sub_toks = self.braced() if self.accept("op", "{") else [self.take()]
            sub = "".join(t.text for t in sub_toks)
        elif (script := self.paren_script(letter)) is not None:
            sub_toks, sub = script, "".join(t.text for t in script)
        letter = self.D.cell.notation.get(letter, letter)  # v for the input x of the lemma
        name = letter + accent_suffix(tilde)
        if tilde and name not in self.shapes and name not in self.vectors:
            raise AnswerParseError(  # W̃ is not W: an accent the cell's names do not have
                "answer.unknown_symbol",
                symbol=f"{tilde}{{{letter}}}" + ("_" + sub if sub else ""),
                known=", ".join(sorted(self.D.params) + sorted(self.vectors)),
            )
        if primes:
            self.notes.append(Msg.of("note.prime_transpose"))
            return Transpose(self._named(letter, name, sub, sub_toks))
        return self._named(letter, name, sub, sub_toks)

    def paren_script(self, letter):
        """The step written as a superscript in brackets, h^{(t)}, a^{(3)}, h^{<t>}, h^{[t]}
        (the deep-learning books' spellings): its tokens, consumed; None for anything else
        (W^{2} of a parameter is a power)."""
        texts = [self.peek(i).text for i in range(3)]
        closing = {"(": ")", "[": "]", "<": ">"}.get(texts[2])
        if texts[:2] != ["^", "{"] or closing is None or letter in self.D.params:
            return None
        depth, j = 0, 2
        while self.peek(j).kind != "end":
            depth += (self.peek(j).text == texts[2]) - (self.peek(j).text == closing)
            if depth == 0:
                break
            j += 1
        if self.peek(j).text != closing or self.peek(j + 1).text != "}":
            return None
        inner = [self.peek(i) for i in range(3, j)]
        self.i += j + 2
        return inner

    def _named(self, letter, name, sub, sub_toks):
        if name in self.shapes:
            return self.defined(name, sub_toks)
        if letter == "I" and "I" not in self.D.params:  # I, I_n, I_{n}
            return self.sized_identity(sub_toks) if sub_toks else Identity(self.D.n)
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
