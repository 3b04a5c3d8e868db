"""One way to print a result: ``emit(result, fmt, lang)`` finds the formatter of the result's
type for the format asked (a registry keyed by type, as SymPy's printers dispatch on the
class), and writes what it returns to stdout or ``-o FILE``.

The registry names each type by its dotted path, so that a command imports only the
modules of the result it prints (the command line starts light). A formatter takes the
result and the language and returns a text, or an iterator of chunks written as they come.

>>> emit({"L": 0.5}, "json")
{
  "L": 0.5
}
"""

from __future__ import annotations

from collections.abc import Callable

import click

from symbrnn.cli.options import dump_json, emit_output

Formatter = Callable[[object, str], "str | object"]


def _counts(name: str, *fields: str):
    """``counts.report.<name>`` of the result (or of its ``fields``), a dict as JSON."""

    def formatter(result, lang):
        from symbrnn.counts import report

        data = getattr(report, name)(*([getattr(result, f) for f in fields] or [result]))
        return data if isinstance(data, str) else dump_json(data)

    return formatter


def _expansion(kind: str):
    def formatter(result, lang):
        from symbrnn.printing import expansion as report

        if kind == "text":
            lines = report.iter_expansion_text(result.expansion, result.cell, result.params)
            return (line + "\n" for line in lines)
        return getattr(report, f"iter_expansion_{kind}")(result.expansion, result.params)

    return formatter


def _evaluation_text(result, lang) -> str:
    lines = [f"L = {result.data['L']:.10g}"]
    lines += [f"∂L/∂{name} = {g}" for name, g in result.data["grad"].items()]
    return "\n".join(lines)


def _json_of(attribute: str | None = None, method: str | None = None) -> Formatter:
    def formatter(result, lang):
        value = getattr(result, attribute) if attribute else result
        return dump_json(getattr(value, method)() if method else value)

    return formatter


_RECORD = {"text": lambda result, lang: result.text(), "json": _json_of(method="as_json")}

FORMATTERS: dict[str, dict[str, Formatter]] = {
    "builtins.dict": {"json": _json_of()},
    "builtins.str": {"text": lambda result, lang: result},
    "symbrnn.counts.params.Model": {
        "text": _counts("model_text"),
        "latex": _counts("model_latex"),
        "json": _json_of(method="as_json"),
    },
    "symbrnn.counts.explained.ExplainedSummary": {
        kind: _counts(f"explain_{kind}", "rows", "text") for kind in ("text", "latex", "json")
    },
    "symbrnn.judge.verdict.Verdict": _RECORD,
    "symbrnn.proof.report.Proofs": _RECORD,
    "symbrnn.numeric.spectral.Spectra": _RECORD,
    "symbrnn.engine.derived.Derived": {
        kind: _expansion(kind) for kind in ("text", "latex", "json")
    },
    "symbrnn.sheets.evaluation.Evaluation": {"text": _evaluation_text, "json": _json_of("data")},
}


def _name(type_: type) -> str:
    return f"{type_.__module__}.{type_.__qualname__}"


def formatter_of(result, fmt: str) -> Formatter:
    """The formatter of ``result``'s type (or of a base class) for ``fmt``."""
    for type_ in type(result).__mro__:
        by_format = FORMATTERS.get(_name(type_))
        if by_format is not None:
            if fmt not in by_format:
                raise click.UsageError(f"{type(result).__name__} has no {fmt} form")
            return by_format[fmt]
    raise TypeError(f"no formatter for {_name(type(result))}")


def emit(result, fmt: str = "text", lang: str = "en", output: str | None = None) -> None:
    """Print ``result`` in ``fmt`` (to ``output``, else stdout): its type's formatter."""
    # a text, or chunks written as they are made: memory stays flat
    emit_output(formatter_of(result, fmt)(result, lang), output, lang)
