"""The ``symbrnn`` command line: a thin layer over the library.

Each command's docstring is its help. Library errors become one line on
stderr with exit code 2 (bad input) or 1 (failed derivation). Heavy modules
are imported inside the commands that need them.
"""

from __future__ import annotations

import json
import sys

import click

from symbrnn.errors import InputError, SymbrnnError

FORMATS = click.Choice(["text", "json", "latex"])


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="symbrnn")
def cli():
    """symbrnn: symbolic derivations for recurrent networks (RNN, LSTM, GRU).

    Every formula is derived from a cell's equations by the chain rule, then
    checked against brute force.

    \b
    Examples:
      symbrnn params --cell lstm --timesteps 12 --features 72 --units 100,100 --classes 8
      symbrnn params --explain summary.txt
      symbrnn expand --T 3
    """


def _units(ctx, param, value):
    try:
        units = [int(u) for u in value.split(",") if u.strip()]
    except ValueError:
        raise click.BadParameter(
            f"expected sizes separated by commas, e.g. 100,100; got {value!r}"
        ) from None
    if not units or any(u <= 0 for u in units):
        raise click.BadParameter(f"expected positive sizes separated by commas; got {value!r}")
    return units


def _positive(ctx, param, value):
    if value is not None and value <= 0:
        raise click.BadParameter(f"must be a positive integer, got {value}")
    return value


