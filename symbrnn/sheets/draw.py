"""TikZ pictures generated from declarations: a cell's graph, the unrolled network, a stacked model.

>>> from symbrnn.engine.cells import simple_rnn
>>> print(unrolled_tikz(simple_rnn(), T=2).splitlines()[0])
\\begin{tikzpicture}[>=stealth, node distance=1.6cm]
"""

from __future__ import annotations

from symbrnn.engine.cell import Cell, Node
from symbrnn.engine.ops import OPS
from symbrnn.printing.escape import latex_escape
from symbrnn.printing.latex import RNNLatexPrinter
from symbrnn.printing.names import latex_name, latex_timed

HEADER = r"\begin{tikzpicture}[>=stealth, node distance=1.6cm]"
STYLE = (
    r"\tikzset{q/.style={draw, circle, minimum size=9mm, inner sep=1pt},"
    r" p/.style={draw, rounded corners, minimum height=7mm, inner sep=3pt},"
    r" grad/.style={->, red!75!black, dashed, thick}}"
)


def _recurrent_params(cell: Cell) -> list[str]:
    """The parameters on the edge state_{t−1} → state_t: those that multiply (P h_{t−1},
    w ⊙ h_{t−1}) what the first state at t − 1 computes, by their role."""
    state = cell.states[0]
    return [
        p.name
        for p in cell.parameters
        if p.role in ("recurrent_kernel", "elementwise")
        and state in cell.trace.operand_reads(p.name)
    ]


def _grouped(names: list[str]) -> list[str]:
    """LaTeX names, those of one letter with a subscript each written once: W_f, W_i, W_o,
    W_c as W_{f,i,o,c} (every parameter named, in a label that fits an arrow).

    >>> _grouped(["W_f", "W_i", "P_f", "w", "W"])
    ['W_{f,i}', 'P_{f}', 'w', 'W']
    """
    groups: dict[tuple, list[str]] = {}
    for name in names:
        stem, _, sub = name.partition("_")
        key = (stem,) if sub else (name, "alone")  # a name without subscript stands alone
        groups.setdefault(key, []).append(name)
    out = []
    for key, members in groups.items():
        if len(members) == 1:
            out.append(latex_name(members[0]))
            continue
        subs = [latex_name(m).removeprefix(latex_name(key[0]) + "_").strip("{}") for m in members]
        out.append(f"{latex_name(key[0])}_{{{','.join(subs)}}}")
    return out


def _input_params(cell: Cell) -> list[str]:
    """The parameters on the edge x_t → state_t: those that multiply the input."""
    return [
        p.name
        for p in cell.parameters
        if p.role in ("input_kernel", "elementwise") and "x" in cell.trace.operand_reads(p.name)
    ]


def unrolled_tikz(cell: Cell, T: int = 3, *, gradient: bool = True) -> str:
    """The network unrolled over T steps: x_t → state_t → L_t, with the paths of ∂L/∂W dashed."""
    state = cell.states[0]
    W = ", ".join(_grouped(_recurrent_params(cell)))  # none: no label
    U = ", ".join(_grouped(_input_params(cell)))
    lines = [HEADER, STYLE]
    lines.append(rf"\node[q] (s0) at (0,0) {{${latex_timed(state, '0')}$}};")
    for t in range(1, T + 1):
        x = 2.6 * t
        lines.append(rf"\node[q] (s{t}) at ({x},0) {{${latex_timed(state, str(t))}$}};")
        lines.append(rf"\node[q] (x{t}) at ({x},-1.9) {{$x_{{{t}}}$}};")
        lines.append(rf"\node[q] (L{t}) at ({x},1.9) {{$L_{{{t}}}$}};")
        lines.append(rf"\draw[->] (s{t - 1}) -- node[above, font=\scriptsize] {{${W}$}} (s{t});")
        lines.append(rf"\draw[->] (x{t}) -- node[right, font=\scriptsize] {{${U}$}} (s{t});")
        lines.append(rf"\draw[->] (s{t}) -- (L{t});")
    if gradient:
        for t in range(1, T + 1):
            lines.append(rf"\draw[grad] (L{t}.south west) to[bend right=20] (s{t}.north west);")
            if t > 1:
                lines.append(
                    rf"\draw[grad] (s{t}.south west) to[bend left=25] (s{t - 1}.south east);"
                )
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


