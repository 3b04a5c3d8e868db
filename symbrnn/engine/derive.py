"""The chain rule at the matrix level, from a small table of local rules.

A :class:`Derivation` reads a traced cell and gives, as SymPy matrix
expressions in numerator layout:

- ``within_step(node, target, t)``: ∂node_t/∂target_t inside one step,
  accumulated over the cell's graph with the local rules of
  :data:`~symbrnn.engine.ops.OPS`;
- ``step_jacobian(s, q, t)``: ∂s_t/∂q_{t-1} for states s, q;
- ``jacobian(s, t, k)``: ∂s_t/∂s_k as an ordered product over the steps
  (block matrices when the cell has several states);
- ``gradient(P, T)``: ∂L/∂P = Σ_t Σ_k ∂L_t/∂h_t ∂h_t/∂s_k ∂⁺s_k/∂P.

>>> from symbrnn.engine.cells import simple_rnn
>>> from symbrnn.printing.text import text
>>> rnn = Derivation(simple_rnn(bias=False))
>>> text(rnn.step_jacobian("h", "h", t_))
"Diag(σ'(a_t)) W"
"""

from __future__ import annotations

import sympy
from sympy import Identity, MatrixSymbol, Symbol, Transpose, ZeroMatrix
from sympy.core.sympify import _sympify  # strict: never parses a string
from sympy.matrices.expressions import MatAdd, MatMul
from sympy.matrices.expressions.blockmatrix import BlockMatrix, block_collapse

from symbrnn.engine.cell import Cell, Node
from symbrnn.engine.matexpr import (
    BracketPower,
    Ones,
    OrderedProduct,
    Partial,
    TimeSum,
    TimeVec,
    TotalDerivative,
    add,
    erase_time,
    is_zero,
    j_,
    k_,
    mul,
    t_,
)
from symbrnn.engine.ops import OPS
from symbrnn.errors import InputError

KEPT = 4096  # derived results kept per table of a derivation (checks and proofs repeat them)
SHARED = 64  # derivations shared by Derivation.of (a long-running server sees few cells)
_SHARED: dict = {}  # id(cell) → (cell, its derivation): the cell kept alive, its id not reused


