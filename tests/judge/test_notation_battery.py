"""A battery of td5's checkable questions answered as students write them (issue 35, point 3).

Each right answer is the key's mathematics in one spelling a student uses (Unicode, French
remarks, fonts, delimiters, primes, transposes, total derivatives…) and must be accepted;
each wrong one is the same spelling with one slip and must be refused. The key itself is
taken from the sheet (``answer_latex``) and checked first, so the battery follows the engine.
"""

import pytest

from symbrnn.errors import InputError
from symbrnn.sheets.checking import check
from symbrnn.sheets.variants import variant_json

# the default sheet: sigmoid, T = 3, no bias; III.2 is dh_3/dh_1, IV.3 dc_3/dc_1 (f = 1,
# i = 0, direct path), IV.4 dc_3/dc_2; the lemma II.1 is du/dv with u = σ(A v)
D3 = r"\mathrm{Diag}(\sigma'(a_3))"
D2 = r"\mathrm{Diag}(\sigma'(a_2))"
KEY32 = rf"{D3} W {D2} W"
F = r"\frac{\partial L_{t}}{\partial h_{t}}"
SAYS = "says why"  # refused with a message that names what to write, in both languages

II_1 = [
    (r"\mathrm{diag}(\sigma'(Av))A", True),
    (r"\operatorname{Diag}\left(\sigma'(A v)\right) \cdot A", True),
    (r"\text{diag}(\sigma^{\prime}(A\,v)) \times A", True),
    (r"\textrm{Diag}(\sigma'(A \cdot v))A", True),
    (r"\operatorname{Diag}(\sigma(Av) \odot (1-\sigma(Av))) A", True),
    (r"\mathrm{Diag}(\sigma(Av)(1-\sigma(Av))) A", True),
    (r"\mathrm{Diag}(u \odot (1 - u)) A", True),
    (r"\mathrm{Diag}(u \circ (\mathbf{1} - u)) A", True),
    ("Diag(σ′(Av)) A", True),
    ("Diag(σ′(A·v))·A.", True),
    (r"\frac{\partial u}{\partial v} = \mathrm{Diag}(\sigma'(Av)) A", True),
    (r"\mathrm{Diag}(\sigma'(Av))A \in \mathbb{R}^{n \times d}", True),
    (r"\mathrm{Diag}(\sigma'(\mathbf{A}\mathbf{v}))\mathbf{A}", True),
    (r"\mathrm{Diag}(\sigma'(z))A \text{ où } z = Av", True),
    (r"\mathrm{Diag}(\sigma'(z))A \quad\text{(soit $z = Av$)}", True),
    (r"\mathrm{Diag}(\dot\sigma(Av)) A", True),
    (r"\mathrm{Diag}({\sigma}'(Av)) A", True),
    (r"\Big[\mathrm{Diag}(\sigma'(A v))\Big] A", True),
    (r"\mathrm{Diag}(\sigma'(Av)) A, \text{ avec } \sigma'(z) = \sigma(z)(1-\sigma(z))", True),
    (r"A^T \mathrm{Diag}(\sigma'(Av))", True),  # the denominator layout
    (r"\mathrm{Diag}(\sigma(Av)) A", False),
    (r"\mathrm{Diag}(\sigma'(v)) A", False),
    (r"\mathrm{Diag}(\sigma'(Av)) A^\top", False),
    (r"\mathrm{Diag}(\sigma'(Av))", False),
    (r"\mathrm{Diag}(\dot\sigma(v)) A", False),
    (r"\mathrm{Diag}({\sigma}(Av)) A", False),
    (r"\mathrm{Diag}(1-\sigma(Av)) A", False),
    (r"\mathrm{Diag}(u \odot u) A", False),
    (r"\mathrm{Diag}(\sigma'(z))A \quad\text{(soit $z = A^T v$)}", False),
    ("Diag(σ′(v))·A", False),
]

