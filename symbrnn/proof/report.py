"""The outcome of a check, and the report of ``symbrnn verify``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Verification:
    """The outcome of one check."""

    quantity: str
    cell: str
    sizes: dict
    method: str
    equal: bool
    seconds: float
    detail: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        """The result without its timing, so that the same check gives the same JSON."""
        out = asdict(self)
        detail, _ = out.pop("detail"), out.pop("seconds")
        return out | detail

    def text(self) -> str:
        """One line: ✓ or ✗, the quantity, the cell, the sizes, the method and the time."""
        sizes = f"n={self.sizes['n']} d={self.sizes['d']}"
        mark = "✓" if self.equal else "✗"
        return f"{mark} {self.quantity:<24} {self.cell} {sizes}  {self.method:<7} {self.seconds:6.2f} s"

    def __repr__(self):
        return f"Verification({'equal' if self.equal else 'NOT equal'}: {self.quantity}, {self.cell}, {self.method})"

    def _repr_html_(self):
        from html import escape

        return f"<code>{escape(self.text())}</code>"


class Proofs(list):
    """``symbrnn verify``'s result: its checks (:class:`Verification`), as text and JSON."""

    def text(self) -> str:
        """The lines of ``symbrnn verify`` and the closing count."""
        passed = sum(r.equal for r in self)
        return "\n".join(
            [*(r.text() for r in self), f"{passed} passed, {len(self) - passed} failed"]
        )

    def as_json(self) -> list:
        return [r.as_json() for r in self]