class Derivation:
    """A cell unrolled over time, with its matrix-level derivatives."""

    def __init__(self, cell: Cell, n=None, d=None):
        self.cell = cell
        self.trace = cell.trace
        self.n = n if n is not None else Symbol("n", integer=True, positive=True)
        self.d = d if d is not None else Symbol("d", integer=True, positive=True)
        dims = {"n": self.n, "d": self.d}
        self.params = {
            p.name: MatrixSymbol(
                p.name, *(dims[s] for s in p.shape), *(() if len(p.shape) == 2 else (1,))
            )
            for p in cell.parameters
        }
        self.states = cell.states
        self._kept: dict[str, dict] = {}  # derived results, by kind and arguments

    @classmethod
    def of(cls, cell: Cell) -> Derivation:
        """The derivation of ``cell`` (symbolic n and d), one per cell object and shared:
        what one command or request derives (step Jacobians, local terms, test points) is
        derived once. The most recent :data:`SHARED` cells are kept.

        >>> from symbrnn.engine.cells import make_cell
        >>> Derivation.of(make_cell("lstm")) is Derivation.of(make_cell("lstm"))
        True
        """
        key = id(cell)
        kept = _SHARED.get(key)
        if kept is None or kept[0] is not cell:
            if len(_SHARED) >= SHARED:
                _SHARED.pop(next(iter(_SHARED)))
            kept = _SHARED[key] = (cell, cls(cell))
        return kept[1]

    def _derived(self, kind: str, key, derive):
        """The result of ``derive()`` for ``key``, derived once; at most KEPT per kind."""
        table = self._kept.setdefault(kind, {})
        if key not in table:
            if len(table) >= KEPT:
                table.clear()
            table[key] = derive()
        return table[key]

    def concrete_shape(self, param: str, n: int, d: int) -> tuple[int, int]:
        """The shape of a parameter for concrete sizes n (units) and d (features)."""
        dims = {self.n: n, self.d: d}
        rows, cols = (int(_sympify(s).xreplace(dims)) for s in self.params[param].shape)
        return rows, cols

    # -- values --------------------------------------------------------------
    def vec(self, name: str, t) -> TimeVec:
        return TimeVec(name, t, self.d if name == "x" else self.n)

    def value(self, node: Node, t, *, top=False, inline=False):
        """The matrix expression of a node at step t; named quantities stay atoms.

        ``inline`` writes the pre-activations symbrnn named (a_f, ...) out in full.
        """
        if node.op == "state":
            return self.vec(node.name, t - 1)
        if node.op == "input":
            return self.vec("x", t)
        if node.op == "param":
            return self.params[node.name]
        if node.op == "one":
            return Ones(self.n)
        if node.name and not top and not (inline and node.kind == "preactivation"):
            return self.vec(node.name, t)
        a = [self.value(arg, t, inline=inline) for arg in node.args]
        matrix = OPS[node.op].matrix
        assert matrix is not None, node.op  # only leaves have no matrix rule, handled above
        return matrix(a, node)

    def definitions(self, t=t_, *, declared_only=False) -> list[tuple]:
        """(quantity_t, its defining expression) for every named quantity of the cell.

        ``declared_only`` keeps the equations as the declaration writes them,
        the pre-activations symbrnn named written out in full.
        """
        nodes = self.trace.equations if declared_only else self.trace.named_nodes
        return [
            (self.vec(n.name, t), self.value(n, t, top=True, inline=declared_only)) for n in nodes
        ]

    # -- derivatives inside one step -------------------------------------------
    def within_step(self, node: Node, target: Node, t, *, held=()):
        """∂node/∂target at step t, by forward accumulation over the cell's graph.

        ``held`` names quantities held constant (their paths left out), e.g. ``("z",)``
        for the GRU's step without the path through its update gate.
        """
        memo: dict[int, object] = {}
        size = self.d if target.op == "input" else self.n

        def grad(x: Node):
            if x is target:
                return Identity(size)
            if OPS[x.op].leaf or (x.name in held and x.kind != "new"):
                return None
            if id(x) in memo:
                return memo[id(x)]
            terms = []
            values = [self.value(arg, t) for arg in x.args]
            op = OPS[x.op]
            assert op.local is not None, x.op  # every operation with an argument has one
            for i in op.differentiable_args:
                inner = grad(x.args[i])
                if inner is not None:
                    terms.append(mul(op.local(x, values, i, self.n), inner))
            memo[id(x)] = add(*terms) if terms else None
            return memo[id(x)]

        out = grad(node)
        return out if out is not None else ZeroMatrix(self.n, size)

    def state_node(self, state: str, which="new") -> Node:
        self.check_state(state)
        return self.trace.state_node(state, which)

    def step_jacobian(self, state: str, wrt: str, t):
        """∂state_t/∂wrt_{t-1} (one step), derived once and re-indexed."""
        step = self._derived(
            "step",
            (state, wrt),
            lambda: self.within_step(self.state_node(state), self.state_node(wrt, "prev"), j_),
        )
        return step if t == j_ else step.xreplace({j_: t})

    def step_without(self, state: str, held: tuple[str, ...], t):
        """∂state_t/∂state_{t-1} with the paths through ``held`` left out (a diagnosis)."""
        return self.within_step(
            self.state_node(state), self.state_node(state, "prev"), t, held=held
        )

    def step_block(self, t):
        """The full one-step Jacobian over all states (a block matrix when there are several)."""
        if len(self.states) == 1:
            return self.step_jacobian(self.states[0], self.states[0], t)
        return BlockMatrix(
            [[self.step_jacobian(s, q, t) for q in self.states] for s in self.states]
        )

    def recompute_column(self, state: str, k):
        """∂(all states)_k/∂state_k when the other states are recomputed from ``state`` at step k."""
        col = [
            Identity(self.n)
            if q == state
            else self.within_step(self.state_node(q), self.state_node(state), k)
            for q in self.states
        ]
        return BlockMatrix([[c] for c in col])

    def _unit_blocks(self, state: str) -> list:
        """I in the place of ``state`` among the states, 0 elsewhere."""
        return [Identity(self.n) if q == state else ZeroMatrix(self.n, self.n) for q in self.states]

    def selector(self, state: str):
        """The row block [0 … I … 0] that picks ``state`` out of the stacked states."""
        return BlockMatrix([self._unit_blocks(state)])

    # -- Jacobians across steps ------------------------------------------------
    def jacobian(self, state: str, t=t_, k=k_, *, wrt=None, paths="all", recompute=None):
        """∂state_t/∂wrt_k as a product over steps j = k+1..t.

        ``paths="direct"`` keeps only the path through ``state`` itself (the
        other states detached, e.g. the forget-gate path c_{j-1} → c_j of the
        LSTM); ``paths="all"`` counts every path. In a multi-state cell,
        ``recompute`` (default: when ``wrt == state``) recomputes the other
        states of step k from wrt_k (h_k = o_k ⊙ tanh(c_k)); otherwise they are
        held fixed.
        """
        key = (state, t, k, wrt or state, paths, recompute)
        return self._derived("jacobian", key, lambda: self._jacobian(*key))

    def _jacobian(self, state, t, k, wrt, paths, recompute):
        self.check_state(state)
        self.check_state(wrt)
        if paths not in ("all", "direct"):
            raise InputError.said("engine.error.paths", got=repr(paths))
        if len(self.states) == 1 or paths == "direct":
            if wrt != state:
                raise InputError.said("engine.error.direct")
            return OrderedProduct(self.step_jacobian(state, state, j_), j_, k + 1, t)
        recompute = (wrt == state) if recompute is None else recompute
        if recompute:
            column = self.recompute_column(wrt, k)
        else:
            column = BlockMatrix([[b] for b in self._unit_blocks(wrt)])
        if t == k:  # no step between: pick the block of the column directly
            return column.blocks[self.states.index(state), 0]
        product = OrderedProduct(self.step_block(j_), j_, k + 1, t)
        return mul(self.selector(state), product, column)

    # -- gradients -------------------------------------------------------------
    def gradient(self, param: str, T=None, *, state: str | None = None, paths: str = "all"):
        """∂L/∂param = Σ_{t=1}^{T} Σ_{k=1}^{t} ∂L_t/∂s_t ∂s_t/∂s_k ∂⁺s_k/∂param (sheet form).

        ``state`` defaults to the output h; ``state="c", paths="direct"`` is
        the LSTM approximation of the sheet (IV.2). T defaults to a symbol.
        """
        T = T if T is not None else Symbol("T", integer=True, positive=True)
        body = self.gradient_term(param, t_, k_, state=state, paths=paths)
        return TimeSum(TimeSum(body, k_, 1, t_), t_, 1, T)

    def gradient_term(self, param, t, k, *, state=None, paths="all"):
        """The (t, k) term ∂L_t/∂s_t ∂s_t/∂q_k ∂⁺q_k/∂param, summed over the states q."""
        self.check_param(param)
        state = state or self.states[0]
        P = self.params[param]
        dL = Partial(Loss(t), self.vec(state, t))
        through = [state] if len(self.states) == 1 or paths == "direct" else self.states
        return add(
            *(
                mul(
                    dL,
                    self.jacobian(state, t, k, wrt=q, paths=paths, recompute=False),
                    Partial(self.vec(q, k), P, True),
                )
                for q in through
            )
        )

    def gradient_recursion(self, param: str, state: str | None = None):
        """(ds_t/dP, its recursion, its unrolling) for a single-state cell:

        ds_t/dP = ∂⁺s_t/∂P + ∂s_t/∂s_{t−1} ds_{t−1}/dP, and from ds_0/dP = 0,
        ds_t/dP = Σ_{k=1}^{t} ∂s_t/∂s_k ∂⁺s_k/∂P: the double sum of the gradient.
        """
        self.check_param(param)
        state = state or self.states[0]
        P = self.params[param]
        total = TotalDerivative(self.vec(state, t_), P)
        recursion = add(
            Partial(self.vec(state, t_), P, True),
            mul(self.step_jacobian(state, state, t_), TotalDerivative(self.vec(state, t_ - 1), P)),
        )
        unrolled = TimeSum(
            mul(self.jacobian(state, t_, k_), Partial(self.vec(state, k_), P, True)), k_, 1, t_
        )
        return total, recursion, unrolled

    def uses(self, param: str) -> list[tuple[Node, Node | None]]:
        """Where a parameter enters the cell: (matmul node P v, v) or (bias leaf, None)."""
        out = []
        for node in self.trace.nodes:
            op = OPS[node.op]
            for i, arg in enumerate(node.args):
                if arg.op != "param" or arg.name != param:
                    continue
                if i == op.kernel_arg:
                    out.append((node, node.args[1 - i]))
                elif op.vector_role is not None:
                    out.append((arg, None))
        return out

    def gradient_matrix_term(self, param, t, k, *, state=None):
        """The (t, k) term of ∂L/∂param in matrix form, a sum of outer products.

        For each state q and each use y = P v of the parameter at step k:
        [∂L_t/∂h_t ∂h_t/∂q_k ∂q_k/∂y_k]ᵀ v_kᵀ (a bias contributes the column
        [∂L_t/∂h_t ∂h_t/∂q_k ∂q_k/∂b]ᵀ). Same shape as the parameter.
        """
        self.check_param(param)
        key = (param, t, k, state or self.states[0])
        return self._derived("gradient term", key, lambda: self._gradient_matrix_term(*key))

    def _gradient_matrix_term(self, param, t, k, state):
        dL = Partial(Loss(t), self.vec(state, t))
        terms = []
        for q in self.states:
            upstream = mul(dL, self.jacobian(state, t, k, wrt=q, recompute=False))
            for target, v in self.uses(param):
                local = self.local_term(q, target, k)
                if is_zero(local):
                    continue
                delta = Transpose(mul(upstream, local))
                terms.append(delta if v is None else mul(delta, Transpose(self.value(v, k))))
        return add(*terms) if terms else ZeroMatrix(*self.params[param].shape)

    def local_term(self, state: str, target: Node, k):
        """∂⁺state_k/∂target_k inside step k, derived once at a symbolic step and re-indexed."""
        local = self._derived(
            "local",
            (state, id(target)),  # the traced node lives as long as the derivation
            lambda: self.within_step(self.state_node(state), target, j_),
        )
        return local if k == j_ else local.xreplace({j_: k})

    def check_param(self, param):
        """An InputError naming the cell's parameters unless ``param`` is one of them."""
        if param not in self.params:
            known = ", ".join(self.params)
            raise InputError.said(
                "engine.error.no_param", cell=repr(self.cell.name), name=repr(param), known=known
            )

    def check_state(self, state):
        """An InputError naming the cell's states unless ``state`` is one of them."""
        if state not in self.states:
            states = ", ".join(self.states)
            raise InputError.said(
                "engine.error.no_state", cell=repr(self.cell.name), name=repr(state), states=states
            )


