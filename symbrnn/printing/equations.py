"""A cell's declared equations, printed by the same printers as every derived formula.

>>> from symbrnn.engine.cells import simple_rnn
>>> equations(simple_rnn(bias=False))
['a_t = W h_{t−1} + U x_t', 'h_t = σ(a_t)']
>>> from symbrnn.printing.latex import latex
>>> equations(simple_rnn(bias=False), latex)[1]
'h_{t} = \\\\sigma\\\\left(a_{t}\\\\right)'
>>> from symbrnn.engine.activations import tanh
>>> stacked_equations(simple_rnn(tanh))
['h^{(\\\\ell)}_{t} = \\\\tanh\\\\left(W^{(\\\\ell)} h^{(\\\\ell)}_{t-1} + U^{(\\\\ell)} h^{(\\\\ell-1)}_{t} + b^{(\\\\ell)}\\\\right)']
"""

from __future__ import annotations

from symbrnn.engine.derive import Derivation
from symbrnn.printing.latex import RNNLatexPrinter, latex
from symbrnn.printing.names import latex_name, latex_timed
from symbrnn.printing.text import text


def equations(cell, printer=text) -> list[str]:
    """``quantity_t = definition`` for each equation the declaration writes, in its order."""
    pairs = Derivation.of(cell).definitions(declared_only=True)
    return [f"{printer(lhs)} = {printer(rhs)}" for lhs, rhs in pairs]


def aligned_equations(cell) -> str:
    """The declared equations as one LaTeX ``aligned`` display (a notebook shows a cell so)."""
    rows = " \\\\ ".join(eq.replace(" = ", " &= ", 1) for eq in equations(cell, latex))
    return f"$\\begin{{aligned}} {rows} \\end{{aligned}}$"


def stacked_equations(cell, layer: str = r"\ell") -> list[str]:
    """The cell as layer ``layer`` of a stack, in LaTeX: every parameter and state carries
    the layer, the input is the state of the layer below (x_t → h^{(ℓ−1)}_t), and the
    quantities the declaration names on the way (a_t) are written out in the states'
    equations, one equation per state.
    """
    written: dict = {}
    states = []
    for lhs, rhs in Derivation.of(cell).definitions(declared_only=True):
        rhs = rhs.xreplace(written)
        if str(lhs.name) in cell.states:
            states.append((lhs, rhs))
        else:
            written[lhs] = rhs
    printer = LayerPrinter(layer, below=cell.states[0])
    return [f"{printer.doprint(lhs)} = {printer.doprint(rhs)}" for lhs, rhs in states]


class LayerPrinter(RNNLatexPrinter):
    """The course's LaTeX with a layer superscript: W^{(ℓ)}, h^{(ℓ)}_{t-1}; the input x_t
    is the state ``below`` of the layer underneath, h^{(ℓ-1)}_t. ``only`` names the
    quantities that carry the layer (None: all; a Dense head's V and b_y do not)."""

    def __init__(self, layer: str, below: str = "h", only: set | None = None):
        super().__init__({"mat_symbol_style": "plain"})
        self.layer, self.below, self.only = layer, below, only

    def _layered(self, name) -> bool:
        return self.only is None or name in self.only

    def name(self, name):
        if not self._layered(name):
            return super().name(name)
        return f"{latex_name(name)}^{{({self.layer})}}"

    def timed(self, name, t):
        if not self._layered(name):
            return super().timed(name, t)
        if name == "x":
            return f"{latex_name(self.below)}^{{({self.layer}-1)}}_{{{t}}}"
        timed = latex_timed(name, t)  # h_{t-1}, a_{f,t}: the layer goes before the subscript
        base = timed[: timed.index("_{")]
        return f"{base}^{{({self.layer})}}{timed[len(base) :]}"
