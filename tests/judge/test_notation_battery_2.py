"""A second battery of answers written as students write them (issue 35, point 3): the
notation the first battery does not hold yet.

The LSTM (IV.3, IV.4), the GRU and the general case (∂h_t/∂h_k, ∂c_t/∂c_k, ∂L/∂W in t, k,
T): bold letters, the step as ``h^{<t>}`` or ``h^{[t]}``, ``\\operatorname{diag}\\left(…
\\right)``, ``\\prod\\limits``, ``\\left. … \\right.``, ``\\mathrm{d}`` and ``\\partial``
mixed, the spellings of σ′ and tanh′, primes, chains of ⇒, ≡, :=, ≜, French remarks, a
trailing shape, transposes of a whole answer; a hedge (``ou``, ``soit``) followed by a
condition, and hedge words outside ``\\text``. Each right answer is accepted, each wrong one
refused with a verdict; a spelling that is truly ambiguous (SAYS) is refused with a message
in both languages, never "unexpected" nor a traceback.
"""

import pytest

from symbrnn.engine.cells import make_cell
from symbrnn.errors import InputError
from symbrnn.judge.check import check_answer
from symbrnn.sheets.checking import check

SAYS = "says why"
D3 = r"\mathrm{Diag}(\sigma'(a_3))"
D2 = r"\mathrm{Diag}(\sigma'(a_2))"
KEY32 = rf"{D3} W {D2} W"
POWER2 = r"[\mathrm{Diag}(\sigma') W]^2"
BRACKET = (
    r"\mathrm{Diag}(c_2)\mathrm{Diag}(\sigma'(a_{f,3})) W_f + \mathrm{Diag}(\tilde{c}_3)"
    r"\mathrm{Diag}(\sigma'(a_{i,3})) W_i + \mathrm{Diag}(i_3)\mathrm{Diag}(\tanh'(a_{c,3})) W_c"
)
KEY44 = rf"\mathrm{{Diag}}(f_3) + [{BRACKET}] \mathrm{{Diag}}(o_2)\mathrm{{Diag}}(\tanh'(c_2))"
CHAIN44 = r"\mathrm{Diag}(f_3) + \frac{\partial c_3}{\partial h_2}\frac{\partial h_2}{\partial c_2}"


def _bold(letter):
    return rf"\mathbf{{{letter}}}"


# -- hedges followed by a condition, hedge words outside \text ---------------------------
HEDGES = [
    ("III.2", KEY32 + r" \text{ ou } " + POWER2 + r" \text{ pour } t \ge 2", True),
    ("III.2", KEY32 + r" \text{ ou } W^2 \text{ pour } t \ge 2", False),
    ("III.2", KEY32 + r" \text{ ou } W^2 \text{ si } t = 3", False),
    ("III.2", KEY32 + r" \text{ ou } I \text{ si } t = k", True),  # a case that is not this one
    ("III.2", KEY32 + r" \text{ ou } W^2 \text{ quand } k = 1", False),
    ("III.2", KEY32 + r" \text{, soit } " + POWER2 + r" \text{ pour } k = 1", True),
    ("III.2", KEY32 + r" \text{, soit } " + POWER2 + r" \text{ for every } t", True),
    ("III.2", KEY32 + r" \text{ or } " + POWER2 + r" \text{ if } t - k = 2", True),
    ("III.2", KEY32 + r" \text{ or } [\mathrm{Diag}(\sigma') W]^3 \text{ if } t - k = 2", False),
    ("III.2", KEY32 + " ou " + POWER2, True),
    ("III.2", KEY32 + " ou W^2", False),
    ("III.2", KEY32 + " or W^2", False),
    ("III.2", KEY32 + ", ou " + POWER2, True),
    ("III.2", KEY32 + " soit " + POWER2, True),
    ("III.2", KEY32 + " soit [Diag(σ') W]^3", False),
    ("III.2", KEY32 + " ou " + POWER2 + r" pour t \ge 2", True),
    ("III.2", KEY32 + r" ou W^2 pour t \ge 2", False),
    ("III.2", "Diag(σ′(a₃)) W Diag(σ′(a₂)) W ou [Diag(σ′) W]²", True),
    ("III.2", "Diag(σ′(a₃)) W Diag(σ′(a₂)) W ou W²", False),
    ("III.2", "Diag(σ′(a₃)) W Diag(σ′(a₂)) W, i.e. [Diag(σ′) W]²", True),
    ("IV.3", r"\mathrm{Diag}(f_3)\mathrm{Diag}(f_2) \text{ ou } I \text{ car } f_t = 1", True),
    ("IV.3", r"\mathrm{Diag}(f_3)\mathrm{Diag}(f_2) \text{ ou } 0 \text{ si } i_t = 0", False),
    ("IV.3", r"I ou Diag(f_3) Diag(f_2)", True),
    ("IV.3", r"I ou Diag(o_3)", False),
    ("IV.4", CHAIN44 + r" \text{ ou } " + KEY44 + r" \text{ pour } t = 3", True),
    ("IV.4", CHAIN44 + r" \text{ ou } \mathrm{Diag}(f_3) \text{ pour } t = 3", False),
]

