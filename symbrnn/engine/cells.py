"""The built-in cells, each one declaration of its equations (notation of the sheet).

W multiplies the previous state, U the input; biases are optional. Add a
cell by writing its step function the same way and wrapping it in
:class:`~symbrnn.engine.cell.Cell`: every command works on it, no calculus code needed.

>>> CELLS["rnn"].keras, CELLS["rnn"].options
('SimpleRNN', ('activation', 'bias'))
>>> make_cell("gru", reset_after=False).description
'GRU (reset_after=False)'
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib
import inspect
import runpy
import sys
from collections.abc import Callable
from pathlib import Path

from symbrnn.engine.activations import activation as lookup_activation
from symbrnn.engine.activations import sigmoid, tanh
from symbrnn.engine.cell import Cell
from symbrnn.errors import InputError

# The GRU variant of every command and of the SPEC unless told otherwise: the course's
# reset_after=False (standalone Keras <= 2.3, TF 1.x). tf.keras since TF 2.0, Keras 3 and
# PyTorch use reset_after=True.
RESET_AFTER = False


def simple_rnn(act=sigmoid, bias=True) -> Cell:
    """a_t = W h_{t-1} + U x_t + b, h_t = φ(a_t)."""

    def rnn(h_prev, x, W, U, b):
        a = W @ h_prev + U @ x + b
        h = act(a)
        return h

    return Cell("rnn", rnn, states=("h",), bias=bias, description=f"simple RNN ({act.name})")


def lemma(act=sigmoid) -> Cell:
    """u = φ(A v), the lemma of the sheet's II.1: one step, its input written v."""

    def lemma(u_prev, x, A):
        a = A @ x
        u = act(a)
        return u

    return Cell(
        "lemma",
        lemma,
        states=("u",),
        bias=False,
        description=f"u = {act.name}(A v)",
        notation={"v": "x"},
    )


def lstm(bias=True) -> Cell:
    """The LSTM of the sheet (section IV)."""

    def lstm(h_prev, c_prev, x, W_f, U_f, b_f, W_i, U_i, b_i, W_o, U_o, b_o, W_c, U_c, b_c):
        f = sigmoid(W_f @ h_prev + U_f @ x + b_f)
        i = sigmoid(W_i @ h_prev + U_i @ x + b_i)
        o = sigmoid(W_o @ h_prev + U_o @ x + b_o)
        c_tilde = tanh(W_c @ h_prev + U_c @ x + b_c)
        c = f * c_prev + i * c_tilde
        h = o * tanh(c)
        return h, c

    return Cell("lstm", lstm, states=("h", "c"), bias=bias, description="LSTM")


def gru(reset_after=RESET_AFTER, bias=True) -> Cell:
    """The GRU in both Keras conventions.

    ``reset_after=False`` (Keras 2, the sheet's counts) resets h_{t-1} before
    the recurrent product; ``reset_after=True`` (Keras 3, PyTorch) after it,
    with a second (recurrent) bias for every gate, as both frameworks store it.
    """
    if reset_after:

        def gru(h_prev, x, W_z, U_z, b_z, b_hz, W_r, U_r, b_r, b_hr, W_h, U_h, b_h, b_hh):
            z = sigmoid(W_z @ h_prev + b_hz + U_z @ x + b_z)
            r = sigmoid(W_r @ h_prev + b_hr + U_r @ x + b_r)
            h_tilde = tanh(U_h @ x + b_h + r * (W_h @ h_prev + b_hh))
            h = z * h_prev + (1 - z) * h_tilde
            return h

    else:
        # the same name, so that the appendix and the drawings call it gru; another signature
        def gru(h_prev, x, W_z, U_z, b_z, W_r, U_r, b_r, W_h, U_h, b_h):  # type: ignore[misc]
            z = sigmoid(W_z @ h_prev + U_z @ x + b_z)
            r = sigmoid(W_r @ h_prev + U_r @ x + b_r)
            h_tilde = tanh(W_h @ (r * h_prev) + U_h @ x + b_h)
            h = z * h_prev + (1 - z) * h_tilde
            return h

    label = f"reset_after={bool(reset_after)}"
    return Cell("gru", gru, states=("h",), bias=bias, description=f"GRU ({label})")