class Loss(sympy.Expr):
    """L_t, the loss at step t (a scalar)."""

    def __new__(cls, t):
        return sympy.Expr.__new__(cls, _sympify(t))

    time = property(lambda self: self.args[0])


def collapse(expr):
    """Replace every ordered product by the bracket power [B]^n of the course."""
    repl = {
        p: BracketPower(erase_time(p.body, p.index), p.length) for p in expr.atoms(OrderedProduct)
    }
    return expr.xreplace(repl)


def expand_products(expr):
    """Write every ordered product with concrete bounds as its explicit factors.

    Products of block matrices (several states) are multiplied out block by
    block, so that e.g. ∂c_t/∂c_{t-1} of the LSTM comes out as a plain sum.
    """
    repl = {}
    for p in expr.atoms(OrderedProduct):
        factors = p.factors()
        repl[p] = mul(*factors) if factors else Identity(p.shape[0])
    out = _retidy(expr.xreplace(repl))
    if out.atoms(BlockMatrix):
        out = _retidy(block_collapse(out))
    return out


def _retidy(expr):
    """Flatten products and drop identities left by a substitution."""
    if isinstance(expr, MatMul):
        return mul(*(_retidy(a) for a in expr.args))
    if isinstance(expr, MatAdd):
        return add(*(_retidy(a) for a in expr.args))
    return expr


def drop_empty_powers(expr):
    repl = {b: Identity(b.shape[0]) for b in expr.atoms(BracketPower) if b.exponent == 0}
    return _retidy(expr.xreplace(repl))


__all__ = ["Derivation", "collapse", "expand_products", "is_zero", "j_", "k_", "t_"]
