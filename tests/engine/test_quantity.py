import pytest

from symbrnn.engine.quantity import MAX_T, Quantity, parse_quantity
from symbrnn.errors import InputError


@pytest.mark.parametrize(
    ("quantity", "parsed"),
    [
        ("dL/dW", Quantity("gradient", "W")),
        ("dL/dW_f", Quantity("gradient", "W_f")),
        ("∂L/∂U", Quantity("gradient", "U")),
        (r"\frac{\partial L}{\partial W_{f}}", Quantity("gradient", "W_f")),
        ("dh/dh", Quantity("jacobian", "h")),
        ("dc_t/dc_k", Quantity("jacobian", "c")),
        ("dh_3/dh_1", Quantity("jacobian", "h", 3, 1)),
        ("dh_{12}/dh_{2}", Quantity("jacobian", "h", 12, 2)),
        (r"\frac{\partial c_3}{\partial c_2}", Quantity("jacobian", "c", 3, 2)),
        (" $∂h_3 / ∂h_3$ ", Quantity("jacobian", "h", 3, 3)),
    ],
)
def test_quantities_are_read_once_for_every_command(quantity, parsed):
    assert parse_quantity(quantity) == parsed


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("dh_1/dh_3", r"needs k ≤ t"),
        (f"dh_{MAX_T + 1}/dh_1", rf"at most {MAX_T} steps"),
        ("dh_1000000000/dh_1", r"^unknown quantity"),
        ("dh/dc", r"^unknown quantity"),
        ("x" * 5000, r"^unknown quantity '(x{80})'"),
    ],
)
def test_bad_quantities_are_one_line(quantity, message):
    with pytest.raises(InputError, match=message):
        parse_quantity(quantity)
