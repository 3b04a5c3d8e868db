"""A gated cell drawn as teachers draw it (the gates in a row fed by a bus, the carried state
on top), built from the cell's trace.

>>> from symbrnn.engine.cells import lstm
>>> flow_tikz(lstm(bias=False)).count(r"\\node[gate]")
4
"""

from __future__ import annotations

from symbrnn.engine.cell import Cell, Node
from symbrnn.engine.ops import OPS
from symbrnn.printing.latex import RNNLatexPrinter
from symbrnn.printing.names import latex_timed
from symbrnn.sheets.draw import HEADER, STYLE, cell_tikz


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
    gates_, between, read_by, flow = _gates(cell, prev, x_leaf)
    if not gates_:
        return cell_tikz(cell)
    gate_ids = {id(g) for g in gates_}
    outputs = dict(zip(cell.states, trace.outputs, strict=True))
    carried_prev = _carried(outputs, prev, gate_ids)  # states with a weight-free path

    pos: dict[int, tuple[float, float]] = {}
    names: dict[int, str] = {id(x_leaf): "x"}
    row, mixing, gx = _gate_row(gates_, between, read_by, pos, names)
    lines = [HEADER, STYLE, _FLOW_STYLE, *row]
    for n, s in prev.items():
        y = 2.6 if n in carried_prev else 0.0
        pos[id(n)], names[id(n)] = (-0.4, y), f"p{s}"
        lines.append(rf"\node[io, anchor=east] (p{s}) at (-0.4,{y}) {{${latex_timed(s, 't-1')}$}};")
    first = next(n for n, s in prev.items() if s == cell.states[0])
    start = (
        f"(p{cell.states[0]}.south) |-" if first in carried_prev else f"(p{cell.states[0]}.east) --"
    )
    readers = [(n, pos[id(n)][0], names[id(n)]) for n in [*gates_, *mixing]]
    lines += _bus(readers, start, first, x_leaf, gate_ids | {id(n) for n in mixing})
    for node in mixing:
        for a in node.args:
            if id(a) in gate_ids:  # the gate it reads, on its left
                lines.append(rf"\draw[->] ({names[id(a)]}) -- ({names[id(node)]});")
        reader = next(g for g, nodes in between.items() if node in nodes)
        lines.append(rf"\draw[->] ({names[id(node)]}) -- ({names[id(reader)]});")
    chain = _ancestors_between(outputs, carried_prev, gate_ids)
    lines += _operations([n for n in flow if id(n) not in pos], chain, pos, names)
    carried = {s for n, s in prev.items() if n in carried_prev}
    for s, node in outputs.items():
        x, y = pos[id(node)]
        out_y = 2.6 if s in carried else 1.9
        at = max(round(gx + GATE_STEP, 2), x + 1.2)
        lines.append(
            rf"\node[io, anchor=west] (out{s}) at ({at},{out_y}) {{${latex_timed(s, 't')}$}};"
        )
        lines.append(rf"\draw[->] ({names[id(node)]}) {'--' if y == out_y else '|-'} (out{s});")
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


def _gates(cell: Cell, prev: dict, x_leaf):
    """The gates in their drawing order, the operations between two gates (by the gate that
    reads them), the gate that reads each gate's output there, and every node drawn outside
    the gates' boxes (each after its arguments)."""
    trace = cell.trace
    bus = {id(x_leaf), *(id(n) for n in prev if n.name == cell.states[0])}
    gates_ = [
        n
        for n in trace.equations
        if n.op == "apply" and _reads_only(n, bus) and n not in trace.outputs
    ]
    gate_ids = {id(g) for g in gates_}
    between = _between_gates(gates_, gate_ids)  # reader gate → the nodes mixing in a gate
    inside = _under_gates(gates_, gate_ids, between)  # drawn as the gate boxes themselves
    flow = [n for n in _topological(trace.outputs) if id(n) not in inside]
    first_use = {
        id(a): min((c.order for c in flow if a in c.args), default=a.order) for a in gates_
    }
    read_by = {id(a): g for g, nodes in between.items() for n in nodes for a in n.args}
    gates_.sort(key=lambda g: _gate_key(g, first_use, read_by))
    return gates_, between, read_by, flow


def _gate_row(gates_, between, read_by, pos: dict, names: dict):
    """The gates' boxes in a row (y = 1), each with its name, and before a gate the
    operations between gates it reads (r ⊙ h_{t−1}); their lines, those operations and
    where the row ends."""
    lines, mixing, gx = [], [], 0.0
    for i, gate in enumerate(gates_, start=1):
        for node in between.get(gate, []):  # r ⊙ h_{t−1}, just before the gate it feeds
            gx = round(gx + GATE_STEP * 0.75, 2)  # room for the name of the gate it reads
            k = len(mixing)
            pos[id(node)], names[id(node)] = (gx, 1.0), f"m{k}"
            lines.append(rf"\node[op] (m{k}) at ({gx},1.0) {{${OPS[node.op].latex}$}};")
            mixing.append(node)
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
    return lines, mixing, gx


