"""The spectral page's answers: W's numbers and what they show (``/api/spectral``), and
the same curve drawn by matplotlib (``/api/spectral.svg``), kept by its inputs.

A drawing depends on W (scaled), the activation and T only: it is made once per distinct
request (a class asks for the same ones again and again) and kept in a bounded cache;
clients asking for the same drawing at the same time wait for the one being made.
"""

from __future__ import annotations

import collections
import functools
import threading

from symbrnn.web.exchange import bounded, choice, once
from symbrnn.web.messages import RequestError, say
from symbrnn.words import number

MAX_SPECTRAL_T = 500
SVG_CACHE = 256  # drawings kept (each some 40 kB)


def num(value: float, lang: str) -> str:
    """A real number to 4 significant digits, with the page's decimal mark."""
    if value != value:
        return "—"
    if value in (float("inf"), float("-inf")):
        return "∞" if value > 0 else "−∞"
    return number(value, lang, ".4g").replace("-", "−")


def _eigen(z, lang: str) -> str:
    if isinstance(z, list):
        re_, im = z
        sign = "+" if im >= 0 else "−"
        return f"{num(re_, lang)} {sign} {num(abs(im), lang)}i"
    return num(z, lang)


def _matrix(value):
    """W from the page, read as ``symbrnn spectral --W`` reads it; its error in the page's
    language."""
    from symbrnn.errors import InputError
    from symbrnn.numeric.weights import MAX_SIZE, parse_matrix

    try:
        return parse_matrix(value)
    except InputError:
        raise RequestError("web.matrix", limit=MAX_SIZE) from None


def spectral_inputs(params) -> tuple:
    """What a curve depends on, read and checked: (W scaled, as rows of floats; the
    activation, one with a known γ = sup|φ'|; T). Equal inputs give equal tuples (the
    drawings' cache key)."""
    from symbrnn.engine.activations import bounded_activations

    W = _matrix(params.get("W", "[[0.5]]")) * bounded(
        params.get("scale", "1"), "scale", 0, 10, float
    )
    activation = choice(params.get("activation", "sigmoid"), bounded_activations(), "activation")
    T = bounded(params.get("T", "30"), "T", 1, MAX_SPECTRAL_T)
    return tuple(tuple(float(v) + 0.0 for v in row) for row in W.tolist()), activation, T


@functools.lru_cache(maxsize=1024)
def _facts(W: tuple, activation: str, T: int) -> dict:
    import numpy as np

    from symbrnn.numeric.curve import curve_trend, norm_curve
    from symbrnn.numeric.spectral import numeric_facts

    M = np.array(W, dtype=float)
    info = numeric_facts(M, activation)
    info["W"] = [list(row) for row in W]
    info["norms"] = norm_curve(M, activation, T)
    info["trend"] = curve_trend(info["norms"])
    return info


def spectral_answer(inputs: tuple, lang: str) -> dict:
    """W's eigenvalues, singular values, ‖∂h_T/∂h_1‖ for T = 1..N, and what they show, said
    in the page's language (``sentences``)."""
    facts = _facts(*inputs)
    info = {k: v for k, v in facts.items() if k != "trend"}
    info["W"], info["norms"] = [list(r) for r in facts["W"]], list(facts["norms"])
    trend = facts["trend"]
    info["trend"] = trend["kind"]
    n = functools.partial(num, lang=lang)
    rho, s1, gamma = (n(info[k]) for k in ("spectral_radius", "largest_singular_value", "gamma"))
    sure = "spectral.vanishing_sure" if info["bound"] < 1 else "spectral.vanishing_not_sure"
    sentences = [
        say("spectral.radius", lang, rho=rho, s1=s1, gamma=gamma),
        say(sure, lang, bound=n(info["bound"])),
    ]
    if not info["normal"]:
        sentences.append(say("spectral.non_normal", lang))
    numbers = {k: n(v) if isinstance(v, float) else v for k, v in trend.items() if k != "kind"}
    sentences.append(say(f"spectral.curve_{trend['kind']}", lang, **numbers))
    info["sentences"] = sentences
    info["eigenvalues_text"] = [_eigen(z, lang) for z in info["eigenvalues"]]
    info["singular_values_text"] = [n(v) for v in info["singular_values"]]
    return info


class Drawings:
    """The SVG of each curve, made once per distinct inputs and kept (least recently used
    first out); a drawing asked for while it is being made is waited for, not made twice."""

    def __init__(self, size: int = SVG_CACHE):
        self.size, self.lock = size, threading.Lock()
        self.done: collections.OrderedDict = collections.OrderedDict()

    def get(self, inputs: tuple) -> bytes:
        return once((id(self), inputs), functools.partial(self._kept, inputs))

    def _kept(self, inputs: tuple) -> bytes:
        with self.lock:
            if inputs in self.done:
                self.done.move_to_end(inputs)
                return self.done[inputs]
        svg = _draw(inputs)
        with self.lock:
            self.done[inputs] = svg
            while len(self.done) > self.size:
                self.done.popitem(last=False)
        return svg


def _draw(inputs: tuple) -> bytes:
    from symbrnn.sheets.plot import norm_curves_svg

    facts = _facts(*inputs)
    return norm_curves_svg([{k: v for k, v in facts.items() if k != "trend"}])
