"""Curves of ‖∂h_T/∂h_1‖₂ on a log scale (matplotlib, imported only here)."""

from __future__ import annotations

import contextlib
import io
import math
import os
import threading

from symbrnn.io import atomic_path

# matplotlib's pyplot state and text parser are not thread-safe: one drawing at a time
# (a web server draws from several threads).
_DRAWING = threading.Lock()

# Dates and tool versions left out so that the same curves give the same bytes.
_FIXED_METADATA = {
    ".pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    ".svg": {"Date": None, "Creator": None},
    ".png": {"Software": None},
}


def plot_norm_curves(reports: list[dict], path: str) -> None:
    """One curve per matrix, with the Pascanu bound (γ λ₁)^{T−1} dashed; written atomically.
    A norm that overflows is left out of its curve (matplotlib drops infinities)."""
    suffix = os.path.splitext(path)[1].lower()
    with _DRAWING, _figure(reports) as fig, atomic_path(path) as tmp:
        fig.savefig(tmp, metadata=_FIXED_METADATA.get(suffix))


def norm_curves_svg(reports: list[dict]) -> bytes:
    """The drawing of :func:`plot_norm_curves` as SVG bytes, in memory (no file)."""
    out = io.BytesIO()
    with _DRAWING, _figure(reports) as fig:
        fig.savefig(out, format="svg", metadata=_FIXED_METADATA[".svg"])
    return out.getvalue()


def _power(rate: float, n: int) -> float:
    try:
        return math.pow(rate, n)
    except OverflowError:
        return math.inf


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value: float, _position=None) -> str:
    """A tick of the log axis as 10ⁿ in plain Unicode (matplotlib's mathtext labels cost
    seconds a drawing); ticks between powers of ten are left unlabelled."""
    if not value > 0:
        return ""
    exponent = round(math.log10(value))
    if not math.isclose(value, 10.0**exponent, rel_tol=1e-9):
        return ""
    return "10" + str(exponent).translate(_SUPERSCRIPT)


@contextlib.contextmanager
def _figure(reports: list[dict]):
    try:
        import matplotlib
    except ImportError:
        from symbrnn.errors import InputError

        raise InputError.said("sheet.error.matplotlib") from None

    import matplotlib.ticker

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "symbrnn"  # fixed ids: same curves, same bytes
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for i, info in enumerate(reports):
        norms = info["norms"]
        steps = range(1, len(norms) + 1)
        color = f"C{i}"
        label = f"ρ={info['spectral_radius']:.3g}, λ₁={info['largest_singular_value']:.3g}"
        ax.semilogy(steps, [max(v, 1e-300) for v in norms], color=color, label=label)
        rate = info["gamma"] * info["largest_singular_value"]
        ax.semilogy(
            steps,
            [max(_power(rate, t - 1), 1e-300) for t in steps],
            color=color,
            linestyle="--",
            linewidth=0.8,
            label=f"bound (γλ₁)^(T−1), γλ₁={rate:.3g}",
        )
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(_power_of_ten))
    ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlabel("T")
    ax.set_ylabel("‖∂h_T/∂h_1‖₂")
    ax.set_title(f"Gradient norm through time ({reports[0]['activation']})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="best" if len(reports[0]["norms"]) <= 500 else "lower left")
    fig.subplots_adjust(left=0.13, right=0.97, bottom=0.12, top=0.93)
    try:
        yield fig
    finally:
        plt.close(fig)