def _operations(ops, chain: set[int], pos: dict, names: dict) -> list[str]:
    """Every other operation, a small node above the nodes it reads (on the top line when
    it is on a carried state's weight-free path, ``chain``), with its arrows."""
    lines, taken = [], set(pos.values())
    for k, node in enumerate(n for n in ops if n.op not in _LEAVES):
        args = [a for a in node.args if id(a) in pos]
        x = max((pos[id(a)][0] for a in args), default=0.0)
        ones = node.op == "sub" and node.args[0].op == "one"  # 𝟏 − z_t: one node
        x += GATE_STEP / 2 if node.op == "apply" or ones else 0  # aside the line it reads
        y = 2.6 if id(node) in chain else 1.9
        while (x, y) in taken:
            x += GATE_STEP / 2
        x = round(x, 2)
        pos[id(node)], names[id(node)] = (x, y), f"o{k}"
        taken.add((x, y))
        if node.op == "apply":
            glyph, style = rf"${node.fn.latex}$", "act"
        elif ones:
            glyph, style = rf"${RNNLatexPrinter.ONES}-$", "act"
        else:
            glyph, style = rf"${OPS[node.op].latex}$", "op"
        lines.append(rf"\node[{style}] (o{k}) at ({x},{y}) {{{glyph}}};")
        for a in node.args:
            if id(a) in pos:
                ax, ay = pos[id(a)]
                route = "--" if ax == x or ay == y else ("|-" if ay < y else "-|")
                lines.append(rf"\draw[->] ({names[id(a)]}) {route} (o{k});")
    return lines


def _bus(readers, start: str, h_leaf, x_leaf, stop: set[int]) -> list[str]:
    """The lines under the gates. When every reader reads both h_{t−1} and x_t, one bus
    [h_{t−1}, x_t]; otherwise two lines, h_{t−1} (y = 0) and x_t (y = −0.5), each as far as
    its last reader: a reader of both draws from the x line through a dot on the h line, a
    reader of one (the GRU's r_t ⊙ h_{t−1}, its h̃_t reading x_t) from that line alone."""
    reads = {id(n): _leaves_read(n, stop) for n, _, _ in readers}
    both = {id(h_leaf), id(x_leaf)}
    x_label = latex_timed("x", "t")
    if all(r == both for r in reads.values()):
        end = max(x for _, x, _ in readers)
        out = [
            rf"\node[io, anchor=north] (x) at (0.6,-0.9) {{${x_label}$}};",
            rf"\draw[thick] {start} ({end},0);",
            r"\draw[->] (x.north) |- (0.6,0);",
        ]
        return out + [rf"\draw[->] ({x},0) -- ({name}.south);" for _, x, name in readers]
    h_end = max((x for n, x, _ in readers if id(h_leaf) in reads[id(n)]), default=0.6)
    x_end = max((x for n, x, _ in readers if id(x_leaf) in reads[id(n)]), default=0.6)
    out = [
        rf"\node[io, anchor=north] (x) at (0.6,-1.2) {{${x_label}$}};",
        rf"\draw[thick] {start} ({h_end},0);",
        rf"\draw[thick] (x.north) |- ({x_end},-0.5);",
    ]
    for n, x, name in readers:
        if reads[id(n)] == both:
            out.append(rf"\fill ({x},0) circle (1.3pt); \draw[->] ({x},-0.5) -- ({name}.south);")
        else:
            out.append(
                rf"\draw[->] ({x},{0 if id(h_leaf) in reads[id(n)] else -0.5}) -- ({name}.south);"
            )
    return out


def _leaves_read(node: Node, stop: set[int]) -> set[int]:
    """The states and inputs a gate or a node between gates reads itself: through its
    weights, not through another gate or node of the row (ids in ``stop``)."""
    found: set[int] = set()
    stack = [a for a in node.args if id(a) not in stop]
    while stack:
        n = stack.pop()
        if n.op in ("state", "input"):
            found.add(id(n))
        elif id(n) not in stop:
            stack.extend(n.args)
    return found


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
    if node.op in ("param", "one", "zero"):
        return True
    if node.op in ("state", "input"):
        return id(node) in leaves
    return all(_reads_only(a, leaves) for a in node.args)


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
    return {n for n, s in prev.items() if _weight_free(outputs[s], {n}, gate_ids, {})}


def _ancestors_between(outputs: dict, carried_prev: set, gate_ids) -> set[int]:
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