# -- the LSTM: IV.3 and IV.4 as students write them ------------------------------------
IV_3 = [
    (r"\mathbf{I}_n \quad (\text{car } f_t = 1)", True),
    (r"\operatorname{diag}\left(f_{3}\right)\operatorname{diag}\left(f_{2}\right)", True),
    (r"\prod\limits_{j=2}^{3}\operatorname{Diag}\left(\mathbf{f}_j\right)", True),
    (r"\prod\limits_{j=2}^{3}\operatorname{Diag}\left(\boldsymbol{f}_{j}\right)", True),
    (r"\mathrm{Diag}(f_3) \mathrm{Diag}(f_2) = I \text{ (hyp. } f_t = 1)", True),
    (r"\mathrm{Diag}(f_3) \mathrm{Diag}(f_2) \;\Rightarrow\; I", True),
    (r"\mathrm{Diag}(f_3) \mathrm{Diag}(f_2) \Rightarrow I_n", True),
    (r"\frac{\partial c_3}{\partial c_1} \equiv I", True),
    (r"\frac{\partial c_3}{\partial c_1} \triangleq \mathrm{Diag}(f_3)\mathrm{Diag}(f_2)", True),
    (r"\mathrm{Diag}(f^{<3>}) \mathrm{Diag}(f^{<2>})", True),
    (r"\mathrm{Diag}(f^{[3]}) \mathrm{Diag}(f^{[2]})", True),
    (r"I \in \mathbb{R}^{n\times n}", True),
    (r"\left.\frac{\partial c_3}{\partial c_1}\right. = I", True),
    (r"\frac{\mathrm{d} c_3}{\partial c_1} = I", True),
    (r"(\mathrm{Diag}(f_3)\mathrm{Diag}(f_2))^\top", True),
    (r"\mathrm{Diag}(f_3 \odot f_2)^{\top}", True),
    (r"\mathrm{Diag}(f^{<3>}) \mathrm{Diag}(i^{<2>})", False),
    (r"\mathrm{Diag}(f_3) \mathrm{Diag}(f_2) \;\Rightarrow\; 0", False),
    (r"\frac{\partial c_3}{\partial c_1} \equiv \mathrm{Diag}(o_3)", False),
    (r"\mathbf{0}_n \quad (\text{car } i_t = 0)", False),
    (r"\mathrm{Diag}(f_3) \mathrm{Diag}(f_2) = 2I \text{ (hyp. } f_t = 1)", False),
]

