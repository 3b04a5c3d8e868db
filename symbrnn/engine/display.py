"""How the engine's objects show themselves (``str``, Jupyter) without importing the printers.

The printing layer registers its renderers here when it is imported; the
first object shown imports it. The engine never imports a layer above it.

>>> from sympy import Symbol
>>> from symbrnn.engine.matexpr import TimeVec
>>> show("text", TimeVec("h", 3, Symbol("n")))
'h₃'
"""

from __future__ import annotations

import importlib

_RENDERERS: dict = {}


def register(**renderers) -> None:
    """``register(text=…, latex=…, expansion_latex=…)``: functions from an object to a string."""
    _RENDERERS.update(renderers)


def show(kind: str, obj) -> str:
    """The object rendered by the renderer registered for ``kind``."""
    if kind not in _RENDERERS:
        importlib.import_module("symbrnn.printing.register")
    return _RENDERERS[kind](obj)
