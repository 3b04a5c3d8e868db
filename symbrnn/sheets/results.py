"""The results an answer sheet can cite, each computed by the engine at the sheet's sizes.

A sheet (a TOML file in ``derivations/``) names the results its answers
use; each producer here returns a typed result (a frozen dataclass whose
fields are the ``r.<result>.<field>`` names a template may use) of LaTeX
fragments and numbers derived from the declarations — never typed in.

>>> import dataclasses
>>> [f.name for f in dataclasses.fields(RESULT_TYPES["bptt"])]
['general', 'collapsed', 'step', 'product', 'matrix', 'chain', 'recursion', 'unrolled', 'element']
"""

from __future__ import annotations

from symbrnn.errors import InputError
from symbrnn.sheets import results_course, results_gradients  # the modules register producers
from symbrnn.sheets.producers import PRODUCERS, RESULT_TYPES, producer

__all__ = [
    "PRODUCERS",
    "RESULT_TYPES",
    "compute",
    "producer",
    "results_course",
    "results_gradients",
]


def compute(names, sizes, where: str = "sheet") -> dict:
    """Run the producers a sheet asks for; a size they need and do not find is one line."""
    out = {}
    for name in names:
        try:
            out[name] = PRODUCERS[name](sizes)
        except KeyError as exc:
            raise InputError(
                f"{where}: result {name!r} needs sizes.{exc.args[0]} in [sizes]"
            ) from None
        except (TypeError, ValueError, IndexError) as exc:
            raise InputError(f"{where}: result {name!r} cannot use these [sizes]: {exc}") from None
        except InputError as exc:
            raise InputError(f"{where}: result {name!r}: {exc}") from None
    return out
