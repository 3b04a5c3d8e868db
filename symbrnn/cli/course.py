"""Commands for the course: params, sheet, draw, check, grade."""

from __future__ import annotations

import sys

import click

from symbrnn.cli.group import cli
from symbrnn.cli.options import (
    CELL_HELP,
    FORMATS,
    cell_options,
    checked_output,
    dump_json,
    emit_output,
    jobs_option,
    lang_option,
    make_cell_from_options,
    units_list,
    variant_seed_option,
)
from symbrnn.errors import InputError, marked


@cli.command()
@click.option("--cell", default="rnn", show_default=True, metavar="CELL", help=CELL_HELP)
@click.option(
    "--timesteps",
    type=click.IntRange(1, 10**6),
    default=12,
    show_default=True,
    help="Sequence length (shown in output shapes).",
)
@click.option(
    "--features",
    type=click.IntRange(1, 10**7),
    default=72,
    show_default=True,
    help="Input dimension d.",
)
@click.option(
    "--units",
    default="100,100",
    show_default=True,
    callback=units_list,
    help="One recurrent layer per size; all but the last return sequences.",
)
@click.option(
    "--classes",
    type=click.IntRange(1, 10**7),
    default=None,
    help="Add a Dense head with this many outputs.",
)
@click.option(
    "--convention", type=click.Choice(["keras", "pytorch"]), default="keras", show_default=True
)
@click.option(
    "--reset-after/--no-reset-after",
    default=False,
    show_default=True,
    help="GRU variant (Keras; PyTorch always resets after): --no-reset-after is the "
    "course's (Keras ≤ 2.3), --reset-after is tf.keras 2 and Keras 3.",
)
@click.option("--bidirectional", is_flag=True, help="Wrap each recurrent layer in Bidirectional.")
@click.option(
    "--explain",
    "explain",
    metavar="FILE",
    help="Explain a pasted model summary instead ('-' reads stdin).",
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    callback=checked_output,
    help="Write to FILE instead of stdout.",
)
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
      symbrnn params --explain examples/summary.md
      pbpaste | symbrnn params --explain -
    """
    from symbrnn.counts import report as report

    if explain:
        from symbrnn.counts.summary import explain_summary
        from symbrnn.io import read_text

        text = read_text(explain)
        explanations = explain_summary(text)
        if fmt == "json":
            out = dump_json(report.explain_json(explanations, text))
        elif fmt == "latex":
            out = report.explain_latex(explanations, text)
        else:
            out = report.explain_text(explanations, text)
        emit_output(out, output)
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
        out = dump_json(report.model_json(model))
    elif fmt == "latex":
        out = report.model_latex(model)
    else:
        out = report.model_text(model)
    emit_output(out, output)
    return 0


@cli.command()
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tex", "json"]),
    default="tex",
    show_default=True,
    help="json: the variant's sizes and each question's check options and key answer "
    "(stdout, or -o FILE.json).",
)
@click.option(
    "--variants",
    default=None,
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
def sheet(
    name, lang, output, pdf, no_answers, variant_seed, trusted, fmt, variants, jobs, teacher_notes
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
    from pathlib import Path

    from symbrnn.io import check_output_path, check_outputs, write_all
    from symbrnn.sheets.compile import compile_tex, require_pdflatex
    from symbrnn.sheets.render import render_sheet
    from symbrnn.sheets.sandbox import is_shared

    if variants is not None:
        return _sheet_variants(
            name,
            lang,
            output,
            pdf,
            no_answers,
            variant_seed,
            trusted,
            fmt,
            variants,
            jobs,
            teacher_notes,
        )
    if fmt == "json":
        from symbrnn.judge.variants import variant_json

        if pdf or no_answers or trusted:
            raise InputError("--format json gives data: leave out --pdf, --no-answers, --trusted")
        if output is not None and not output.endswith(".json"):
            raise InputError(f"-o with --format json needs a .json file name, got {output!r}")
        if output is not None:
            check_output_path(output, lang=lang or "en")
        emit_output(dump_json(variant_json(name, variant_seed, lang)), output)
        if output is not None:
            click.echo(f"wrote {output}", err=True)
        return 0
    target = Path(output or f"{Path(name).stem}.tex")
    if target.suffix != ".tex":
        raise InputError(f"-o needs a .tex file name, got {str(target)!r}")
    outputs = [target, target.with_suffix(".pdf")] if pdf else [target]
    check_outputs(outputs, lang=lang or "en")  # every output checked before any work
    if pdf:
        require_pdflatex(is_shared(name, trusted), lang)  # a shared sheet: in the sandbox
    tex = render_sheet(
        name,
        lang=lang,
        answers=not no_answers,
        variant_seed=variant_seed,
        trusted=trusted,
        teacher_notes=teacher_notes,
    )
    document = compile_tex(tex, target.name, shared=is_shared(name, trusted)) if pdf else None
    # the .tex and the .pdf land together, or neither does
    write_all(dict(zip(outputs, [tex, document][: len(outputs)], strict=True)), lang=lang or "en")
    for path in outputs:
        click.echo(f"wrote {path}", err=True)
    return 0


def _sheet_variants(
    name, lang, output, pdf, no_answers, variant_seed, trusted, fmt, variants, jobs, teacher_notes
):
    """``sheet --variants``: every seed's sheet into one folder."""
    import os
    from pathlib import Path

    from symbrnn.sheets.batch import parse_seeds, write_variants
    from symbrnn.sheets.compile import require_pdflatex
    from symbrnn.sheets.sandbox import is_shared
    from symbrnn.sheets.spec import load_sheet, sheet_sizes

    if variant_seed is not None or fmt != "tex":
        raise InputError("--variants writes .tex files: leave out --variant-seed and --format")
    seeds = parse_seeds(variants)
    folder = Path(output or f"{Path(name).stem}-variants")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"-o {str(folder)!r}: with --variants, -o names a folder")
    spec = load_sheet(name)
    sheet_sizes(spec, seeds[0])  # a sheet without [variants] is one line, before any work
    if pdf:
        require_pdflatex(is_shared(name, trusted), lang)
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK):
        raise InputError(f"cannot write into {str(folder)!r}")
    with click.progressbar(
        length=len(seeds), label="sheets", file=sys.stderr, show_pos=True
    ) as bar:
        written = write_variants(
            name,
            seeds,
            folder,
            lang=lang,
            answers=not no_answers,
            pdf=pdf,
            jobs=jobs or _cores(),
            trusted=trusted,
            progress=bar.update,
            teacher_notes=teacher_notes,
        )
    click.echo(
        f"wrote {len(written)} files in {folder}/ (the assistants' table: "
        f"{folder / 'variants.html'})",
        err=True,
    )
    return 0


