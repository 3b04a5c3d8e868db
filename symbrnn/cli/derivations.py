"""Commands that derive, prove and evaluate: expand, verify, evaluate, spectral."""

from __future__ import annotations

import click

from symbrnn.cli.emit import emit
from symbrnn.cli.options import (
    ActivationName,
    T_option,
    cell_options,
    format_option,
    lang_option,
    output_option,
    whole_option,
    wrote,
)
from symbrnn.engine.cells import make_cell
from symbrnn.errors import InputError
from symbrnn.io import check_output_path, parse_json, read_text
from symbrnn.words import Msg, say


@click.command(short_help="Expand ∂L/∂W or a Jacobian over T steps, from the equations.")
@cell_options
@click.option(
    "--T",
    "T",
    default="3",
    callback=T_option,
    metavar="N|T",
    help="Number of steps, or T for the symbolic form with Σ and Π.",
)
@click.option(
    "--quantity",
    "-q",
    default="dL/dW",
    help="dL/d<parameter> (dL/dW, dL/dU, dL/db, dL/dW_f...), dh/dh or dc/dc.",
)
@click.option(
    "--state", help="For dL/d...: the state the chain goes through (c for the LSTM's IV.2)."
)
@click.option(
    "--paths",
    type=click.Choice(["all", "direct"]),
    default="all",
    help="all: every path; direct: only through the state itself (forget-gate path).",
)
@format_option("text", "json", "latex")
@output_option
def expand(cell_name, activation, bias, reset_after, T, quantity, state, paths, fmt, output):
    """Expand ∂L/∂W (or a Jacobian) over T steps, derived from the cell's equations.

    Prints the general form Σ_t Σ_k ∂L_t/∂h_t ∂h_t/∂h_k ∂⁺h_k/∂W, the ordered
    products of the one-step Jacobian and their collapsed powers
    [Diag(σ')W]^(t−k), then one term per pair 1 ≤ k ≤ t ≤ T.

    \b
    Examples:
      symbrnn expand --T 3
      symbrnn expand --T T --format latex
      symbrnn expand --cell lstm --quantity dc/dc --paths direct --T 3
      symbrnn expand --cell lstm --quantity dL/dW_f --state c --paths direct
      symbrnn expand --cell gru --quantity dh/dh --T 2 --format json
    """
    from symbrnn.engine.derived import expand as derive

    cell = make_cell(cell_name, activation=activation, bias=bias, reset_after=reset_after)
    # written as the rows are derived: memory stays flat in T
    emit(derive(cell, quantity, T, state=state, paths=paths), fmt, output=output)
    return 0


@click.command(short_help="Evaluate L, ∂L/∂P and the Jacobians at numbers.")
@click.argument("spec", metavar="SPEC.json")
@format_option("json", "text")
@output_option
def evaluate(spec, fmt, output):
    """Evaluate L, ∂L/∂P and the Jacobians at numbers, from the derived formulas.

    SPEC (a JSON file, '-' for stdin) gives the cell (rnn, lstm, gru with
    reset_after=False unless "reset_after": true), the sizes n, d, T, the
    weights (W, U for rnn; W_f, U_f, ... for lstm; W_z, ... for gru; biases
    optional, all or none), x (T rows of d), y (T rows of n), h0 (and c0),
    and optionally loss_steps (1-based) and activation (rnn). Limits: n ≤ 32,
    d ≤ 64, T ≤ 60 (T ≤ 25 for lstm and gru); unknown keys are an error.
    L = Σ_t ½‖h_t − y_t‖² over loss_steps. SPEC may also be the JSON of
    `symbrnn sheet SHEET --variant-seed N --format json`: its numeric example
    is evaluated at that variant's activation and T.

    \b
    Examples:
      symbrnn evaluate examples/spec.json
      symbrnn sheet td5 --variant-seed 7 --format json | symbrnn evaluate -
    """
    from symbrnn.sheets.evaluation import evaluate as evaluated

    result = evaluated(parse_json(read_text(spec), f"SPEC {spec}"))
    emit(result, fmt, output=output)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    return 0


