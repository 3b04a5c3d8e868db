"""Commands for the course: params, sheet, draw, check (grade: ``cli/grading.py``).

Each command reads its options, makes one library call and prints the result with
:func:`symbrnn.cli.emit.emit`; the library does the work and can be called from Python."""

from __future__ import annotations

import click

from symbrnn.cli.emit import emit
from symbrnn.cli.options import (
    CELL_HELP,
    cell_options,
    checked_output,
    format_option,
    jobs_option,
    lang_option,
    output_option,
    progress,
    units_list,
    variant_seed_option,
    whole_option,
    wrote,
)
from symbrnn.errors import InputError
from symbrnn.io import read_text
from symbrnn.words import say


@click.command(short_help="Explain every parameter count of a stacked recurrent model.")
@click.option("--cell", default="rnn", metavar="CELL", help=CELL_HELP)
@whole_option(
    "--timesteps", top=10**6, default=12, help="Sequence length (shown in output shapes)."
)
@whole_option("--features", top=10**7, default=72, help="Input dimension d.")
@click.option(
    "--units",
    default="100,100",
    callback=units_list,
    help="One recurrent layer per size; all but the last return sequences.",
)
@whole_option("--classes", top=10**7, help="Add a Dense head with this many outputs.")
@click.option("--convention", type=click.Choice(["keras", "pytorch"]), default="keras")
@click.option(
    "--reset-after/--no-reset-after",
    default=False,
    help="GRU variant (Keras; PyTorch always resets after): --no-reset-after is the "
    "course's (Keras ≤ 2.3), --reset-after is tf.keras 2 and Keras 3.",
)
@click.option("--bidirectional", is_flag=True, help="Wrap each recurrent layer in Bidirectional.")
@click.option(
    "--explain", metavar="FILE", help="Explain a pasted model summary instead ('-' reads stdin)."
)
@format_option("text", "json", "latex")
@output_option
def params(explain, fmt, output, **model):
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
      symbrnn params --explain examples/summary.md
      pbpaste | symbrnn params --explain -
    """
    if explain:
        from symbrnn.counts.explained import explain as explain_text

        result = explain_text(read_text(explain))
        emit(result, fmt, output=output)
        return 0 if result.explained else 1
    from symbrnn.counts.params import build_model

    emit(build_model(model.pop("cell"), **model), fmt, output=output)
    return 0


@click.command(short_help="Write an exercise sheet's answer sheet, every formula derived.")
@click.argument("name", default="td5", metavar="SHEET")
@lang_option("Language (default: the sheet's own, French for td5).")
@click.option(
    "-o", "--output", metavar="FILE.tex", help="Where to write the LaTeX (default: SHEET.tex)."
)
@click.option("--pdf", is_flag=True, help="Also compile FILE.pdf with latexmk (TeX Live).")
@click.option("--no-answers", is_flag=True, help="Write the questions alone.")
@variant_seed_option("Draw other sizes (features, units, classes, T, activation) for a variant.")
@click.option(
    "--trusted",
    is_flag=True,
    help="Your own sheet: run LaTeX with the macros of this file (its [sheet] preamble, any "
    "command in its texts). Still no shell escape, paranoid file access, time-bounded. "
    "Never for a sheet someone sent you.",
)
@format_option(
    "tex",
    "json",
    help="json: the variant's sizes and each question's check options and key answer "
    "(stdout, or -o FILE.json).",
)
@click.option(
    "--variants",
    metavar="SEEDS",
    help="A class's sheets: one file per seed (1-200, or 1,4,9-12) into -o DIR/, and "
    "DIR/variants.html, the table of the variants for the assistants.",
)
@jobs_option("With --variants --pdf: LaTeX processes at once (0: one per core).")
@click.option(
    "--teacher-notes",
    is_flag=True,
    help="The teacher's copy: add what was checked and how (the verification section); "
    "the students' key speaks of the mathematics only.",
)
@click.option(
    "--with-keys",
    is_flag=True,
    help="With --variants --no-answers: each question sheet's key written beside it, "
    "both linked from the assistants' table.",
)
def sheet(
    name, lang, output, pdf, no_answers, variant_seed, trusted, fmt, variants, with_keys, **kw
):
    """Write the answer sheet of an exercise sheet, every formula derived by the engine.

    SHEET is a built-in sheet (td5) or a FILE.toml written as data (see the
    README). The .tex is byte-identical for the same inputs; --pdf reports a
    LaTeX error with its line instead of the whole log.

    \b
    Examples:
      symbrnn sheet td5 -o td5.tex --pdf
      symbrnn sheet td5 --teacher-notes -o td5-teacher.tex
      symbrnn sheet td5 --lang en -o td5-en.tex
      symbrnn sheet td5 --no-answers --variant-seed 7 -o student7.tex
      symbrnn sheet examples/my-sheet.toml --trusted --pdf
      symbrnn sheet td5 --variant-seed 7 --format json
      symbrnn sheet td5 --variants 1-30 --no-answers --pdf -o class/

    A shared sheet's LaTeX may use only the commands and environments of the
    allowlist (derivations/README.md); --trusted lifts that for your own file.
    """
    from symbrnn.sheets import write

    said, jobs = lang or "en", kw.pop("jobs")
    kw |= dict(lang=lang, answers=not no_answers, trusted=trusted, pdf=pdf)
    if variants is not None:
        if variant_seed is not None or fmt != "tex":
            raise InputError.said("cli.error.variants_tex")
        bar = progress("sheets", said)
        kw |= dict(jobs=jobs, progress=bar, with_keys=with_keys)
        paths = write.write_sheet_variants(name, variants, output, **kw).paths
        folder = paths[-1].parent
        words = dict(count=len(paths), folder=folder, table=folder / "variants.html")
        click.echo(say("cli.wrote_variants", said, **words), err=True)
        return 0
    if with_keys:
        raise InputError.said("cli.error.with_keys")
    if fmt == "json":
        if pdf or no_answers or trusted:
            raise InputError.said("cli.error.json_data")
        if output is not None and not output.endswith(".json"):
            raise InputError.said("cli.error.json_name", got=repr(output))
        checked_output(None, None, output)
        emit(write.sheet_data(name, variant_seed, lang), "json", said, output)
        return 0
    for path in write.write_sheet(name, output, variant_seed=variant_seed, **kw).paths:
        wrote(path, said)
    return 0


@click.command(short_help="Draw a cell, the unrolled network or a stacked model in TikZ.")
@click.argument("picture", type=click.Choice(["cell", "unrolled", "stacked"]))
@cell_options
@whole_option("--T", "T", top=50, default=3)
@click.option("--units", default="100,100", callback=units_list)
@whole_option("--features", top=10**7, default=72)
@whole_option("--classes", top=10**7, default=8)
@click.option("--standalone", is_flag=True, help="A whole LaTeX document, ready for pdflatex.")
@output_option
def draw(picture, cell_name, output, **options):
    """Draw a cell, the unrolled network or a stacked model in TikZ, from the declarations.

    \b
    Examples:
      symbrnn draw cell --cell lstm --standalone -o lstm.tex
      symbrnn draw unrolled --T 4
      symbrnn draw stacked --units 100,100 --features 72 --classes 8
    """
    from symbrnn.sheets.picture import draw as drawing

    emit(drawing(picture, cell_name, **options), "text", output=output)
    return 0


@click.command(short_help="Judge a hand derivation: right or not, and where it goes wrong.")
@cell_options
@click.option(
    "--quantity", "-q", help="dh_3/dh_1, dc_3/dc_2, dL/dW, or \\frac{\\partial h_3}{\\partial h_1}."
)
@click.option("--answer", "-a", help="The answer in LaTeX or plain text.")
@click.option("--answer-file", metavar="FILE", help="Read the answer from FILE ('-': stdin).")
@whole_option("--T", "T", top=30, help="Steps, for dL/d... (at most 30).")
@click.option("--paths", type=click.Choice(["all", "direct"]), help="[default: all]")
@click.option(
    "--layout",
    type=click.Choice(["numerator", "denominator", "either"]),
    default="either",
    help="Jacobian layout the answer may use (either: accepted with a note saying which).",
)
@click.option("--sheet", metavar="SHEET", help="Take the options from a sheet (td5).")
@click.option("--question", metavar="ID", help="The sheet's question, e.g. III.1.")
@variant_seed_option("With --sheet: judge against the student's variant N (its T and activation).")
@lang_option("Language of the verdict [default: the sheet's with --sheet, else en].")
@format_option("text", "json")
def check(cell_name, answer, answer_file, fmt, **options):
    """Judge a hand derivation: equivalent or not, where it goes wrong, a counterexample.

    The answer may be a whole derivation M0 = M1 = ... = Mk, on one line or
    several (aligned, align*, &= and \\\\ are read; \\text{donc} is skipped):
    every member is judged and the first wrong one is named. Exits 0 when
    every member is equivalent to the engine's result, 1 when one is not, 2
    when the answer cannot be read (the message gives the position), 3 when it
    cannot be judged (the message says why). With --sheet and --question the
    cell, its options, the quantity and T come from the sheet.

    \b
    Examples:
      symbrnn check -q 'dh_3/dh_2' -a '\\mathrm{diag}(\\sigma'"'"'(W h_2 + U x_3 + b)) W'
      symbrnn check -q 'dh_3/dh_1' -a "Diag(sigma'(a_3)) W Diag(sigma'(a_2)) W"
      symbrnn check --cell lstm --paths direct -q 'dc_3/dc_2' -a '\\mathrm{Diag}(f_3)'
      symbrnn check --sheet td5 --question III.2 -a '\\prod_{j=2}^{3} \\operatorname{Diag}(\\sigma'"'"'(a_j)) W'
      symbrnn check --sheet td5 --question III.2 --answer-file examples/derivation-III.2.tex --lang en
      symbrnn check --sheet td5 --question III.2 --variant-seed 2 -a '\\prod_{j=2}^{T} \\operatorname{Diag}(\\tanh'"'"'(a_j)) W'
    """
    from symbrnn.sheets.checking import check as judge

    if (answer is None) == (answer_file is None):
        raise InputError.said("cli.error.answer_one")
    if answer_file is not None:
        answer = read_text(answer_file, 1_000_000)
    verdict = judge(answer, options.pop("quantity"), cell=cell_name, **options)
    emit(verdict, fmt, options["lang"] or "en")
    return {"equivalent": 0, "not_equivalent": 1, "cannot_judge": 3}[verdict.outcome]