III_2 = [
    (KEY32, True),
    (r"\mathrm{Diag}(\sigma_3') W \mathrm{Diag}(\sigma_2') W", True),
    (r"\mathrm{Diag}(\sigma'_{3}) W \mathrm{Diag}(\sigma'_{2}) W", True),
    (r"\mathrm{Diag}(\sigma'_3) W \mathrm{Diag}(\sigma'_2) W", True),
    (r"\mathrm{Diag}(\sigma^{\prime}(a_3)) W \mathrm{Diag}(\sigma^{\prime}(a_2)) W", True),
    (r"\mathrm{Diag}(\dot\sigma(a_3)) W \mathrm{Diag}(\dot\sigma(a_2)) W", True),
    (r"\mathrm{Diag}(\dot{\sigma}(a_3)) W \mathrm{Diag}(\dot{\sigma}(a_2)) W", True),
    (r"\mathrm{Diag}({\sigma}'(a_3)) W \mathrm{Diag}({\sigma}'(a_2)) W", True),
    (r"\mathrm{Diag}(\dot\sigma_3) W \mathrm{Diag}(\dot\sigma_2) W", True),
    (r"\textrm{Diag}(σ′(a₃)) W \textrm{Diag}(σ′(a₂)) W", True),
    ("Diag(σ′(a₃)) W Diag(σ′(a₂)) W", True),
    ("Diag(σ′₃) W Diag(σ′₂) W", True),
    (r"\operatorname{Diag}(\sigma'(a_{3}))\,W\,\operatorname{Diag}(\sigma'(a_{2}))\,W", True),
    (r"\text{diag}(\sigma'(a_3)) \cdot W \cdot \text{diag}(\sigma'(a_2)) \cdot W", True),
    (r"\textrm{Diag}(\sigma'(a_3)) \times W \times \textrm{Diag}(\sigma'(a_2)) \times W", True),
    (r"\frac{\mathrm{d} h_3}{\mathrm{d} h_1} = " + KEY32, True),
    (r"\frac{d h_3}{d h_1} = \frac{d h_3}{d h_2}\frac{d h_2}{d h_1} = " + KEY32, True),
    (r"\frac{\partial h_{3}}{\partial h_{1}} = " + KEY32, True),
    (r"\frac{\partial h_3}{\partial h_2}\frac{\partial h_2}{\partial h_1} = " + KEY32, True),
    (r"∂h₃/∂h₁ = ∂h₃/∂h₂ · ∂h₂/∂h₁ = Diag(σ′(a₃)) W Diag(σ′(a₂)) W", True),
    (r"\partial h_3 / \partial h_2 \cdot \partial h_2 / \partial h_1", True),
    (r"\prod_{j=2}^{3} \mathrm{Diag}(\sigma'(a_j)) W", True),
    (r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j)) W", True),
    (r"\prod_{j=t}^{k+1} \mathrm{Diag}(\sigma'(a_j)) W", True),
    (r"\prod\limits_{j=2}^{3} \left[\mathrm{Diag}(\sigma'(a_j)) W\right]", True),
    (r"\Big[" + D3 + r" W\Big]\Big[" + D2 + r" W\Big]", True),
    (r"\big(" + D3 + r" W\big)\big(" + D2 + r" W\big)", True),
    (r"\left[" + D3 + r" W\right] \left[" + D2 + r" W\right]", True),
    (r"D_3 W D_2 W \text{ où } D_t = \mathrm{Diag}(\sigma'(a_t))", True),
    (r"D_3 W D_2 W \quad \text{(soit $D_t = \mathrm{Diag}(\sigma'(a_t))$)}", True),
    (r"D_3 W D_2 W \text{, avec } D_t = \operatorname{diag}(\sigma'(a_t)).", True),
    (r"D_3 W D_2 W, \text{ où } D_t := \mathrm{Diag}(\sigma'(a_t))", True),
    (r"W^T \mathrm{Diag}(\sigma'(a_2)) W^T \mathrm{Diag}(\sigma'(a_3))", True),
    (r"W^{\mathsf T} \mathrm{Diag}(\sigma'(a_2)) W^{\mathsf T} \mathrm{Diag}(\sigma'(a_3))", True),
    (
        r"W^{\mathsf{T}} \mathrm{Diag}(\sigma'(a_2)) W^{\mathsf{T}} \mathrm{Diag}(\sigma'(a_3))",
        True,
    ),
    (r"W^\intercal \mathrm{Diag}(\sigma'(a_2)) W^\intercal \mathrm{Diag}(\sigma'(a_3))", True),
    (r"W^\top \mathrm{Diag}(\sigma'(a_2)) W^\top \mathrm{Diag}(\sigma'(a_3))", True),
    ("Wᵀ Diag(σ′(a₂)) Wᵀ Diag(σ′(a₃))", True),
    (r"\mathrm{Diag}(h_3 \circ (1-h_3)) W \mathrm{Diag}(h_2 \circ (1-h_2)) W", True),
    (r"\mathrm{Diag}(h_3 * (1-h_3)) W \mathrm{Diag}(h_2 * (1-h_2)) W", True),
    (r"\mathrm{Diag}(h_3 ⊙ (1-h_3)) · W · \mathrm{Diag}(h_2 ⊙ (1-h_2)) · W", True),
    (
        r"\mathrm{Diag}(\sigma(a_3)(1-\sigma(a_3))) W \mathrm{Diag}(\sigma(a_2)(1-\sigma(a_2))) W",
        True,
    ),
    (
        r"\mathbf{D}_3 \mathbf{W} \mathbf{D}_2 \mathbf{W} \text{ où } "
        r"\mathbf{D}_t = \mathrm{Diag}(\sigma'(\mathbf{a}_t))",
        True,
    ),
    (
        r"\mathrm{Diag}(\sigma'(W\vec h_2 + U \vec x_3)) W "
        r"\mathrm{Diag}(\sigma'(W \vec{h}_1 + U\vec{x}_2)) W",
        True,
    ),
    (
        r"\mathrm{Diag}(\sigma'(\boldsymbol{W}\boldsymbol{h}_2 + \boldsymbol{U}\boldsymbol{x}_3))"
        r" \boldsymbol{W} \mathrm{Diag}(\sigma'(\boldsymbol{W}\boldsymbol{h}_1"
        r" + \boldsymbol{U}\boldsymbol{x}_2)) \boldsymbol{W}",
        True,
    ),
    (r"\displaystyle " + D3 + r"\,W\;" + D2 + r"\!W", True),
    (D3 + "~W~" + D2 + "~W", True),
    (r"\left[\mathrm{Diag}(\sigma')\times W\right]^{2}", True),
    (r"[\mathrm{Diag}(\sigma') \cdot W]^2 \text{, donc}", True),
    (r"\big[\mathrm{Diag}(\sigma') W\big]^{t-k}", True),
    (KEY32 + ",", True),
    (KEY32 + ".", True),
    (KEY32 + r" \text{ où } a_t = W h_{t-1} + U x_t", True),
    (KEY32 + r" \quad\text{(avec $a_t = W h_{t-1} + U x_t$)}", True),
    (KEY32 + r" \text{, donc la norme peut exploser}", True),
    (KEY32 + r" \in \mathbb{R}^{n \times n}", True),
    (r"1{,}0 \cdot " + KEY32, True),
    (r"\mathrm{Id} \cdot " + KEY32, True),
    (KEY32 + r" I_n", True),
    (
        r"\frac{\mathrm{d} L}{\mathrm{d} W} = \sum_{t=1}^{3}\sum_{k=1}^{t}"
        r"\frac{\partial L_t}{\partial h_t}\frac{\partial h_t}{\partial h_k}"
        r"\frac{\partial^+ h_k}{\partial W}",
        True,
    ),
    # wrong
    (r"\mathrm{Diag}(\sigma'(a_2)) W \mathrm{Diag}(\sigma'(a_3)) W", False),
    (r"\mathrm{Diag}(\sigma_2') W \mathrm{Diag}(\sigma_3') W", False),
    (r"\mathrm{Diag}(\dot\sigma(a_3)) W \mathrm{Diag}(\dot\sigma(a_3)) W", False),
    (r"\mathrm{Diag}({\sigma}'(a_3)) W \mathrm{Diag}({\sigma}(a_2)) W", False),
    (r"\mathrm{Diag}(\sigma(a_3)) W \mathrm{Diag}(\sigma(a_2)) W", False),
    ("Diag(σ′(a₃)) Wᵀ Diag(σ′(a₂)) W", False),
    ("Diag(σ′(a₃)) W Diag(σ′(a₁)) W", False),
    (r"\frac{\mathrm{d} h_3}{\mathrm{d} h_1} = " + D3 + " W", False),
    (r"\frac{d h_3}{d h_1} = \frac{d h_3}{d h_2}", False),
    (r"∂h₃/∂h₂", False),
    (r"\partial h_3 / \partial h_1 = \partial h_2 / \partial h_1", False),
    (r"\prod_{j=1}^{3} \mathrm{Diag}(\sigma'(a_j)) W", False),
    (r"\prod_{j=3}^{2} \mathrm{Diag}(\sigma'(a_j)) W", False),  # the empty product: I
    (r"\prod_{j=3}^{1} \mathrm{Diag}(\sigma'(a_j)) W", False),
    (r"\prod_{j=t}^{k} \mathrm{Diag}(\sigma'(a_j)) W", False),
    (r"\prod_{j=2}^{3} \mathrm{Diag}(\sigma'(a_{j-1})) W", False),
    (r"D_3 W D_2 W \text{ où } D_t = \mathrm{Diag}(\sigma(a_t))", False),
    (r"D_3 W D_2 W \quad \text{(soit $D_t = \mathrm{Diag}(\sigma'(a_{t-1}))$)}", False),
    (r"W^{\mathsf T} \mathrm{Diag}(\sigma'(a_2)) W \mathrm{Diag}(\sigma'(a_3))", False),
    (r"W^\intercal \mathrm{Diag}(\sigma'(a_3)) W^\intercal \mathrm{Diag}(\sigma'(a_2))", False),
    (r"\mathrm{Diag}(h_3 \circ h_3) W \mathrm{Diag}(h_2 \circ h_2) W", False),
    (r"\mathrm{Diag}(1-h_3^2) W \mathrm{Diag}(1-h_2^2) W", False),  # tanh' in a σ cell
    (r"\left[\mathrm{Diag}(\sigma')\times W\right]^{3}", False),
    (r"\left[\mathrm{Diag}(\sigma)\times W\right]^{2}", SAYS),
    (KEY32 + r" \text{ où } a_t = W h_{t} + U x_t", False),
    (r"2{,}0 \cdot " + KEY32, False),
    (r"\displaystyle " + D3 + r"\,W^{\top}\;" + D2 + r"\!W", False),
    (KEY32 + r" W", False),
    # the step as a superscript, \Pi, bold Diag, conditions under ∏ (round 2)
    (r"\mathrm{Diag}(\sigma'(a^{(3)})) W \mathrm{Diag}(\sigma'(a^{(2)})) W", True),
    (
        r"\frac{\partial h^{(3)}}{\partial h^{(1)}} = \prod_{j=2}^{3} \mathrm{Diag}(\sigma'(a^{(j)})) W",
        True,
    ),
    (r"\Pi_{j=2}^{3} \mathrm{Diag}(\sigma'(a_j)) W", True),
    (r"\mathbf{Diag}(\sigma'(a_3)) W \mathbf{Diag}(\sigma'(a_2)) W", True),
    (r"\frac{\partial \boldsymbol h_3}{\partial \boldsymbol h_1} = " + KEY32, True),
    (r"\prod_{k<j\le t} \mathrm{Diag}(\sigma'(a_j)) W", True),
    (r"\prod_{1 < j \leq 3} \mathrm{Diag}(\sigma'(a_j)) W", True),
    (r"\prod_{k+1 \leq j \leq t} \mathrm{Diag}(\sigma'(a_j)) W", True),
    (r"\mathrm{Diag}(\sigma'(a^{(2)})) W \mathrm{Diag}(\sigma'(a^{(3)})) W", False),
    (
        r"\frac{\partial h^{(3)}}{\partial h^{(1)}} = \prod_{j=2}^{3} \mathrm{Diag}(\sigma'(a^{(j-1)})) W",
        False,
    ),
    (r"\Pi_{j=1}^{3} \mathrm{Diag}(\sigma'(a_j)) W", False),
    (r"\mathbf{Diag}(\sigma(a_3)) W \mathbf{Diag}(\sigma(a_2)) W", False),
    (r"\prod_{k\le j\le t} \mathrm{Diag}(\sigma'(a_j)) W", False),
    (r"\prod_{k<j<t} \mathrm{Diag}(\sigma'(a_j)) W", False),
    (KEY32.replace(" W \\mathrm", r" W \otimes \mathrm"), SAYS),
    (r"\prod_{j \geq k} \mathrm{Diag}(\sigma'(a_j)) W", SAYS),
    # what surrounds the mathematics, plain TeX fonts, remarks after a comma (round 3)
    (r"\boxed{" + KEY32 + "}", True),
    (r"\frac{\partial h_3}{\partial h_1} = \boxed{" + KEY32 + "}", True),
    (
        r"\underbrace{"
        + D3
        + r" W}_{\partial h_3/\partial h_2} \underbrace{"
        + D2
        + r" W}_{\text{pas } 2}",
        True,
    ),
    (r"\textcolor{blue}{" + KEY32 + "}", True),
    (r"{\rm Diag}(\sigma'(a_3))\, {\bf W}\, {\rm diag}(\sigma'(a_2))\, {\bf W}", True),
    (r"W^{\rm T} \mathrm{Diag}(\sigma'(a_2)) W^{\!\top} \mathrm{Diag}(\sigma'(a_3))", True),
    (r"\mathrm{Diag}(h_3 \ast (1-h_3)) W \mathrm{Diag}(h_2 \ast (1-h_2)) W", True),
    (KEY32 + r" \qquad \blacksquare", True),
    (r"\frac{\partial h_3}{\partial h_1} := " + KEY32, True),
    (r"\frac{\partial h_3}{\partial h_1} \overset{\text{chaîne}}{=} " + KEY32, True),
    (r"D_3 W D_2 W, D_t = \mathrm{Diag}(\sigma'(a_t))", True),
    (r"D_3 \, W \, D_2 \, W \; ; \; D_t = \mathrm{Diag}(\sigma'(a_t))", True),
    (r"\boxed{\mathrm{Diag}(\sigma'(a_2)) W \mathrm{Diag}(\sigma'(a_3)) W}", False),
    (r"{\rm Diag}(\sigma(a_3))\, {\bf W}\, {\rm diag}(\sigma(a_2))\, {\bf W}", False),
    (r"W^{\rm T} \mathrm{Diag}(\sigma'(a_3)) W^{\!\top} \mathrm{Diag}(\sigma'(a_2))", False),
    (r"\underbrace{" + D3 + r" W}_{\partial h_3/\partial h_2}", False),
    (r"D_3 W D_2 W, D_t = \mathrm{Diag}(\sigma'(a_{t+1}))", False),
    (r"\mathrm{Diag}(h_3 \ast h_3) W \mathrm{Diag}(h_2 \ast h_2) W", False),
    (D3 + r" W \cdots " + D2 + " W", True),  # read as ∏_{j=2}^{3} (judge/ellipsis.py)
    (r"\sigma'(a_3) \odot W \, \sigma'(a_2) \odot W", SAYS),
    # any letter as a product's index, Diag(1, …, 1) (round 4)
    (r"\prod_{i=2}^{3} \mathrm{Diag}(\sigma'(a_i)) W", True),
    (r"\prod_{\tau=2}^{3} \mathrm{Diag}(\sigma'(a_\tau)) W", True),
    (r"\prod_{l=2}^{3} \mathrm{Diag}(\sigma'(a_{l})) W", True),
    (r"\prod_{i=1}^{3} \mathrm{Diag}(\sigma'(a_i)) W", False),
    (r"\prod_{\tau=2}^{3} \mathrm{Diag}(\sigma'(a_{\tau-1})) W", False),
    (r"\mathrm{Diag}(\sigma'(a_i)) W", SAYS),
    # a word that restates the answer: what follows is another member, judged (round 5)
    (KEY32 + r" \text{ ou encore } [\mathrm{Diag}(\sigma') W]^2", True),
    (KEY32 + r" \text{, soit } \prod_{j=2}^{3} \mathrm{Diag}(\sigma'(a_j)) W", True),
    (KEY32 + r" \text{, i.e. } " + D3 + " W " + D2 + " W", True),
    (
        KEY32
        + r" \text{ ou encore } [\mathrm{Diag}(\sigma') W]^2 \text{ où } a_t = W h_{t-1} + U x_t",
        True,
    ),
    (KEY32 + r" \text{ ou } W^2", False),
    (KEY32 + r" \text{, soit } [\mathrm{Diag}(\sigma') W]^3", False),
    (KEY32 + r" \text{ donc } \prod_{j=1}^{3} \mathrm{Diag}(\sigma'(a_j)) W", False),
    (r"10^{3} \cdot 10^{-3} " + KEY32, True),
    (r"2^{-1} \cdot 2 \, " + KEY32, True),
    (r"10^{-3} " + KEY32, False),
    (KEY32 + r" \text{ (matrice } n \times n\text{)}", True),
    (KEY32 + r" \text{ (une matrice } n \times n \text{)}", True),
    (r"W^2 \text{ (matrice } n \times n\text{)}", False),
    (r"\text{Pour } t = 3, k = 1 \text{ : } " + KEY32, True),
    (
        r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j)) W \text{ si } k \le t \text{, } 0 \text{ sinon}",
        True,
    ),
    (
        r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j)) W \text{ si } k < t \text{, ou } I \text{ si } k = t",
        True,
    ),
    (
        r"\prod_{j=k}^{t} \mathrm{Diag}(\sigma'(a_j)) W \text{ si } k \le t \text{, } 0 \text{ sinon}",
        False,
    ),
    (r"\prod_{j=k+1}^{t} \mathrm{Diag}(\sigma'(a_j)) W \text{ pour } t = 3, k = 1", True),
]