def cell_tikz(cell: Cell) -> str:
    """The graph of one step of a cell: inputs, then every named quantity by depth.

    Edges join a quantity to the named quantities and inputs it reads; the
    parameters on the way label the edges.
    """
    trace = cell.trace
    inputs = [trace.leaves[f"{s}_prev"] for s in cell.states] + [trace.leaves["x"]]
    named = trace.equations
    depth: dict[int, int] = {id(n): 0 for n in inputs}

    edges = []
    biases: dict[int, list[str]] = {}
    for node in named:
        params_by_src: dict[int, tuple[Node, list[str]]] = {}
        reads, biases[id(node)] = _reads(node)
        for src, params in reads:
            params_by_src.setdefault(id(src), (src, []))[1].extend(params)
        depth[id(node)] = 1 + max((depth.get(i, 0) for i in params_by_src), default=0)
        edges.extend((src, node, params) for src, params in params_by_src.values())
    by_depth: dict[int, list[Node]] = {}
    for n in inputs + named:
        by_depth.setdefault(depth[id(n)], []).append(n)
    pos = {}
    for d, nodes in sorted(by_depth.items()):
        for i, n in enumerate(nodes):
            pos[id(n)] = (3.0 * d, -1.5 * i)
    label = {
        id(n): latex_timed(n.name if n.op != "input" else "x", "t-1" if n.op == "state" else "t")
        for n in inputs
    }
    label.update({id(n): latex_timed(n.name, "t") for n in named})
    ids = {id(n): f"n{i}" for i, n in enumerate(inputs + named)}
    lines = [HEADER, STYLE]
    for n in inputs + named:
        x, y = pos[id(n)]
        added = ", ".join(map(latex_name, biases.get(id(n), [])))
        under = rf", label={{[font=\tiny]below:${added}$}}" if added else ""
        lines.append(rf"\node[q{under}] ({ids[id(n)]}) at ({x},{y}) {{${label[id(n)]}$}};")
    for src, dst, params in edges:
        text = ", ".join(latex_name(p) for p in dict.fromkeys(params))
        # labels near the source, so that two edges crossing halfway keep theirs apart
        lab = rf" node[pos=0.3, above, sloped, font=\tiny] {{${text}$}}" if text else ""
        (x0, y0), (x1, y1) = pos[id(src)], pos[id(dst)]
        through = any(  # a node in between on the straight line: go round it
            p != (x0, y0) and p != (x1, y1) and _between((x0, y0), p, (x1, y1))
            for p in pos.values()
        )
        route = "to[bend left=25]" if through else "--"
        lines.append(rf"\draw[->] ({ids[id(src)]}) {route}{lab} ({ids[id(dst)]});")
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


def _between(a, p, b) -> bool:
    """Whether point p lies on the segment from a to b (strictly inside)."""
    (ax, ay), (px, py), (bx, by) = a, p, b
    cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax)
    inside = min(ax, bx) < px < max(ax, bx) or min(ay, by) < py < max(ay, by)
    return abs(cross) < 1e-9 and inside


def _reads(node: Node) -> tuple[list[tuple[Node, list[str]]], list[str]]:
    """What a named quantity reads: (source, parameters multiplying it) for each state,
    input or named quantity it reads, and the biases it adds itself (not those of the
    quantities it reads)."""
    edges: list[tuple[Node, list[str]]] = []
    biases: list[str] = []

    def visit(n, params, root=False):
        if not root and (n.op in ("state", "input") or (n.name and n.kind != "preactivation")):
            edges.append((n, params))
            return
        op = OPS[n.op]
        if op.kernel_arg is not None:  # P v: P labels the edge from what v reads
            carried = [n.args[op.kernel_arg].name]
        elif op.vector_role == "elementwise":  # w ⊙ v: so does an elementwise weight
            carried = [a.name for a in n.args if a.op == "param"]
        else:
            carried = []
        for i, arg in enumerate(n.args):
            if arg.op == "param":
                if op.vector_role == "bias" and i != op.kernel_arg:
                    biases.append(arg.name)
            elif i != op.kernel_arg:
                visit(arg, [*params, *carried])

    visit(node, [], root=True)
    return edges, biases


