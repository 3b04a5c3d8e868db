"""TikZ pictures generated from declarations: a cell's graph, the unrolled network, a stacked model.

>>> from symbrnn.engine.cells import simple_rnn
>>> print(unrolled_tikz(simple_rnn(), T=2).splitlines()[0])
\\begin{tikzpicture}[>=stealth, node distance=1.6cm]
"""

from __future__ import annotations

from symbrnn.counts.params import gates
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


def _recurrent_params(cell: Cell) -> list[str]:
    return [p for g in gates(cell) for p in g.recurrent]


def _input_params(cell: Cell) -> list[str]:
    return [p for g in gates(cell) for p in g.kernels]


def unrolled_tikz(cell: Cell, T: int = 3, *, gradient: bool = True) -> str:
    """The network unrolled over T steps: x_t → state_t → L_t, with the paths of ∂L/∂W dashed."""
    state = cell.states[0]
    W = ", ".join(latex_name(p) for p in _recurrent_params(cell)) or "W"
    U = ", ".join(latex_name(p) for p in _input_params(cell)) or "U"
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
    for node in named:
        params_by_src: dict[int, tuple[Node, list[str]]] = {}
        for src, params in _edge_params(node):
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
        lines.append(rf"\node[q] ({ids[id(n)]}) at ({x},{y}) {{${label[id(n)]}$}};")
    for src, dst, params in edges:
        text = ", ".join(latex_name(p) for p in dict.fromkeys(params))
        lab = rf" node[midway, above, sloped, font=\tiny] {{${text}$}}" if text else ""
        lines.append(rf"\draw[->] ({ids[id(src)]}) --{lab} ({ids[id(dst)]});")
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


def _edge_params(node: Node) -> list[tuple[Node, list[str]]]:
    """(source, parameters multiplying it) for the sources a named quantity reads."""
    out: list[tuple[Node, list[str]]] = []

    def visit(n, params, root=False):
        if n.op == "param":
            return
        if (not root and n.op in ("state", "input")) or (
            not root and n.name and n.kind != "preactivation"
        ):
            out.append((n, params))
            return
        kernel = OPS[n.op].kernel_arg
        for i, arg in enumerate(n.args):
            if i != kernel:
                visit(arg, params if kernel is None else [*params, n.args[kernel].name])

    visit(node, [], root=True)
    return out


def stacked_tikz(model, cell: Cell, *, unrolled_steps: int = 3) -> str:
    """The stacked model of a Keras summary, folded (left) and unrolled over a few steps (right)."""
    rec = [layer for layer in model.layers if layer.units is not None]
    dense = [layer for layer in model.layers if layer.type == "Dense"]
    features = model.layers[0].output_shape[-1]
    W = _recurrent_params(cell)[0] if _recurrent_params(cell) else "W"
    U = _input_params(cell)[0] if _input_params(cell) else "U"
    lines = [HEADER, STYLE]
    lines.append(rf"\node[p] (in) at (0,0) {{$x_t \in \mathbb{{R}}^{{{features}}}$}};")
    prev = "in"
    for i, layer in enumerate(rec, start=1):
        y = 1.6 * i
        lines.append(
            rf"\node[p] (r{i}) at (0,{y}) {{{latex_escape(layer.type)}: "
            rf"$h^{{({i})}}_t \in \mathbb{{R}}^{{{layer.units}}}$}};"
        )
        lines.append(
            rf"\draw[->] ({prev}) -- node[right, font=\scriptsize] "
            rf"{{${latex_name(U)}^{{({i})}} \in \mathbb{{R}}^{{{layer.units}\times {layer.features}}}$}} (r{i});"
        )
        lines.append(
            rf"\draw[->] (r{i}.east) to[out=0, in=0, looseness=3] node[right, font=\scriptsize] "
            rf"{{${latex_name(W)}^{{({i})}} \in \mathbb{{R}}^{{{layer.units}\times {layer.units}}}$}} (r{i}.north east);"
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
    # unrolled
    x0 = 6.5
    for t in range(1, unrolled_steps + 1):
        x = x0 + 2.2 * t
        lines.append(rf"\node[q] (ux{t}) at ({x},0) {{$x_{{{t}}}$}};")
        for i in range(1, len(rec) + 1):
            lines.append(rf"\node[q] (u{i}{t}) at ({x},{1.6 * i}) {{$h^{{({i})}}_{{{t}}}$}};")
            below = f"ux{t}" if i == 1 else f"u{i - 1}{t}"
            lines.append(rf"\draw[->] ({below}) -- (u{i}{t});")
            if t > 1:
                lines.append(rf"\draw[->] (u{i}{t - 1}) -- (u{i}{t});")
    if dense:
        x = x0 + 2.2 * unrolled_steps
        lines.append(rf"\node[q] (uy) at ({x},{1.6 * (len(rec) + 1)}) {{$\hat y$}};")
        lines.append(rf"\draw[->] (u{len(rec)}{unrolled_steps}) -- (uy);")
    lines.append(
        rf"\node[font=\scriptsize] at ({x0 + 2.2 * (unrolled_steps + 0.7)},0.8) {{$\cdots$}};"
    )
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)