IV_4 = [
    (KEY44.replace("Diag", "diag").replace(r"\mathrm", r"\operatorname"), True),
    (KEY44.replace("(", r"\left(").replace(")", r"\right)"), True),
    (KEY44.replace(r"\tanh'(c_2)", r"(1-\tanh^2(c_2))"), True),
    (KEY44.replace(r"\tanh'(c_2)", r"1-\tanh(c_2)^2"), True),
    (KEY44.replace(r"\tanh'(c_2)", r"\mathrm{sech}^2(c_2)"), True),
    (KEY44.replace(r"\tanh'(c_2)", r"\tanh^\prime(c_2)"), True),
    (KEY44.replace(r"\tanh'(c_2)", r"\tanh^{\prime}(c_2)"), True),
    (KEY44.replace(r"\tanh'(c_2)", "\\tanh\u2032(c_2)"), True),
    (KEY44.replace("'", "^\\prime"), True),
    (KEY44.replace(r"\sigma'", r"\text{sigmoid}'"), True),
    (KEY44.replace(r"\sigma'", r"\operatorname{sig}'"), True),
    (KEY44.replace("W_f", r"\mathbf{W}_f").replace("W_i", r"\mathbf{W}_i"), True),
    (KEY44.replace("W_", r"\boldsymbol{W}_"), True),
    (KEY44.replace("c_2", r"\mathbf{c}_2").replace("f_3", r"\mathbf{f}_3"), True),
    (KEY44.replace("_3", "^{<3>}").replace("_2", "^{<2>}").replace(",3}", ",3}"), True),
    (KEY44 + r" \in \mathbb{R}^{n\times n}", True),
    (
        r"\frac{\partial c_3}{\partial c_2} = \mathrm{Diag}(f_3) + "
        r"\frac{\partial c_3}{\partial h_2} \frac{\partial h_2}{\partial c_2} \;\Rightarrow\; "
        + KEY44,
        True,
    ),
    (
        r"\left.\frac{\partial c_3}{\partial c_2}\right. = " + CHAIN44,
        True,
    ),
    (
        r"\mathrm{Diag}(f_3) + \frac{\mathrm{d} c_3}{\partial h_2}\frac{\partial h_2}{\mathrm{d} c_2}",
        True,
    ),
    (
        CHAIN44 + r" \quad (\text{car } c_3 = f_3 \odot c_2 + i_3 \odot \tilde c_3)",
        True,
    ),
    (
        r"\mathrm{Diag}(f_3) + [" + BRACKET + r"] \mathrm{Diag}(o_2 \odot \tanh'(c_2))",
        True,
    ),
    (
        r"\mathrm{Diag}(f_3) + [" + BRACKET + r"] \mathrm{Diag}(o_2)\mathrm{Diag}(\sigma'(c_2))",
        False,
    ),
    (KEY44.replace(r"\tanh'(c_2)", r"1-\tanh(c_2^2)"), False),
    (KEY44.replace(r"\tanh'(c_2)", r"(1-\tanh^2(c_3))"), False),
    (KEY44.replace(r"\tanh'(c_2)", r"\tanh(c_2)"), False),
    (KEY44.replace(r"\tanh'(c_2)", "\\tanh\u2032(c_3)"), False),
    (KEY44.replace(r"\sigma'(a_{f,3})", r"\text{sigmoid}(a_{f,3})"), False),
    (KEY44.replace("W_f", r"\mathbf{W}_i"), False),
    (KEY44.replace("f_3", "f^{<2>}"), False),
    (KEY44 + r" \in \mathbb{R}^{n\times n} \text{ ou } \mathrm{Diag}(f_3)", False),
    (r"\left(" + KEY44 + r"\right)^\top", True),  # the denominator layout, with a note
    (CHAIN44 + r" \;\Rightarrow\; \mathrm{Diag}(f_3)", False),
    (
        r"\mathrm{Diag}(f_3) + [" + BRACKET + r"] \mathrm{Diag}(o_3 \odot \tanh'(c_2))",
        False,
    ),
]