def stacked_tikz(model, cell: Cell, *, unrolled_steps: int = 3) -> str:
    """The stacked model of a Keras summary, folded (left) and unrolled over a few steps (right)."""
    rec = [layer for layer in model.layers if layer.units is not None]
    dense = [layer for layer in model.layers if layer.type == "Dense"]
    features = model.layers[0].output_shape[-1]
    # every parameter of the edge, by its role: a gated cell's W_f, …, W_c, IndRNN's w,
    # never an invented W
    W, U = _recurrent_params(cell), _input_params(cell)
    shapes = {p.name: p.shape for p in cell.parameters}
    bias = [p.name for p in cell.parameters if p.role == "bias"]

    def named(names, layer):
        return ", ".join(f"{stem}^{{({layer})}}" for stem in _grouped(names))

    def space(names, layer):
        sizes = {"n": layer.units, "d": layer.features}
        spaces = {r"\times ".join(str(sizes[s]) for s in shapes[name]) for name in names}
        return spaces.pop() if len(spaces) == 1 else None

    def typed(names, i, layer):
        """``W_f^{(1)}, … ∈ R^{n×n}`` (one space when they share it, else the names only)."""
        where = space(names, layer)
        return named(names, i) + (rf" \in \mathbb{{R}}^{{{where}}}" if where else "")

    lines = [HEADER, STYLE]
    lines.append(rf"\node[p] (in) at (0,0) {{$x_t \in \mathbb{{R}}^{{{features}}}$}};")
    prev = "in"
    for i, layer in enumerate(rec, start=1):
        y = 1.6 * i
        lines.append(
            rf"\node[p] (r{i}) at (0,{y}) {{{latex_escape(layer.type)}: "
            rf"$h^{{({i})}}_t \in \mathbb{{R}}^{{{layer.units}}}$}};"
        )
        into = rf" node[right, font=\scriptsize] {{${typed(U, i, layer)}$}}" if U else ""
        lines.append(rf"\draw[->] ({prev}) --{into} (r{i});")
        loop = rf" node[right, font=\scriptsize] {{${typed(W, i, layer)}$}}" if W else ""
        lines.append(
            rf"\draw[->] (r{i}.east) to[out=0, in=0, looseness=3]{loop} (r{i}.north east);"
        )
        prev = f"r{i}"
    if dense:
        k = dense[0].output_shape[-1]
        y = 1.6 * (len(rec) + 1)
        lines.append(rf"\node[p] (out) at (0,{y}) {{Dense: $\hat y \in \mathbb{{R}}^{{{k}}}$}};")
        lines.append(
            rf"\draw[->] ({prev}) -- node[right, font=\scriptsize] "
            rf"{{$V \in \mathbb{{R}}^{{{k}\times {dense[0].features if dense[0].features else rec[-1].units}}}$}} (out);"
        )
    # unrolled over the whole sequence: steps 1, 2, …, T; ŷ read from the last state only
    x0, step = 6.5, 2.3
    T = model.layers[0].output_shape[1] or unrolled_steps
    columns = [1, 2, None, T] if T > 3 else list(range(1, T + 1))
    top = len(rec)
    for c, t in enumerate(columns, start=1):
        x = round(x0 + step * c, 2)
        if t is None:  # the steps in between
            for i in range(0, top + 1):
                lines.append(rf"\node (u{i}dots) at ({x},{1.6 * i}) {{$\cdots$}};")
            continue
        lines.append(rf"\node[q] (u0{t}) at ({x},0) {{$x_{{{t}}}$}};")
        for i in range(1, top + 1):
            lines.append(rf"\node[q] (u{i}{t}) at ({x},{1.6 * i}) {{$h^{{({i})}}_{{{t}}}$}};")
            label = rf" node[right, font=\scriptsize] {{${named(U, i)}$}}" if c == 1 and U else ""
            lines.append(rf"\draw[->] (u{i - 1}{t}) --{label} (u{i}{t});")
            if c == 1 and bias:
                lines.append(
                    rf"\node[font=\scriptsize, anchor=east] at (u{i}{t}.west) {{${named(bias, i)}$}};"
                )
    for i in range(1, top + 1):
        for c in range(1, len(columns)):
            a_, b_ = columns[c - 1], columns[c]
            src = f"u{i}dots" if a_ is None else f"u{i}{a_}"
            dst = f"u{i}dots" if b_ is None else f"u{i}{b_}"
            label = rf" node[above, font=\scriptsize] {{${named(W, i)}$}}" if c == 1 and W else ""
            lines.append(rf"\draw[->] ({src}) --{label} ({dst});")
    if dense:
        x = round(x0 + step * len(columns), 2)
        last = columns[-1]
        lines.append(rf"\node[q] (uy) at ({x},{1.6 * (top + 1)}) {{$\hat y$}};")
        lines.append(rf"\draw[->] (u{top}{last}) -- node[right, font=\scriptsize] {{$V$}} (uy);")
        lines.append(
            rf"\node[font=\small, anchor=east] at ({x - 0.7},{1.6 * (top + 1)}) "
            rf"{{$\hat y = \mathrm{{softmax}}(V h^{{({top})}}_{{{last}}} + b_y)$}};"
        )
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


