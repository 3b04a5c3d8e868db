"""Cells declared once, as a step function, and traced into a graph of equations.

A cell is a plain Python function from the previous states, the input and the
parameters to the new states, written with ``@`` for matrix products and
``*`` for Hadamard products; biases are the parameters named ``b`` or
``b_*``, and ``bias=False`` traces the cell without them. Tracing calls it once with :class:`Node` objects
and records every operation; local variable names become the names of the
intermediate quantities (``a``, ``f``, ``c_tilde``...).

>>> from symbrnn.engine.activations import sigmoid
>>> def rnn(h_prev, x, W, U):
...     a = W @ h_prev + U @ x
...     h = sigmoid(a)
...     return h
>>> cell = Cell("rnn", rnn, states=("h",))
>>> [p.name for p in cell.parameters], cell.parameters[0].shape
(['W', 'U'], ('n', 'n'))
>>> [n.name for n in cell.trace.equations]
['a', 'h']
"""

from __future__ import annotations

import inspect
import itertools
import math
import sys
import threading
from dataclasses import dataclass, field
from functools import cached_property

from symbrnn.engine.ops import LEAF_OPS, OPS
from symbrnn.errors import DeclarationError

_creation_order = itertools.count()
TRACE_SECONDS = 20


class Node:
    """One traced quantity of a cell: a leaf (state, input, parameter, 1) or an operation."""

    __slots__ = ("args", "fn", "kind", "name", "op", "order")

    def __init__(self, op, args=(), *, name=None, fn=None, kind=None):
        assert op in OPS and len(args) == OPS[op].arity, (op, args)
        self.op, self.args, self.name, self.fn, self.kind = op, tuple(args), name, fn, kind
        self.order = next(_creation_order)  # equations print in the order they were written

    def __matmul__(self, other):
        if self.op != "param":
            raise DeclarationError.said("declaration.error.matmul", what=self.name or self.op)
        return Node("matmul", (self, _node(other)))

    def __mul__(self, other):
        return Node("hadamard", (self, _node(other)))

    __rmul__ = __mul__

    def __add__(self, other):
        other = _node(other)
        if other.op == "zero":
            return self
        if self.op == "zero":
            return other
        return Node("add", (self, other))

    __radd__ = __add__

    def __sub__(self, other):
        return Node("sub", (self, _node(other)))

    def __rsub__(self, other):
        return Node("sub", (_node(other), self))

    def __repr__(self):
        return f"Node({self.op}, {self.name or ''})"


def _node(value) -> Node:
    if isinstance(value, Node):
        return value
    if value == 1:
        return Node("one")
    raise DeclarationError.said("declaration.error.constant", value=repr(value))


ROLES = ("input_kernel", "recurrent_kernel", "elementwise", "bias")
"""How a step function uses a parameter (its words: the book's ``declaration.role.*``),
read from the trace: the P of
``P @ x`` (n × d), the P of ``P @ v`` for any other vector (n × n), the w of ``w ⊙ v`` (n),
the b of ``v + b`` (n)."""


@dataclass(frozen=True)
class Parameter:
    """A weight matrix or vector, with its shape in terms of n (units) and d (features)
    and its role (:data:`ROLES`), both read from how the step function uses it."""

    name: str
    shape: tuple[str, ...]  # ("n", "n"), ("n", "d") or ("n",)
    role: str = "bias"

    def size(self, n: int, d: int) -> int:
        return math.prod({"n": n, "d": d}[s] for s in self.shape)

    @property
    def is_bias(self) -> bool:
        return self.role == "bias"


@dataclass(frozen=True)
class Gate:
    """The parameters feeding one activation of a cell (the forget gate f, the candidate
    c̃…), by role: input kernels (n, d), recurrent kernels (n, n), elementwise weights and
    biases (n)."""

    name: str
    kernels: tuple[str, ...]
    recurrent: tuple[str, ...]
    biases: tuple[str, ...]
    elementwise: tuple[str, ...] = ()

    @property
    def parameters(self) -> tuple[str, ...]:
        return self.kernels + self.recurrent + self.elementwise + self.biases