# -- III.2 and II.1: primes, fonts, chains, remarks -------------------------------------
III_2 = [
    (
        rf"{_bold('D')}_3 {_bold('W')} {_bold('D')}_2 {_bold('W')} \text{{ où }} "
        r"\mathbf{D}_t = \operatorname{diag}\left(\sigma'(\mathbf{a}_t)\right)",
        True,
    ),
    (r"\mathrm{Diag}(\sigma^\prime(a_3)) W \mathrm{Diag}(\sigma^\prime(a_2)) W", True),
    ("Diag(σ\u2032(a_3)) W Diag(σ\u2032(a_2)) W", True),
    (r"\mathrm{Diag}(\sigma'(a^{<3>})) W \mathrm{Diag}(\sigma'(a^{<2>})) W", True),
    (r"\mathrm{Diag}(\sigma'(a^{[3]})) W \mathrm{Diag}(\sigma'(a^{[2]})) W", True),
    (r"\mathrm{Diag}(\sigma'(a_{3})) W \mathrm{Diag}(\sigma'(a_{2})) \boldsymbol{W}", True),
    (
        r"\boldsymbol{\mathrm{Diag}}(\sigma'(a_3)) W \boldsymbol{\mathrm{Diag}}(\sigma'(a_2)) W",
        True,
    ),
    (r"\prod\limits_{j=2}^{3} \operatorname{diag}\left(\sigma'\left(a_j\right)\right) W", True),
    (r"\prod\nolimits_{j=2}^{3} \mathrm{Diag}(\sigma'(a_j)) W", True),
    (r"\left.\frac{\partial h_3}{\partial h_1}\right. = " + KEY32, True),
    (r"\frac{\partial h_3}{\mathrm{d} h_1} = " + KEY32, True),
    (r"\frac{\partial h_3}{\partial h_1} \equiv " + KEY32, True),
    (r"\frac{\partial h_3}{\partial h_1} \triangleq " + KEY32, True),
    (
        r"\frac{\partial h_3}{\partial h_1} = \frac{\partial h_3}{\partial h_2}"
        r"\frac{\partial h_2}{\partial h_1} \;\Rightarrow\; " + KEY32,
        True,
    ),
    (KEY32 + r" \;\Longrightarrow\; " + POWER2, True),
    (KEY32 + r" \implies " + POWER2, True),
    (KEY32 + r" \quad(\text{car } h_t = \sigma(a_t))", True),
    (KEY32 + r" \quad (\text{règle de la chaîne})", True),
    (r"\mathrm{Diag}(\sigma(a_3) \odot (1-\sigma(a_3))) W \mathrm{Diag}(\sigma'(a_2)) W", True),
    (r"(W^\top \mathrm{Diag}(\sigma'(a_2)) W^\top \mathrm{Diag}(\sigma'(a_3)))^\top", True),
    (r"\left(W^{\top} " + D2 + r" W^{\top} " + D3 + r"\right)^{\top}", True),
    (r"[\mathrm{Diag}(\sigma'(\cdot)) W]^2", True),
    (r"\left[\mathrm{Diag}(\sigma'(\bullet)) W\right]^{2}", True),
    (r"[\mathrm{Diag}(\sigma'(\cdot)) W]^3", False),
    (r"\mathrm{Diag}(\sigma'(\cdot)) W \mathrm{Diag}(\sigma'(\cdot)) W", False),  # both at t
    (r"\mathrm{Diag}(\sigma^\prime(a_2)) W \mathrm{Diag}(\sigma^\prime(a_3)) W", False),
    (r"\mathrm{Diag}(\sigma'(a^{<3>})) W \mathrm{Diag}(\sigma'(a^{<1>})) W", False),
    (r"\frac{\partial h_3}{\partial h_1} \equiv " + D3 + " W", False),
    (KEY32 + r" \;\Longrightarrow\; W^2", False),
    (r"(W^\top \mathrm{Diag}(\sigma'(a_3)) W^\top \mathrm{Diag}(\sigma'(a_2)))^\top", False),
    (r"\left(" + KEY32 + r"\right)^{\top}", True),
    (r"\prod\limits_{j=1}^{3} \operatorname{diag}\left(\sigma'\left(a_j\right)\right) W", False),
    (r"\mathrm{Diag}(\text{sigmoid}(a_3)) W \mathrm{Diag}(\text{sigmoid}(a_2)) W", False),
    (r"\mathrm{Diag}(\text{sigmoid}'(a_3)) W \mathrm{Diag}(\text{sigmoid}'(a_2)) W", True),
    (r"\mathrm{Diag}(\operatorname{sig}'(a_3)) W \mathrm{Diag}(\operatorname{sig}'(a_2)) W", True),
    (D3 + r" W \cdots " + D2 + " W", True),  # ∏_{j=2}^{3}, written with its two ends
    (D3 + r" \cdot W \cdot \cdots \cdot " + D2 + r" \cdot W", True),
    (D2 + r" W \cdots " + D3 + " W", SAYS),  # from the lowest step up: not ∏'s order
    (r"W \cdots W", SAYS),
]

II_1 = [
    (r"\operatorname{diag}\left(\sigma'\left(\mathbf{A}\mathbf{v}\right)\right)\mathbf{A}", True),
    (r"\mathrm{Diag}(\sigma^\prime(Av)) A \in \mathbb{R}^{n\times d}", True),
    (r"\frac{\partial u}{\partial v} \equiv \mathrm{Diag}(\sigma'(Av)) A", True),
    (r"\frac{\partial u}{\partial v} := \mathrm{Diag}(\sigma'(Av)) A", True),
    (r"\left(A^\top \mathrm{Diag}(\sigma'(Av))\right)^\top", True),
    (r"\mathrm{Diag}(\sigma'(Av)) A \quad (\text{car } u = \sigma(Av))", True),
    (r"\mathrm{Diag}(\text{sigmoid}'(Av)) A", True),
    (r"\operatorname{diag}\left(\sigma'\left(\mathbf{v}\right)\right)\mathbf{A}", False),
    (r"\frac{\partial u}{\partial v} \equiv \mathrm{Diag}(\sigma(Av)) A", False),
    (r"\left(\mathrm{Diag}(\sigma'(Av)) A\right)^\top", True),
    (r"\mathrm{Diag}(\sigma'(Av)) A \text{ ou } A \text{ si } \sigma = \mathrm{id}", False),
]

LT1, LT3 = r"\frac{\partial L_1}{\partial h_1}", r"\frac{\partial L_3}{\partial h_3}"
III_1 = [
    (
        LT1
        + r"\frac{\mathrm{d} h_1}{\mathrm{d} W} + \cdots + "
        + LT3
        + r"\frac{\mathrm{d} h_3}{\mathrm{d} W}",
        True,
    ),
    (LT1 + r"\frac{d h_1}{d W} + \dots + " + LT3 + r"\frac{d h_3}{d W}", True),
    (
        LT1
        + r"\frac{\mathrm{d} h_1}{\mathrm{d} W} + \cdots + "
        + LT3
        + r"\frac{\mathrm{d} h_2}{\mathrm{d} W}",
        SAYS,
    ),
    (
        LT1
        + r"\frac{\partial^+ h_1}{\partial W} + \cdots + "
        + LT3
        + r"\frac{\partial^+ h_3}{\partial W}",
        False,
    ),
    (r"-" + LT1 + r"\frac{d h_1}{d W} + \cdots + " + LT3 + r"\frac{d h_3}{d W}", SAYS),
]