def flow_tikz(cell: Cell) -> str:
    """One step of a gated cell drawn as teachers draw it, from its traced equations.

    The gates (quantities that apply an activation to the previous state and the
    input) stand in a row of boxes fed by the bus h_{t−1}, x_t; an operation between two
    gates (the GRU's r_t ⊙ h_{t−1}, inside its candidate) sits in that row, between the
    gate it reads and the gate it feeds; a state carried without a weight (the LSTM's c,
    the GRU's h through z_t ⊙ h_{t−1}) runs along the top line; every other operation
    (⊙, +, −, 𝟏 − ·, an activation of a state) is a small node placed above the gates it
    reads. A cell with no such gate is drawn by :func:`cell_tikz`.
    """
    trace = cell.trace
    prev = {trace.leaves[f"{s}_prev"]: s for s in cell.states}
    x_leaf = trace.leaves["x"]
    bus = {id(x_leaf), *(id(n) for n in prev if n.name == cell.states[0])}
    gates_ = [
        n
        for n in trace.equations
        if n.op == "apply" and _reads_only(n, bus) and n not in trace.outputs
    ]
    if not gates_:
        return cell_tikz(cell)
    gate_ids = {id(g) for g in gates_}
    between = _between_gates(gates_, gate_ids)  # reader gate → the nodes mixing in a gate
    inside = _under_gates(gates_, gate_ids, between)  # drawn as the gate boxes themselves
    flow = [n for n in _topological(trace.outputs) if id(n) not in inside]
    first_use = {
        id(a): min((c.order for c in flow if a in c.args), default=a.order) for a in gates_
    }
    read_by = {id(a): g for g, nodes in between.items() for n in nodes for a in n.args}
    gates_.sort(key=lambda g: _gate_key(g, first_use, read_by))
    outputs = dict(zip(cell.states, trace.outputs, strict=True))
    carried_prev = _carried(outputs, prev, gate_ids)  # states with a weight-free path
    carried = {s for n, s in prev.items() if n in carried_prev}
    chain = _ancestors_between(outputs, carried_prev, gate_ids)

    pos: dict[int, tuple[float, float]] = {}
    names: dict[int, str] = {}
    lines = [HEADER, STYLE, _FLOW_STYLE]
    gx, k = 0.0, 0
    mixing = []
    for i, gate in enumerate(gates_, start=1):
        for node in between.get(gate, []):  # r ⊙ h_{t−1}, just before the gate it feeds
            gx = round(gx + GATE_STEP * 0.75, 2)  # room for the name of the gate it reads
            pos[id(node)], names[id(node)] = (gx, 1.0), f"m{k}"
            lines.append(rf"\node[op] (m{k}) at ({gx},1.0) {{${OPS[node.op].latex}$}};")
            mixing.append(node)
            k += 1
        gx = round(gx + (GATE_STEP / 2 if between.get(gate) else GATE_STEP), 2)
        pos[id(gate)], names[id(gate)] = (gx, 1.0), f"g{i}"
        # its name on its right, or above the arrow to the operation between gates it feeds
        # (placed GATE_STEP·0.75 on: the middle of that arrow)
        if id(gate) in read_by:
            label = rf"anchor=south, yshift=1pt] at ({round(gx + GATE_STEP * 0.375, 2)},1.0)"
        else:
            label = rf"anchor=west] at ({round(gx + 0.45, 2)},1.0)"
        lines.append(
            rf"\node[gate] (g{i}) at ({gx},1.0) {{${gate.fn.latex}$}};"
            rf" \node[font=\scriptsize, {label}"
            rf" {{${latex_timed(gate.name, 't')}$}};"
        )
    right = round(gx + GATE_STEP, 2)
    for n, s in prev.items():
        y = 2.6 if n in carried_prev else 0.0
        pos[id(n)], names[id(n)] = (-0.4, y), f"p{s}"
        lines.append(rf"\node[io, anchor=east] (p{s}) at (-0.4,{y}) {{${latex_timed(s, 't-1')}$}};")
    lines.append(rf"\node[io, anchor=north] (x) at (0.6,-0.9) {{${latex_timed('x', 't')}$}};")
    names[id(x_leaf)] = "x"
    first = next(n for n, s in prev.items() if s == cell.states[0])
    if first in carried_prev:  # h_{t−1} runs on top and feeds the bus from the left
        lines.append(rf"\draw[thick] (p{cell.states[0]}.south) |- ({gx},0);")
    else:
        lines.append(rf"\draw[thick] (p{cell.states[0]}.east) -- ({gx},0);")
    lines.append(r"\draw[->] (x.north) |- (0.6,0);")
    for gate in gates_:
        lines.append(rf"\draw[->] ({pos[id(gate)][0]},0) -- ({names[id(gate)]}.south);")
    for node in mixing:
        x = pos[id(node)][0]
        for a in node.args:
            if id(a) in gate_ids:  # the gate it reads, on its left
                lines.append(rf"\draw[->] ({names[id(a)]}) -- ({names[id(node)]});")
            else:  # the bus, directly or through a weight (W_h h_{t−1})
                lines.append(rf"\draw[->] ({x},0) -- ({names[id(node)]}.south);")
        reader = next(g for g, nodes in between.items() if node in nodes)
        lines.append(rf"\draw[->] ({names[id(node)]}) -- ({names[id(reader)]});")

    taken: set[tuple[float, float]] = set(pos.values())
    ops = [n for n in flow if id(n) not in pos and n.op not in _LEAVES]
    for k, node in enumerate(ops):
        args = [a for a in node.args if id(a) in pos]
        x = max((pos[id(a)][0] for a in args), default=0.0)
        ones = node.op == "sub" and node.args[0].op == "one"  # 𝟏 − z_t: one node
        x += GATE_STEP / 2 if node.op == "apply" or ones else 0  # aside the line it reads
        y = 2.6 if id(node) in chain else 1.9
        while (x, y) in taken:
            x += GATE_STEP / 2
        x = round(x, 2)
        pos[id(node)] = (x, y)
        taken.add((x, y))
        names[id(node)] = f"o{k}"
        if node.op == "apply":
            glyph, style = rf"${node.fn.latex}$", "act"
        elif ones:
            glyph, style = rf"${RNNLatexPrinter.ONES}-$", "act"
        else:
            glyph, style = rf"${OPS[node.op].latex}$", "op"
        lines.append(rf"\node[{style}] (o{k}) at ({x},{y}) {{{glyph}}};")
        for a in node.args:
            if id(a) not in pos:
                continue
            src = names[id(a)]
            ax, ay = pos[id(a)]
            route = "--" if ax == x or ay == y else ("|-" if ay < y else "-|")
            lines.append(rf"\draw[->] ({src}) {route} (o{k});")
    for s, node in outputs.items():
        x, y = pos[id(node)]
        out_y = 2.6 if s in carried else 1.9
        lines.append(
            rf"\node[io, anchor=west] (out{s}) at ({max(right, x + 1.2)},{out_y})"
            rf" {{${latex_timed(s, 't')}$}};"
        )
        route = "--" if y == out_y else "|-"
        lines.append(rf"\draw[->] ({names[id(node)]}) {route} (out{s});")
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