@dataclass
class Cell:
    """A recurrent cell: the step function, its states and its traced equations.

    ``states`` names the returned vectors in order (``("h", "c")`` for the
    LSTM); the first is the output h_t that the loss reads. The step
    function's arguments are the previous states (``<state>_prev``), the input
    ``x`` and then the parameters.
    """

    name: str
    step: object
    states: tuple[str, ...] = ("h",)
    description: str = ""
    bias: bool = True
    notation: dict = field(default_factory=dict)  # letters a text may use for a name: v → x
    _graph: dict | None = field(default=None, init=False, repr=False)

    def __post_init__(self):
        params = inspect.signature(self.step).parameters
        expected = [f"{s}_prev" for s in self.states] + ["x"]
        got = list(params)[: len(expected)]
        if got != expected:
            key = "declaration.error.arguments" if got else "declaration.error.no_arguments"
            named = {"expected": ", ".join(expected), "got": ", ".join(got)}
            raise DeclarationError.said(key, cell=repr(self.name), **named)
        self.param_names = tuple(list(params)[len(expected) :])

    # -- tracing ---------------------------------------------------------
    @cached_property
    def trace(self) -> Trace:
        """The traced step; without ``bias``, traced again with every parameter whose role
        is a bias (read from the first trace, whatever its name) set to zero."""
        full = self._trace(frozenset())
        if self.bias:
            return full
        biases = frozenset(p.name for p in full.parameters if p.role == "bias")
        return self._trace(biases) if biases else full

    def _trace(self, dropped: frozenset) -> Trace:
        leaves = {f"{s}_prev": Node("state", name=s, kind="prev") for s in self.states}
        leaves["x"] = Node("input", name="x")
        for p in self.param_names:
            leaves[p] = Node("zero") if p in dropped else Node("param", name=p)
        local_names: dict[int, str] = {}

        def record_locals(frame, event, arg):
            if event == "return" and frame.f_code is self.step.__code__:
                for var, value in frame.f_locals.items():
                    if isinstance(value, Node) and value.op not in ("state", "input", "param"):
                        local_names.setdefault(id(value), var)

        out = _call_recording_locals(self, leaves, record_locals)
        outs = out if isinstance(out, tuple) else (out,)
        if len(outs) != len(self.states) or not all(isinstance(o, Node) for o in outs):
            states = {"count": len(self.states), "states": ", ".join(self.states)}
            raise DeclarationError.said(
                "declaration.error.returns", cell=repr(self.name), got=repr(out), **states
            )
        for state, node in zip(self.states, outs, strict=True):
            if node.op in ("state", "input", "param", "one"):
                raise DeclarationError.said(
                    "declaration.error.computed", cell=repr(self.name), state=state
                )
            node.name, node.kind = state, "new"
        for node in _topological(outs):  # its arguments first: named before it
            if node.op not in ("state", "input", "param") and node.name is None:
                node.name = local_names.get(id(node))
            arg = node.args[0] if node.op == "apply" else None
            if node.name and arg is not None and arg.name is None and arg.op not in LEAF_OPS:
                # the gate's argument: f = σ(...) gives a_f, c_tilde = tanh(...) gives a_c
                arg.name, arg.kind = "a_" + node.name.removesuffix("_tilde"), "preactivation"
        return Trace(self, outs, leaves)

    @property
    def parameters(self) -> list[Parameter]:
        return self.trace.parameters

    def __repr__(self):
        names = ", ".join(p.name for p in self.parameters)
        return f"Cell({self.name}: states {', '.join(self.states)}; parameters {names})"

    def _repr_latex_(self):
        from symbrnn.printing.equations import aligned_equations  # the printer, on first use

        return aligned_equations(self)