# -- the GRU's one step, dh_3/dh_2 --------------------------------------------------------
G = (
    r"\mathrm{Diag}(z_3) + \mathrm{Diag}(h_2 - \tilde h_3)\mathrm{Diag}(\sigma'(a_{z,3}))W_z"
    r" + \mathrm{Diag}(1 - z_3)\mathrm{Diag}(\tanh'(a_{h,3}))W_h"
    r"\left[\mathrm{Diag}(r_3) + \mathrm{Diag}(h_2)\mathrm{Diag}(\sigma'(a_{r,3}))W_r\right]"
)
GRU_ = [
    (G.replace("_3", "^{<3>}").replace("_2", "^{<2>}"), True),
    (G.replace(r"\tanh'(a_{h,3})", r"1-\tilde h_3^2"), True),
    (G.replace(r"\tanh'(a_{h,3})", r"1-\tanh^2(a_{h,3})"), True),
    (G.replace(r"\tanh'(a_{h,3})", r"\mathrm{sech}^2(a_{h,3})"), True),
    (G.replace(r"\mathrm{Diag}", r"\operatorname{diag}"), True),
    (G.replace("W_", r"\mathbf{W}_"), True),
    (G.replace("W_", r"\boldsymbol{W}_"), True),
    (G.replace("(", r"\left(").replace(")", r"\right)"), True),
    (G.replace("'", r"^\prime"), True),
    (G + r" \quad (\text{car } h_t = z_t \odot h_{t-1} + (1-z_t) \odot \tilde h_t)", True),
    (r"\frac{\partial h_3}{\partial h_2} \equiv " + G, True),
    (G + r" \text{ ou } \mathrm{Diag}(z_3) \text{ si } t = k", True),  # t = 3, k = 2: prose
    (G + r" \text{ ou } \mathrm{Diag}(z_3) \text{ si } t = 3", False),
    (G + r" \text{ ou } \mathrm{Diag}(z_3) \text{ pour } t \ne k", False),
    (G.replace(r"1 - z_3", r"z_3"), False),
    (G.replace(r"\tanh'(a_{h,3})", r"1-\tilde h_3"), False),
    (G.replace(r"h_2 - \tilde h_3", r"\tilde h_3 - h_2"), False),
    (G.replace("_3", "^{<3>}").replace("_2", "^{<3>}"), False),
    (G.replace(r"\sigma'(a_{r,3})", r"\text{sigmoid}(a_{r,3})"), False),
]

