"""A battery of derivations written as students of the course write them (td5's questions).

Each derivation is typed by hand in the course's LaTeX (``align*``, ``aligned``,
``eqnarray*``, ``$$ … $$`` lines, ``\\[ … \\]``, remarks, ``\\tag``, ``\\label``,
``\\intertext``, comments, a restated left-hand side, ``\\Rightarrow``): right ones (every
step accepted) and ones with one wrong step (a dropped Diag, W for Wᵀ, a wrong index, a
dropped term, a sign…). Each asserts the verdict, the first wrong step (members counted
after a first member that only names the quantity) and the note code of the mistake. The
last member of several right derivations is the engine's own key, printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from symbrnn.engine.cells import gru, lstm, make_cell, simple_rnn
from symbrnn.engine.derive import Derivation
from symbrnn.engine.quantity import parse_quantity
from symbrnn.judge.check import check_answer
from symbrnn.judge.expected import answer_form, reference

RNN = simple_rnn(bias=False)
LSTM = lstm(bias=False)
GRU = gru(bias=False)
LEMMA = make_cell("lemma")
DIRECT = {"paths": "direct"}
SATURATED = {"paths": "direct", "hypothesis": {"f": 1, "i": 0}}


def key(cell, quantity, T=None, paths="all") -> str:
    """The engine's answer to a question, in the course's LaTeX (as ``check`` prints it)."""
    D = Derivation.of(cell)
    q = parse_quantity(quantity, allow_input=True)
    return answer_form(D, q, reference(D, q, T=T, paths=paths))


@dataclass
class Case:
    name: str
    cell: object
    quantity: str
    answer: str
    wrong: int | None = None  # the first wrong step (1-based), None: every step right
    codes: tuple = ()  # the mistake: one of these note codes names it
    options: dict = field(default_factory=dict)


# -- pieces the students write ---------------------------------------------------------

D3, D2, D4 = (rf"\mathrm{{Diag}}(\sigma'(a_{i}))" for i in (3, 2, 4))
Q31 = r"\frac{\partial h_3}{\partial h_1}"
CHAIN31 = r"\frac{\partial h_3}{\partial h_2}\,\frac{\partial h_2}{\partial h_1}"
QTK = r"\frac{\partial h_t}{\partial h_k}"
PROD_TK = r"\prod_{j=k+1}^{t} \frac{\partial h_j}{\partial h_{j-1}}"
QC = r"\frac{\partial c_t}{\partial c_k}"
DLDW = r"\frac{\partial L}{\partial W}"
SUM_PARTS = (
    r"\sum_{t=1}^{T}\sum_{k=1}^{t} \frac{\partial L_t}{\partial h_t}"
    r"\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}"
)
T2 = (
    r"\frac{\partial L_1}{\partial h_1}\frac{\partial^+ h_1}{\partial W}"
    r" + \frac{\partial L_2}{\partial h_2}\frac{\partial^+ h_2}{\partial W}"
    r" + \frac{\partial L_2}{\partial h_2}\,\mathrm{Diag}(\sigma'(a_2))\,W"
    r"\frac{\partial^+ h_1}{\partial W}"
)
# IV.4 in the letter t, read at the question's step
ONE_STEP_C = (
    r"\mathrm{Diag}(f_t) + \left[\mathrm{Diag}(c_{t-1})\mathrm{Diag}(\sigma'(a_{f,t}))W_f"
    r" + \mathrm{Diag}(\tilde c_t)\mathrm{Diag}(\sigma'(a_{i,t}))W_i"
    r" + \mathrm{Diag}(i_t)\mathrm{Diag}(\tanh'(a_{c,t}))W_c\right]"
    r"\mathrm{Diag}(o_{t-1})\mathrm{Diag}(\tanh'(c_{t-1}))"
)
CHAIN_C = (
    r"\mathrm{Diag}(f_t) + \frac{\partial c_t}{\partial h_{t-1}}"
    r"\frac{\partial h_{t-1}}{\partial c_{t-1}}"
)
QC1 = r"\frac{\partial c_t}{\partial c_{t-1}}"
GRU_STEP = (
    r"\mathrm{Diag}(z_3) + \mathrm{Diag}(h_2 - \tilde h_3)\mathrm{Diag}(\sigma'(a_{z,3}))W_z"
    r" + \mathrm{Diag}(1 - z_3)\mathrm{Diag}(\tanh'(a_{h,3}))W_h"
    r"\left[\mathrm{Diag}(r_3) + \mathrm{Diag}(h_2)\mathrm{Diag}(\sigma'(a_{r,3}))W_r\right]"
)


def align(*lines: str, env="align*") -> str:
    r"""Lines laid out as ``\begin{align*} … &= … \\ … \end{align*}``, one per member."""
    return f"\\begin{{{env}}}\n" + " \\\\\n".join(lines) + f"\n\\end{{{env}}}"


CASES = [
    # -- II.2 (fixed steps): ∂h₃/∂h₁ ------------------------------------------------------
    Case(
        "rnn-aligned-tag-label",
        RNN,
        "dh_3/dh_1",
        align(
            rf"{Q31} &= {CHAIN31} \tag{{1}}\label{{eq:chaine}}",
            rf"&= {D3}\,W\,{D2}\,W \nonumber",
            r"&= \left[\mathrm{Diag}(\sigma')\,W\right]^{2} \tag*{(2)}",
        ),
    ),
    Case(
        "rnn-eqnarray-key",
        RNN,
        "dh_3/dh_1",
        "\\begin{eqnarray*}\n"
        + rf"{Q31} &=& {CHAIN31} \\"
        + "\n"
        + rf"&=& {key(RNN, 'dh_3/dh_1')}"
        + "\n\\end{eqnarray*}",
    ),
    Case(
        "rnn-dollars-donc-restated",
        RNN,
        "dh_3/dh_1",
        f"$${Q31} = {CHAIN31}$$\n\\text{{donc}}\n$${Q31} = {D3} W {D2} W.$$",
    ),
    Case(
        "rnn-brackets-rightarrow",
        RNN,
        "dh_3/dh_1",
        f"\\[ {Q31} = {CHAIN31} \\]\n\\[ \\Rightarrow {Q31} = {D3} W {D2} W \\]",
    ),
    Case(
        "rnn-intertext-comments",
        RNN,
        "dh_3/dh_1",
        "\\begin{align*}\n% la règle de la chaîne d'abord\n"
        + rf"{Q31} &= {CHAIN31} \\ % deux pas"
        + "\n\n\\intertext{par la règle de la chaîne, chaque facteur vaut "
        r"$\mathrm{Diag}(\sigma'(a_j))\,W$ :}" + "\n" + rf"&= {D3} W {D2} W" + "\n\\end{align*}",
    ),
    Case(
        "rnn-restated-each-line",
        RNN,
        "dh_3/dh_1",
        align(rf"{Q31} &= {CHAIN31}", rf"{Q31} &= {D3} W {D2} W"),
    ),
    Case(
        "rnn-definition-remark",
        RNN,
        "dh_3/dh_1",
        align(
            rf"{Q31} &= {CHAIN31}",
            r"&= \mathrm{Diag}(\sigma'(W h_2 + U x_3))\,W\,\mathrm{Diag}(\sigma'(a_2))\,W",
            r"&\text{où } a_t = W h_{t-1} + U x_t",
        ),
    ),
    Case(
        "rnn-aligned-implies-slash-m0",
        RNN,
        "dh_3/dh_1",
        "\\[\\begin{aligned}\n"
        + rf"\partial h_3/\partial h_1 &= {CHAIN31} \\"
        + "\n"
        + rf"&\implies \frac{{\partial h_3}}{{\partial h_1}} = {D3} W {D2} W"
        + "\n\\end{aligned}\\]",
    ),
    Case(
        "rnn-side-result-then-restated",
        RNN,
        "dh_3/dh_1",
        align(
            rf"{Q31} &= {CHAIN31}",
            rf"\frac{{\partial h_2}}{{\partial h_1}} &= {D2}\,W",
            rf"{Q31} &= {D3} W {D2} W",
        ),
    ),
    Case(
        "rnn-row-spacing-manual-number",
        RNN,
        "dh_3/dh_1",
        "\\begin{align*}\n"
        + rf"{Q31} &= {CHAIN31} \qquad (1) \\[2mm]"
        + "\n"
        + rf"&= {D3} W {D2} W \qquad (2) \\[4pt]"
        + "\n&= [\\mathrm{Diag}(\\sigma')W]^2\n\\end{align*}",
    ),
    Case(
        "rnn-remark-in-brackets-iff",
        RNN,
        "dh_3/dh_1",
        rf"{Q31} = {CHAIN31} \Longleftrightarrow {Q31} = "
        r"\mathrm{Diag}(\sigma'(W h_2 + U x_3)) W \mathrm{Diag}(\sigma'(a_2)) W"
        r" \quad \text{(avec $a_t = W h_{t-1} + U x_t$)}",
    ),
    Case(
        "rnn-side-result-then-wrong",
        RNN,
        "dh_3/dh_1",
        align(
            rf"{Q31} &= {CHAIN31}",
            rf"\frac{{\partial h_2}}{{\partial h_1}} &= {D2}\,W",
            rf"{Q31} &= W {D3} W {D2}",
        ),
        wrong=2,
        codes=("ORDER",),
    ),
    Case(
        "rnn-donc-mid-line-wrong-remark",
        RNN,
        "dh_3/dh_1",
        align(
            rf"{Q31} &= {CHAIN31}",
            rf"&\text{{donc}} \quad {Q31} = \mathrm{{Diag}}(\sigma'(W h_2)) W {D2} W",
            r"&\text{où } a_t = W h_{t-1} + U x_t",
        ),
        wrong=2,
        codes=("WRONG_FACTOR", "ARGUMENT"),  # names the factor and what it should be
    ),
    Case(
        "rnn-annotated-signs-and-reasons",
        RNN,
        "dh_3/dh_1",
        "\\begin{align*}\n"
        + rf"{Q31} &\overset{{\text{{chaîne}}}}{{=}} {CHAIN31} && (\text{{règle de la chaîne}}) \\"
        + "\n"
        + rf"&\stackrel{{(1)}}{{=}} {D3} W {D2} W. && \text{{(lemme II.1)}}"
        + "\n\\end{align*}",
    ),
    Case(
        "rnn-dropped-diag",
        RNN,
        "dh_3/dh_1",
        align(rf"{Q31} &= {CHAIN31}", rf"&= {D3} W W", rf"&= {D3} W^2"),
        wrong=2,
        codes=("MISSING_DIAG", "MISSING_FACTOR"),
    ),
    Case(
        "rnn-wrong-index",
        RNN,
        "dh_3/dh_1",
        align(
            rf"{Q31} &= {CHAIN31}", rf"&= {D3} W {D3} W", r"&= [\mathrm{Diag}(\sigma'(a_3)) W]^2"
        ),
        wrong=2,
        codes=("WRONG_FACTOR", "TIME_ONE"),
    ),
    Case(
        "rnn-order-third-step",
        RNN,
        "dh_3/dh_1",
        align(rf"{Q31} &= {CHAIN31}", rf"&= {D3} W {D2} W", rf"&= W {D3} W {D2}"),
        wrong=3,
        codes=("ORDER",),
    ),
    Case(
        "rnn-transpose-first-step",
        RNN,
        "dh_3/dh_1",
        f"$${Q31} = W^\\top {D3}\\, W^\\top {D2}$$\n$$= (W^\\top)^2 {D3} {D2}$$",
        wrong=1,
        codes=("TRANSPOSE", "TRANSPOSE_ONE+ORDER"),  # each factor transposed, not reversed
        options={"layout": "numerator"},
    ),
    Case(
        "rnn-restated-three-lines-wrong-middle",
        RNN,
        "dh_3/dh_1",
        align(
            rf"{Q31} &= {CHAIN31}",
            rf"{Q31} &= {D3} W {D3} W",
            rf"{Q31} &= {D3} W {D2} W",
        ),
        wrong=2,
        codes=("WRONG_FACTOR", "TIME_ONE"),
    ),
    Case(
        "rnn-sign",
        RNN,
        "dh_3/dh_1",
        align(rf"{Q31} &= {CHAIN31}", rf"&= -{D3} W {D2} W"),
        wrong=2,
        codes=("SIGN",),
    ),
    Case(
        "rnn-sigma-for-prime",
        RNN,
        "dh_3/dh_1",
        align(
            rf"{Q31} &= {CHAIN31}",
            r"&= \mathrm{Diag}(\sigma(a_3)) W \mathrm{Diag}(\sigma(a_2)) W",
        ),
        wrong=2,
        codes=("SIGMA_FOR_PRIME",),
    ),
    Case(
        "rnn-four-steps-product",
        RNN,
        "dh_4/dh_1",
        align(
            r"\frac{\partial h_4}{\partial h_1} &= \prod_{j=2}^{4}\frac{\partial h_j}{\partial h_{j-1}}",
            r"&= \prod_{j=2}^{4}\mathrm{Diag}(\sigma'(a_j))\,W",
            rf"&= {D4} W {D3} W {D2} W",
            r"&= \left[\mathrm{Diag}(\sigma')W\right]^3",
        ),
    ),
    Case(
        "rnn-four-steps-bounds",
        RNN,
        "dh_4/dh_1",
        align(
            r"\frac{\partial h_4}{\partial h_1} &= \prod_{j=1}^{4}\frac{\partial h_j}{\partial h_{j-1}}",
            r"&= \left[\mathrm{Diag}(\sigma')W\right]^4",
        ),
        wrong=1,
        codes=("BOUNDS",),
    ),
    # -- III.2 (the general case in t and k) ----------------------------------------------
    Case(
        "rnn-general-product-power",
        RNN,
        "dh_t/dh_k",
        align(
            rf"{QTK} &= {PROD_TK}",
            r"&= \prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j))\, W",
            r"&= \left[\mathrm{Diag}(\sigma')\, W\right]^{t-k}",
        ),
    ),
    Case(
        "rnn-general-dollars",
        RNN,
        "dh_t/dh_k",
        f"$${QTK} = {PROD_TK}$$\n\n$$\\text{{d'où}}\\quad {QTK} = "
        r"\left[\mathrm{Diag}(\sigma')W\right]^{t-k}$$",
    ),
    Case(
        "rnn-general-index-shift",
        RNN,
        "dh_t/dh_k",
        align(
            rf"{QTK} &= {PROD_TK}",
            r"&= \prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_{j-1}))\, W",
        ),
        wrong=2,
        codes=("TIME_SHIFT",),
    ),
    Case(
        "rnn-general-dropped-diag",
        RNN,
        "dh_t/dh_k",
        align(rf"{QTK} &= {PROD_TK}", r"&= W^{t-k}"),
        wrong=2,
        codes=("MISSING_DIAG",),
    ),
    Case(
        "rnn-general-transpose",
        RNN,
        "dh_t/dh_k",
        align(
            rf"{QTK} &= {PROD_TK}",
            r"&= \prod_{j=k+1}^{t} W^\top\,\mathrm{Diag}(\sigma'(a_j))",
        ),
        wrong=2,
        codes=("TRANSPOSE",),
        options={"layout": "numerator"},
    ),
    # -- II.2 / III.1: ∂L/∂W ------------------------------------------------------------
    Case(
        "gradient-T2-written-out",
        RNN,
        "dL/dW",
        align(rf"{DLDW} &= {SUM_PARTS}", rf"&= {T2}"),
        options={"T": 2},
    ),
    Case(
        "gradient-T2-mathcal-then-restated",
        RNN,
        "dL/dW",
        f"$$\\frac{{\\partial \\mathcal{{L}}}}{{\\partial W}} = {SUM_PARTS}$$\n"
        f"\\text{{d'où, en développant :}}\n$$\\frac{{dL}}{{dW}} = {T2}$$",
        options={"T": 2},
    ),
    Case(
        "gradient-T2-key",
        RNN,
        "dL/dW",
        align(rf"{DLDW} &= {SUM_PARTS}", "&= " + key(RNN, "dL/dW", T=2)),
        options={"T": 2},
    ),
    Case(
        "gradient-T3-power",
        RNN,
        "dL/dW",
        align(
            rf"{DLDW} &= {SUM_PARTS}",
            r"&= \sum_{t=1}^{3}\sum_{k=1}^{t}\frac{\partial L_t}{\partial h_t}"
            r"\left[\mathrm{Diag}(\sigma')W\right]^{t-k}\frac{\partial^+ h_k}{\partial W}",
        ),
        options={"T": 3},
    ),
    Case(
        "gradient-T2-dropped-term",
        RNN,
        "dL/dW",
        align(
            rf"{DLDW} &= {SUM_PARTS}",
            r"&= \frac{\partial L_1}{\partial h_1}\frac{\partial^+ h_1}{\partial W}"
            r" + \frac{\partial L_2}{\partial h_2}\frac{\partial^+ h_2}{\partial W}",
        ),
        wrong=2,
        codes=("MISSING_TERM", "MISSING_SUMMAND"),
        options={"T": 2},
    ),
    Case(
        "gradient-T2-immediate-step",
        RNN,
        "dL/dW",
        align(
            rf"{DLDW} &= {SUM_PARTS}",
            r"&= \frac{\partial L_1}{\partial h_1}\frac{\partial^+ h_1}{\partial W}"
            r" + \frac{\partial L_2}{\partial h_2}\frac{\partial^+ h_2}{\partial W}"
            r" + \frac{\partial L_2}{\partial h_2}\mathrm{Diag}(\sigma'(a_2))W"
            r"\frac{\partial^+ h_2}{\partial W}",
        ),
        wrong=2,
        codes=("IMMEDIATE_STEP", "WRONG_FACTOR", "TIME_ONE"),
        options={"T": 2},
    ),
    Case(
        "gradient-T2-bounds",
        RNN,
        "dL/dW",
        align(
            rf"{DLDW} &= \sum_{{t=1}}^{{T}}\sum_{{k=1}}^{{t-1}} \frac{{\partial L_t}}{{\partial h_t}}"
            r"\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}",
            rf"&= {T2}",
        ),
        wrong=1,
        codes=("BOUNDS", "MISSING_TERM"),
        options={"T": 2},
    ),
    # -- IV.2 / IV.3: ∂c_t/∂c_k along the memory ----------------------------------------
    Case(
        "lstm-general-approx",
        LSTM,
        "dc_t/dc_k",
        align(
            rf"{QC} &\approx \prod_{{j=k+1}}^{{t}} \frac{{\partial c_j}}{{\partial c_{{j-1}}}}",
            r"&= \prod_{j=k+1}^{t} \mathrm{Diag}(f_j)",
        ),
        options=DIRECT,
    ),
    Case(
        "lstm-fixed-key",
        LSTM,
        "dc_4/dc_1",
        align(
            r"\frac{\partial c_4}{\partial c_1} &= \prod_{j=2}^{4}\frac{\partial c_j}{\partial c_{j-1}}",
            "&= " + key(LSTM, "dc_4/dc_1", paths="direct"),
        ),
        options=DIRECT,
    ),
    Case(
        "lstm-general-shift",
        LSTM,
        "dc_t/dc_k",
        align(
            rf"{QC} &= \prod_{{j=k+1}}^{{t}} \frac{{\partial c_j}}{{\partial c_{{j-1}}}}",
            r"&= \prod_{j=k+1}^{t} \mathrm{Diag}(f_{j-1})",
        ),
        wrong=2,
        codes=("TIME_SHIFT",),
        options=DIRECT,
    ),
    Case(
        "lstm-fixed-wrong-gate",
        LSTM,
        "dc_3/dc_1",
        align(
            r"\frac{\partial c_3}{\partial c_1} &= \frac{\partial c_3}{\partial c_2}\frac{\partial c_2}{\partial c_1}",
            r"&= \mathrm{Diag}(i_3)\,\mathrm{Diag}(i_2)",
        ),
        wrong=2,
        codes=("GATE", "WRONG_FACTORS", "PARAMETER", "TWO_EDITS"),
        options=DIRECT,
    ),
    Case(
        "lstm-saturated-identity",
        LSTM,
        "dc_t/dc_k",
        align(rf"{QC} &= \prod_{{j=k+1}}^{{t}} \mathrm{{Diag}}(f_j)", r"&= \mathrm{Id}"),
        options=SATURATED,
    ),
    Case(
        "lstm-saturated-bounds",
        LSTM,
        "dc_t/dc_k",
        align(rf"{QC} &= \prod_{{j=k}}^{{t}} \mathrm{{Diag}}(f_j)", r"&= I"),
        wrong=1,
        codes=("BOUNDS",),
        options=SATURATED,
    ),
    Case(
        "lstm-general-d-m0-parenthesised",
        LSTM,
        "dc_t/dc_k",
        r"\left(\frac{\mathrm{d} c_t}{\mathrm{d} c_k}\right) \approx "
        r"\prod_{j=k+1}^{t}\frac{\partial c_j}{\partial c_{j-1}} \approx \prod_{j=k+1}^{t} \mathrm{diag}(f_{j+1})"
        r" \quad \text{(le produit de Hadamard des portes, en diagonale)}",
        wrong=2,
        codes=("TIME_SHIFT",),
        options=DIRECT,
    ),
    # -- IV.4: ∂c_t/∂c_{t−1}, every path -------------------------------------------------
    Case(
        "lstm-one-step-chain",
        LSTM,
        "dc_3/dc_2",
        align(rf"{QC1} &= {CHAIN_C}", rf"&= {ONE_STEP_C}"),
    ),
    Case(
        "lstm-one-step-key",
        LSTM,
        "dc_4/dc_3",
        align(rf"{QC1} &= {CHAIN_C}", "&= " + key(LSTM, "dc_4/dc_3")),
    ),
    Case(
        "lstm-one-step-dropped-path",
        LSTM,
        "dc_3/dc_2",
        align(
            rf"{QC1} &= {CHAIN_C}",
            ONE_STEP_C.replace(
                r" + \mathrm{Diag}(\tilde c_t)\mathrm{Diag}(\sigma'(a_{i,t}))W_i", ""
            ).join(("&= ", "")),
        ),
        wrong=2,
        codes=("MISSING_SUMMAND", "MISSING_PATH"),
    ),
    Case(
        "lstm-one-step-direct-only",
        LSTM,
        "dc_3/dc_2",
        align(rf"{QC1} &= \mathrm{{Diag}}(f_t)"),
        wrong=1,
        codes=("MISSING_PATH",),
    ),
    Case(
        "lstm-one-step-forget-shift",
        LSTM,
        "dc_3/dc_2",
        align(rf"{QC1} &= {CHAIN_C}", "&= " + ONE_STEP_C.replace("(f_t)", "(f_{t-1})")),
        wrong=2,
        codes=("TIME_SHIFT", "TIME_ONE", "WRONG_FACTOR"),
    ),
    Case(
        "lstm-one-step-no-output-gate",
        LSTM,
        "dc_3/dc_2",
        align(rf"{QC1} &= {CHAIN_C}", "&= " + ONE_STEP_C.replace(r"\mathrm{Diag}(o_{t-1})", "")),
        wrong=2,
        codes=("MISSING_FACTOR",),
    ),
    Case(
        "lstm-one-step-sigma",
        LSTM,
        "dc_3/dc_2",
        align(
            rf"{QC1} &= {CHAIN_C}",
            "&= " + ONE_STEP_C.replace(r"\sigma'(a_{f,t})", r"\sigma(a_{f,t})"),
        ),
        wrong=2,
        codes=("SIGMA_FOR_PRIME",),
    ),
    Case(
        "lstm-one-step-tanh-for-prime-in-bracket",
        LSTM,
        "dc_3/dc_2",
        align(
            rf"{QC1} &= {CHAIN_C}",
            "&= " + ONE_STEP_C.replace(r"\tanh'(c_{t-1})", r"\tanh(c_{t-1})"),
        ),
        wrong=2,
        codes=("SIGMA_FOR_PRIME",),
    ),
    # -- GRU ----------------------------------------------------------------------------
    Case(
        "gru-one-step",
        GRU,
        "dh_3/dh_2",
        align(
            rf"\frac{{\partial h_3}}{{\partial h_2}} &= {GRU_STEP}", "&= " + key(GRU, "dh_3/dh_2")
        ),
    ),
    Case(
        "gru-missing-reset-path",
        GRU,
        "dh_3/dh_2",
        align(
            rf"\frac{{\partial h_3}}{{\partial h_2}} &= {GRU_STEP}",
            "&= "
            + GRU_STEP.replace(r" + \mathrm{Diag}(h_2)\mathrm{Diag}(\sigma'(a_{r,3}))W_r", ""),
        ),
        wrong=2,
        codes=("MISSING_SUMMAND", "MISSING_PATH"),
    ),
    Case(
        "gru-sign",
        GRU,
        "dh_3/dh_2",
        align(
            r"\frac{\partial h_3}{\partial h_2} &= "
            + GRU_STEP.replace(r"h_2 - \tilde h_3", r"\tilde h_3 - h_2")
        ),
        wrong=1,
        codes=("SIGN",),
    ),
    Case(
        "gru-missing-update",
        GRU,
        "dh_3/dh_2",
        align(
            r"\frac{\partial h_3}{\partial h_2} &= "
            + GRU_STEP.replace(r"\mathrm{Diag}(z_3) + ", "", 1)
        ),
        wrong=1,
        codes=("MISSING_SUMMAND",),
    ),
    Case(
        "gru-z-for-one-minus-z",
        GRU,
        "dh_3/dh_2",
        align(
            r"\frac{\partial h_3}{\partial h_2} &= "
            + GRU_STEP.replace(r"\mathrm{Diag}(1 - z_3)", r"\mathrm{Diag}(z_3)")
        ),
        wrong=1,
        codes=("WRONG_FACTOR",),  # in the term of W_h: Diag(z₃) should be Diag(1 − z₃)
    ),
    # -- II.1: the lemma ----------------------------------------------------------------
    Case(
        "lemma-right",
        LEMMA,
        "du/dv",
        align(r"\frac{\partial u}{\partial v} &= \mathrm{Diag}(\sigma'(A v))\, A"),
    ),
    Case(
        "lemma-argument",
        LEMMA,
        "du/dv",
        align(r"\frac{\partial u}{\partial v} &= \mathrm{Diag}(\sigma'(v))\, A"),
        wrong=1,
        codes=("ARGUMENT",),
    ),
    # -- a forward equation stated first, a case given a number, a hedged answer (round 5)
    Case(
        "rnn-forward-equation-first",
        RNN,
        "dh_3/dh_2",
        r"h_3 = \sigma(a_3) \text{ donc } \frac{\partial h_3}{\partial h_2} = " + D3 + " W",
    ),
    Case(
        "rnn-for-t-between-displays",
        RNN,
        "dh_3/dh_1",
        rf"$${QTK} = \prod_{{j=k+1}}^{{t}} \mathrm{{Diag}}(\sigma'(a_j)) W$$ "
        rf"\text{{Pour }} t = 3, k = 1 \text{{ :}} $${Q31} = {D3} W {D2} W$$",
    ),
    Case(
        "rnn-for-t-between-displays-wrong",
        RNN,
        "dh_3/dh_1",
        rf"$${QTK} = \prod_{{j=k+1}}^{{t}} \mathrm{{Diag}}(\sigma'(a_j)) W$$ "
        rf"\text{{Pour }} t = 3, k = 1 \text{{ :}} $${Q31} = {D3} W W$$",
        wrong=2,
        codes=("MISSING_FACTOR", "MISSING_DIAG", "WRONG_FACTOR"),
    ),
    Case(
        "rnn-one-step-lemma-first",
        RNN,
        "dh_3/dh_1",
        r"h_t = \sigma(a_t) \text{ donc } \frac{\partial h_t}{\partial h_{t-1}} = "
        r"\mathrm{Diag}(\sigma'(a_t)) W \text{ d'où } "
        rf"{Q31} = \prod_{{j=2}}^{{3}} \mathrm{{Diag}}(\sigma'(a_j)) W",
    ),
    Case(
        "rnn-one-step-lemma-first-wrong",
        RNN,
        "dh_3/dh_1",
        r"\frac{\partial h_t}{\partial h_{t-1}} = \mathrm{Diag}(\sigma'(a_t)) W \text{ d'où } "
        rf"{Q31} = \prod_{{j=1}}^{{3}} \mathrm{{Diag}}(\sigma'(a_j)) W",
        wrong=1,
        codes=("BOUNDS",),
    ),
    Case(
        "rnn-hedged-second-member",
        RNN,
        "dh_3/dh_1",
        rf"{Q31} = {D3} W {D2} W \text{{ ou bien }} W^2",
        wrong=2,
        codes=("MISSING_DIAG", "MISSING_FACTOR", "WRONG_FACTOR"),
    ),
]


def judged_as_a_teacher_would(case: Case) -> None:
    """Right: every step equivalent. Wrong: the first wrong step found and its mistake named."""
    verdict = check_answer(case.cell, case.quantity, case.answer, **case.options)
    if case.wrong is None:
        assert verdict.outcome == "equivalent", verdict.as_json()
        assert all(s.outcome == "equivalent" for s in verdict.steps)
        return
    assert verdict.outcome == "not_equivalent", verdict.as_json()
    assert verdict.first_wrong_step == case.wrong, [s.latex for s in verdict.steps]
    assert set(verdict.answer_notes) & set(case.codes), verdict.answer_notes


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_derivation_is_judged_as_a_teacher_would(case):
    judged_as_a_teacher_would(case)


def test_the_battery_is_large_and_mixed():
    wrong = [c for c in CASES if c.wrong is not None]
    assert len(CASES) >= 40 and 15 <= len(wrong) <= len(CASES) - 15
    assert {c.cell.name for c in CASES} >= {"rnn", "lstm", "gru"}
