"""The judge closes on itself (issue 35, point 5), over 200 variants of td5.

- the key's ``answer_latex`` of every variant is accepted under its seed, and refused under
  a seed whose answer differs;
- every row of the table of mistakes made on the key (the exam's distractors), printed by
  the engine's LaTeX printer, is refused and named by that row, or by a row whose mistaken
  key has the same values at every test point (the same edit);
- the key printed in every style the course writes (Diag spellings, σ′ as h ⊙ (1 − h),
  transposes, ∏ or a power, a sum written out or Σ, a French remark) is accepted.

Variants share their check options (td5's differ in T and the activation): each distinct
(question, options) is judged once, in this warm process, for every seed that asks it.
"""

import functools
import json
import random
import re
import zlib

import pytest
from sympy import Transpose

from symbrnn.engine.cells import make_cell
from symbrnn.engine.derive import Derivation, collapse, expand_products
from symbrnn.engine.matexpr import ERASED, Apply, Ones, TimeVec
from symbrnn.engine.quantity import parse_quantity
from symbrnn.judge.check import check_answer
from symbrnn.judge.expected import answer_expression, reference
from symbrnn.judge.lookup import mistaken_keys
from symbrnn.judge.mistakes import Context, mistaken_forms
from symbrnn.judge.points import cached_points
from symbrnn.printing.latex import RNNLatexPrinter, latex
from symbrnn.sheets.variants import variant_json

SEEDS = range(200)
_LOSS_STEPS = re.compile(r"\\partial L_\{(\d+)\}\}\{\\partial h_\{(\d+)\}")


@functools.cache
def _variants():
    """{(question, options): [seeds]} and each seed's key, for 200 seeds."""
    cases, keys = {}, {}
    for seed in SEEDS:
        for q in variant_json("td5", seed)["questions"]:
            if q["checkable"]:
                options = {k: v for k, v in q["check"].items() if k != "variant_seed"}
                case = (q["id"], json.dumps(options, sort_keys=True))
                cases.setdefault(case, []).append(seed)
                keys[case, seed] = q["answer_latex"]
    return cases, keys


def _cases():
    return sorted(_variants()[0])


@functools.cache
def _setting(case):
    options = json.loads(case[1])
    cell = make_cell(
        options["cell"],
        bias=options.get("bias", True),
        activation=options.get("activation"),
        reset_after=options.get("reset_after", False),
        allow_files=False,
    )
    q = parse_quantity(options["quantity"], allow_input=True)
    T, paths = options.get("T"), options.get("paths") or "all"
    kwargs = {"T": T, "paths": paths, "hypothesis": options.get("hypothesis")}
    return cell, options["quantity"], q, kwargs


def _judged(case, answer):
    """The verdict on an answer to a case; questions that ask the same (II.2 and III.1)
    share it."""
    return _judged_as(case[1], answer)


@functools.cache
def _judged_as(options, answer):
    cell, quantity, _, kwargs = _setting(("", options))
    try:
        return check_answer(cell, quantity, answer, **kwargs)
    except Exception as exc:  # an answer this question cannot read is refused
        return exc


def test_every_key_is_accepted_under_its_seed():
    cases, keys = _variants()
    assert sum(len(s) for s in cases.values()) == len(keys) >= 200 * 6
    for case, seeds in cases.items():
        for seed in seeds:
            verdict = _judged(case, keys[case, seed])
            assert getattr(verdict, "equivalent", False), (case, seed, verdict)


def test_a_key_is_refused_under_a_seed_whose_answer_differs():
    cases, keys = _variants()
    refused = 0
    for case, seeds in cases.items():
        key = keys[case, seeds[0]]
        for other, other_seeds in cases.items():
            if other[0] == case[0] and other != case and keys[other, other_seeds[0]] != key:
                verdict = _judged(other, key)
                assert not getattr(verdict, "equivalent", False), (case, other)
                refused += 1
    assert refused >= len(cases)


@functools.cache
def _context(case):
    cell, _, q, kwargs = _setting(case)
    D = Derivation.of(cell)
    T = kwargs["T"] if q.kind == "gradient" else None
    ref = reference(D, q, T=T, paths=kwargs["paths"])
    steps = max(int(kwargs["T"] or q.t or 1), 1)
    if kwargs["hypothesis"]:
        from symbrnn.judge.points import hypothesis_points

        points = hypothesis_points(D, steps, kwargs["hypothesis"])
    else:
        points = cached_points(D, steps)
    ctx = Context(ref=ref, points=points, D=D, q=q, cell=cell, T=T, paths=kwargs["paths"])
    return D, ref, ctx


