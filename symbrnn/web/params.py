"""The params page's answer: a pasted model summary explained row by row."""

from __future__ import annotations

import functools

from symbrnn.web.messages import RequestError, say
from symbrnn.words import number


def api_params(data: dict, lang: str) -> dict:
    """Every row of a pasted summary explained (``symbrnn params --explain --format json``),
    with one sentence per row in the page's language (``lines``)."""
    from symbrnn.counts.report import explain_json
    from symbrnn.counts.summary import explain_summary
    from symbrnn.errors import SummaryParseError

    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise RequestError("web.summary_text")
    try:
        out = explain_json(explain_summary(text), text)
    except SummaryParseError:
        raise RequestError("web.summary_rows") from None
    count = functools.partial(number, lang=lang, spec=",")  # 17 300 in French, 17,300 in English
    lines = [_line(layer, count, lang) for layer in out["layers"]]
    reported = out.get("reported_total")
    said = "" if reported is None else say("params.reported", lang, reported=count(reported))
    lines.append(say("params.total", lang, total=count(out["total"]), reported=said))
    return {**out, "lines": lines}


def _line(layer: dict, count, lang: str) -> str:
    """One row of the summary explained in one sentence."""
    from symbrnn.counts.summary import INFERRED_INPUT

    fields = {k: layer[k] for k in ("name", "type")} | {"params": count(layer["params"])}
    if layer["type"] == "InputLayer":
        return say("params.input", lang, name=layer["name"])
    if not layer["explained"]:
        return say("params.unexplained", lang, **fields)
    reading = layer["readings"][0]
    conv = reading["convention"]
    if "reset_after" in reading:
        conv += f", reset_after={reading['reset_after']}"
    key = "params.row_any" if reading["convention"] == "any" else "params.row"
    line = say(key, lang, formula=reading["formula"], convention=conv, **fields)
    if INFERRED_INPUT in layer.get("note", ""):
        line += say("params.inferred", lang)
    if "keras3_default_params" in layer:
        keras3 = count(layer["keras3_default_params"])
        line += say("params.keras3", lang, params=keras3, d=layer["keras3_default_features"])
    return line
