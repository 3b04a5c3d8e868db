r"""A second battery of derivations, typed as students of the course write them on paper.

Different from :mod:`test_derivation_battery`: LSTM and GRU questions, the general case in t
and k (III.2, IV.2, IV.3), derivations that start from the forward equations, the
environments ``gather``, ``split``, ``multline``, ``aligned``, ``&=`` on each line, lines
with ``\Rightarrow``, ``\text{d'où}``, ``\text{donc}``, a line that restates the question,
named intermediate Jacobians, side computations (σ′(x) = σ(x)(1 − σ(x))) and a final
``\boxed{}``. A right one has every step accepted; a wrong one has one slip at line i: line
i is the first wrong step and the mistake is named by its row of the table (or one of the
codes that says the same edit).
"""

from __future__ import annotations

import pytest

from symbrnn.engine.cells import gru, lstm, make_cell, simple_rnn
from tests.judge.test_derivation_battery import Case, judged_as_a_teacher_would

RNN = simple_rnn(bias=False)
LSTM = lstm(bias=False)
GRU = gru(bias=False)
LEMMA = make_cell("lemma")
DIRECT = {"paths": "direct"}
SATURATED = {"paths": "direct", "hypothesis": {"f": 1, "i": 0}}


def env(name: str, *lines: str) -> str:
    r"""Lines laid out in ``\begin{name} … \\ … \end{name}``."""
    return f"\\begin{{{name}}}\n" + " \\\\\n".join(lines) + f"\n\\end{{{name}}}"


def frac(num: str, den: str) -> str:
    return rf"\frac{{\partial {num}}}{{\partial {den}}}"


def diag(inside: str) -> str:
    return rf"\mathrm{{Diag}}({inside})"


# -- the pieces ------------------------------------------------------------------------

FORWARD = r"a_t = W h_{t-1} + U x_t, \quad h_t = \sigma(a_t)"
SIDE = r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))"
S3, S2, S4 = (diag(rf"\sigma'(a_{i})") for i in (3, 2, 4))
Q31, Q42, QTK = frac("h_3", "h_1"), frac("h_4", "h_2"), frac("h_t", "h_k")
CHAIN31 = frac("h_3", "h_2") + frac("h_2", "h_1")
STEP_T = frac("h_t", "h_{t-1}")
PROD = r"\prod_{j=k+1}^{t}"
PROD_NAMED = PROD + frac("h_j", "h_{j-1}")

QC, QC1 = frac("c_t", "c_k"), frac("c_t", "c_{t-1}")
C_FORWARD = r"c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t"
H_OF_C = r"h_t = o_t \odot \tanh(c_t)"
DH_DC = diag("o_{t-1}") + diag(r"\tanh'(c_{t-1})")
GATES = (
    r"\mathrm{Diag}(c_{t-1})\mathrm{Diag}(\sigma'(a_{f,t}))W_f"
    r" + \mathrm{Diag}(\tilde c_t)\mathrm{Diag}(\sigma'(a_{i,t}))W_i"
    r" + \mathrm{Diag}(i_t)\mathrm{Diag}(\tanh'(a_{c,t}))W_c"
)
ONE_STEP = rf"{diag('f_t')} + \left[{GATES}\right]{DH_DC}"

G_FORWARD = r"h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t"
GRU_STEP = (
    r"\mathrm{Diag}(z_3) + \mathrm{Diag}(h_2 - \tilde h_3)\mathrm{Diag}(\sigma'(a_{z,3}))W_z"
    r" + \mathrm{Diag}(1 - z_3)\mathrm{Diag}(\tanh'(a_{h,3}))W_h"
    r"\left[\mathrm{Diag}(r_3) + \mathrm{Diag}(h_2)\mathrm{Diag}(\sigma'(a_{r,3}))W_r\right]"
)
Q32 = frac("h_3", "h_2")