def _between_gates(gates_, gate_ids) -> dict:
    """For each gate, the operations of its pre-activation that read another gate (the
    GRU's r_t ⊙ h_{t−1} inside h̃_t), which the drawing shows between the two."""
    out: dict = {}
    for g in gates_:
        stack, seen = list(g.args), set()
        while stack:
            n = stack.pop()
            if id(n) in seen or id(n) in gate_ids or n.op in _LEAVES:
                continue
            seen.add(id(n))
            if any(id(a) in gate_ids for a in n.args):
                out.setdefault(g, []).append(n)
            else:
                stack.extend(n.args)
    return out


def _under_gates(gates_, gate_ids, between) -> set[int]:
    """The nodes each gate box stands for: its pre-activation, not crossing into another
    gate or an operation drawn between gates."""
    shown = {id(n) for nodes in between.values() for n in nodes}
    out: set[int] = set()
    stack = [a for g in gates_ for a in g.args]
    stack += [a for nodes in between.values() for n in nodes for a in n.args]  # W_h h_{t−1}
    while stack:
        n = stack.pop()
        if id(n) in out or id(n) in gate_ids or id(n) in shown or n.op in ("state", "input"):
            continue
        out.add(id(n))
        stack.extend(n.args)
    return out


def _gate_key(gate, first_use, read_by):
    """Gates left to right by first use; a gate read inside another's pre-activation
    stands just before that gate (the GRU: z_t, then r_t, r_t ⊙ h_{t−1}, h̃_t)."""
    reader = read_by.get(id(gate))
    if reader is not None:
        return (first_use[id(reader)], 0, gate.order)
    return (first_use[id(gate)], 1, gate.order)