@pytest.mark.parametrize(
    "case", _cases(), ids=lambda c: f"{c[0]}-{zlib.crc32(c[1].encode()) % 997}"
)
def test_every_row_made_on_the_key_is_refused_and_named_by_it(case):
    D, ref, ctx = _context(case)
    table = mistaken_keys(ctx)
    accepted = {table.key, table.fingerprint(Transpose(ref))}
    judged = 0
    for row, expr, _ in mistaken_forms(answer_expression(D, ctx.q, ref), ctx):
        found = table.fingerprint(expr)
        if not found or found in accepted:
            continue  # a step past the question, an edit that changes nothing here, or the
            # whole transposed (the denominator layout, accepted with a note)
        printed = latex(expr)
        if "h_{0}}" in printed or any(t != s for t, s in _LOSS_STEPS.findall(printed)):
            continue  # ∂L_1/∂h_0 or ∂L_1/∂h_2: not a derivative the judge draws as the edit's
        # the same edit: a row whose mistaken key has the same values, or the edit located
        # (the one factor or (t, k) term it changed, named with what it should be)
        same_edit = {row.code, "WRONG_FACTOR", "WRONG_TERM"} | {
            e.row.code for e in table.table.get(found, [])
        }
        verdict = _judged(case, printed)
        assert getattr(verdict, "outcome", None) == "not_equivalent", (row.code, printed)
        assert verdict.answer_notes[0] in same_edit, (row.code, verdict.answer_notes, printed)
        judged += 1
    assert judged >= 1


class StylePrinter(RNNLatexPrinter):
    r"""The engine's printer with the course's other spellings: Diag, the transpose, σ′
    (``\sigma'(a_3)``, ``\sigma^{\prime}``, ``\dot{\sigma}``, ``\sigma'_{3}`` for σ′(a₃)),
    brackets (``\left(…\right)`` or bare), the product (juxtaposed or ``\cdot``)."""

    def __init__(self, diag=r"\operatorname{Diag}", top=r"^{\top}", sigma="'", sized=True, dot=" "):
        super().__init__({"mat_symbol_style": "plain"})
        self.DIAG, self.top, self.sigma, self.sized, self.dot = diag, top, sigma, sized, dot

    def transposed(self, text):
        return text + self.top

    def paren(self, text):
        return super().paren(text) if self.sized else f"({text})"

    def square(self, text):
        return super().square(text) if self.sized else f"[{text}]"

    def _product(self, factors):
        return self.dot.join(self._factor(a) for a in factors)

    def _print_HadamardPower(self, expr):  # h ⊙ h as the course writes it, h^2
        return f"{self._factor(expr.base)}^{{{self._print(expr.exp)}}}"

    def _print_Apply(self, expr):
        vec = expr.vec
        if expr.order != 1 or self.sigma == "'":
            return super()._print_Apply(expr)
        base = self.activation_symbol(expr.fn)
        if self.sigma == "step":  # σ'_{3} for σ'(a_3): the state's own pre-activation only
            time = getattr(vec, "time", None)
            if isinstance(vec, TimeVec) and vec.name == "a" and time is not ERASED:
                return f"{base}'_{{{self._print(self._index(time))}}}"
            return super()._print_Apply(expr)
        symbol = rf"\dot{{{base}}}" if self.sigma == "dot" else base + r"^{\prime}"
        if getattr(vec, "time", None) is ERASED and vec.name == "a":
            return symbol  # the course's Diag(σ') inside [Diag(σ') W]^n
        return symbol + self.paren(self._print(vec))


DIAGS = (r"\mathrm{Diag}", r"\operatorname{diag}", r"\text{diag}")
MORE_DIAGS = (*DIAGS, r"\operatorname{Diag}", r"\mathrm{diag}", r"\text{Diag}", r"\textrm{Diag}")
TOPS = (r"^{\top}", "^T", r"^{\intercal}")
MORE_TOPS = (*TOPS, r"^{T}", r"^{\mathsf{T}}")
SIGMAS = ("'", "prime", "dot", "step")
DOTS = (" ", r" \cdot ")
REMARK = r" \text{ (règle de la chaîne)}"
REMARKS = ("", REMARK, r" \quad \text{(d'après la règle de la chaîne)}", r" \text{ (chain rule)}")


