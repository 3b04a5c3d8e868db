"""A weight matrix W and a state vector read from JSON, with clear errors: finite numbers,
W square and small (the exact eigen-analysis is for the small matrices of a course)."""

from __future__ import annotations

import numpy as np

from symbrnn.errors import InputError

MAX_SIZE = 8  # the exact (rational) eigen-analysis is for the small matrices of a course


def parse_vector(value, what: str) -> list[float]:
    """A list of finite numbers (an initial state), with clear errors."""
    if not isinstance(value, list) or not value or len(value) > MAX_SIZE:
        raise InputError.said("numeric.error.vector_size", what=what, top=MAX_SIZE)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        raise InputError.said("numeric.error.vector_numbers", what=what)
    out = [float(v) for v in value]
    if not all(np.isfinite(out)) or any(abs(v) > 1e6 for v in out):
        raise InputError.said("numeric.error.finite", what=what)
    return out


def parse_matrix(value) -> np.ndarray:
    """A square matrix of finite numbers from a JSON list of rows, with clear errors."""
    if isinstance(value, str):
        from symbrnn.io import parse_json

        value = parse_json(value, "⟨W⟩")
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, list) or not all(
        isinstance(row, list)
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in row)
        for row in value
    ):
        raise InputError.said("numeric.error.W_rows", got=str(value)[:60])
    if len(value) > MAX_SIZE:
        raise InputError.said("numeric.error.W_size", top=MAX_SIZE)
    try:
        with np.errstate(all="ignore"):
            W = np.array(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InputError.said("numeric.error.W_rows", got=str(value)[:60]) from None
    if W.size == 0:
        raise InputError.said("numeric.error.W_empty")
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise InputError.said("numeric.error.W_square", shape=str(W.shape))
    if not np.all(np.isfinite(W)) or np.max(np.abs(W)) > 1e6:
        raise InputError.said("numeric.error.finite", what="⟨W⟩")
    return W


__all__ = ["MAX_SIZE", "parse_matrix", "parse_vector"]
