"""The key's common mistakes carry numbers computed as each mistake computes them."""

import numpy as np
import pytest

from symbrnn.sheets import results  # noqa: F401  (registers every producer)
from symbrnn.sheets.producers import PRODUCERS
from symbrnn.sheets.render import render_sheet
from symbrnn.sheets.spec import load_sheet, variant_sizes


@pytest.mark.parametrize("seed", [0, 2, 3])
def test_the_dense_head_counted_at_every_step(seed):
    sizes = variant_sizes(load_sheet("td5"), seed) | {"lang": "en"}
    r = PRODUCERS["mistakes"](sizes)
    K, n2, T = sizes["classes"], sizes["units"][1], sizes["timesteps"]
    assert int(r.dense.replace("{,}", "")) == K * n2 + K
    assert int(r.dense_every_step.replace("{,}", "")) == T * (K * n2 + K)


def _norm_curve_by_hand(W, T):
    """‖∂h_T/∂h_1‖₂ of h_t = tanh(W h_{t−1}) from h_0 = 0 with no input: W^{T−1} at h = 0."""
    W = np.array(W, dtype=float)
    return [np.linalg.norm(np.linalg.matrix_power(W, t - 1), 2) for t in range(1, T + 1)]


def test_rho_below_one_alone_names_the_transient_growth_of_the_non_normal_matrix():
    sizes = variant_sizes(load_sheet("td5"), 0) | {"lang": "en"}
    r = PRODUCERS["spectral"](sizes)
    t = r.transient
    W = next(
        W
        for W in sizes["spectral_examples"]
        if np.max(abs(np.linalg.eigvals(W))) < 1
        and not np.allclose(np.array(W) @ np.array(W).T, np.array(W).T @ np.array(W))
    )
    curve = _norm_curve_by_hand(W, sizes["spectral_T"])
    assert t["peak_T"] == 1 + int(np.argmax(curve))
    assert float(t["peak"]) == pytest.approx(max(curve), rel=5e-3)
    assert t["activation"] == r"\tanh" and float(t["rho"]) < 1 < float(t["smax"])
    tex = render_sheet("td5", lang="en")
    assert "from $\\rho(W) < 1$ alone" in tex and t["peak"] in tex