III_1 = [
    (
        r"\sum\limits_{t=1}^{3}\sum\limits_{k=1}^{t}\frac{\partial L_t}{\partial h_t}"
        r"\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}",
        True,
    ),
    (r"\sum_{t=1}^{3}\frac{\partial L_t}{\partial h_t}\frac{\mathrm{d} h_t}{\mathrm{d} W}", True),
    (r"\sum_{t=1}^{3}\frac{\partial L_t}{\partial h_t}\frac{d h_t}{d W}", True),
    (
        r"\sum_{t=1}^{3}\sum_{k=1}^{t}\frac{\partial L_t}{\partial h_t}\frac{d h_t}{d h_k}"
        r"\frac{\partial^+ h_k}{\partial W}",
        True,
    ),
    (
        r"\sum_{t=1}^{3}\sum_{k=1}^{t}\frac{dL_t}{dh_t}\frac{dh_t}{dh_k}\frac{dh_k}{dW}",
        True,
    ),  # the sheet's formula, every ∂ written d
    (
        r"\sum_{t=1}^{3}\sum_{k=1}^{t}\frac{\partial L_t}{\partial h_t}"
        r"\frac{\partial h_t}{\partial h_k}\frac{\partial h_k}{\partial W}",
        True,
    ),
    (
        r"\frac{\mathrm{d}L}{\mathrm{d}W} = \sum_{t=1}^{3} \frac{\mathrm{d}L_t}{\mathrm{d}W}",
        True,
    ),
    (
        r"\sum_{t=1}^{3}\sum_{k=1}^{t}" + F + r"\left[\mathrm{Diag}(\sigma')W\right]^{t-k}"
        r"\frac{\partial^{+} h_{k}}{\partial W}",
        True,
    ),
    (
        r"\sum_{t=1}^{3}\sum_{k=1}^{t}" + F + r"\prod_{j=k+1}^{t}\mathrm{Diag}(\sigma'_j)W"
        r"\,\frac{\partial^{+} h_{k}}{\partial W}",
        True,
    ),
    (
        r"\sum_{t=1}^{3}\sum_{k=1}^{t}" + F + r"\prod_{j=t}^{k+1}\mathrm{Diag}(\dot\sigma(a_j))W"
        r"\,\frac{\partial^{+} h_{k}}{\partial W}",
        True,
    ),
    (
        r"\sum_{t=1}^{3}\sum_{k=1}^{t} ∂L_t/∂h_t · ∂h_t/∂h_k · ∂⁺h_k/∂W",
        True,
    ),
    (
        r"\sum_{t=1}^{3}\sum_{k=1}^{t}\frac{\partial L_t}{\partial h_t}\frac{\partial h_t}{\partial h_k}"
        r"\frac{\partial h_k}{\partial W} \text{ où } \frac{\partial h_k}{\partial W} "
        r"\text{ est la dérivée immédiate}",
        True,
    ),
    # wrong
    (
        r"\sum_{t=1}^{3}\sum_{k=1}^{t}\frac{\partial L_t}{\partial h_t}"
        r"\frac{\partial h_t}{\partial h_k}\frac{\mathrm{d} h_k}{\mathrm{d} W}",
        False,
    ),  # a total derivative after ∂h_t/∂h_k: each path counted again
    (r"\sum_{t=1}^{3}\frac{\partial L_t}{\partial h_t}\frac{\partial h_t}{\partial W}", False),
    (r"\sum_{t=1}^{2}\frac{\partial L_t}{\partial h_t}\frac{d h_t}{d W}", False),
    (r"\sum_{t=1}^{3}\frac{\partial L_t}{\partial h_t}\frac{d h_{t-1}}{d W}", False),
    (
        r"\sum_{t=1}^{3}\sum_{k=1}^{t}\frac{dL_t}{dh_t}\frac{dh_t}{dh_k}\frac{dh_t}{dW}",
        False,
    ),
    (
        r"\sum_{t=1}^{3}\sum_{k=1}^{t}" + F + r"\left[\mathrm{Diag}(\sigma')W\right]^{t-k+1}"
        r"\frac{\partial^{+} h_{k}}{\partial W}",
        False,
    ),
    (
        r"\sum_{t=1}^{3}\sum_{k=1}^{t}" + F + r"\prod_{j=k}^{t}\mathrm{Diag}(\sigma'_j)W"
        r"\,\frac{\partial^{+} h_{k}}{\partial W}",
        False,
    ),
    (
        r"\sum_{t=1}^{3}\sum_{k=2}^{t} ∂L_t/∂h_t · ∂h_t/∂h_k · ∂⁺h_k/∂W",
        False,
    ),
    # the loss in \mathcal, sums under a condition (round 2)
    (
        r"\frac{\partial \mathcal{L}}{\partial W} = \sum_{t=1}^{3}\sum_{k=1}^{t}"
        r"\frac{\partial \mathcal{L}_t}{\partial h_t}\frac{\partial h_t}{\partial h_k}"
        r"\frac{\partial^+ h_k}{\partial W}",
        True,
    ),
    (
        r"\sum_{t=1}^{3}\sum_{k\leq t}"
        + F
        + r"\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}",
        True,
    ),
    (
        r"\sum_{t}\sum_{1 \le k\le t}"
        + F
        + r"\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}",
        True,
    ),
    (
        r"\sum_{t\le T}\sum_{k\leq t}"
        + F
        + r"\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}",
        True,
    ),
    (
        r"\frac{\partial \mathcal{L}}{\partial W} = \sum_{t=1}^{3}"
        r"\frac{\partial \mathcal{L}_t}{\partial h_t}\frac{\partial^+ h_t}{\partial W}",
        False,
    ),
    (
        r"\sum_{t=1}^{3}\sum_{k<t}"
        + F
        + r"\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}",
        False,
    ),
    (
        r"\sum_{t}\sum_{k \le t-1}"
        + F
        + r"\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}",
        False,
    ),
    (
        r"\sum_{t < 3}\sum_{k\leq t}"
        + F
        + r"\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}",
        False,
    ),
    (
        r"\sum_{1\le k\le t\le 3}"
        + F
        + r"\frac{\partial h_t}{\partial h_k}\frac{\partial^+ h_k}{\partial W}",
        SAYS,
    ),
]

