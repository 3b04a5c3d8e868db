"""The engine: cells as equations, and their derivatives at the matrix level.

It owns tracing a step function into a graph (``cell``), the built-in cells and
their registry (``cells``), the activations (``activations``), the one table of
operations (``ops``), the matrix-level objects (``matexpr``), the chain rule
(``derive``), the expansions over T steps and their collapse into powers
(``expand``), and the reading of quantity names (``quantity``). It imports
SymPy and ``symbrnn.errors``, never another symbrnn layer, but for its objects'
printing hooks (``_repr_latex_``, ``str``), which import their printer when called.
"""