# -- plain-text hedges, conditions, sums with an ellipsis in the general case ------------
MORE_HEDGES = [
    ("III.2", KEY32 + r" c.-à-d. " + POWER2, True),
    ("III.2", KEY32 + " i.e. W^2", False),
    ("III.2", KEY32 + " donc " + POWER2, True),
    ("III.2", KEY32 + r" car h_t = \sigma(a_t)", True),
    ("III.2", "Diag(σ′(a₃)) W Diag(σ′(a₂)) W si t = 3", True),
    ("III.2", "Diag(σ′(a₃)) W Diag(σ′(a₂)) W ou W² si t = 3", False),
    ("III.2", "Diag(σ′(a₃)) W Diag(σ′(a₂)) W ou W² si t = 2", True),  # another case
    ("III.2", KEY32 + r" \text{ ou } W^2 \text{ pour } 1 \le k < t", False),
    ("III.2", KEY32 + r" \text{ ou } W^2 \text{ pour } t \ne k", False),
    ("III.2", "Diag(σ′(a₃)) W Diag(σ′(a₂)) W ou bien W²", False),
    ("III.2", "Diag(σ′(a₃)) W Diag(σ′(a₂)) W c'est-à-dire [Diag(σ′) W]²", True),
    ("III.2", "Diag(σ′(a₃)) W Diag(σ′(a₂)) W, autrement dit [Diag(σ′) W]²", True),
    ("III.2", "Diag(σ′(a₃)) W Diag(σ′(a₂)) W soit encore W²", False),
    ("II.1", r"J = \mathrm{Diag}(\sigma'(Av))A", True),  # the answer given a name of its own
    ("II.1", r"J = \mathrm{Diag}(\sigma'(v))A", False),
    ("III.2", r"J_{3,1} = " + KEY32, True),
    ("III.2", r"M = W^2", False),
    ("IV.3", r"G = I", True),
    ("IV.3", r"f_3 \odot \mathrm{Diag}(f_2)", SAYS),  # rows or columns: Diag(f_3) meant
    ("IV.3", r"{\partial c_3 \over \partial c_1} = I", True),  # plain TeX's fraction
    ("IV.3", r"{\partial c_3 \over \partial c_1} = 0", False),
    ("IV.3", r"I \;\; (\text{identité } n \times n)", True),
    ("IV.3", r"2I (\text{identité } n \times n)", False),
    ("III.2", r"\prod_{j = 2}^{3}{\mathrm{Diag}(\sigma'(a_j)) W}", True),  # a braced body
    ("III.2", r"\prod_{j = 1}^{3}{\mathrm{Diag}(\sigma'(a_j)) W}", False),
    (
        "III.2",
        r"\prod_{j=2}^{3} \mathrm{Diag}\big(\sigma'(a_j)\big) W \quad (j \text{ décroissant})",
        True,
    ),
    (
        "III.2",
        r"\prod_{j=1}^{3} \mathrm{Diag}\big(\sigma'(a_j)\big) W \quad (j \text{ décroissant})",
        False,
    ),
    ("III.2", r"\mathrm{Diag}(\sigma^{'}(a_3)) W \mathrm{Diag}(\sigma^{'}(a_2)) W", True),
    ("II.1", r"\mathrm{Diag}(\sigma'(Av)) \, A \quad (n \times d)", True),  # its shape
    ("II.1", r"\mathrm{Diag}(\sigma'(v)) \, A \quad (n \times d)", False),
]
SUMS = r"\sum_{t=1}^{T}\sum_{k=1}^{t} \frac{\partial L_t}{\partial h_t}"
PLUS_K = r"\frac{\partial^+ h_k}{\partial W}"
GENERAL_MORE = [
    rf"{SUMS} \mathrm{{Diag}}(\sigma'(a_t)) W \cdots \mathrm{{Diag}}(\sigma'(a_{{k+1}})) W {PLUS_K}",
    rf"{SUMS} \frac{{\partial h_t}}{{\partial h_{{t-1}}}} \cdots \frac{{\partial h_{{k+1}}}}{{\partial h_k}} {PLUS_K}",
]

SHEET = [
    *MORE_HEDGES,
    *(("III.1", a, ok) for a, ok in III_1),
    *(("III.2", a, ok) for a, ok in III_2),
    *(("II.1", a, ok) for a, ok in II_1),
    *(("IV.3", a, ok) for a, ok in IV_3),
    *(("IV.4", a, ok) for a, ok in IV_4),
    *HEDGES,
]