IV_3 = [
    ("I", True),
    (r"\mathrm{Id}", True),
    ("I_n", True),
    (r"I_{n}.", True),
    (r"\mathbb{1}", True),
    (r"\mathbb{I}", True),
    (r"\mathbf{I}", True),
    (r"\mathrm{Id}_n", True),
    (r"\operatorname{Id}", True),
    ("1", True),  # the identity, written as a student says it
    (r"\mathrm{Diag}(f_3)\mathrm{Diag}(f_2)", True),
    (r"\prod_{j=2}^{3}\mathrm{Diag}(f_j)", True),
    (r"\prod_{j=k+1}^{t}\mathrm{Diag}(f_j)", True),
    (r"\prod_{j=t}^{k+1}\mathrm{Diag}(f_j)", True),
    (r"\mathrm{Diag}(\mathbf{1})", True),
    (r"\mathrm{Diag}(f_3 \odot f_2)", True),
    (r"I_n \text{ car } f_t = 1", True),
    (r"\mathrm{Id} \quad \text{(car $f_t = 1$ et $i_t = 0$)}", True),
    (r"\mathrm{Id}.", True),
    (r"\frac{\partial c_3}{\partial c_2}\frac{\partial c_2}{\partial c_1} = I", True),
    (r"\frac{d c_3}{d c_1} = I", True),
    (r"\frac{\mathrm{d} c_3}{\mathrm{d} c_1} = \mathrm{Diag}(f_3)\,\mathrm{Diag}(f_2) = I_n", True),
    ("∂c₃/∂c₁ = Diag(f₃) Diag(f₂) = I", True),
    (r"\mathrm{Diag}(f_3)\cdot\mathrm{Diag}(f_2) \in \mathbb{R}^{n\times n}", True),
    ("0", False),
    (r"\mathrm{Diag}(i_3)", False),
    ("2I", False),
    (r"\mathrm{Diag}(f_3)+\mathrm{Diag}(f_2)", False),
    (r"\mathrm{Diag}(o_3)", False),
    (r"\frac{d c_3}{d c_1} = 0", False),
    (r"\mathrm{Id} + \mathrm{Diag}(o_2)", False),
    (r"0{,}5 \, I", False),
    ("∂c₃/∂c₁ = Diag(o₃)", False),
    (r"\mathrm{Diag}(f_3) \cdot \mathrm{Diag}(f_2) = I \quad (\forall t,\ f_t = 1)", True),
    (r"\mathbf{I}_n", True),
    (r"I_{n \times n}", True),
    ("Id_n", True),
    (r"\mathbb{1}_n", True),
    (r"\mathrm{Diag}(o_3) \quad (\forall t,\ f_t = 1)", False),
    (r"\mathrm{Diag}(f_3) \cdot \mathrm{Diag}(i_2) = I \quad (∀ t,\ f_t = 1)", False),
    (r"\mathrm{Diag}(1, \dots, 1)", True),
    (r"\mathrm{diag}(1,1,\ldots,1)", True),
    (r"\mathrm{Diag}(1, \dots, 1) + \mathrm{Diag}(f_2)", False),
    (r"\mathrm{Diag}(0, \dots, 0)", SAYS),
]

