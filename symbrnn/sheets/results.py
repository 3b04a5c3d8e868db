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
from symbrnn.sheets import (  # noqa: F401 (the modules register their producers)
    results_advice,
    results_course,
    results_gradients,
    results_lstm,
    results_scripts,
    results_vanishing,
)
from symbrnn.sheets.producers import PRODUCERS, RESULT_TYPES, producer  # noqa: F401


class _Reads(dict):
    """The sizes a producer is given, noting which ones it reads."""

    def __init__(self, data):
        super().__init__(data)
        self.read: set = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


_SHARED: dict = {}  # producer → [(the sizes it read and their values, its result)]
_SHARED_PER_PRODUCER = 64


def _shared(name, sizes):
    """A producer's result, computed once for every variant that gives the sizes it reads
    the same values (a class's 200 sheets share their derivations by cell, φ and T)."""
    for reads, result in _SHARED.get(name, ()):
        if all(k in sizes and repr(sizes[k]) == v for k, v in reads):
            return result
    recorder = _Reads(sizes)
    result = PRODUCERS[name](recorder)
    reads = tuple(sorted((k, repr(sizes[k])) for k in recorder.read if k in sizes))
    if len(reads) == len(recorder.read):  # a missing size is never cached
        entries = _SHARED.setdefault(name, [])
        entries.insert(0, (reads, result))
        del entries[_SHARED_PER_PRODUCER:]
    return result


def compute(names, sizes, where="sheet") -> dict:
    """Run the producers a sheet asks for; a size they need and do not find is one line."""
    out = {}
    for name in names:
        try:
            out[name] = _shared(name, sizes)
        except KeyError as exc:
            key, reason = "sheet.error.result_size", str(exc.args[0])
        except (TypeError, ValueError, IndexError) as exc:
            key, reason = "sheet.error.result_sizes", str(exc)
        except InputError as exc:
            key, reason = "sheet.error.result", exc.phrase()
        else:
            continue
        raise InputError.said(key, where=where, name=repr(name), reason=reason)
    return out