@click.command(short_help="Prove the derived formulas against element-level brute force.")
@cell_options
@whole_option("--T", "T", top=20, default=3, help="Steps of the unrolled network (at most 20).")
@whole_option("--n", top=4, default=2, help="Hidden size of the element-level instance.")
@whole_option("--d", top=4, default=1, help="Input size of the element-level instance.")
@click.option(
    "--method",
    type=click.Choice(["auto", "exact", "random", "naive"]),
    default="auto",
    help="exact: expand both sides; random: exact arithmetic at random points "
    "(polynomial in T); naive: inline and sympy.diff (the slow baseline). exact and naive "
    "grow as n^T: they accept n^T ≤ 64 (simple cells) or T, n ≤ 2 (gated cells).",
)
@click.option(
    "--numeric/--no-numeric",
    default=True,
    help="Also compare every gradient, at random numbers, with central finite differences.",
)
@format_option("text", "json")
@lang_option("The language of the notes and errors on the terminal (default en).")
def verify(cell_name, activation, bias, reset_after, T, n, d, method, numeric, fmt, lang):
    """Prove the derived Jacobians and gradients against element-level brute force.

    For every state s and 1 ≤ k ≤ T: ∂s_T/∂s_k (both paths for the LSTM's c),
    and ∂L/∂P for every parameter P (L = Σ_t ½‖h_t − y_t‖²); then, with
    --numeric (default), every ∂L/∂P evaluated at random numbers (n=3, d=2)
    against central finite differences. Exits 1 if any check fails.

    \b
    Examples:
      symbrnn verify --T 4
      symbrnn verify --cell lstm --T 3 --format json
      symbrnn verify --activation phi --T 8 --method random
    """
    from symbrnn.proof.verify import run_all

    cell = make_cell(cell_name, activation=activation, bias=bias, reset_after=reset_after)
    if method in ("exact", "naive"):
        _check_expansion_size(cell, method, T, n)
    results = run_all(cell, T=T, n=n, d=d, method=method, numeric=numeric)
    emit(results, fmt)
    generic = [n.fn.text for n in cell.trace.nodes if n.fn is not None and not n.fn.bounded]
    if numeric and generic:  # said, never silently left out
        note = say("cli.no_numbers", lang or "en", function=generic[0])
        click.echo(say("cli.note", lang or "en", note=note), err=True)
    return 0 if all(r.equal for r in results) else 1


def _check_expansion_size(cell, method: str, T: int, n: int) -> None:
    """--method exact and naive expand about n^T terms per entry: refuse the sizes that do
    not finish within a minute here (auto and random have no such limit)."""
    from symbrnn.engine.derive import Derivation

    D = Derivation.of(cell)
    small = len(D.states) == 1 and len(D.trace.nodes) < 12
    if small and n**T <= 64:
        return
    if not small and T <= 2 and n <= 2:
        return
    bound = Msg.of("cli.error.bound_small" if small else "cli.error.bound_gated")
    raise InputError.said("cli.error.expansion", method=method, n=n, T=T, bound=bound)


@click.command(short_help="Why gradients vanish or explode: spectra and norm curves.")
@click.option(
    "--W",
    "matrices",
    multiple=True,
    required=True,
    metavar="JSON",
    help="The recurrent matrix as JSON rows; repeat for several curves.",
)
@click.option("--activation", default="sigmoid", type=ActivationName(bounded=True))
@whole_option("--T", "T", top=10000, default=50, help="Curve ‖∂h_T/∂h_1‖₂ for T = 1..N.")
@click.option("--h0", metavar="JSON", help="Initial state (default 0).")
@click.option(
    "--inputs",
    type=click.Choice(["none", "random"]),
    default="none",
    help="No input, or standard normal inputs x_t (with U = I).",
)
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0)
@click.option(
    "--plot",
    "plot_file",
    metavar="FILE.png|FILE.pdf",
    help="Draw the curves on a log scale with the Pascanu bound.",
)
@format_option("text", "json")
def spectral(matrices, activation, T, h0, inputs, seed, plot_file, fmt):
    """Why gradients vanish or explode: eigenvalues, singular values, curves.

    For each W: eigenvalues, spectral radius ρ, singular values, γ = sup|σ'|,
    diagonalizable or not (Jordan form and Jⁿ otherwise), the verdict of
    Pascanu et al. (2013) — λ₁ = σ_max(W) < 1/γ suffices for vanishing,
    λ₁ > 1/γ is necessary for exploding — and the curve ‖∂h_T/∂h_1‖₂ computed
    from the derived Jacobian along the trajectory (h_0 = 0, no input).

    \b
    Examples:
      symbrnn spectral --W '[[0.5, 10], [0, 0.5]]' --activation sigmoid --T 50
      symbrnn spectral --W '[[3, 0], [0, 3]]' --W '[[5, 0], [0, 5]]' --plot curves.png
      symbrnn spectral --W '[[1.2, 0.3], [0, 0.9]]' --activation tanh --format json
    """
    from symbrnn.numeric.spectral import spectra
    from symbrnn.numeric.weights import parse_matrix, parse_vector

    if plot_file:
        if not plot_file.lower().endswith((".png", ".pdf", ".svg")):
            raise InputError.said("cli.error.plot_name", got=repr(plot_file))
        check_output_path(plot_file)
    if len(matrices) > 12:
        raise InputError.said("cli.error.many_W", top=12)
    initial = None if h0 is None else parse_vector(parse_json(h0, "--h0"), "--h0")
    Ws = [parse_matrix(raw) for raw in matrices]
    reports = spectra(Ws, activation, T, h0=initial, inputs=inputs, seed=seed)
    if plot_file:
        from symbrnn.sheets.plot import plot_norm_curves

        plot_norm_curves(reports, plot_file)
        wrote(plot_file)
    emit(reports, fmt)
    return 0