IV4_BRACKET = (
    r"\mathrm{Diag}(c_2)\mathrm{Diag}(\sigma'(a_{f,3})) W_f + \mathrm{Diag}(\tilde{c}_3)"
    r"\mathrm{Diag}(\sigma'(a_{i,3})) W_i + \mathrm{Diag}(i_3)\mathrm{Diag}(\tanh'(a_{c,3})) W_c"
)
IV_4 = [
    (
        r"\mathrm{Diag}(f_3) + [" + IV4_BRACKET + r"] \mathrm{Diag}(o_2)\mathrm{Diag}(\tanh'(c_2))",
        True,
    ),
    (
        r"\mathrm{Diag}(f_3) + \frac{\partial c_3}{\partial h_2}\frac{\partial h_2}{\partial c_2}",
        True,
    ),
    (
        r"\mathrm{Diag}(f_{3}) + \frac{\mathrm{d} c_3}{\mathrm{d} h_2}\frac{\mathrm{d} h_2}{\mathrm{d} c_2}",
        True,
    ),
    ("Diag(f₃) + ∂c₃/∂h₂ · ∂h₂/∂c₂", True),
    (
        r"\mathrm{Diag}(f_3) + \big[\mathrm{Diag}(c_2 \odot \sigma'(a_{f,3})) W_f"
        r" + \mathrm{Diag}(\tilde c_3 \odot \sigma'(a_{i,3})) W_i"
        r" + \mathrm{Diag}(i_3 \odot (1-\tilde c_3^2)) W_c\big] \mathrm{Diag}(o_2 \odot (1 - \tanh^2(c_2)))",
        True,
    ),
    (
        r"\mathrm{Diag}(f_3) + ["
        + IV4_BRACKET
        + r"] \mathrm{Diag}(o_2)\mathrm{Diag}(\mathrm{sech}^2(c_2))",
        True,
    ),
    (
        r"\mathrm{Diag}(f_3) + ["
        + IV4_BRACKET
        + r"] \mathrm{Diag}(o_2)\mathrm{Diag}(1-\tanh^{2}(c_2))",
        True,
    ),
    (
        r"\mathrm{Diag}(f_3) + \frac{\partial c_3}{\partial h_2}\frac{\partial h_2}{\partial c_2}"
        r" \text{ où } \frac{\partial h_2}{\partial c_2} = \mathrm{Diag}(o_2 \odot \tanh'(c_2))",
        True,
    ),
    (
        r"\mathrm{Diag}(f_3) + \frac{\partial c_3}{\partial h_2}\,\mathrm{Diag}(o_2 \odot \tanh'(c_2))",
        True,
    ),
    (
        r"\mathrm{Diag}(f_3) + \frac{\partial c_3}{\partial h_2}\,\mathrm{Diag}(o_2 \odot \dot{\tanh}(c_2))",
        True,
    ),
    (
        r"\mathrm{Diag}(f_3) + \frac{\partial c_3}{\partial h_2}\,\mathrm{Diag}(o_2 \odot {\tanh}'(c_2))",
        True,
    ),
    # wrong
    (r"\mathrm{Diag}(f_3)", False),
    (r"[" + IV4_BRACKET + r"] \mathrm{Diag}(o_2)\mathrm{Diag}(\tanh'(c_2))", False),
    (
        r"\mathrm{Diag}(f_3) + [" + IV4_BRACKET + r"] \mathrm{Diag}(o_3)\mathrm{Diag}(\tanh'(c_2))",
        False,
    ),
    (
        r"\mathrm{Diag}(f_3) + ["
        + IV4_BRACKET
        + r"] \mathrm{Diag}(o_2)\mathrm{Diag}(\mathrm{sech}^2(c_3))",
        False,
    ),
    (
        r"\mathrm{Diag}(f_2) + \frac{\mathrm{d} c_3}{\mathrm{d} h_2}\frac{\mathrm{d} h_2}{\mathrm{d} c_2}",
        False,
    ),
    ("Diag(f₃) + ∂c₃/∂h₂", False),
    (
        r"\mathrm{Diag}(f_3) + \frac{\partial c_3}{\partial h_2}\,\mathrm{Diag}(o_2 \odot \dot{\tanh}(c_3))",
        False,
    ),
    (
        r"\mathrm{Diag}(f_3) + \frac{\partial c_3}{\partial h_2}\,\mathrm{Diag}(o_2 \odot \tanh(c_2))",
        False,
    ),
    (
        r"\mathrm{Diag}(f^{(3)}) + \frac{\partial c^{(3)}}{\partial h^{(2)}}"
        r"\frac{\partial h^{(2)}}{\partial c^{(2)}}",
        True,
    ),
    (
        r"\mathrm{Diag}(f^{(2)}) + \frac{\partial c^{(3)}}{\partial h^{(2)}}"
        r"\frac{\partial h^{(2)}}{\partial c^{(2)}}",
        False,
    ),
]

