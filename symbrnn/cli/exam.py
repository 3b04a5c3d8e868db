"""The exam command: multiple-choice exams for auto-multiple-choice and Moodle."""

from __future__ import annotations

from pathlib import Path

import click

from symbrnn.cli.options import dump_json, emit_output, format_option, lang_option
from symbrnn.errors import InputError
from symbrnn.io import check_outputs, write_all
from symbrnn.words import say

EXAM_FORMATS = ("json", "amc", "moodle")


@click.command(short_help="Make a multiple-choice exam of a sheet (AMC, Moodle, JSON).")
@click.argument("sheet", metavar="SHEET")
@click.option(
    "--variants",
    required=True,
    metavar="A-B",
    help="The variants' seeds, 1-30 or 1,4,9-12: one copy (AMC) or category (Moodle) each.",
)
@format_option(
    *EXAM_FORMATS,
    help="json: every option, which is right, each wrong one's note and counterexample (the "
    "teacher's notes); amc: an auto-multiple-choice LaTeX document and its JSON beside it; "
    "moodle: Moodle question XML.",
)
@click.option(
    "-o",
    "--output",
    metavar="PATH",
    help="Write here (default: stdout; amc needs a .tex path: its JSON is written beside it).",
)
@click.option(
    "--choices",
    type=click.IntRange(2, 8),
    default=5,
    help="Options per question: the right one and K-1 named mistakes (fewer when the "
    "tables of mistakes give fewer proven-wrong ones).",
)
@click.option(
    "--question",
    "only",
    multiple=True,
    metavar="ID",
    help="Ask only this question (repeat for several; default: every checkable and count "
    "question).",
)
@click.option(
    "--mistakes-from",
    metavar="REPORT.csv",
    help="A class's graded report (symbrnn grade's CSV, its answer_notes column): the "
    "mistakes this class makes most become the first distractors.",
)
@click.option(
    "--students",
    metavar="LIST.csv",
    help="amc: the class list (a column id, or number, and a column name); the copies carry "
    "a student-number grid as wide as its longest id, and AMC associates them by it.",
)
@lang_option("Language of the exam [default: the sheet's].")
def exam(sheet, variants, fmt, output, choices, only, mistakes_from, students, lang):
    """Make a multiple-choice exam of SHEET: per variant, each checkable question and each
    parameter count, with wrong options that are named mistakes, proven wrong.

    Every wrong option is one row of the checker's table of mistakes (ORDER,
    SIGMA_FOR_PRIME, MISSING_DIAG, TIME_SHIFT, MISSING_PATH...) or of the count
    mistakes (NO_BIAS, INPUT_SIZE, PYTORCH, KERAS3_GRU...) applied to the
    engine's answer; `symbrnn check` with the question's settings judges it not
    equivalent with that note, and it differs from every other option at the
    test points. Options are shuffled from the variant's seed: the same command
    makes the same exam. The counterexamples stay in the JSON (the teacher's
    notes), never on the students' copies.

    \b
    The exam day (list.csv: columns id and name; the scans in scans.pdf):
      1. symbrnn exam td5 --variants 1-30 --format amc -o td5-exam.tex --students list.csv
      2. mkdir -p data cr scans
      3. auto-multiple-choice prepare --mode s --prefix . --data data td5-exam.tex \\
           --out-sujet subject.pdf --out-corrige key.pdf --out-calage layout.xy
      4. auto-multiple-choice meptex --src layout.xy --data data
      5. print subject.pdf, sit the exam, scan the copies into scans.pdf, then
         ls scans.pdf > scans.txt
         auto-multiple-choice getimages --list scans.txt --copy-to scans
         auto-multiple-choice analyse --projet . --data data --cr cr --liste-fichiers scans.txt
         auto-multiple-choice note --data data
         auto-multiple-choice association-auto --data data --notes-id student \\
           --liste td5-exam-students.csv --liste-key id
         auto-multiple-choice export --module CSV --data data \\
           --fich-noms td5-exam-students.csv --option-out ticked=AB -o results.csv
      6. symbrnn grade --amc results.csv --exam td5-exam.json --report class.html

    \b
    Examples:
      symbrnn exam td5 --variants 1-30 --format moodle -o td5-moodle.xml --lang fr
      symbrnn exam td5 --variants 1-3 --question III.2 --choices 4
    """
    from symbrnn.exam.build import build_exam
    from symbrnn.sheets.batch import parse_seeds

    seeds = parse_seeds(variants)
    _check_outputs(fmt, output, lang or "en")  # every file written, before any work
    made = build_exam(
        sheet,
        seeds,
        lang=lang,
        choices=choices,
        only=list(only) or None,
        mistakes_from=mistakes_from,
    )
    for warning in made.warnings:
        click.echo(warning, err=True)
    key = dump_json(made.as_json())
    if fmt == "json":
        emit_output(key, output)
    elif fmt == "moodle":
        emit_output(_moodle_xml(made, sheet, only), output)
    else:
        _write_amc(made, key, output, students, lang or "en", variants)
    return 0


def _check_outputs(fmt: str, output: str | None, lang: str) -> None:
    """The files the exam writes (an AMC document's JSON beside it), before any work."""
    if fmt == "amc" and (output is None or not output.lower().endswith(".tex")):
        raise InputError.said("cli.error.amc_output")
    if output is not None:
        outputs = [output, Path(output).with_suffix(".json")] if fmt == "amc" else [output]
        check_outputs(outputs, lang=lang)


def _moodle_xml(made, sheet: str, only) -> str:
    """The exam as Moodle question XML (with the sheet's essays when every question is
    asked), checked against Moodle's rules."""
    from symbrnn.exam.build import ExamError
    from symbrnn.exam.moodle import essays_of, moodle_xml, problems

    xml = moodle_xml(made, essays_of(made, sheet) if not only else None)
    found = problems(xml)
    if found:  # a bug of symbrnn, never the user's: say it rather than write it
        raise ExamError.said("exam.error.moodle_rules", problem=found[0])
    return xml


def _write_amc(made, key: str, output: str, students, lang: str, variants: str) -> None:
    """The AMC document, its JSON (``key``) beside it and the class list AMC associates
    copies with: all or none, and what was written (copy N is the N-th of ``variants``)."""
    from symbrnn.exam.amc import amc_document, read_students

    beside = Path(output).with_suffix(".json")
    roster = read_students(students) if students else None
    files = {beside: key, output: amc_document(made, roster)}
    if roster is not None:
        files[Path(output).with_name(Path(output).stem + "-students.csv")] = roster.csv
    write_all(files, lang=lang)
    words = dict(path=output, count=len(made.variants), variants=variants, key=beside)
    click.echo(say("cli.wrote_exam", lang, **words), err=True)