DLDW = frac("L", "W")
SUM_PARTS = (
    r"\sum_{t=1}^{T}\sum_{k=1}^{t}" + frac("L_t", "h_t") + frac("h_t", "h_k") + frac("^+ h_k", "W")
).replace(r"\partial ^+ h_k", r"\partial^+ h_k")
PLUS = r"\frac{\partial^+ h_%s}{\partial %s}"
T2_TERMS = (
    frac("L_1", "h_1") + PLUS % (1, "W"),
    frac("L_2", "h_2") + PLUS % (2, "W"),
    frac("L_2", "h_2") + S2 + "W" + PLUS % (1, "W"),
)
T2 = " + ".join(T2_TERMS)
DLDWF = frac("L", "W_f")
CPLUS = r"\frac{\partial^+ c_%s}{\partial W_f}"
LSTM_T2_TERMS = (
    frac("L_1", "h_1") + frac("h_1", "c_1") + CPLUS % 1,
    frac("L_2", "h_2") + frac("h_2", "c_1") + CPLUS % 1,
    frac("L_2", "h_2") + frac("h_2", "c_2") + CPLUS % 2,
)
LSTM_T2 = " + ".join(LSTM_T2_TERMS)
DLDWZ = frac("L", "W_z")
GRU_T2 = " + ".join(
    (
        frac("L_1", "h_1") + PLUS % (1, "W_z"),
        frac("L_2", "h_2") + frac("h_2", "h_1") + PLUS % (1, "W_z"),
        frac("L_2", "h_2") + PLUS % (2, "W_z"),
    )
)
QUV = frac("u", "v")