@cli.command()
@click.argument("picture", type=click.Choice(["cell", "unrolled", "stacked"]))
@cell_options
@click.option("--T", "T", type=click.IntRange(1, 50), default=3, show_default=True)
@click.option("--units", default="100,100", show_default=True, callback=units_list)
@click.option("--features", type=click.IntRange(1, 10**7), default=72, show_default=True)
@click.option("--classes", type=click.IntRange(1, 10**7), default=8, show_default=True)
@click.option("--standalone", is_flag=True, help="A whole LaTeX document, ready for pdflatex.")
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    callback=checked_output,
    help="Write to FILE instead of stdout.",
)
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

    cell = make_cell_from_options(cell_name, activation, bias, reset_after)
    if picture == "cell":
        tikz = pictures.cell_tikz(cell)
    elif picture == "unrolled":
        tikz = pictures.unrolled_tikz(cell, T=T)
    else:
        from symbrnn.counts.params import build_model

        model = build_model(
            cell_name,
            timesteps=T,
            features=features,
            units=units,
            classes=classes,
            reset_after=reset_after,
        )
        tikz = pictures.stacked_tikz(model, cell)
    if standalone:
        tikz = (
            "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\usepackage{tikz}\n"
            "\\pagestyle{empty}\n\\begin{document}\n\\begin{center}\n"
            + tikz
            + "\n\\end{center}\n\\end{document}"
        )
    emit_output(tikz, output)
    return 0


