"""A stand-in for ``sympy.tensor.tensor`` in a ``check`` process, until something needs it.

SymPy's ``Add.flatten`` imports ``sympy.tensor.tensor`` at the first addition of a process
(``j - 1`` in a step's Jacobian), only to ask whether a term is a tensor expression; that
module imports ``sympy.combinatorics``, which builds its polyhedra: about 20 ms of a check
that has no tensor. Before the real module is loaded no tensor exists, so the answer is
no: the stand-in gives ``Add.flatten`` (and it only) a class nothing is an instance of for
``TensExpr`` and ``TensAdd``; any other question loads the real module in its place (from
then on every ``from sympy.tensor.tensor import …`` gets the real one).

Installed by the ``check`` command only (a process that judges one answer); the library
never installs it.
"""

from __future__ import annotations

import importlib
import sys
import types

NAME = "sympy.tensor.tensor"


class _NoTensor:
    """No object is one before the real module is loaded."""


class _StandIn(types.ModuleType):
    def __getattr__(self, attr: str):
        if attr.startswith("__"):  # the import system's questions (__path__): no load
            raise AttributeError(attr)
        caller = sys._getframe(1)
        if attr in _ASKED and caller.f_globals.get("__name__") == "sympy.core.add":
            return _NoTensor  # Add.flatten's isinstance(term, TensExpr)
        if sys.modules.get(NAME) is self:
            del sys.modules[NAME]
        real = importlib.import_module(NAME)
        self.__dict__.update(real.__dict__)  # a reference kept to the stand-in: the real names
        return getattr(real, attr)


_ASKED = ("TensExpr", "TensAdd")


def install() -> None:
    """Put the stand-in in place, unless the real module is already loaded."""
    sys.modules.setdefault(NAME, _StandIn(NAME))