def _activation_as_states(expr, D):
    """σ′(a_t) written h_t ⊙ (1 − h_t) for a sigmoid cell's state, tanh′(a_t) written
    1 − h_t ⊙ h_t for a tanh cell's."""
    from sympy.matrices.expressions.hadamard import HadamardProduct

    post = {n.args[0].name: n.name for n in D.trace.nodes if n.op == "apply" and n.name}
    swaps = {}
    for a in expr.atoms(Apply):
        if a.order != 1 or not isinstance(a.vec, TimeVec) or a.vec.name not in post:
            continue
        h = TimeVec(post[a.vec.name], a.vec.time, *a.vec.shape)
        if a.fn == "sigmoid":
            swaps[a] = HadamardProduct(h, Ones(h.shape[0]) - h)
        elif a.fn == "tanh":
            swaps[a] = Ones(h.shape[0]) - HadamardProduct(h, h)
    return expr.xreplace(swaps) if swaps else None


@functools.cache
def _forms(case):
    """The key as the engine writes it, as a product (∏), written out, as a power, as Σ."""
    D, ref, ctx = _context(case)
    q = ctx.q
    forms = [answer_expression(D, q, ref), ref, expand_products(ref)]
    if q.kind == "jacobian" and len(D.states) == 1:
        forms.append(collapse(ref))
    if q.kind == "gradient":
        from symbrnn.engine.expand import expand_gradient

        forms.append(expand_gradient(ctx.cell, q.name, ctx.T).general)
    as_states = _activation_as_states(forms[0], D)
    return [f for f in dict.fromkeys(forms)] + ([as_states] if as_states is not None else [])


@pytest.mark.parametrize(
    "case", _cases(), ids=lambda c: f"{c[0]}-{zlib.crc32(c[1].encode()) % 997}"
)
def test_the_key_in_every_style_is_accepted(case):
    for form in _forms(case):
        for i, diag in enumerate(DIAGS):
            text = StylePrinter(diag=diag).doprint(form) + (REMARK if i == 1 else "")
            assert getattr(_judged(case, text), "equivalent", False), text
        for top in TOPS:  # the denominator layout, read with a note
            text = StylePrinter(top=top).doprint(Transpose(form))
            assert getattr(_judged(case, text), "equivalent", False), text


def _style(rng):
    """A style drawn for one seed: every switch of the printer, a transpose, a remark."""
    style = {
        "diag": rng.choice(MORE_DIAGS),
        "sigma": rng.choice(SIGMAS),
        "sized": rng.random() < 0.5,
        "dot": rng.choice(DOTS),
    }
    top = rng.choice(MORE_TOPS) if rng.random() < 0.3 else None
    return style, top, rng.choice(REMARKS)


def _styled(case, seed):
    """The key of ``case`` printed in the style drawn for ``seed`` (the same draw for two
    questions that ask the same), and the switches drawn."""
    rng = random.Random(seed * 1009 + zlib.crc32(case[1].encode()))
    style, top, remark = _style(rng)
    form = rng.choice(_forms(case))
    text = StylePrinter(top=top or r"^{\top}", **style).doprint(Transpose(form) if top else form)
    return text + remark, {("top", top), ("remark", remark), *style.items()}


@pytest.mark.parametrize(
    "case", _cases(), ids=lambda c: f"{c[0]}-{zlib.crc32(c[1].encode()) % 997}"
)
def test_the_key_in_a_style_drawn_for_each_seed_is_accepted(case):
    """Over the 200 seeds, each question's key is printed in a style drawn for its seed
    (not the full product of the switches): every way is accepted."""
    for seed in _variants()[0][case]:
        text, _ = _styled(case, seed)
        assert getattr(_judged(case, text), "equivalent", False), (case[0], seed, text)


def test_every_switch_is_drawn_over_the_seeds():
    cases, _ = _variants()
    assert sum(len(s) for s in cases.values()) >= 200 * 6
    drawn = {d for case, seeds in cases.items() for seed in seeds for d in _styled(case, seed)[1]}
    for name, values in (
        ("diag", MORE_DIAGS),
        ("sigma", SIGMAS),
        ("dot", DOTS),
        ("top", MORE_TOPS),
    ):
        assert {(name, v) for v in values} <= drawn, name
    assert {("remark", r) for r in REMARKS} <= drawn and ("sized", False) in drawn