@cli.command()
@cell_options
@click.option(
    "--quantity",
    "-q",
    default=None,
    help="dh_3/dh_1, dc_3/dc_2, dL/dW, or \\frac{\\partial h_3}{\\partial h_1}.",
)
@click.option("--answer", "-a", default=None, help="The answer in LaTeX or plain text.")
@click.option(
    "--answer-file", default=None, metavar="FILE", help="Read the answer from FILE ('-': stdin)."
)
@click.option(
    "--T", "T", type=click.IntRange(1, 30), default=None, help="Steps, for dL/d... (at most 30)."
)
@click.option("--paths", type=click.Choice(["all", "direct"]), default=None, help="[default: all]")
@click.option(
    "--layout",
    type=click.Choice(["numerator", "denominator", "either"]),
    default="either",
    show_default=True,
    help="Jacobian layout the answer may use (either: accepted with a note saying which).",
)
@click.option("--sheet", default=None, metavar="SHEET", help="Take the options from a sheet (td5).")
@click.option("--question", default=None, metavar="ID", help="The sheet's question, e.g. III.1.")
@variant_seed_option("With --sheet: judge against the student's variant N (its T and activation).")
@lang_option("Language of the verdict [default: the sheet's with --sheet, else en].")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def check(
    cell_name,
    activation,
    bias,
    reset_after,
    quantity,
    answer,
    answer_file,
    T,
    paths,
    layout,
    sheet,
    question,
    variant_seed,
    lang,
    fmt,
):
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
    from symbrnn.judge.check import check_answer
    from symbrnn.judge.messages import JudgeError

    if (answer is None) == (answer_file is None):
        raise InputError("give the answer with --answer or --answer-file (one of them)")
    if answer_file is not None:
        from symbrnn.io import read_text

        answer = read_text(answer_file, 1_000_000)
    if (sheet is None) != (question is None):
        raise InputError("--sheet and --question go together, e.g. --sheet td5 --question III.1")
    hypothesis = None
    if variant_seed is not None and sheet is None:
        raise InputError("--variant-seed goes with --sheet and --question (the variant's sheet)")
    if sheet is not None:
        from symbrnn.sheets.questions import question_check

        options = question_check(sheet, question, variant_seed)
        cell_name, bias = options["cell"], options.get("bias", bias)
        activation = options.get("activation", activation)
        reset_after = options.get("reset_after", reset_after)
        quantity = quantity or options["quantity"]
        sheet_T = options.get("sheet_T")
        if T is not None and sheet_T is not None and sheet_T != T:
            raise JudgeError("check.T_conflict", given=T, sheet=sheet_T)
        T = T or options.get("T") or sheet_T
        paths = paths or options.get("paths")
        hypothesis = options.get("hypothesis")
        lang = lang or options["lang"]
    lang = lang or "en"
    if quantity is None:
        raise InputError("give the quantity with -q (e.g. -q dh_3/dh_1), or --sheet and --question")
    cell = make_cell_from_options(cell_name, activation, bias, reset_after)
    try:
        verdict = check_answer(
            cell,
            quantity,
            answer,
            T=T,
            paths=paths or "all",
            layout=layout,
            lang=lang,
            hypothesis=hypothesis,
        )
    except JudgeError as exc:
        raise InputError(exc.text(lang, marked)) from None  # spelled as flags by main
    emit_output(dump_json(verdict.as_json()) if fmt == "json" else verdict.text(), None)
    return {"equivalent": 0, "not_equivalent": 1, "cannot_judge": 3}[verdict.outcome]


