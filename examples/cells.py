"""Cells declared by a user: one step function each, no calculus code.

Use them from the command line with ``--cell examples/cells.py:NAME``:

    symbrnn expand --cell examples/cells.py:mgu --quantity dh/dh --T 2
    symbrnn verify --cell examples/cells.py:peephole_lstm --T 3
"""

from symbrnn import Cell, sigmoid, tanh


def mgu(h_prev, x, W_f, U_f, b_f, W_h, U_h, b_h):
    """Minimal gated unit (Zhou et al., 2016): one forget gate drives the update."""
    f = sigmoid(W_f @ h_prev + U_f @ x + b_f)
    h_tilde = tanh(W_h @ (f * h_prev) + U_h @ x + b_h)
    h = (1 - f) * h_prev + f * h_tilde
    return h


def _peephole(h_prev, c_prev, x, W_f, U_f, P_f, W_i, U_i, P_i, W_o, U_o, P_o, W_c, U_c):
    f = sigmoid(W_f @ h_prev + U_f @ x + P_f * c_prev)
    i = sigmoid(W_i @ h_prev + U_i @ x + P_i * c_prev)
    c_tilde = tanh(W_c @ h_prev + U_c @ x)
    c = f * c_prev + i * c_tilde
    o = sigmoid(W_o @ h_prev + U_o @ x + P_o * c)
    h = o * tanh(c)
    return h, c


peephole_lstm = Cell(
    "peephole_lstm", _peephole, states=("h", "c"), description="LSTM with peepholes"
)
