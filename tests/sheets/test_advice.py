"""III.4's remedies follow from the key's own bound γ s₁(W), for every activation."""

import copy

import numpy as np
import pytest

from symbrnn.engine.activations import ACTIVATIONS, bounded_activations
from symbrnn.sheets.render import render_sheet
from symbrnn.sheets.results_advice import advice
from symbrnn.sheets.spec import SheetSpec, load_sheet


def _largest_derivative(name: str) -> float:
    """max |φ'| on a fine grid, by the row's NumPy derivative (not its γ)."""
    z = np.linspace(-12, 12, 48001)
    return float(np.max(np.abs(np.asarray(ACTIVATIONS[name].numpy_derivative(z), dtype=float))))


def _orthogonal_bound(name: str) -> float:
    """γ s₁(Q) for a random orthogonal Q, γ measured on the grid."""
    q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(6, 6)))
    return _largest_derivative(name) * np.linalg.svd(q, compute_uv=False)[0]


@pytest.mark.parametrize("name", bounded_activations())
def test_each_remedy_holds_against_the_bound(name):
    a = advice({"activation": name})
    bound = _orthogonal_bound(name)
    keeps = bool(abs(bound - 1) < 1e-6)
    assert a["orthogonal_keeps"] is keeps  # orthogonal/identity init only where γ s₁ = 1
    assert a["gates_needed"] is bool(bound < 1 - 1e-6)  # gates (or another φ) where it vanishes
    for other in a["alternatives"]:  # another activation: one whose γ s₁(Q) is 1
        other_name = next(n for n in bounded_activations() if ACTIVATIONS[n].latex == other)
        assert abs(_orthogonal_bound(other_name) - 1) < 1e-6


def _remedies(tex: str) -> str:
    start = tex.index("Remèdes") if "Remèdes" in tex else tex.index("Remedies")
    return tex[start : tex.index(r"\end{itemize}", start)]


@pytest.mark.parametrize("name", bounded_activations())
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_key_advises_by_its_activation(name, lang):
    spec = load_sheet("td5")
    data = copy.deepcopy(spec.data)
    data["sizes"]["activation"] = name
    text = _remedies(render_sheet(SheetSpec(spec.name, data), lang=lang))
    vanishing = text[text.index(r"\item", text.index(r"\item") + 1) :]
    truncation = text[: text.index(r"\item", text.index(r"\item") + 1)]
    # truncation is listed under cost and exploding, and gives up long dependencies
    assert ("ne combat pas l'évanouissement" if lang == "fr" else "does not fight vanishing") in (
        truncation
    )
    if advice({"activation": name})["orthogonal_keeps"]:
        assert "ne suffit pas" not in vanishing and "not enough" not in vanishing
        assert r"\gamma\, s_1(W) = 1" in vanishing
    else:
        assert ("ne suffit pas" if lang == "fr" else "not enough") in vanishing
        assert "LSTM" in vanishing and "GRU" in vanishing