def _cores() -> int:
    """The cores this process may run on."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@cli.command()
@click.argument("source", metavar="ANSWERS.csv|DIR", required=False)
@click.option(
    "-o",
    "--output",
    metavar="REPORT.csv|.json|.html",
    help="Write the report: .csv (with a BOM; the students' totals in REPORT.totals.csv "
    "beside it), .json, or .html (the class page) (default: stdout, CSV).",
)
@click.option(
    "--cell", "default_cell", default="rnn", show_default=True, help="Cell when a row gives none."
)
@click.option(
    "--T",
    "default_T",
    type=click.IntRange(1, 30),
    default=None,
    help="T when a row gives none (for dL/d...).",
)
@click.option("--sheet", default=None, metavar="SHEET", help="Sheet of the question column (td5).")
@click.option(
    "--scheme",
    default=None,
    metavar="FILE.toml",
    help="Marking scheme: correct = 1 and [notes] ORDER = 0.5, ... (default: with --sheet, "
    "each question's points and marking_notes; else 1 or 0).",
)
@jobs_option("Worker processes for a large class (0: one per core; 1: no workers).")
@lang_option("Language of the diagnoses [default: the sheet's with --sheet, else en].")
@variant_seed_option("With --sheet: every row's variant, unless its variant column gives one.")
@click.option(
    "--report",
    "page",
    default=None,
    metavar="CLASS.html",
    help="Also write one offline page: per question the mistakes and the wrong answers "
    "grouped by meaning, per student the answers with feedback.",
)
@click.option(
    "--override",
    default=None,
    metavar="FILE.toml",
    help="A teacher's decisions: [groups] KEY = score, for every answer of that group.",
)
@click.option(
    "--amc",
    default=None,
    metavar="RESULTS.csv",
    help="Instead of ANSWERS: AMC's CSV export of the scanned exam (export --module CSV "
    "--option-out ticked=AB), read with --exam.",
)
@click.option(
    "--exam",
    "exam_file",
    default=None,
    metavar="EXAM.json",
    help="With --amc: the exam's JSON (written beside the AMC document by symbrnn exam).",
)
@click.option(
    "--session",
    default=None,
    metavar="FILE.sqlite",
    help="Instead of ANSWERS: a TD session's stored answers (symbrnn serve --session).",
)
@click.option(
    "--attempt",
    type=click.Choice(["last", "best"]),
    default="last",
    show_default=True,
    help="With --session: each student's last answer to a question, or the best.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["report", "moodle", "amc"]),
    default="report",
    show_default=True,
    help="With --session: grade's report, Moodle's grade import (CSV), or AMC's student list.",
)
def grade(
    source,
    output,
    default_cell,
    default_T,
    sheet,
    scheme,
    jobs,
    lang,
    variant_seed,
    page,
    override,
    amc,
    exam_file,
    session,
    attempt,
    fmt,
):
    """Grade a class: one answer per student and question, into a report and a summary.

    ANSWERS.csv (UTF-8, separated by , ; or tabs) has the columns student,
    answer and quantity or question (with --sheet), optionally cell (rnn, lstm,
    gru: never a file), T, paths, variant (the student's --variant-seed); a DIR
    is read as all the *.csv files in it; a student's second answer to a question
    replaces the first (a warning names both lines). The report (.csv with a BOM,
    or .json) has a row per answer (variant, cell, T, answer, expected...); the
    students' totals are in REPORT.totals.csv beside a .csv report. The outputs
    are written all or none. A
    malformed or failing answer is reported and the batch goes on. An answer
    may be a derivation over several lines (a quoted multi-line cell): the
    report gives its first wrong step, and a scheme's step = 0.25 credits each
    right step before it. The report gives each answer's notes (ORDER,
    TRANSPOSE, BIAS_MISSING...) and score; the summary counts the class's
    common mistakes per question.

    With --amc RESULTS.csv --exam EXAM.json, the answers are the boxes ticked on
    a scanned auto-multiple-choice exam: each wrong box is the named mistake
    its option was made from, and the summary counts them per question.

    \b
    Examples:
      symbrnn grade examples/answers.csv -o report.csv --scheme examples/marks.toml
      symbrnn grade examples/answers-td5.csv --sheet td5 -o report.json
      symbrnn grade --amc examples/amc-results.csv --exam examples/td5-exam.json
      symbrnn grade --session td5.sqlite --format moodle -o moodle.csv
    """
    from symbrnn.io import check_outputs
    from symbrnn.judge.class_csv import check_report_path, keep_last, read_answers, report_outputs
    from symbrnn.judge.grade import apply_overrides, grade_rows, load_overrides, load_scheme

    check_report_path(output)
    if page is not None and not page.lower().endswith(".html"):
        raise InputError(f"--report needs a .html file name, got {page!r}")
    # every file written (the report, its totals, the page) checked before any work
    check_outputs(report_outputs(output) + ([page] if page else []), lang=lang or "en")
    if session is not None:
        from symbrnn.cli.session_grade import grade_session_command

        return grade_session_command(session, attempt, fmt, output, page, lang, jobs or _cores())
    if amc is not None or exam_file is not None:
        return _grade_amc(source, amc, exam_file, output, page, lang, sheet, scheme)
    if source is None:
        raise InputError(
            "give ANSWERS.csv (or a folder of them), or --amc RESULTS.csv --exam EXAM.json"
        )
    marks = load_scheme(scheme) if scheme else None  # None: a sheet question's own marks
    overrides = load_overrides(override)
    if sheet is not None:
        from symbrnn.sheets.spec import load_sheet, sheet_sizes

        spec = load_sheet(sheet)  # an unknown sheet is one error, not one per row
        lang = lang or spec.data["sheet"].get("default_lang", "fr")
        sheet_sizes(spec, variant_seed)  # a sheet without variants refuses a seed here
    elif variant_seed is not None:
        raise InputError("--variant-seed goes with --sheet (the variants are the sheet's)")
    rows, repeated = keep_last(read_answers(source, lang or "en"), default_cell, lang or "en")
    for warning in repeated:  # a student's second answer to a question replaces the first
        click.echo(warning, err=True)
    jobs = jobs or _cores()
    with click.progressbar(
        length=len(rows), label="grading", file=sys.stderr, show_pos=True
    ) as bar:
        results = grade_rows(
            rows,
            default_cell=default_cell,
            default_T=default_T,
            sheet=sheet,
            scheme=marks,
            jobs=jobs,
            progress=bar.update,
            lang=lang or "en",
            variant_seed=variant_seed,
        )
    if overrides:
        changed = apply_overrides(results, overrides)
        click.echo(f"override: {changed} answers scored by the teacher's decisions", err=True)
    return _report(results, output, page, lang or "en")


def _grade_amc(source, amc, exam_file, output, page, lang, sheet, scheme) -> int:
    """grade --amc: the ticked boxes of a scanned exam, into grade's report and summary."""
    from symbrnn.exam.scans import load_exam, read_amc

    if amc is None or exam_file is None:
        raise InputError("--amc RESULTS.csv and --exam EXAM.json go together")
    if source is not None or sheet is not None or scheme is not None:
        raise InputError("--amc grades the exam's boxes: give no ANSWERS, --sheet or --scheme")
    exam = load_exam(exam_file)
    lang = lang or exam.lang
    results = read_amc(amc, exam)
    return _report(results, output, page, lang)


def _report(results, output, page, lang) -> int:
    """grade's report (to ``output`` or stdout), its class page, and the summary."""
    from symbrnn.judge.class_csv import report_outputs, write_report

    also = None
    if page is not None:
        from symbrnn.judge.report_html import class_page

        also = {page: class_page(results, lang)}
    # the report, its totals and the page are written all or none
    report, summary = write_report(results, output, lang, also=also)
    if output is None:
        sys.stdout.write(report)
    click.echo(summary, err=True)
    for path in [*report_outputs(output), *(also or ())]:
        click.echo(f"wrote {path}", err=True)
    return 0