# -- the general case, in t, k (and T) --------------------------------------------------
RNN = make_cell("rnn", bias=False)
LSTM = make_cell("lstm", bias=False)
GRU = make_cell("gru", bias=False)
DIRECT = {"paths": "direct"}
HELD = {"paths": "direct", "hypothesis": {"f": 1, "i": 0}}
DJ = r"\mathrm{Diag}(\sigma'(a_j))"
PLUS = r"\frac{\partial^+ h_k}{\partial W}"
LT = r"\frac{\partial L_t}{\partial h_t}"
GENERAL = [
    (RNN, "dh_t/dh_k", {}, rf"\prod\limits_{{j=k+1}}^{{t}} {DJ} W", True),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"\prod_{j=k+1}^{t} \operatorname{diag}\left(\sigma'(a_{j})\right) W",
        True,
    ),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(\mathbf{a}_j)) \mathbf{W}",
        True,
    ),
    (RNN, "dh_t/dh_k", {}, r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a^{<j>})) W", True),
    (RNN, "dh_t/dh_k", {}, r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a^{[j]})) W", True),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"\prod_{j=k+1}^{t} \boldsymbol{\mathrm{Diag}}(\boldsymbol{\sigma}'(\boldsymbol{a}_j)) \boldsymbol{W}",
        True,
    ),
    (RNN, "dh_t/dh_k", {}, r"[\mathrm{Diag}(\sigma') W]^{t-k}", True),
    (RNN, "dh_t/dh_k", {}, r"\left[\operatorname{diag}\left(\sigma'\right) W\right]^{t-k}", True),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"\mathrm{Diag}(\sigma'(a_t)) W \cdots \mathrm{Diag}(\sigma'(a_{k+1})) W",
        True,
    ),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"\mathrm{Diag}(\sigma'(a_t)) W \cdots \mathrm{Diag}(\sigma'(a_{k})) W",
        False,
    ),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"\frac{\partial h_t}{\partial h_{t-1}} \cdots \frac{\partial h_{k+1}}{\partial h_k}",
        True,
    ),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"\frac{\partial h_t}{\partial h_{t-1}} \cdots \frac{\partial h_{k+2}}{\partial h_{k+1}}",
        False,
    ),
    (RNN, "dh_t/dh_k", {}, r"\prod_{j=k+1}^{t} \frac{\partial h_j}{\partial h_{j-1}}", True),
    (RNN, "dh_t/dh_k", {}, r"\prod_{j=k+1}^{t} \frac{\mathrm{d} h_j}{\mathrm{d} h_{j-1}}", True),
    (RNN, "dh_t/dh_k", {}, r"\prod_{j=k+1}^{t} \frac{\partial h^{<j>}}{\partial h^{<j-1>}}", True),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"\prod_{j=k+1}^{t} \frac{\partial h_{j}}{\partial h_{j-1}} = \prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_{j})) W",
        True,
    ),
    (RNN, "dh_t/dh_k", {}, r"W^{t-k}", False),
    (RNN, "dh_t/dh_k", {}, r"\prod_{j=k}^{t} \mathrm{Diag}(\sigma'(a^{<j>})) W", False),
    (RNN, "dh_t/dh_k", {}, r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_{j-1})) W", False),
    (RNN, "dh_t/dh_k", {}, r"[\mathrm{Diag}(\sigma') W]^{t-k+1}", False),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j)) W \quad (\text{car } h_j = \sigma(a_j))",
        True,
    ),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j)) W \in \mathbb{R}^{n\times n}",
        True,
    ),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"I \text{ si } t = k \text{, sinon } \prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j)) W",
        True,
    ),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"I \text{ si } t = k \text{, sinon } \prod_{j=k}^{t} \mathrm{Diag}(\sigma'(a_j)) W",
        False,
    ),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"I \text{ si } t = k \text{, } \prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j)) W \text{ sinon}",
        True,
    ),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"0 \text{ si } t = k \text{, } \prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j)) W \text{ sinon}",
        False,
    ),
    (RNN, "dh_t/dh_k", {}, r"I si t = k, sinon [\mathrm{Diag}(\sigma') W]^{t-k}", True),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"\mathrm{Diag}(\sigma'(a_{k+1})) W \cdots \mathrm{Diag}(\sigma'(a_t)) W",
        SAYS,
    ),
    (RNN, "dh_t/dh_k", {}, r"W \cdots W", SAYS),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j)) W \text{ ou } I \text{ si } t = k",
        True,
    ),
    (
        RNN,
        "dh_t/dh_k",
        {},
        r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j)) W \text{ ou } 0 \text{ si } t = k",
        False,
    ),
    (
        LSTM,
        "dc_t/dc_k",
        DIRECT,
        r"\prod\limits_{j=k+1}^{t}\operatorname{diag}\left(f_j\right)",
        True,
    ),
    (LSTM, "dc_t/dc_k", DIRECT, r"\prod_{j=k+1}^{t}\mathrm{Diag}(\mathbf{f}_j)", True),
    (LSTM, "dc_t/dc_k", DIRECT, r"\prod_{j=k+1}^{t}\mathrm{Diag}(f^{<j>})", True),
    (LSTM, "dc_t/dc_k", DIRECT, r"\mathrm{Diag}(f_t) \cdots \mathrm{Diag}(f_{k+1})", True),
    (LSTM, "dc_t/dc_k", DIRECT, r"\mathrm{Diag}(f_t \odot \cdots \odot f_{k+1})", True),  # ⨀ read
    (LSTM, "dc_t/dc_k", DIRECT, r"\mathrm{Diag}(f_t) \cdots \mathrm{Diag}(f_{k})", False),
    (LSTM, "dc_t/dc_k", DIRECT, r"\mathrm{Diag}(f_{k+1}) \cdots \mathrm{Diag}(f_t)", SAYS),
    (LSTM, "dc_t/dc_k", DIRECT, r"\prod_{j=k}^{t}\mathrm{Diag}(f_j)", False),
    (LSTM, "dc_t/dc_k", DIRECT, r"\prod_{j=k+1}^{t}\mathrm{Diag}(i_j)", False),
    (LSTM, "dc_t/dc_k", DIRECT, r"\mathrm{Diag}(f_t)^{t-k}", False),
    (LSTM, "dc_t/dc_k", HELD, r"\mathbf{I}", True),
    (LSTM, "dc_t/dc_k", HELD, r"I_n \quad (\text{car } f_t = 1 \text{ et } i_t = 0)", True),
    (
        LSTM,
        "dc_t/dc_k",
        HELD,
        r"\prod_{j=k+1}^{t}\mathrm{Diag}(f_j) = I \text{ (hyp. } f_t = 1)",
        True,
    ),
    (
        LSTM,
        "dc_t/dc_k",
        HELD,
        r"\mathrm{Diag}(f_t)^{t-k} = I",
        False,  # step 1 is one Diag to a power
    ),
    (LSTM, "dc_t/dc_k", HELD, r"(t-k) I", False),
    (LSTM, "dc_t/dc_k", HELD, r"\mathbf{0}", False),
    (
        RNN,
        "dL/dW",
        {},
        rf"\sum_{{t=1}}^{{T}} {LT} \sum_{{k=1}}^{{t}} \frac{{\partial h_t}}{{\partial h_k}} {PLUS}",
        True,
    ),
    (
        RNN,
        "dL/dW",
        {},
        rf"\sum_{{t=1}}^{{T}} {LT} \left(\sum_{{k=1}}^{{t}} \prod_{{j=k+1}}^{{t}} {DJ} W {PLUS}\right)",
        True,
    ),
    (
        RNN,
        "dL/dW",
        {},
        rf"\sum_{{t=1}}^{{T}} {LT} \sum_{{k=1}}^{{t}} [\mathrm{{Diag}}(\sigma') W]^{{t-k}} {PLUS}",
        True,
    ),
    (
        RNN,
        "dL/dW",
        {},
        r"\sum\limits_{t=1}^{T}\sum\limits_{k=1}^{t} \frac{\partial L_t}{\partial \mathbf{h}_t} \frac{\partial \mathbf{h}_t}{\partial \mathbf{h}_k} \frac{\partial^+ \mathbf{h}_k}{\partial \mathbf{W}}",
        True,
    ),
    (
        RNN,
        "dL/dW",
        {},
        r"\sum_{t=1}^{T}\sum_{k=1}^{t} \frac{\partial L^{<t>}}{\partial h^{<t>}} \frac{\partial h^{<t>}}{\partial h^{<k>}} \frac{\partial^+ h^{<k>}}{\partial W}",
        True,
    ),
    (
        RNN,
        "dL/dW",
        {},
        rf"\sum_{{t=1}}^{{T}} {LT} \sum_{{k=1}}^{{t-1}} \frac{{\partial h_t}}{{\partial h_k}} {PLUS}",
        False,
    ),
    (RNN, "dL/dW", {}, rf"\sum_{{t=1}}^{{T}} {LT} \sum_{{k=1}}^{{t}} W^{{t-k}} {PLUS}", False),
    (
        RNN,
        "dL/dW",
        {},
        rf"\sum_{{t=1}}^{{T}} {LT} \sum_{{k=1}}^{{t}} \frac{{\partial h_t}}{{\partial h_k}} {PLUS} \in \mathbb{{R}}^{{n\times n}}",
        True,
    ),
]


