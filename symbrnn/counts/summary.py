"""Read a model summary as people paste it, and explain every row.

Accepted: the markdown tables of the exercise sheet, Keras 2's ASCII
``model.summary()`` and Keras 3's box-drawn one, with or without thousands
separators. Each recurrent row is matched against every convention
(Keras with ``reset_after`` True or False, PyTorch); a row that none
explains is flagged.

>>> rows = parse_summary("| gru_1 (GRU) | (None, 5, 10) | 420 |")
>>> rows[0].type, rows[0].params
('GRU', 420)
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from symbrnn.counts.params import Layer, dense_layer, recurrent_layer
from symbrnn.engine.cells import CELLS
from symbrnn.errors import SummaryParseError

_BOX = str.maketrans(dict.fromkeys("│┃|║", " "))  # a table's borders read as spaces
# Every repetition is bounded or separated by a fixed character, so that matching is linear
# in the length of the line (a pasted row followed by thousands of spaces is still instant).
_NUMBER = r"\d{1,3}(?:[,\u202f\u00a0' ]\d{3})+|\d{1,15}"
_ROW = re.compile(
    r"(?P<name>[A-Za-z_][\w.\-/]{0,200}) ?\((?P<type>[A-Za-z]\w{0,60})\)? {0,40}"
    r"(?P<shape>\[?\( ?(?:None|\d{1,9})?(?: ?, ?(?:None|\d{1,9})){0,8} ?,? ?\)\]?) {0,200}"
    rf"(?P<params>{_NUMBER})?(?: ?\[.{{0,400}}\])?"
)
_TOTAL = re.compile(rf"\W{{0,40}}Total params: ?(?P<n>{_NUMBER})", re.IGNORECASE)
MAX_LINE = 2_000
MAX_ROWS = 1_000


def _recurrent(kind: str) -> tuple[list[str], bool] | None:
    """The cells a summary's layer type (the Keras class, lower case) may hold, and whether it
    is Bidirectional (any cell); None for a layer that is not recurrent."""
    if kind.startswith("bidirectiona"):
        return list(CELLS), True
    cells = [c.name for c in CELLS.values() if (c.keras or "").lower() == kind]
    return (cells[:1], False) if cells else None


# the note of a row whose input size is solved from its count (the web page says it in French)
INFERRED_INPUT = "input size inferred from the count"


@dataclass
class SummaryRow:
    name: str
    type: str
    output_shape: tuple
    params: int
    line: int
    given: bool = True  # False: the summary has no count here (no Param # column)


@dataclass
class Explanation:
    """The reading of one row: which conventions produce its count, and how."""

    row: SummaryRow
    matches: list[Layer] = field(default_factory=list)
    note: str = ""

    @property
    def explained(self) -> bool:
        return bool(self.matches) or self.row.type == "InputLayer"


def _number(text: str) -> int:
    return int(re.sub(r"[,\u202f\u00a0' ]", "", text))


def _lines(text: str):
    """(number, line) of a summary, its borders and runs of spaces one space (a line longer
    than MAX_LINE is passed over)."""
    for number, raw in enumerate(text.splitlines(), start=1):
        if len(raw) <= MAX_LINE:
            yield number, re.sub(r"\s+", " ", raw.translate(_BOX)).strip()


def parse_summary(text: str) -> list[SummaryRow]:
    """The layer rows of a pasted summary, in order."""
    rows = []
    for number, line in _lines(text):
        m = _ROW.fullmatch(line)
        if not m:
            continue
        dims = re.findall(r"None|\d+", m["shape"])
        shape = tuple(None if v == "None" else int(v) for v in dims)
        params = _number(m["params"]) if m["params"] else 0
        rows.append(SummaryRow(m["name"], m["type"], shape, params, number, bool(m["params"])))
        if len(rows) > MAX_ROWS:
            raise SummaryParseError.said("counts.error.many_rows", top=MAX_ROWS)
    if not rows:
        raise SummaryParseError.said("counts.error.no_rows")
    return rows


def reported_total(text: str) -> int | None:
    """The 'Total params' figure of a summary, if it has one."""
    for _, line in _lines(text):
        m = _TOTAL.match(line)
        if m:
            return _number(m["n"])
    return None


def explain_summary(text: str) -> list[Explanation]:
    """Explain every row of a summary; unknown or wrong rows get a note and no match.

    >>> [e.matches[0].reset_after for e in explain_summary('''
    ... | input (InputLayer) | (None, 5, 3) | 0 |
    ... | gru_1 (GRU) | (None, 5, 10) | 420 |''')[1:]]
    [False]
    """
    rows = parse_summary(text)
    out: list[Explanation] = []
    features = None
    for row in rows:
        exp = Explanation(row)
        kind = row.type.lower()
        size, recurrent = _last_size(row), _recurrent(kind)
        if kind == "inputlayer":
            features = size
            exp.note = "input: no parameters" + ("" if size else " (its shape gives no size)")
        elif size is None:
            exp.note = f"the output shape {row.output_shape} gives no size to count with"
        elif not row.given and (recurrent or kind == "dense"):
            exp.matches, exp.note = _computed(row, features, recurrent)
        elif recurrent:
            exp.matches, exp.note = _explain_recurrent(row, features, *recurrent)
        elif kind == "dense":
            exp.matches, exp.note = _explain_dense(row, features)
        elif not row.given:
            exp.note = f"the summary gives no count for {row.type}"
        elif row.params == 0:
            exp.matches = [Layer(row.name, row.type, row.output_shape, 0, "0", "0")]
            exp.note = f"{row.type} has no parameters"
        else:
            exp.note = f"layer type {row.type} is not one symbrnn knows how to count"
        if kind != "inputlayer":
            features = size
        out.append(exp)
    _prefer_model_convention(out)
    return out


def _last_size(row: SummaryRow) -> int | None:
    """The size a row passes on (its last output dimension), when it is a positive number."""
    size = row.output_shape[-1] if row.output_shape else None
    return size if isinstance(size, int) and size > 0 else None


def _convention_key(layer: Layer):
    return (layer.convention, layer.reset_after)


def _prefer_model_convention(explanations: list[Explanation]) -> None:
    """Where a row has several readings, keep those of the convention the model shows elsewhere."""
    votes = Counter(
        key
        for exp in explanations
        for key in {_convention_key(m) for m in exp.matches if m.convention != "any"}
    )
    for exp in explanations:
        if len(exp.matches) > 1:
            best = max(votes[_convention_key(m)] for m in exp.matches)
            exp.matches = [m for m in exp.matches if votes[_convention_key(m)] == best]


def _candidates(cell_names, units, d, bidirectional, use_bias=(True, False)):
    """Every reading of a recurrent layer: each convention (Keras, its GRU with either
    reset_after, PyTorch), with and without biases (Keras' use_bias=False)."""
    for cell in cell_names:
        options = [("keras", False), ("keras", True)] if cell == "gru" else [("keras", True)]
        options.append(("pytorch", True))
        for bias in use_bias:
            for convention, reset_after in options:
                yield recurrent_layer(
                    cell,
                    units=units,
                    features=d,
                    convention=convention,
                    reset_after=reset_after,
                    bidirectional=bidirectional,
                    use_bias=bias,
                )


def _one_biasless_reading(matches: list) -> list:
    """Without biases every convention counts the same: one reading per size is enough."""
    seen, out = set(), []
    for m in matches:
        key = (m.units, m.features, m.merge_mode, m.type)
        if not m.use_bias and key in seen:
            continue
        if not m.use_bias:
            seen.add(key)
            m.reset_after = None  # reset_after only moves biases
        out.append(m)
    return out


def _unit_readings(width: int, bidirectional: bool):
    """(units, merge mode) a row's width may mean: a Bidirectional layer concatenates its
    two directions (2n, the default) or sums, averages or multiplies them (n)."""
    if not bidirectional:
        return [(width, None)]
    readings = [(width // 2, "concat")] if width % 2 == 0 else []
    return [*readings, (width, "sum/ave/mul")]


def _explain_recurrent(row: SummaryRow, features, cells, bidirectional):
    matches = []
    for units, merge in _unit_readings(row.output_shape[-1], bidirectional):
        if units < 1:
            continue
        sizes = (
            [features]
            if features is not None
            else _solve_features(cells, units, row.params, bidirectional)
        )
        for d in sizes:
            for layer in _candidates(cells, units, d, bidirectional):
                if layer.params == row.params:
                    layer.name, layer.output_shape = row.name, row.output_shape
                    layer.merge_mode = merge
                    matches.append(layer)
    matches = _one_biasless_reading(matches)
    if matches:
        note = "" if features is not None else INFERRED_INPUT
        if len({(m.units, m.features, m.merge_mode) for m in matches}) > 1:
            note = "; ".join(x for x in (note, "several readings fit: each is listed") if x)
        return matches, note
    units = row.output_shape[-1] // (2 if bidirectional else 1)
    if units < 1:
        return [], "the output shape gives no number of units"
    if features is None:
        return [], "input size unknown and no size explains the count"
    figures = ", ".join(
        f"{layer.convention}{'' if layer.reset_after is None else f' reset_after={layer.reset_after}'}: {layer.params:,}"
        for layer in _candidates(cells, units, features, bidirectional, use_bias=(True,))
    )
    return (
        [],
        f"{row.params:,} is not produced by any convention for d={features}, n={units} ({figures})",
    )


def _computed(row: SummaryRow, features, recurrent):
    """A row without a count (a summary with no Param # column): what the layer has,
    computed from its shape and the size before it (Keras, with its biases), not checked."""
    if features is None:
        return [], "the summary gives no count and no input size to compute one"
    if recurrent is None:  # a Dense layer
        readings = [dense_layer(units=row.output_shape[-1], features=features)]
    else:
        cells, bidirectional = recurrent
        units = row.output_shape[-1] // (2 if bidirectional else 1)
        readings = [
            layer
            for layer in _candidates(cells, units, features, bidirectional, use_bias=(True,))
            if layer.convention == "keras"
        ]
    for layer in readings:
        layer.name, layer.output_shape = row.name, row.output_shape
    row.params = readings[0].params
    return readings, "the summary gives no count: computed from the shapes, not checked"


def _solve_features(cells, units, params, bidirectional) -> list[int]:
    """Every input size d for which some convention gives this count.

    A count is affine in d (params = a·d + b), so d is solved for, not searched.
    """
    sizes = set()
    at1 = _candidates(cells, units, 1, bidirectional)
    at2 = _candidates(cells, units, 2, bidirectional)
    for one, two in zip(at1, at2, strict=True):
        slope, intercept = two.params - one.params, 2 * one.params - two.params
        if slope > 0 and (params - intercept) % slope == 0 and params > intercept:
            sizes.add((params - intercept) // slope)
    return sorted(sizes)


def _explain_dense(row: SummaryRow, features):
    units = row.output_shape[-1]
    if features is None:
        if row.params % units == 0 and row.params // units > 1:
            features = row.params // units - 1
        else:
            return [], "input size unknown and no size explains the count"
    layer = dense_layer(units=units, features=features, name=row.name)
    if layer.params == row.params:
        layer.output_shape = row.output_shape
        return [layer], ""
    return [], f"{row.params:,} ≠ {layer.formula} = {layer.params:,}"