CASES = [
    # -- II.2: ∂h₃/∂h₁, from the forward equations -----------------------------------------
    Case(
        "rnn-gather-forward-boxed",
        RNN,
        "dh_3/dh_1",
        env(
            "gather*",
            FORWARD,
            rf"\Rightarrow {STEP_T} = \mathrm{{Diag}}(\sigma'(a_t))\, W",
            rf"{Q31} = {CHAIN31} = {S3} W {S2} W",
            rf"\boxed{{{Q31} = \left[\mathrm{{Diag}}(\sigma')W\right]^2}}",
        ),
    ),
    Case(
        "rnn-gather-forward-slip",
        RNN,
        "dh_3/dh_1",
        env(
            "gather*",
            FORWARD,
            rf"\Rightarrow {STEP_T} = \mathrm{{Diag}}(\sigma'(a_t))\, W",
            rf"{Q31} = {CHAIN31} = {S3} W {S3} W",
            rf"\boxed{{{Q31} = {S3} W {S3} W}}",
        ),
        wrong=2,
        codes=("TIME_ONE", "WRONG_FACTOR"),
    ),
    Case(
        "rnn-split-equation",
        RNN,
        "dh_3/dh_1",
        "\\begin{equation}\n"
        + env("split", rf"{Q31} &= {CHAIN31}", rf"&= {S3}\,W\,{S2}\,W")
        + "\n\\end{equation}",
    ),
    Case(
        "rnn-split-order-slip",
        RNN,
        "dh_3/dh_1",
        "\\begin{equation}\n"
        + env("split", rf"{Q31} &= {CHAIN31}", rf"&= {S3}\,W\,{S2}\,W", rf"&= W\,{S3}\,W\,{S2}")
        + "\n\\end{equation}",
        wrong=3,
        codes=("ORDER",),
    ),
    Case(
        "rnn-multline",
        RNN,
        "dh_3/dh_1",
        env("multline*", rf"{Q31} = {CHAIN31}", rf"= {S3} W {S2} W"),
    ),
    Case(
        "rnn-multline-sigma-slip",
        RNN,
        "dh_3/dh_1",
        env(
            "multline*",
            rf"{Q31} = {CHAIN31}",
            r"= \mathrm{Diag}(\sigma(a_3)) W \mathrm{Diag}(\sigma(a_2)) W",
        ),
        wrong=2,
        codes=("SIGMA_FOR_PRIME",),
    ),
    Case(
        "rnn-side-computation-of-sigma-prime",
        RNN,
        "dh_3/dh_1",
        env(
            "align*",
            rf"{Q31} &= {CHAIN31}",
            rf"&= {S3}\,W\,{S2}\,W",
            rf"\text{{avec }} {SIDE}",
            rf"\text{{donc }} {Q31} &= \left[\mathrm{{Diag}}(\sigma')W\right]^2",
        ),
    ),
    Case(
        "rnn-side-computation-then-dropped-diag",
        RNN,
        "dh_3/dh_1",
        env(
            "align*",
            rf"{Q31} &= {CHAIN31}",
            rf"\text{{avec }} {SIDE}",
            rf"&= {S3}\,W\,W",
        ),
        wrong=2,
        codes=("MISSING_DIAG", "MISSING_FACTOR"),
    ),
    Case(
        "rnn-named-jacobians-first",
        RNN,
        "dh_3/dh_1",
        env(
            "align*",
            rf"{frac('h_3', 'h_2')} &= {S3}\,W",
            rf"{frac('h_2', 'h_1')} &= {S2}\,W",
            rf"\text{{d'où }} {Q31} &= {CHAIN31}",
            rf"&= {S3}\,W\,{S2}\,W",
        ),
    ),
    Case(
        "rnn-named-jacobians-then-transpose-slip",
        RNN,
        "dh_3/dh_1",
        env(
            "align*",
            rf"{frac('h_3', 'h_2')} &= {S3}\,W",
            rf"\text{{d'où }} {Q31} &= {CHAIN31}",
            rf"&= {S3}\,W^\top\,{S2}\,W^\top",
        ),
        wrong=2,
        codes=("TRANSPOSE_ONE", "TRANSPOSE"),
        options={"layout": "numerator"},
    ),
    Case(
        "rnn-restated-question",
        RNN,
        "dh_4/dh_2",
        env(
            "align*",
            rf"\text{{On cherche }} {Q42}",
            rf"{Q42} &= {frac('h_4', 'h_3')}{frac('h_3', 'h_2')}",
            rf"&= {S4} W {S3} W",
        ),
    ),
    Case(
        "rnn-restated-question-parameter-slip",
        RNN,
        "dh_4/dh_2",
        env(
            "align*",
            rf"\text{{On cherche }} {Q42}",
            rf"{Q42} &= {frac('h_4', 'h_3')}{frac('h_3', 'h_2')}",
            rf"&= {S4} U {S3} U",
        ),
        wrong=2,
        codes=("PARAMETER",),
    ),
    Case(
        "rnn-aligned-donc-boxed",
        RNN,
        "dh_4/dh_2",
        "\\[\n"
        + env(
            "aligned",
            rf"{Q42} &= \prod_{{j=3}}^{{4}} {frac('h_j', 'h_{j-1}')}",
            rf"&\text{{donc}}\ {Q42} = {S4} W {S3} W",
            r"&= \boxed{\left[\mathrm{Diag}(\sigma')W\right]^{2}}",
        )
        + "\n\\]",
    ),
    Case(
        "rnn-aligned-boxed-bounds-slip",
        RNN,
        "dh_4/dh_2",
        "\\[\n"
        + env(
            "aligned",
            rf"{Q42} &= \prod_{{j=3}}^{{4}} {frac('h_j', 'h_{j-1}')}",
            r"&= \boxed{\prod_{j=2}^{4} \mathrm{Diag}(\sigma'(a_j))\, W}",
        )
        + "\n\\]",
        wrong=2,
        codes=("BOUNDS",),
    ),
    # -- III.2: the general case in t and k ---------------------------------------------
    Case(
        "rnn-general-from-forward",
        RNN,
        "dh_t/dh_k",
        env(
            "align*",
            FORWARD.replace(", \\quad", " &\\Rightarrow"),
            rf"{STEP_T} &= \mathrm{{Diag}}(\sigma'(a_t))\,W",
            rf"\text{{d'où }} {QTK} &= {PROD_NAMED}",
            rf"&= {PROD} \mathrm{{Diag}}(\sigma'(a_j))\,W",
        ),
    ),
    Case(
        "rnn-general-bracketed-parameter-slip",
        RNN,
        "dh_t/dh_k",
        env(
            "align*",
            rf"{QTK} &= {PROD_NAMED}",
            rf"&= {PROD} \left[\mathrm{{Diag}}(\sigma'(a_j))\, U\right]",
        ),
        wrong=2,
        codes=("PARAMETER",),
    ),
    Case(
        "rnn-general-bracketed-parameter-slip-square",
        RNN,
        "dh_t/dh_k",
        env(
            "align*",
            rf"{QTK} &= {PROD_NAMED}",
            rf"&= {PROD} [\mathrm{{Diag}}(\sigma'(a_j)) U]",
            r"&= \boxed{\left[\mathrm{Diag}(\sigma') U\right]^{t-k}}",
        ),
        wrong=2,
        codes=("PARAMETER",),
    ),
    Case(
        "rnn-general-gather-boxed",
        RNN,
        "dh_t/dh_k",
        env(
            "gather*",
            rf"{QTK} = {PROD_NAMED}",
            rf"\text{{donc}}\quad \boxed{{{QTK} = {PROD} \mathrm{{Diag}}(\sigma'(a_j))\,W}}",
        ),
    ),
    Case(
        "rnn-general-sigma-slip",
        RNN,
        "dh_t/dh_k",
        env(
            "gather*",
            rf"{QTK} = {PROD_NAMED}",
            rf"\text{{donc}}\quad \boxed{{{QTK} = {PROD} \mathrm{{Diag}}(\sigma(a_j))\,W}}",
        ),
        wrong=2,
        codes=("SIGMA_FOR_PRIME",),
    ),
    Case(
        "rnn-general-lower-bound-slip",
        RNN,
        "dh_t/dh_k",
        env(
            "align*",
            rf"{QTK} &= {PROD_NAMED}",
            r"&= \prod_{j=k}^{t} \mathrm{Diag}(\sigma'(a_j))\,W",
        ),
        wrong=2,
        codes=("BOUNDS",),
    ),
    # -- IV.2 / IV.3: ∂c_t/∂c_k along the memory ------------------------------------------
    Case(
        "lstm-general-from-forward",
        LSTM,
        "dc_t/dc_k",
        env(
            "align*",
            rf"{C_FORWARD} &\Rightarrow {QC1} = {diag('f_t')}",
            rf"\text{{donc }} {QC} &= \prod_{{j=k+1}}^{{t}} {frac('c_j', 'c_{j-1}')}",
            rf"&= \boxed{{\prod_{{j=k+1}}^{{t}} {diag('f_j')}}}",
        ),
        options=DIRECT,
    ),
    Case(
        "lstm-general-input-gate-slip",
        LSTM,
        "dc_t/dc_k",
        env(
            "align*",
            rf"{C_FORWARD} &\Rightarrow {QC1} = {diag('f_t')}",
            rf"\text{{donc }} {QC} &= \prod_{{j=k+1}}^{{t}} {frac('c_j', 'c_{j-1}')}",
            rf"&= \boxed{{\prod_{{j=k+1}}^{{t}} {diag('i_j')}}}",
        ),
        wrong=2,
        codes=("GATE",),
        options=DIRECT,
    ),
    Case(
        "lstm-general-split-bounds-slip",
        LSTM,
        "dc_t/dc_k",
        "\\begin{equation*}\n"
        + env(
            "split",
            rf"{QC} &= \prod_{{j=k+1}}^{{t}} {frac('c_j', 'c_{j-1}')}",
            rf"&= \prod_{{j=k}}^{{t}} {diag('f_j')}",
        )
        + "\n\\end{equation*}",
        wrong=2,
        codes=("BOUNDS",),
        options=DIRECT,
    ),
    Case(
        "lstm-saturated-gather",
        LSTM,
        "dc_t/dc_k",
        env(
            "gather*",
            rf"{QC} = \prod_{{j=k+1}}^{{t}} {diag('f_j')}",
            rf"\text{{d'où }} \boxed{{{QC} = I}}",
            r"\text{où } f_t = 1 \text{ pour tout } t",
        ),
        options=SATURATED,
    ),
    Case(
        "lstm-saturated-sum-slip",
        LSTM,
        "dc_t/dc_k",
        env(
            "align*",
            rf"{QC} &= \prod_{{j=k+1}}^{{t}} {diag('f_j')}",
            r"&= \sum_{j=k+1}^{t} I = (t-k)\, I",
        ),
        wrong=2,
        codes=("SUM_FOR_PRODUCT",),
        options=SATURATED,
    ),
    # -- IV.4: ∂c_t/∂c_{t−1}, every path, named Jacobians -----------------------------------
    Case(
        "lstm-one-step-named-jacobians",
        LSTM,
        "dc_3/dc_2",
        env(
            "align*",
            rf"{C_FORWARD}, \quad {H_OF_C}",
            rf"{frac('h_{t-1}', 'c_{t-1}')} &= {DH_DC}",
            rf"{QC1} &= {diag('f_t')} + {frac('c_t', 'h_{t-1}')}{frac('h_{t-1}', 'c_{t-1}')}",
            rf"&= {ONE_STEP}",
        ),
    ),
    Case(
        "lstm-one-step-named-then-no-tanh-prime",
        LSTM,
        "dc_3/dc_2",
        env(
            "align*",
            rf"{frac('h_{t-1}', 'c_{t-1}')} &= {DH_DC}",
            rf"{QC1} &= {diag('f_t')} + {frac('c_t', 'h_{t-1}')}{frac('h_{t-1}', 'c_{t-1}')}",
            "&= " + ONE_STEP.replace(diag(r"\tanh'(c_{t-1})"), ""),
        ),
        wrong=2,
        codes=("MISSING_FACTOR",),
    ),
    Case(
        "lstm-one-step-parameter-slip",
        LSTM,
        "dc_3/dc_2",
        env(
            "align*",
            rf"{QC1} &= {diag('f_t')} + {frac('c_t', 'h_{t-1}')}{frac('h_{t-1}', 'c_{t-1}')}",
            "&= " + ONE_STEP.replace("W_f", "U_f"),
        ),
        wrong=2,
        codes=("PARAMETER",),
    ),
    Case(
        "lstm-one-step-cell-index-slip",
        LSTM,
        "dc_3/dc_2",
        env(
            "align*",
            rf"{QC1} &= {diag('f_t')} + {frac('c_t', 'h_{t-1}')}{frac('h_{t-1}', 'c_{t-1}')}",
            "&= " + ONE_STEP.replace(diag("c_{t-1}"), diag("c_t")),
        ),
        wrong=2,
        codes=("TIME_ONE", "WRONG_FACTOR"),
    ),
    Case(
        "lstm-one-step-numbers-boxed",
        LSTM,
        "dc_3/dc_2",
        env(
            "align*",
            rf"{frac('c_3', 'c_2')} &= {diag('f_3')} + {frac('c_3', 'h_2')}{frac('h_2', 'c_2')}",
            "&= \\boxed{"
            + ONE_STEP.replace("{t-1}", "2").replace("_t", "_3").replace(",t}", ",3}")
            + "}",
        ),
    ),
    Case(
        "lstm-one-step-numbers-output-gate-slip",
        LSTM,
        "dc_3/dc_2",
        env(
            "align*",
            rf"{frac('c_3', 'c_2')} &= {diag('f_3')} + {frac('c_3', 'h_2')}{frac('h_2', 'c_2')}",
            "&= \\boxed{"
            + ONE_STEP.replace("{t-1}", "2")
            .replace("_t", "_3")
            .replace(",t}", ",3}")
            .replace(diag("o_2"), diag("o_3"))
            + "}",
        ),
        wrong=2,
        codes=("TIME_ONE", "WRONG_FACTOR"),
    ),
    # -- GRU: ∂h₃/∂h₂ from the forward equation --------------------------------------------
    Case(
        "gru-forward-then-step",
        GRU,
        "dh_3/dh_2",
        env("align*", rf"{G_FORWARD}", rf"\Rightarrow {Q32} &= {GRU_STEP}"),
    ),
    Case(
        "gru-forward-one-minus-z-dropped",
        GRU,
        "dh_3/dh_2",
        env(
            "align*",
            rf"{G_FORWARD}",
            rf"\Rightarrow {Q32} &= " + GRU_STEP.replace(r"\mathrm{Diag}(1 - z_3)", ""),
        ),
        wrong=1,
        codes=("MISSING_FACTOR",),
    ),
    Case(
        "gru-parameter-slip",
        GRU,
        "dh_3/dh_2",
        env(
            "align*",
            rf"{Q32} &= {GRU_STEP.replace('W_r', 'U_r')}",
        ),
        wrong=1,
        codes=("PARAMETER",),
    ),
    Case(
        "gru-reset-index-slip-boxed",
        GRU,
        "dh_3/dh_2",
        env(
            "gather*",
            rf"{G_FORWARD}",
            rf"\text{{donc}}\ \boxed{{{Q32} = {GRU_STEP.replace('(r_3)', '(r_2)')}}}",
        ),
        wrong=1,
        codes=("TIME_ONE", "WRONG_FACTOR"),
    ),
    Case(
        "gru-no-tanh-prime",
        GRU,
        "dh_3/dh_2",
        env(
            "align*",
            f"{Q32} &= " + GRU_STEP.replace(r"\mathrm{Diag}(\tanh'(a_{h,3}))", ""),
        ),
        wrong=1,
        codes=("MISSING_FACTOR",),
    ),
    Case(
        "gru-general-named",
        GRU,
        "dh_t/dh_k",
        env("align*", rf"{QTK} &= {PROD_NAMED}"),
    ),
    # -- ∂L/∂W: the sum over (t, k) ------------------------------------------------------
    Case(
        "rnn-gradient-gather",
        RNN,
        "dL/dW",
        env("gather*", rf"{DLDW} = {SUM_PARTS}", rf"\text{{d'où}}\ {DLDW} = {T2}"),
        options={"T": 2},
    ),
    Case(
        "rnn-gradient-immediate-for-k-slip",
        RNN,
        "dL/dW",
        env(
            "gather*",
            rf"{DLDW} = {SUM_PARTS}",
            rf"\text{{d'où}}\ {DLDW} = {T2_TERMS[0]} + {T2_TERMS[1]} + "
            + frac("L_2", "h_2")
            + S2
            + "W"
            + PLUS % (2, "W"),
        ),
        wrong=2,
        codes=("IMMEDIATE_STEP", "TIME_ONE", "WRONG_FACTOR"),
        options={"T": 2},
    ),
    Case(
        "lstm-gradient-named-paths",
        LSTM,
        "dL/dW_f",
        env(
            "align*",
            rf"{DLDWF} &= \sum_{{t=1}}^{{T}}\sum_{{k=1}}^{{t}} {frac('L_t', 'h_t')}"
            rf"{frac('h_t', 'c_k')}\frac{{\partial^+ c_k}}{{\partial W_f}}",
            rf"&= {LSTM_T2}",
        ),
        options={"T": 2},
    ),
    Case(
        "lstm-gradient-missing-term",
        LSTM,
        "dL/dW_f",
        env(
            "align*",
            rf"{DLDWF} &= \sum_{{t=1}}^{{T}}\sum_{{k=1}}^{{t}} {frac('L_t', 'h_t')}"
            rf"{frac('h_t', 'c_k')}\frac{{\partial^+ c_k}}{{\partial W_f}}",
            rf"&= {LSTM_T2_TERMS[0]} + {LSTM_T2_TERMS[2]}",
        ),
        wrong=2,
        codes=("MISSING_TERM",),
        options={"T": 2},
    ),
    Case(
        "lstm-gradient-dropped-jacobian",
        LSTM,
        "dL/dW_f",
        env(
            "align*",
            rf"{DLDWF} &= {LSTM_T2.replace(frac('h_2', 'c_1'), '')}",
        ),
        wrong=1,
        codes=("MISSING_FACTOR",),
        options={"T": 2},
    ),
    Case(
        "gru-gradient-named",
        GRU,
        "dL/dW_z",
        env("align*", rf"{DLDWZ} &= {GRU_T2}"),
        options={"T": 2},
    ),
    # -- II.1: the lemma, from u = σ(A v) -------------------------------------------------
    Case(
        "lemma-forward-side-boxed",
        LEMMA,
        "du/dv",
        env(
            "gather*",
            r"u = \sigma(A v)",
            rf"\text{{avec }} {SIDE}",
            rf"\Rightarrow \boxed{{{QUV} = \mathrm{{Diag}}(\sigma'(A v))\, A}}",
        ),
    ),
    Case(
        "lemma-forward-transpose-slip",
        LEMMA,
        "du/dv",
        env(
            "gather*",
            r"u = \sigma(A v)",
            rf"\Rightarrow \boxed{{{QUV} = \mathrm{{Diag}}(\sigma'(A v))\, A^\top}}",
        ),
        wrong=1,
        codes=("TRANSPOSE_ONE", "TRANSPOSE"),
        options={"layout": "numerator"},
    ),
    Case(
        "lemma-forward-order-slip",
        LEMMA,
        "du/dv",
        env(
            "align*",
            r"u &= \sigma(A v)",
            rf"{QUV} &= A\, \mathrm{{Diag}}(\sigma'(A v))",
        ),
        wrong=1,
        codes=("ORDER", "SHAPE"),
    ),
    # -- more slips, written the same ways (round 2)
    Case(
        "lstm-iv4-dou-missing-c",
        LSTM,
        "dc_3/dc_2",
        env(
            "align*",
            rf"{C_FORWARD}",
            rf"\text{{d'où }} {QC1} &= " + ONE_STEP.replace(diag("c_{t-1}"), ""),
        ),
        wrong=1,
        codes=("MISSING_FACTOR",),
    ),
    Case(
        "gru-transpose-wz",
        GRU,
        "dh_3/dh_2",
        env(
            "gather*",
            G_FORWARD,
            rf"\Rightarrow \boxed{{{Q32} = " + GRU_STEP.replace("W_z", r"W_z^\top") + "}",
        ),
        wrong=1,
        codes=("TRANSPOSE_ONE",),
        options={"layout": "numerator"},
    ),
    Case(
        "rnn-grad-boxed-sign",
        RNN,
        "dL/dW",
        env("align*", rf"{DLDW} &= {SUM_PARTS}", rf"&= {T2}", rf"&= \boxed{{-\left({T2}\right)}}"),
        wrong=3,
        codes=("SIGN",),
        options={"T": 2},
    ),
    Case(
        "lemma-argument-gather",
        LEMMA,
        "du/dv",
        env(
            "gather*",
            r"u = \sigma(A v)",
            rf"\text{{avec }} {SIDE}",
            rf"\Rightarrow \boxed{{{QUV} = \mathrm{{Diag}}(\sigma'(v))\, A}}",
        ),
        wrong=1,
        codes=("ARGUMENT",),
    ),
    Case(
        "rnn-multline-restated-arrow",
        RNN,
        "dh_4/dh_2",
        env(
            "multline*",
            rf"{Q42} = {frac('h_4', 'h_3')}{frac('h_3', 'h_2')}",
            rf"\Rightarrow {Q42} = {S4} W {S3} W",
        ),
    ),
    Case(
        "rnn-multline-restated-arrow-slip",
        RNN,
        "dh_4/dh_2",
        env(
            "multline*",
            rf"{Q42} = {frac('h_4', 'h_3')}{frac('h_3', 'h_2')}",
            rf"\Rightarrow {Q42} = {S4} W {S3}",
        ),
        wrong=2,
        codes=("MISSING_FACTOR",),
    ),
    Case(
        "lstm-general-forward-comma",
        LSTM,
        "dc_t/dc_k",
        rf"{C_FORWARD}, \quad {H_OF_C} \text{{ donc }} {QC} = \prod_{{j=k+1}}^{{t}} {diag('f_j')}",
        options=DIRECT,
    ),
    Case(
        "rnn-general-forward-comma-slip",
        RNN,
        "dh_t/dh_k",
        rf"{FORWARD} \text{{ donc }} {QTK} = {PROD} W\, \mathrm{{Diag}}(\sigma'(a_j))",
        wrong=1,
        codes=("ORDER",),
    ),
    Case(
        "gru-general-step-named-slip",
        GRU,
        "dh_t/dh_k",
        env("align*", rf"{QTK} &= \prod_{{j=k}}^{{t}} {frac('h_j', 'h_{j-1}')}"),
        wrong=1,
        codes=("BOUNDS",),
    ),
    Case(
        "lstm-iv4-split-wrong-tanh-arg",
        LSTM,
        "dc_3/dc_2",
        "\\begin{equation}\n"
        + env(
            "split",
            rf"{QC1} &= {diag('f_t')} + {frac('c_t', 'h_{t-1}')}{frac('h_{t-1}', 'c_{t-1}')}",
            "&= " + ONE_STEP.replace(r"\tanh'(c_{t-1})", r"\tanh'(c_t)"),
        )
        + "\n\\end{equation}",
        wrong=2,
        codes=("TIME_ONE", "WRONG_FACTOR"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_derivation_is_judged_as_a_teacher_would(case):
    judged_as_a_teacher_would(case)


def test_the_battery_is_large_mixed_and_new():
    from tests.judge.test_derivation_battery import CASES as FIRST

    wrong = [c for c in CASES if c.wrong is not None]
    assert len(CASES) >= 40 and 15 <= len(wrong) <= len(CASES) - 15
    assert {c.cell.name for c in CASES} >= {"rnn", "lstm", "gru", "lemma"}
    assert not {c.answer for c in CASES} & {c.answer for c in FIRST}