@dataclasses.dataclass(frozen=True)
class BuiltinCell:
    """A built-in cell's row: how it is built, the options it takes, and its names in the
    frameworks if it has any (what the CLI, a class CSV, the web page's menus and a sheet's
    ``check`` accept, and what counts and summaries call its layers; a cell no framework
    ships is counted as its parameters are declared, its layers named by its own name).

    >>> CELLS["gru"].options, CELLS["gru"].keras, CELLS["gru"].torch
    (('bias', 'reset_after'), 'GRU', 'GRU')
    """

    name: str
    build: Callable[..., Cell]
    options: tuple[str, ...] = ()  # of OPTIONS, the keyword arguments of ``build``
    keras: str | None = None  # the Keras layer class
    keras_layer: str | None = None  # the name Keras gives such a layer in a summary
    torch: str | None = None  # the torch.nn module
    spellings: tuple[str, ...] = ()  # other names a user may write (matched case-insensitively)

    def __call__(self, **options) -> Cell:
        return self.build(**options)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name this cell answers to, lower case."""
        names = (self.name, self.keras, self.keras_layer, *self.spellings)
        return tuple(dict.fromkeys(n.lower() for n in names if n))


# Every option a built-in cell may take, with its default (the course's).
OPTIONS: dict[str, object] = {"activation": None, "bias": True, "reset_after": RESET_AFTER}

CELLS: dict[str, BuiltinCell] = {
    c.name: c
    for c in (
        BuiltinCell(
            "rnn",
            lambda activation=None, bias=True: simple_rnn(
                lookup_activation(activation or "sigmoid"), bias=bias
            ),
            ("activation", "bias"),
            keras="SimpleRNN",
            keras_layer="simple_rnn",
            torch="RNN",
        ),
        BuiltinCell("lstm", lstm, ("bias",), keras="LSTM", keras_layer="lstm", torch="LSTM"),
        BuiltinCell(
            "gru", gru, ("bias", "reset_after"), keras="GRU", keras_layer="gru", torch="GRU"
        ),
    )
}
LEMMA = "lemma"  # II.1's u = σ(A v): a one-step map the checker judges, not a network's cell


def builtin(name: str) -> BuiltinCell | None:
    """The built-in cell a user's name means (``rnn``, ``SimpleRNN``, ``LSTM``…), or None.

    >>> builtin("SimpleRNN").name, builtin("Gru").name, builtin("elman")
    ('rnn', 'gru', None)
    """
    key = str(name).strip().lower()
    return next((c for c in CELLS.values() if key in c.names), None)


def takes(option: str) -> tuple[str, ...]:
    """The built-in cells that take ``option``.

    >>> takes("reset_after")
    ('gru',)
    """
    return tuple(c.name for c in CELLS.values() if option in c.options)


_YES, _NO = ("1", "true", "yes", "oui", "vrai"), ("0", "false", "no", "non", "faux")


def chosen_options(values, base: dict | None = None) -> dict:
    """The cell and its options (``cell`` and :data:`OPTIONS`) as a source of text or
    values gives them: a class CSV's row, a web request, a sheet's ``check``. A missing or
    empty value keeps ``base``'s (else the default); the result is :func:`make_cell`'s
    keywords and ``cell``.

    >>> chosen_options({"cell": " GRU ", "bias": "non", "reset_after": "true"})
    {'cell': 'gru', 'activation': None, 'bias': False, 'reset_after': True}
    """
    out = {"cell": "rnn", **OPTIONS, **(base or {})}
    for key in ("cell", *OPTIONS):
        raw = values.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        if isinstance(OPTIONS.get(key), bool):  # a switch: bias, reset_after
            out[key] = _yes_no(key, raw)
        elif not isinstance(raw, str) or len(raw) > 200:
            raise InputError.said("engine.error.not_name", key=key, got=repr(str(raw)[:40]))
        else:
            out[key] = raw.strip()
    kind = builtin(out["cell"])
    out["cell"] = kind.name if kind is not None else out["cell"]
    return out


def _yes_no(key: str, raw) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in _YES or word in _NO:
        return word in _YES
    raise InputError.said("engine.error.not_bool", key=key, got=repr(str(raw)[:40]))


def make_cell(
    name: str,
    *,
    activation: str | None = None,
    bias: bool = True,
    reset_after: bool | None = None,
    allow_files: bool = True,
) -> Cell:
    """The one registry of cells: a built-in cell by any of its names, or a user's
    ``FILE.py:NAME`` / ``module:NAME`` (which imports and runs that code;
    ``allow_files=False`` refuses it). An option the cell does not take (``activation``
    for the LSTM, ``reset_after`` for the simple RNN) is an error unless it has its
    default value.

    >>> make_cell("rnn", activation="tanh").description
    'simple RNN (tanh)'
    >>> make_cell("GRU").description
    'GRU (reset_after=False)'
    """
    given = {"activation": activation, "bias": bool(bias), "reset_after": reset_after}
    given = {k: v for k, v in given.items() if v is not None}
    if ":" in name:
        if not allow_files:
            raise InputError.said(
                "engine.error.builtin_only", cell=repr(name[:80]), cells=", ".join(CELLS)
            )
        _refuse_options(given, ("bias",), None)
        return load_cell(name, bias=bias)
    if str(name).strip().lower() == LEMMA:
        _refuse_options(given, ("activation", "bias"), "the lemma")  # it has no bias
        return _lemma(activation or "sigmoid")
    kind = builtin(name)
    if kind is None:
        raise InputError.said(
            "engine.error.unknown_cell", cell=repr(name[:80]), cells=", ".join(CELLS)
        )
    _refuse_options(given, kind.options, kind.name)
    return _builtin(kind.name, tuple((k, given.get(k, OPTIONS[k])) for k in kind.options))


def _refuse_options(given: dict, taken, what: str | None) -> None:
    """Refuse an option that ``what`` (a built-in cell's name; None: a user cell) does not take."""
    for option, value in given.items():
        if option not in taken and value != OPTIONS[option]:
            cells = ", ".join(takes(option))
            key = "engine.error.option" + ("" if cells else "_none") + ("" if what else "_user")
            raise InputError.said(key, option=option, cells=cells, cell=what)


@functools.cache
def _lemma(activation: str) -> Cell:
    return lemma(lookup_activation(activation))


@functools.cache
def _builtin(name: str, options: tuple) -> Cell:
    """A built-in cell, traced once per set of options and shared: the caches keyed by a
    cell (derivations, test points) then serve every command and request that asks for it."""
    return CELLS[name](**dict(options))


IMPORT_SECONDS = 30
_SENTINEL = "symbrnn: cell file imported"


def _preflight(where: str, spec: str) -> None:
    """Import the user's file once in a child process first: a file that exits, hangs or
    crashes the interpreter at import is reported in one line instead of ending symbrnn."""
    import subprocess

    child = (  # imports the file and traces the step function, as symbrnn will
        "import sys\n"
        "from symbrnn.engine.cells import _load_in_child\n"
        "_load_in_child(sys.argv[1])\n"
        f"print({_SENTINEL!r}, flush=True)\n"
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", child, spec],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=IMPORT_SECONDS,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise InputError.said(
            "engine.error.import_slow", cell=repr(spec), top=IMPORT_SECONDS
        ) from None
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        raise InputError.said("engine.error.load", cell=repr(spec), reason=last[:200])
    if not proc.stdout.rstrip().endswith(_SENTINEL):
        raise InputError.said("engine.error.load_exits", cell=repr(spec))


def _load_in_child(spec: str) -> None:
    """In the preflight child: load and trace the cell; an error is the last stderr line."""
    try:
        cell = load_cell(spec, preflight=False)
        cell.trace  # noqa: B018 (tracing runs the step function)
        cell.parameters  # noqa: B018
    except InputError as exc:
        print(str(exc).removeprefix(f"cannot load cell {spec!r}: "), file=sys.stderr)
        sys.exit(2)


def load_cell(spec: str, *, bias: bool = True, preflight: bool = True) -> Cell:
    """A user's cell: ``path/to/file.py:NAME`` or ``package.module:NAME``.

    This imports and runs the file's code (use files you trust). NAME is a
    :class:`Cell`, or a step function (states inferred from its ``*_prev``
    arguments; the first is the output h). What the file prints goes to stderr,
    so that ``--format json`` stays JSON; a file that exits or hangs at import is
    one line of error.
    """
    where, _, attr = spec.rpartition(":")
    if not where or not attr.isidentifier():
        raise InputError.said("engine.error.user_spec", got=repr(spec[:80]))
    if where.endswith(".py") and not Path(where).is_file():
        raise InputError.said("engine.error.no_file", path=where)
    if preflight:
        _preflight(where, spec)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            if where.endswith(".py"):
                names = runpy.run_path(where)
            else:
                names = vars(importlib.import_module(where))
    except SystemExit:
        raise InputError.said("engine.error.load_exits", cell=repr(spec)) from None
    except BaseException as exc:  # the user's file: report, never a traceback
        raise InputError.said(
            "engine.error.load", cell=repr(spec), reason=f"{type(exc).__name__}: {exc}"
        ) from None
    obj = names.get(attr)
    if obj is None:
        raise InputError.said("engine.error.no_attr", where=where, name=repr(attr))
    if isinstance(obj, Cell):
        return obj
    if callable(obj):
        arguments = list(inspect.signature(obj).parameters)
        states = tuple(a.removesuffix("_prev") for a in arguments if a.endswith("_prev"))
        return Cell(
            attr, obj, states=states or ("h",), bias=bias, description=f"{attr} (user cell)"
        )
    raise InputError.said("engine.error.not_cell", cell=repr(spec))