class Trace:
    """The graph recorded from one call of a cell's step function."""

    def __init__(self, cell: Cell, outputs: tuple[Node, ...], leaves: dict[str, Node]):
        self.cell, self.outputs, self.leaves = cell, outputs, leaves
        self.nodes = _topological(outputs)
        self.parameters = self._infer_parameter_shapes()

    @property
    def equations(self) -> list[Node]:
        """The quantities the declaration names (what its equations define)."""
        return [n for n in self.named_nodes if n.kind != "preactivation"]

    @property
    def named_nodes(self) -> list[Node]:
        named = [n for n in self.nodes if n.op not in ("state", "input", "param") and n.name]
        return sorted(named, key=lambda n: n.order)

    def _infer_parameter_shapes(self) -> list[Parameter]:
        shapes: dict[str, tuple[str, ...]] = {}
        roles: dict[str, str] = {}
        for node in self.nodes:
            op = OPS[node.op]
            for i, arg in enumerate(node.args):
                if arg.op != "param":
                    continue
                if i == op.kernel_arg:
                    size = "d" if node.args[1 - i].op == "input" else "n"  # x: d; the rest: n
                    self._set_shape(shapes, arg.name, ("n", size))
                    role = "input_kernel" if size == "d" else "recurrent_kernel"
                elif op.vector_role is not None:
                    self._set_shape(shapes, arg.name, ("n",))
                    role = op.vector_role
                else:
                    continue
                if roles.setdefault(arg.name, role) != role:
                    raise self._two_roles(arg.name, roles[arg.name], role)
        names = [p for p in self.cell.param_names if self.leaves[p].op == "param"]
        unused = [p for p in names if p not in shapes]
        if unused:
            raise DeclarationError.said(
                "declaration.error.unused",
                cell=repr(self.cell.name),
                names=", ".join(unused),
                count=len(unused),
            )
        return [Parameter(p, shapes[p], roles[p]) for p in names]

    def _set_shape(self, shapes, name, shape):
        if shapes.setdefault(name, shape) != shape:
            raise DeclarationError.said(
                "declaration.error.shape", cell=repr(self.cell.name), name=name
            )

    def _two_roles(self, name: str, first: str, second: str) -> DeclarationError:
        from symbrnn.words.sentences import Msg

        said = [Msg.of(f"declaration.role.{r}") for r in (first, second)]
        return DeclarationError.said(
            "declaration.error.roles",
            cell=repr(self.cell.name),
            name=name,
            first=said[0],
            second=said[1],
        )

    def role_of(self, name: str) -> str:
        """The role of a parameter (:data:`ROLES`)."""
        return next(p.role for p in self.parameters if p.name == name)

    @property
    def gates(self) -> list[Gate]:
        """The parameters grouped by the activation they feed (one group per gate), each
        by its role: what counts, storage and drawings read.

        >>> from symbrnn.engine.cells import lstm
        >>> [(g.name, g.recurrent) for g in lstm().trace.gates][:2]
        [('f', ('W_f',)), ('i', ('W_i',))]
        """
        role = {p.name: p.role for p in self.parameters}
        groups, taken = [], set()
        for node in self.named_nodes:
            if node.op == "apply":
                names = [p for p in _parameters_under(node.args[0]) if p not in taken]
                if names:  # a parameter shared by two gates belongs to the first: counted once
                    groups.append((node.name, names))
                    taken |= set(names)
        rest = [p.name for p in self.parameters if p.name not in taken]
        if rest:  # outside every activation (h = w ⊙ h_{t−1} + U x_t): the state's own group
            groups.append((self.cell.states[0], rest))
        order = ("input_kernel", "recurrent_kernel", "bias", "elementwise")  # Gate's fields
        return [
            Gate(name, *(tuple(p for p in names if role[p] == r) for r in order))
            for name, names in groups
        ]

    @property
    def inner_gates(self) -> list[str]:
        """The activations inside one step that a path from state_{t−1} to state_t can
        cross (the gates and candidates; a new state's own activation is not one).

        >>> from symbrnn.engine.cells import gru
        >>> gru().trace.inner_gates
        ['z', 'r', 'h_tilde']
        """
        return [
            n.name
            for n in self.named_nodes
            if n.kind not in ("new", "preactivation") and n.op == "apply"
        ]

    def operand_reads(self, name: str) -> set[str]:
        """The leaves (a state's previous value by its name, ``x``) that what a parameter
        multiplies is computed from: {'h'} for the W of W h_{t−1}, {'x'} for the U of U x_t,
        {'c'} for a peephole's P ⊙ c_{t−1} (empty for a bias)."""
        out: set[str] = set()
        for node in self.nodes:
            op = OPS[node.op]
            for i, arg in enumerate(node.args):
                multiplies = i == op.kernel_arg or op.vector_role == "elementwise"
                if arg.op == "param" and arg.name == name and op.arity == 2 and multiplies:
                    out |= _leaves_read(node.args[1 - i])
        return out

    def state_node(self, state: str, which: str) -> Node:
        """The node of ``state`` at the previous ('prev') or the new ('new') step."""
        if which == "prev":
            return self.leaves[f"{state}_prev"]
        return self.outputs[self.cell.states.index(state)]


def _parameters_under(node: Node) -> list[str]:
    """Parameters in the subtree of node, not crossing into another named quantity."""
    found: list[str] = []
    for arg in node.args:
        if arg.op == "param":
            found.append(arg.name)
        elif not arg.name:
            found.extend(_parameters_under(arg))
    return list(dict.fromkeys(found))


def _leaves_read(node: Node) -> set[str]:
    """The states (by name, their previous value) and the input a node is computed from."""
    return {n.name for n in _topological([node]) if n.op in ("state", "input")}


def _call_recording_locals(cell, leaves, hook):
    """Call the step function with a profile hook that sees its locals at return.

    It runs in a thread of its own, since a profile hook is per thread: a
    profiler or debugger already running in the caller's thread is left alone.
    """
    result: dict = {}

    def run():
        sys.setprofile(hook)
        try:
            result["out"] = cell.step(**leaves)
        except DeclarationError as exc:
            result["error"] = DeclarationError(f"cell {cell.name!r}: {exc}")
        except BaseException as exc:  # a user's step function doing something not traceable
            result["error"] = DeclarationError(
                f"cell {cell.name!r} cannot be traced: {type(exc).__name__}: {exc}; write it with "
                "@ (matrix product), * (Hadamard), +, -, 1 and symbrnn activations"
            )
        finally:
            sys.setprofile(None)

    thread = threading.Thread(target=run, name=f"trace-{cell.name}", daemon=True)
    thread.start()
    thread.join(TRACE_SECONDS)
    if thread.is_alive():
        raise DeclarationError.said(
            "declaration.error.slow", cell=repr(cell.name), top=TRACE_SECONDS
        )
    if "error" in result:
        raise result["error"]
    return result["out"]


def _topological(outputs) -> list[Node]:
    order, seen = [], set()

    def visit(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        for arg in node.args:
            visit(arg)
        order.append(node)

    for out in outputs:
        visit(out)
    return order