GENERAL += [
    (RNN, "dL/dW", {}, GENERAL_MORE[0], True),
    (RNN, "dL/dW", {}, GENERAL_MORE[1], True),
    (RNN, "dL/dW", {}, GENERAL_MORE[0].replace("a_{k+1}", "a_{k}"), False),
    *((GRU, "dh_3/dh_2", {}, a, ok) for a, ok in GRU_),
]


def _says(run):
    for lang, word in (("en", "unexpected"), ("fr", "inattendu")):
        with pytest.raises(InputError) as caught:
            run(lang)
        assert word not in str(caught.value) and "Traceback" not in str(caught.value)


@pytest.mark.parametrize(
    ("question", "answer", "accepted"), SHEET, ids=[f"{q}-{i}" for i, (q, _, _) in enumerate(SHEET)]
)
def test_a_sheet_answer(question, answer, accepted):
    def run(lang):
        return check(answer, sheet="td5", question=question, lang=lang)

    if accepted == SAYS:
        return _says(run)
    try:
        verdict = run("en")
    except InputError as exc:
        pytest.fail(f"not read: {answer!r}: {exc}")
    assert verdict.equivalent is accepted, verdict.text()


@pytest.mark.parametrize(
    ("cell", "quantity", "options", "answer", "accepted"),
    GENERAL,
    ids=[f"{c.name}-{q}-{i}" for i, (c, q, _, _, _) in enumerate(GENERAL)],
)
def test_a_general_answer(cell, quantity, options, answer, accepted):
    def run(lang):
        return check_answer(cell, quantity, answer, lang=lang, **options)

    if accepted == SAYS:
        return _says(run)
    try:
        verdict = run("en")
    except InputError as exc:
        pytest.fail(f"not read: {answer!r}: {exc}")
    assert verdict.equivalent is accepted, verdict.text()


def test_the_battery_is_large_and_two_sided():
    cases = [ok for *_, ok in SHEET] + [ok for *_, ok in GENERAL]
    assert len(cases) >= 120
    assert sum(ok is True for ok in cases) >= 60
    assert sum(ok is False for ok in cases) >= 45
