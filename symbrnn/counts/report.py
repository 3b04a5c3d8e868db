"""Text, JSON and LaTeX renderings of parameter counts (built or explained)."""

from __future__ import annotations

from symbrnn.counts.params import Layer, Model, recurrent_layer
from symbrnn.counts.summary import Explanation, reported_total
from symbrnn.printing.escape import latex_escape


def _shape(shape) -> str:
    return "(" + ", ".join("None" if s is None else str(s) for s in shape) + ")"


def model_text(model: Model) -> str:
    head = f"{'Layer (type)':<34}{'Output Shape':<20}{'Param #':>10}   Formula"
    lines = [f"Convention: {model.convention}", head, "─" * (len(head) + 30)]
    for layer in model.layers:
        label = f"{layer.name} ({layer.type})"
        formula = "" if layer.type == "InputLayer" else f"{layer.formula} = {layer.params:,}"
        lines.append(f"{label:<34}{_shape(layer.output_shape):<20}{layer.params:>10,}   {formula}")
        lines.extend(_details(layer))
    lines += [
        "─" * (len(head) + 30),
        f"Total params: {model.total:,}",
        f"Trainable params: {model.total:,}",
        "Non-trainable params: 0",
    ]
    return "\n".join(lines)


_OPTION = {True: "--reset-after", False: "--no-reset-after, the course's"}  # a GRU's variant


def _details(layer: Layer) -> list[str]:
    out = []
    if layer.symbolic and layer.type != "InputLayer":
        out.append(f"{'':4}per layer: {layer.symbolic}")
    if layer.matrices:
        out.append(f"{'':4}matrices: " + ", ".join(f"{m} {dims}" for m, dims in layer.matrices))
    if layer.tensors:
        out.append(
            f"{'':4}stored as: " + ", ".join(f"{t.name} {_shape(t.shape)}" for t in layer.tensors)
        )
    if layer.reset_after is not None:
        origin = "PyTorch's GRU" if layer.convention == "pytorch" else _OPTION[layer.reset_after]
        out.append(f"{'':4}variant: reset_after={layer.reset_after} ({origin})")
    return out


def model_latex(model: Model) -> str:
    rows = [
        (layer, "" if layer.type == "InputLayer" else _latex_formula(layer.formula))
        for layer in model.layers
    ]
    total = f"\\multicolumn{{2}}{{l}}{{Total params}} & {model.total:,} & \\\\"
    return _latex_table(rows, ["\\hline", total])


def _latex_table(rows, foot: list[str]) -> str:
    """A summary's tabular: a row per (layer or summary row, its formula in LaTeX)."""
    lines = ["\\begin{tabular}{llrl}", "\\hline"]
    lines += ["Layer (type) & Output shape & Param \\# & Formula \\\\", "\\hline"]
    for layer, formula in rows:
        lines.append(
            f"{latex_escape(layer.name)} ({latex_escape(layer.type)}) & "
            f"{latex_escape(_shape(layer.output_shape))} & {layer.params:,} & {formula} \\\\"
        )
    lines += [*foot, "\\hline", "\\end{tabular}"]
    return "\n".join(lines).replace(",", "{,}")


def _latex_formula(formula: str) -> str:
    return "$" + formula.replace("×", r"\times").replace("·", r"\cdot ") + "$"


# -- explain mode ---------------------------------------------------------------


def model_convention(explanations: list[Explanation]) -> str:
    """The convention that explains every row, 'keras' first; 'none' when none does."""
    for convention in ("keras", "pytorch"):
        if all(
            e.row.type == "InputLayer"
            or any(m.convention in (convention, "any") for m in e.matches)
            for e in explanations
        ):
            return convention
    return "none"


def explain_json(explanations: list[Explanation], text: str) -> dict:
    layers = []
    for e in explanations:
        entry = {
            "name": e.row.name,
            "type": e.row.type,
            "output_shape": list(e.row.output_shape),
            "params": e.row.params,
            "explained": e.explained,
            "formula": e.matches[0].formula if e.matches else ("0" if e.explained else None),
            "readings": [
                {
                    "type": m.type,
                    "convention": m.convention,
                    "formula": m.formula,
                    "params": m.params,
                    **({"reset_after": m.reset_after} if m.reset_after is not None else {}),
                    **({"merge_mode": m.merge_mode} if m.merge_mode else {}),
                    **({"use_bias": False} if not m.use_bias else {}),
                }
                for m in e.matches
            ],
        }
        gru = [m for m in e.matches if m.reset_after is not None and m.use_bias]
        if gru:
            entry["reset_after"] = gru[0].reset_after
            if not gru[0].reset_after:
                entry["keras3_default_params"] = _keras3_default(gru[0]).params
                entry["keras3_default_features"] = gru[0].features  # the d of that reading
        if e.note:
            entry["note"] = e.note
        layers.append(entry)
    total = sum(e.row.params for e in explanations)
    reported = reported_total(text)
    return {
        "convention": model_convention(explanations),
        "layers": layers,
        "total": total,
        "reported_total": reported,
        "total_matches": reported is None or reported == total,
        "flagged": [e.row.name for e in explanations if not e.explained],
    }


def _keras3_default(layer: Layer) -> Layer:
    """The same reading of a GRU row (its units, input size, direction and biases) with
    Keras 3's default, reset_after=True."""
    return recurrent_layer(
        "gru",
        units=layer.units,
        features=layer.features,
        reset_after=True,
        bidirectional=layer.bidirectional,
        use_bias=layer.use_bias,
    )


def explain_text(explanations: list[Explanation], text: str) -> str:
    info = explain_json(explanations, text)
    lines = [f"Convention: {info['convention']}"]
    for e in explanations:
        mark = "✓" if e.explained else "✗"
        lines.append(
            f"{mark} {e.row.name} ({e.row.type})  {_shape(e.row.output_shape)}  {e.row.params:,}"
        )
        for m in e.matches:
            label = m.convention if m.convention != "any" else "every convention"
            if m.type != e.row.type:
                label = f"{m.type}, {label}"
            if m.merge_mode:
                label += f", merge_mode={m.merge_mode}"
            if not m.use_bias:
                label += ", use_bias=False (bias=False)"
            elif m.reset_after is not None:
                label += f", reset_after={m.reset_after}"
            lines.append(f"    {label}: {m.formula} = {m.params:,}   [{m.symbolic}]")
            if m.reset_after is False and m.use_bias:
                k3 = _keras3_default(m)
                lines.append(
                    f"    (with the same d = {m.features}, Keras 3's default, reset_after=True, "
                    f"would give {k3.formula} = {k3.params:,})"
                )
        if e.note:
            lines.append(f"    {'note' if e.explained else 'NOT EXPLAINED'}: {e.note}")
    lines.append(f"Total params: {info['total']:,}")
    if info["reported_total"] is not None and not info["total_matches"]:
        lines.append(
            f"✗ the summary reports {info['reported_total']:,}, the rows add up to {info['total']:,}"
        )
    return "\n".join(lines)


def explain_latex(explanations: list[Explanation], text: str) -> str:
    rows = [
        (e.row, _latex_formula(e.matches[0].formula) if e.matches else "" if e.explained else "?")
        for e in explanations
    ]
    return _latex_table(rows, [])
