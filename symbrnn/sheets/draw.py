"""TikZ pictures generated from declarations: a cell's graph, the unrolled network, a stacked model.

>>> from symbrnn.engine.cells import simple_rnn
>>> print(unrolled_tikz(simple_rnn(), T=2).splitlines()[0])
\\begin{tikzpicture}[>=stealth, node distance=1.6cm]
"""

from __future__ import annotations

from collections import Counter

from symbrnn.engine.cell import Cell, Node
from symbrnn.engine.ops import OPS
from symbrnn.printing.escape import latex_escape
from symbrnn.printing.names import latex_name, latex_timed

HEADER = r"\begin{tikzpicture}[>=stealth, node distance=1.6cm]"
STYLE = (
    r"\tikzset{q/.style={draw, circle, minimum size=9mm, inner sep=1pt},"
    r" p/.style={draw, rounded corners, minimum height=7mm, inner sep=3pt},"
    r" grad/.style={->, red!75!black, dashed, thick}}"
)


def _edge_params(cell: Cell, kernel: str, source: str) -> list[str]:
    """The parameters on the edge ``source`` → state_t: the kernels of role ``kernel``
    (``recurrent_kernel`` from state_{t−1}, ``input_kernel`` from x_t) and the elementwise
    weights (w ⊙ h_{t−1}) that multiply what ``source`` computes."""
    return [
        p.name
        for p in cell.parameters
        if p.role in (kernel, "elementwise") and source in cell.trace.operand_reads(p.name)
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


def unrolled_tikz(cell: Cell, T: int = 3, *, gradient: bool = True) -> str:
    """The network unrolled over T steps: x_t → state_t → L_t, with the paths of ∂L/∂W dashed."""
    state = cell.states[0]
    W = ", ".join(_grouped(_edge_params(cell, "recurrent_kernel", state)))  # none: no label
    U = ", ".join(_grouped(_edge_params(cell, "input_kernel", "x")))
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
    pos, placed = {}, Counter()  # a column per depth, its nodes in order
    for n in inputs + named:
        pos[id(n)] = (3.0 * depth[id(n)], -1.5 * placed[depth[id(n)]])
        placed[depth[id(n)]] += 1
    label = {
        id(n): latex_timed(n.name if n.op != "input" else "x", "t-1" if n.op == "state" else "t")
        for n in inputs + named
    }
    ids = {id(n): f"n{i}" for i, n in enumerate(inputs + named)}
    lines = [HEADER, STYLE]
    for n in inputs + named:
        x, y = pos[id(n)]
        added = ", ".join(map(latex_name, biases.get(id(n), [])))
        under = rf", label={{[font=\tiny]below:${added}$}}" if added else ""
        lines.append(rf"\node[q{under}] ({ids[id(n)]}) at ({x},{y}) {{${label[id(n)]}$}};")
    for src, dst, params in edges:
        text = ", ".join(latex_name(p) for p in dict.fromkeys(params))
        if not text and dst.op == "apply" and dst.args[0] is src:  # h = φ(a): φ on the edge
            text = dst.fn.latex
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
    dense = next((layer for layer in model.layers if layer.type == "Dense"), None)
    # every parameter of the edge, by its role: a gated cell's W_f, …, W_c, IndRNN's w,
    # never an invented W
    W, U = (
        _edge_params(cell, "recurrent_kernel", cell.states[0]),
        _edge_params(cell, "input_kernel", "x"),
    )
    bias = [p.name for p in cell.parameters if p.role == "bias"]
    T = model.layers[0].output_shape[1] or unrolled_steps
    lines = [HEADER, STYLE, *_folded(model, cell, rec, dense, W, U)]
    lines += _stack_unrolled(len(rec), T, dense, W, U, bias)
    return "\n".join([*lines, r"\end{tikzpicture}"])


def _layer_names(names: list[str], layer) -> str:
    """The parameters of one layer: W_{f,i}^{(1)}, U^{(1)}."""
    return ", ".join(f"{stem}^{{({layer})}}" for stem in _grouped(names))


def _edge_label(where: str, text: str) -> str:
    """The label of an edge, small, on its ``where`` side (none for no text)."""
    return rf" node[{where}, font=\scriptsize] {{${text}$}}" if text else ""


def _folded(model, cell: Cell, rec, dense, W, U) -> list[str]:
    """The folded stack: x_t, each recurrent layer with its loop, the Dense head."""
    shapes = {p.name: p.shape for p in cell.parameters}

    def typed(names, i, layer):
        """``W_f^{(1)}, … ∈ R^{n×n}`` (one space when they share it, else the names only)."""
        sizes = {"n": layer.units, "d": layer.features}
        spaces = {r"\times ".join(str(sizes[s]) for s in shapes[name]) for name in names}
        where = spaces.pop() if len(spaces) == 1 else None
        return _layer_names(names, i) + (rf" \in \mathbb{{R}}^{{{where}}}" if where else "")

    features = model.layers[0].output_shape[-1]
    lines = [rf"\node[p] (in) at (0,0) {{$x_t \in \mathbb{{R}}^{{{features}}}$}};"]
    prev = "in"
    for i, layer in enumerate(rec, start=1):
        lines.append(
            rf"\node[p] (r{i}) at (0,{1.6 * i}) {{{latex_escape(layer.type)}: "
            rf"$h^{{({i})}}_t \in \mathbb{{R}}^{{{layer.units}}}$}};"
        )
        lines.append(rf"\draw[->] ({prev}) --{_edge_label('right', typed(U, i, layer))} (r{i});")
        loop = _edge_label("right", typed(W, i, layer))
        lines.append(
            rf"\draw[->] (r{i}.east) to[out=0, in=0, looseness=3]{loop} (r{i}.north east);"
        )
        prev = f"r{i}"
    if dense:
        k, y = dense.output_shape[-1], 1.6 * (len(rec) + 1)
        lines.append(rf"\node[p] (out) at (0,{y}) {{Dense: $\hat y \in \mathbb{{R}}^{{{k}}}$}};")
        lines.append(
            rf"\draw[->] ({prev}) -- node[right, font=\scriptsize] "
            rf"{{$V \in \mathbb{{R}}^{{{k}\times {dense.features or rec[-1].units}}}$}} (out);"
        )
    return lines


def _stack_unrolled(top: int, T: int, dense, W, U, bias) -> list[str]:
    """The stack unrolled over the whole sequence: h_0, steps 1, 2, …, T (⋯ in between); ŷ
    read from the last state only."""
    x0, step = 6.0, 2.3
    columns = [1, 2, None, T] if T > 3 else list(range(1, T + 1))

    def node(i, t):
        return f"u{i}dots" if t is None else f"u{i}{t}"

    lines = []
    for c, t in enumerate(columns, start=1):
        x = round(x0 + step * c, 2)
        if t is None:  # the steps in between
            lines += [
                rf"\node ({node(i, t)}) at ({x},{1.6 * i}) {{$\cdots$}};" for i in range(top + 1)
            ]
            continue
        lines.append(rf"\node[q] (u0{t}) at ({x},0) {{$x_{{{t}}}$}};")
        for i in range(1, top + 1):
            lines.append(rf"\node[q] (u{i}{t}) at ({x},{1.6 * i}) {{$h^{{({i})}}_{{{t}}}$}};")
            label = _edge_label("right", _layer_names(U, i) if c == 1 else "")
            lines.append(rf"\draw[->] (u{i - 1}{t}) --{label} (u{i}{t});")
            if c == 1 and bias:  # above left: h_0 comes in from the left
                lines.append(
                    rf"\node[font=\scriptsize, anchor=south east] at (u{i}{t}.north west)"
                    rf" {{${_layer_names(bias, i)}$}};"
                )
    for i in range(1, top + 1):  # each layer starts from its initial state h_0
        lines.append(rf"\node[q] (u{i}0) at ({x0 + 0.3},{1.6 * i}) {{$h^{{({i})}}_{{0}}$}};")
        lines.append(rf"\draw[->] (u{i}0) -- (u{i}{columns[0]});")
    for i in range(1, top + 1):
        for c in range(1, len(columns)):
            label = _edge_label("above", _layer_names(W, i) if c == 1 else "")
            lines.append(
                rf"\draw[->] ({node(i, columns[c - 1])}) --{label} ({node(i, columns[c])});"
            )
    if dense:
        x, y, last = round(x0 + step * len(columns), 2), 1.6 * (top + 1), columns[-1]
        lines.append(rf"\node[q] (uy) at ({x},{y}) {{$\hat y$}};")
        lines.append(rf"\draw[->] (u{top}{last}) -- node[right, font=\scriptsize] {{$V$}} (uy);")
        lines.append(
            rf"\node[font=\small, anchor=east] at ({x - 0.7},{y}) "
            rf"{{$\hat y = \mathrm{{softmax}}(V h^{{({top})}}_{{{last}}} + b_y)$}};"
        )
    return lines