# the tanh variant (seed 0: T = 4, tanh): III.2 is dh_4/dh_1
T4 = r"\mathrm{Diag}(\tanh'(a_4)) W \mathrm{Diag}(\tanh'(a_3)) W \mathrm{Diag}(\tanh'(a_2)) W"
TANH_32 = [
    (T4, True),
    (r"\prod_{j=2}^{4} \mathrm{Diag}(1-\tanh^2(a_j)) W", True),
    (r"\prod_{j=4}^{2} \mathrm{Diag}(1-h_j^2) W", True),
    (r"\prod_{j=2}^{4} \mathrm{Diag}(\mathrm{sech}^2(a_j)) W", True),
    (r"\prod_{j=2}^{4} \mathrm{Diag}(\operatorname{sech}^{2}(a_j)) W", True),
    (r"\prod_{j=2}^{4} \mathrm{Diag}(\tanh_j') W", True),
    (r"\prod_{j=2}^{4} \mathrm{Diag}(\dot{\tanh}(a_j)) W", True),
    (r"[\mathrm{Diag}(\tanh')W]^3", True),
    ("Diag(tanh′(a₄)) W Diag(tanh′(a₃)) W Diag(tanh′(a₂)) W", True),
    (r"\prod_{j=2}^{4} \mathrm{Diag}(1-\tanh(a_j)^2) W", True),
    (r"\prod_{j=2}^{4} \mathrm{Diag}(\sigma'(a_j)) W", False),
    (r"[\mathrm{Diag}(\sigma')W]^3", False),
    (r"\prod_{j=2}^{4} \mathrm{Diag}(\mathrm{sech}(a_j)) W", SAYS),
    (r"\prod_{j=2}^{4} \mathrm{Diag}(1-\tanh(a_j^2)) W", False),
    (r"\prod_{j=1}^{4} \mathrm{Diag}(1-h_j^2) W", False),
    (r"[\mathrm{Diag}(\tanh')W]^4", False),
    (r"\prod_{j=2}^{4} \mathrm{Diag}(1-h_j^{\odot 2}) W", True),
    (r"\prod_{j=2}^{4} \mathrm{Diag}(\mathbf{1}-h_j \ast h_j) W", True),
    (r"\prod_{j=2}^{4} \mathrm{Diag}(1-h_j^{\odot 2}) W^{\odot 2}", SAYS),
    (r"\prod_{j=2}^{4} \mathrm{Diag}(1-h_{j-1}^{\odot 2}) W", False),
]

