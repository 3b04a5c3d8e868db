"""The names of the quantities people ask for, read once for every command.

``dL/dW``, ``∂L/∂W_f``, ``dh/dh``, ``dh_t/dh_k``, ``dh_3/dh_1``,
``\\frac{\\partial c_3}{\\partial c_2}``: a gradient of the loss by a parameter,
or a Jacobian of a state across steps, with concrete steps or not.

>>> parse_quantity("dh_3/dh_1")
Quantity(kind='jacobian', name='h', t=3, k=1)
>>> parse_quantity(r"\\frac{\\partial L}{\\partial W_{f}}")
Quantity(kind='gradient', name='W_f', t=None, k=None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from symbrnn.errors import InputError

MAX_T = 500  # the most steps any command unrolls (beyond: the symbolic form)
MAX_QUANTITY = 200  # characters of a quantity (dL/dW_f, dh_3/dh_1): a longer one is refused

_STEP = r"(?:_\{?(\d{1,6}|[tk])\}?)?"
_JACOBIAN = re.compile(rf"d([a-z]){_STEP}/d([a-z]){_STEP}")
_GRADIENT = re.compile(r"dL/d([A-Za-z](?:_\{?[A-Za-z0-9]{1,12}\}?)?)")
_FRAC = re.compile(r"\\frac\{(.+)\}\{(.+)\}")


@dataclass(frozen=True)
class Quantity:
    """``kind`` is 'gradient' (name: a parameter), 'jacobian' (name: a state) or 'input'
    (a state by the input of the same step, ∂u/∂v); for a Jacobian, ``t`` and ``k`` are
    the steps when given as numbers."""

    kind: str
    name: str
    t: int | None = None
    k: int | None = None
    wrt: str | None = field(default=None, repr=False)  # kind 'input': the input, ∂u/∂v

    @property
    def concrete(self) -> bool:
        return self.t is not None


class QuantityError(InputError):
    """A quantity that cannot be read; ``reason`` (unknown, order, steps) lets a caller say
    it in its own words."""

    @property
    def reason(self) -> str:
        return {"quantity.error.order": "order", "quantity.error.steps": "steps"}.get(
            self.key, "unknown"
        )


def parse_quantity(quantity: str, *, allow_input: bool = False) -> Quantity:
    """Read a quantity; an InputError says what is accepted. ``allow_input`` also reads
    ∂u/∂v, a state by the input of one step (what the checker judges for II.1)."""
    if len(quantity) > MAX_QUANTITY:
        raise QuantityError.said(
            "quantity.error.long", quantity=repr(quantity[:80]), top=MAX_QUANTITY
        )
    q = quantity.strip().strip("$").replace(" ", "").replace("∂", "d").replace(r"\partial", "d")
    m = _FRAC.fullmatch(q)
    if m:
        q = f"{m[1]}/{m[2]}"
    m = _GRADIENT.fullmatch(q)
    if m:
        return Quantity("gradient", m[1].replace("{", "").replace("}", ""))
    m = _JACOBIAN.fullmatch(q)
    if allow_input and m and m[1] != m[3] and m[2] == m[4] and (m[2] is None or m[2].isdigit()):
        # ∂u/∂v of one step: a state by the input (the lemma of II.1)
        step = int(m[2]) if m[2] else 1
        return Quantity("input", m[1], step, step, wrt=m[3])
    if m and m[1] == m[3]:
        t, k = m[2], m[4]
        if t is None or not t.isdigit() or k is None or not k.isdigit():
            return Quantity("jacobian", m[1])
        t, k = int(t), int(k)
        if k > t:
            raise QuantityError.said("quantity.error.order", quantity=repr(quantity), name=m[1])
        if t > MAX_T:
            raise QuantityError.said(
                "quantity.error.steps", quantity=repr(quantity), top=MAX_T, t=t
            )
        return Quantity("jacobian", m[1], t, k)
    raise QuantityError.said("quantity.error.unknown", quantity=repr(quantity[:80]))