_LEAVES = ("state", "input", "param", "one", "zero")
GATE_STEP = 1.8  # cm between two gate boxes
_FLOW_STYLE = (
    r"\tikzset{gate/.style={draw, rectangle, minimum width=8mm, minimum height=6mm,"
    r" fill=black!6}, op/.style={draw, circle, inner sep=0.5pt, minimum size=5mm},"
    r" act/.style={draw, rounded corners=2mm, inner sep=1.5pt, minimum height=5mm},"
    r" io/.style={inner sep=2pt}}"
)


def _reads_only(node: Node, leaves: set[int]) -> bool:
    """Whether a quantity reads nothing but the given leaves (and parameters)."""

    def ok(n):
        if n.op in ("param", "one", "zero"):
            return True
        if n.op in ("state", "input"):
            return id(n) in leaves
        return all(ok(a) for a in n.args)

    return ok(node)


def _topological(outputs) -> list[Node]:
    """Every node the outputs read, each after its arguments (declaration order kept)."""
    seen: dict[int, Node] = {}

    def visit(n):
        if id(n) in seen:
            return
        for a in n.args:
            visit(a)
        seen[id(n)] = n

    for out in outputs:
        visit(out)
    return sorted(seen.values(), key=lambda n: n.order)


def _weight_free(n, targets, gate_ids, memo) -> bool:
    """Whether n is computed from one of ``targets`` without passing through a gate."""
    if n in targets:
        return True
    if id(n) in gate_ids:
        return False
    if id(n) not in memo:
        memo[id(n)] = any(_weight_free(a, targets, gate_ids, memo) for a in n.args)
    return memo[id(n)]


def _carried(outputs: dict, prev: dict, gate_ids) -> set:
    """The states at t − 1 that reach their value at t without a weight (the top line)."""
    out = set()
    for n, s in prev.items():
        if _weight_free(outputs[s], {n}, gate_ids, {}):
            out.add(n)
    return out


def _ancestors_between(outputs: dict, carried_prev: set, gate_ids=frozenset()) -> set[int]:
    """The nodes on a weight-free path from a carried state at t−1 to its value at t (the
    top line)."""
    out: set[int] = set()
    memo: dict[int, bool] = {}
    for node in outputs.values():
        if node.name not in {p.name for p in carried_prev}:
            continue
        stack = [node]
        while stack:
            n = stack.pop()
            if n not in carried_prev and _weight_free(n, carried_prev, gate_ids, memo):
                out.add(id(n))
                stack.extend(n.args)
    return out