@cli.command()
@click.option("--cell", type=click.Choice(["rnn", "lstm", "gru"]), default="rnn", show_default=True)
@click.option(
    "--timesteps",
    type=int,
    default=12,
    show_default=True,
    callback=_positive,
    help="Sequence length (shown in output shapes).",
)
@click.option(
    "--features",
    type=int,
    default=72,
    show_default=True,
    callback=_positive,
    help="Input dimension d.",
)
@click.option(
    "--units",
    default="100,100",
    show_default=True,
    callback=_units,
    help="One recurrent layer per size; all but the last return sequences.",
)
@click.option(
    "--classes",
    type=int,
    default=None,
    callback=_positive,
    help="Add a Dense head with this many outputs.",
)
@click.option(
    "--convention", type=click.Choice(["keras", "pytorch"]), default="keras", show_default=True
)
@click.option(
    "--reset-after/--no-reset-after",
    default=True,
    show_default=True,
    help="GRU variant (Keras only): Keras 3 resets after the recurrent product.",
)
@click.option("--bidirectional", is_flag=True, help="Wrap each recurrent layer in Bidirectional.")
@click.option(
    "--explain",
    "explain",
    metavar="FILE",
    help="Explain a pasted model summary instead ('-' reads stdin).",
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
def params(
    cell,
    timesteps,
    features,
    units,
    classes,
    convention,
    reset_after,
    bidirectional,
    explain,
    fmt,
    output,
):
    """Explain where every parameter of a stacked recurrent model comes from.

    Builds the model from the options and prints a Keras-style summary with,
    for each layer, the formula of its count and its weights as the framework
    stores them. With --explain, reads a summary (markdown table, Keras 2 or
    Keras 3 summary()) and says which convention produces each row; exits 1
    when a row is not explained.

    \b
    Examples:
      symbrnn params --cell gru --no-reset-after --units 100,100 --classes 8
      symbrnn params --cell lstm --convention pytorch --units 64 --format json
      pbpaste | symbrnn params --explain -
    """
    from symbrnn.counts import report as report

    if explain:
        from symbrnn.counts.summary import explain_summary
        from symbrnn.io import read_text

        text = read_text(explain)
        explanations = explain_summary(text)
        if fmt == "json":
            out = json.dumps(report.explain_json(explanations, text), indent=2, ensure_ascii=False)
        elif fmt == "latex":
            out = report.explain_latex(explanations, text)
        else:
            out = report.explain_text(explanations, text)
        _emit(out, output)
        info = report.explain_json(explanations, text)
        return 1 if info["flagged"] or not info["total_matches"] else 0

    from symbrnn.counts.params import build_model

    model = build_model(
        cell,
        timesteps=timesteps,
        features=features,
        units=units,
        classes=classes,
        convention=convention,
        reset_after=reset_after,
        bidirectional=bidirectional,
    )
    if fmt == "json":
        out = json.dumps(report.model_json(model), indent=2, ensure_ascii=False)
    elif fmt == "latex":
        out = report.model_latex(model)
    else:
        out = report.model_text(model)
    _emit(out, output)
    return 0


def cell_options(f):
    """The options that choose a cell, shared by the derivation commands."""
    options = [
        click.option(
            "--cell",
            "cell_name",
            default="rnn",
            show_default=True,
            metavar="CELL",
            help="rnn, lstm, gru, or your own as FILE.py:NAME or module:NAME.",
        ),
        click.option(
            "--activation",
            default="sigmoid",
            show_default=True,
            type=click.Choice(["sigmoid", "tanh", "relu", "identity", "phi"]),
            help="Activation of the simple RNN (phi: generic, φ' stays symbolic).",
        ),
        click.option(
            "--bias/--no-bias",
            default=True,
            show_default=True,
            help="Include the biases of the cell.",
        ),
        click.option(
            "--reset-after/--no-reset-after",
            default=False,
            show_default=True,
            help="GRU variant; the sheet's GRU is --no-reset-after.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _cell(cell_name, activation, bias, reset_after):
    from symbrnn.engine.cells import make_cell

    return make_cell(cell_name, activation=activation, bias=bias, reset_after=reset_after)


def _T(ctx, param, value):
    if value is None:
        return None
    if value.strip() == "T":
        from sympy import Symbol

        return Symbol("T", integer=True, positive=True)
    try:
        T = int(value)
    except ValueError:
        raise click.BadParameter(
            f"expected a positive integer or the letter T, got {value!r}"
        ) from None
    if T <= 0:
        raise click.BadParameter(
            f"must be a positive integer (or T for the symbolic form), got {T}"
        )
    return T


@cli.command()
@cell_options
@click.option(
    "--T",
    "T",
    default="3",
    show_default=True,
    callback=_T,
    metavar="N|T",
    help="Number of steps, or T for the symbolic form with Σ and Π.",
)
@click.option(
    "--quantity",
    "-q",
    default="dL/dW",
    show_default=True,
    help="dL/d<parameter> (dL/dW, dL/dU, dL/db, dL/dW_f...), dh/dh or dc/dc.",
)
@click.option(
    "--state",
    default=None,
    help="For dL/d...: the state the chain goes through (c for the LSTM's IV.2).",
)
@click.option(
    "--paths",
    type=click.Choice(["all", "direct"]),
    default="all",
    show_default=True,
    help="all: every path; direct: only through the state itself (forget-gate path).",
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
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
    from symbrnn.engine.derive import Derivation
    from symbrnn.engine.expand import expand_gradient, expand_jacobian, parse_quantity
    from symbrnn.printing import expansion as report

    cell = _cell(cell_name, activation, bias, reset_after)
    kind, name = parse_quantity(quantity)
    if kind == "gradient":
        exp = expand_gradient(cell, name, T, state=state, paths=paths)
    else:
        exp = expand_jacobian(cell, name, T, paths=paths)
    params = Derivation(cell).params
    if fmt == "json":
        out = json.dumps(report.expansion_json(exp, params), indent=2, ensure_ascii=False)
    elif fmt == "latex":
        out = report.expansion_latex(exp, params)
    else:
        out = report.expansion_text(exp, cell, params)
    _emit(out, output)
    return 0


@cli.command()
@click.argument("spec", metavar="SPEC.json")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
def evaluate(spec, fmt, output):
    """Evaluate L, ∂L/∂P and the Jacobians at numbers, from the derived formulas.

    SPEC (a JSON file, '-' for stdin) gives the cell (rnn, lstm, gru with
    reset_after=False unless "reset_after": true), the sizes n, d, T, the
    weights (W, U for rnn; W_f, U_f, ... for lstm; W_z, ... for gru; biases
    optional, all or none), x (T rows of d), y (T rows of n), h0 (and c0),
    and optionally loss_steps (1-based) and activation (rnn).
    L = Σ_t ½‖h_t − y_t‖² over loss_steps.

    \b
    Example:
      echo '{"cell": "rnn", "n": 1, "d": 1, "T": 2, "W": [[0.5]], "U": [[1]],
             "x": [[1], [0]], "y": [[0], [0]], "h0": [0]}' | symbrnn evaluate -
    """
    from symbrnn.io import read_text
    from symbrnn.numeric.evaluate import evaluate_spec

    raw = read_text(spec)
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{spec}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    result = evaluate_spec(data)
    if fmt == "json":
        out = json.dumps(result, indent=2)
    else:
        lines = [f"L = {result['L']:.10g}"]
        for name, g in result["grad"].items():
            lines.append(f"∂L/∂{name} = {g}")
        out = "\n".join(lines)
    _emit(out, output)
    return 0


@cli.command()
@cell_options
@click.option(
    "--T",
    "T",
    type=int,
    default=3,
    show_default=True,
    callback=_positive,
    help="Steps of the unrolled network.",
)
@click.option(
    "--n",
    "n",
    type=int,
    default=2,
    show_default=True,
    callback=_positive,
    help="Hidden size of the element-level instance.",
)
@click.option(
    "--d",
    "d",
    type=int,
    default=1,
    show_default=True,
    callback=_positive,
    help="Input size of the element-level instance.",
)
@click.option(
    "--method",
    type=click.Choice(["auto", "exact", "random", "naive"]),
    default="auto",
    show_default=True,
    help="exact: expand both sides; random: exact arithmetic at random points "
    "(polynomial in T); naive: inline and sympy.diff (the slow baseline).",
)
@click.option(
    "--numeric/--no-numeric",
    default=True,
    show_default=True,
    help="Also compare every gradient, at random numbers, with central finite differences.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def verify(cell_name, activation, bias, reset_after, T, n, d, method, numeric, fmt):
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

    cell = _cell(cell_name, activation, bias, reset_after)
    results = run_all(cell, T=T, n=n, d=d, method=method, numeric=numeric)
    if fmt == "json":
        out = json.dumps([r.as_json() for r in results], indent=2, ensure_ascii=False)
    else:
        lines = [
            f"{'✓' if r.equal else '✗'} {r.quantity:<24} {r.cell} n={r.sizes['n']} d={r.sizes['d']}  "
            f"{r.method:<7} {r.seconds:6.2f} s"
            for r in results
        ]
        passed = sum(r.equal for r in results)
        lines.append(f"{passed} passed, {len(results) - passed} failed")
        out = "\n".join(lines)
    _emit(out, None)
    return 0 if all(r.equal for r in results) else 1


@cli.command()
@click.option(
    "--W",
    "matrices",
    multiple=True,
    required=True,
    metavar="JSON",
    help="The recurrent matrix as JSON rows; repeat for several curves.",
)
@click.option(
    "--activation",
    default="sigmoid",
    show_default=True,
    type=click.Choice(["sigmoid", "tanh", "relu", "identity"]),
)
@click.option(
    "--T",
    "T",
    type=int,
    default=50,
    show_default=True,
    callback=_positive,
    help="Curve ‖∂h_T/∂h_1‖₂ for T = 1..N.",
)
@click.option("--h0", default=None, metavar="JSON", help="Initial state (default 0).")
@click.option(
    "--inputs",
    type=click.Choice(["none", "random"]),
    default="none",
    show_default=True,
    help="No input, or standard normal inputs x_t (with U = I).",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--plot",
    "plot_file",
    metavar="FILE.png|FILE.pdf",
    help="Draw the curves on a log scale with the Pascanu bound.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
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
    from symbrnn.numeric.spectral import analyse, norm_curve, parse_matrix

    if plot_file and not plot_file.lower().endswith((".png", ".pdf", ".svg")):
        raise InputError(f"--plot needs a .png, .pdf or .svg file name, got {plot_file!r}")
    initial = None
    if h0 is not None:
        try:
            initial = json.loads(h0)
        except json.JSONDecodeError as exc:
            raise InputError(f"--h0 is not valid JSON: {exc.msg}") from None
    reports = []
    for raw in matrices:
        W = parse_matrix(raw)
        if initial is not None and len(initial) != W.shape[0]:
            raise InputError(f"--h0 has {len(initial)} entries, W is {W.shape[0]}×{W.shape[0]}")
        info = analyse(W, activation)
        info["W"] = W.tolist()
        info["norms"] = norm_curve(W, activation, T, h0=initial, inputs=inputs, seed=seed)
        reports.append(info)
    if plot_file:
        from symbrnn.sheets.plot import plot_norm_curves

        plot_norm_curves(reports, plot_file)
    if fmt == "json":
        out = json.dumps(reports[0] if len(reports) == 1 else reports, indent=2, ensure_ascii=False)
    else:
        from symbrnn.numeric.spectral import report_text

        out = "\n\n".join(report_text(r) for r in reports)
    _emit(out, None)
    return 0


@cli.command()
@click.argument("name", default="td5", metavar="SHEET")
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Language (default: the sheet's own, French for td5).",
)
@click.option(
    "-o", "--output", metavar="FILE.tex", help="Where to write the LaTeX (default: SHEET.tex)."
)
@click.option("--pdf", is_flag=True, help="Also compile FILE.pdf with latexmk (TeX Live).")
@click.option("--no-answers", is_flag=True, help="Write the questions alone.")
@click.option(
    "--variant-seed",
    type=int,
    default=None,
    metavar="N",
    help="Draw other sizes (features, units, classes, T, activation) for a variant.",
)
def sheet(name, lang, output, pdf, no_answers, variant_seed):
    """Write the answer sheet of an exercise sheet, every formula derived by the engine.

    SHEET is a built-in sheet (td5) or a FILE.toml written as data (see the
    README). The .tex is byte-identical for the same inputs; --pdf reports a
    LaTeX error with its line instead of the whole log.

    \b
    Examples:
      symbrnn sheet td5 -o td5.tex --pdf
      symbrnn sheet td5 --lang en -o td5-en.tex
      symbrnn sheet td5 --no-answers --variant-seed 7 -o student7.tex
    """
    from pathlib import Path

    from symbrnn.io import write_atomic
    from symbrnn.sheets.render import compile_pdf, render_sheet

    tex = render_sheet(name, lang=lang, answers=not no_answers, variant_seed=variant_seed)
    target = Path(output or f"{Path(name).stem}.tex")
    if target.suffix != ".tex":
        raise InputError(f"-o needs a .tex file name, got {str(target)!r}")
    write_atomic(target, tex)
    click.echo(f"wrote {target}", err=True)
    if pdf:
        click.echo(f"wrote {compile_pdf(target)}", err=True)
    return 0


@cli.command()
@click.argument("picture", type=click.Choice(["cell", "unrolled", "stacked"]))
@cell_options
@click.option("--T", "T", type=int, default=3, show_default=True, callback=_positive)
@click.option("--units", default="100,100", show_default=True, callback=_units)
@click.option("--features", type=int, default=72, show_default=True, callback=_positive)
@click.option("--classes", type=int, default=8, show_default=True, callback=_positive)
@click.option("--standalone", is_flag=True, help="A whole LaTeX document, ready for pdflatex.")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
def draw(
    picture,
    cell_name,
    activation,
    bias,
    reset_after,
    T,
    units,
    features,
    classes,
    standalone,
    output,
):
    """Draw a cell, the unrolled network or a stacked model in TikZ, from the declarations.

    \b
    Examples:
      symbrnn draw cell --cell lstm --standalone -o lstm.tex
      symbrnn draw unrolled --T 4
      symbrnn draw stacked --units 100,100 --features 72 --classes 8
    """
    from symbrnn.sheets import draw as pictures

    cell = _cell(cell_name, activation, bias, reset_after)
    if picture == "cell":
        tikz = pictures.cell_tikz(cell)
    elif picture == "unrolled":
        tikz = pictures.unrolled_tikz(cell, T=T)
    else:
        from symbrnn.counts.params import build_model

        kind = cell_name if cell_name in ("rnn", "lstm", "gru") else "rnn"
        model = build_model(kind, timesteps=T, features=features, units=units, classes=classes)
        tikz = pictures.stacked_tikz(model, cell)
    if standalone:
        tikz = (
            "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\usepackage{tikz}\n"
            "\\pagestyle{empty}\n\\begin{document}\n\\begin{center}\n"
            + tikz
            + "\n\\end{center}\n\\end{document}"
        )
    _emit(tikz, output)
    return 0


@cli.command()
@cell_options
@click.option(
    "--quantity",
    "-q",
    required=True,
    help="dh_3/dh_1, dc_3/dc_2, dL/dW, or \\frac{\\partial h_3}{\\partial h_1}.",
)
@click.option("--answer", "-a", default=None, help="The answer in LaTeX or plain text.")
@click.option(
    "--answer-file", default=None, metavar="FILE", help="Read the answer from FILE ('-': stdin)."
)
@click.option("--T", "T", type=int, default=None, callback=_positive, help="Steps, for dL/d... .")
@click.option("--paths", type=click.Choice(["all", "direct"]), default="all", show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def check(cell_name, activation, bias, reset_after, quantity, answer, answer_file, T, paths, fmt):
    """Judge a hand derivation: equivalent or not, where it goes wrong, a counterexample.

    Exits 0 when the answer is equivalent to the engine's result, 1 when it is
    not, 2 when it cannot be read (the message gives the position).

    \b
    Examples:
      symbrnn check -q 'dh_3/dh_2' -a '\\mathrm{diag}(\\sigma'"'"'(W h_2 + U x_3 + b)) W'
      symbrnn check -q 'dh_3/dh_1' -a "Diag(sigma'(a_3)) W Diag(sigma'(a_2)) W"
      symbrnn check --cell lstm -q 'dc_3/dc_2' -a '\\mathrm{Diag}(f_3)' --format json
    """
    from symbrnn.judge.check import check_answer

    if (answer is None) == (answer_file is None):
        raise InputError("give the answer with --answer or --answer-file (one of them)")
    if answer_file is not None:
        from symbrnn.io import read_text

        answer = read_text(answer_file)
    cell = _cell(cell_name, activation, bias, reset_after)
    verdict = check_answer(cell, quantity, answer, T=T, paths=paths)
    if fmt == "json":
        out = json.dumps(verdict.as_json(), indent=2, ensure_ascii=False)
    else:
        lines = [
            f"{'✓ equivalent' if verdict.equivalent else '✗ not equivalent'}: {verdict.quantity}",
            f"  expected: {verdict.expected}",
            f"  yours:    {verdict.answer}",
        ]
        if verdict.note:
            lines.append(f"  note: {verdict.note}")
        lines += [f"  diagnosis: {d}" for d in verdict.diagnosis]
        if verdict.counterexample:
            lines.append(f"  counterexample: {json.dumps(verdict.counterexample)}")
        out = "\n".join(lines)
    _emit(out, None)
    return 0 if verdict.equivalent else 1


@cli.command()
@click.argument("source", metavar="ANSWERS.csv|DIR")
@click.option(
    "-o",
    "--output",
    metavar="REPORT.csv|REPORT.json",
    help="Write the report (default: stdout, CSV).",
)
@click.option(
    "--cell", "default_cell", default="rnn", show_default=True, help="Cell when a row gives none."
)
@click.option(
    "--T", "default_T", type=int, default=None, help="T when a row gives none (for dL/d...)."
)
def grade(source, output, default_cell, default_T):
    """Grade a class: one answer per student and question, into a report and a summary.

    ANSWERS.csv has the columns student, quantity, answer and optionally cell,
    T, paths; a DIR is read as all the *.csv files in it. A malformed or
    failing answer is reported and the batch goes on.

    \b
    Example:
      symbrnn grade answers.csv -o report.csv
    """
    from symbrnn.judge.grade import grade_rows, read_answers, write_report

    rows = read_answers(source)
    with click.progressbar(rows, label="grading", file=sys.stderr, show_pos=True) as bar:
        results = grade_rows(bar, default_cell=default_cell, default_T=default_T)
    report, summary = write_report(results, output)
    if output is None:
        sys.stdout.write(report)
    click.echo(summary, err=True)
    return 0


def _emit(text, output):
    from symbrnn.io import emit

    emit(text, output)


def main(argv=None) -> None:
    """Entry point: run the CLI and turn errors into one line and an exit code."""
    try:
        rc = cli.main(args=argv, prog_name="symbrnn", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        sys.exit(2)
    except click.ClickException as exc:
        hint = ""
        if exc.ctx is not None and exc.ctx.command_path:
            hint = f" (see '{exc.ctx.command_path} --help')"
        click.echo(f"symbrnn: error: {exc.format_message()}{hint}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("symbrnn: aborted", err=True)
        sys.exit(130)
    except SymbrnnError as exc:
        click.echo(f"symbrnn: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(rc if isinstance(rc, int) else 0)


__all__ = ["InputError", "cli", "main"]