CASES = [
    *(("II.1", None, a, ok) for a, ok in II_1),
    *(("III.2", None, a, ok) for a, ok in III_2),
    *(("III.1", None, a, ok) for a, ok in III_1),
    *(("IV.3", None, a, ok) for a, ok in IV_3),
    *(("IV.4", None, a, ok) for a, ok in IV_4),
    *(("III.2", 0, a, ok) for a, ok in TANH_32),
]


def _verdict(question, seed, answer, lang="en"):
    return check(answer, sheet="td5", question=question, variant_seed=seed, lang=lang)


@pytest.mark.parametrize(
    ("question", "seed", "answer", "accepted"),
    CASES,
    ids=[f"{q}-{s}-{i}" for i, (q, s, _, _) in enumerate(CASES)],
)
def test_the_battery(question, seed, answer, accepted):
    if accepted == SAYS:
        for lang, word in (("en", "unexpected"), ("fr", "inattendu")):
            with pytest.raises(InputError) as caught:
                _verdict(question, seed, answer, lang)
            assert word not in str(caught.value) and "Traceback" not in str(caught.value)
        return
    try:
        verdict = _verdict(question, seed, answer)
    except InputError as exc:
        pytest.fail(f"not read: {answer!r}: {exc}")
    assert verdict.equivalent is accepted, verdict.as_json()


def test_the_battery_is_large_and_two_sided():
    assert len(CASES) >= 150
    assert sum(ok is True for *_, ok in CASES) >= 60
    assert sum(ok is False for *_, ok in CASES) >= 60


@pytest.mark.parametrize(("question", "first"), [("II.1", II_1), ("III.2", TANH_32)])
def test_the_battery_starts_from_the_key(question, first):
    """The sheet's own key at variant 0 and the battery's first answer are both accepted:
    the hand-written spellings are of the engine's result."""
    entry = next(q for q in variant_json("td5", 0)["questions"] if q["id"] == question)
    assert _verdict(question, 0, entry["answer_latex"]).equivalent
    seed = 0 if first is TANH_32 else None
    assert _verdict(question, seed, first[0][0]).equivalent
