"""Grade a class's answers in one batch: one row per student and question.

Rows come from a class's CSV files (read, and the report written, by ``class_csv``). A
class CSV names built-in cells only (a row never imports a file) or a sheet question.
Each row is judged within a time bound; a bad row is reported, with its line, and the
batch goes on. The report neutralises cells a spreadsheet would run as formulas.

>>> rows = [{"student": "ana", "quantity": "dh_2/dh_1", "answer": "Diag(sigma'(a_2)) W"}]
>>> [r.status for r in grade_rows(rows)]
['correct']
"""

from __future__ import annotations

import dataclasses
import functools
import tomllib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from symbrnn.engine.quantity import MAX_QUANTITY
from symbrnn.errors import InputError
from symbrnn.io import read_text, time_bound
from symbrnn.judge.class_csv import Row
from symbrnn.judge.class_csv import question_key as question_key  # the class's CSV in and out
from symbrnn.judge.class_csv import read_answers as read_answers
from symbrnn.judge.class_csv import write_report as write_report
from symbrnn.judge.grade_row import GradeRow
from symbrnn.judge.messages import say
from symbrnn.judge.question import MAX_SEED, Question
from symbrnn.words import Msg

Questions = Callable[[str, int | None], Question]  # (question id, variant seed) → Question

MAX_REPORT_ANSWER = 2_000  # characters of an answer repeated in the report
ROW_SECONDS = 20
PARALLEL_FROM = 400  # rows: below this, starting workers costs more than it saves
CHUNK_ROWS = 25  # rows per task handed to a worker


def load_scheme(path: str | None) -> dict:
    """A marking scheme (TOML): ``correct = 1``, ``[notes] ORDER = 0.5, ...`` (default 0) and
    ``step = 0.25``, the follow-through credit of each right member of a derivation before
    its first wrong one (default 0; the total stays below ``correct``)."""
    if path is None:
        return {"correct": 1.0, "notes": {}, "step": 0.0}
    data = _read_toml(path, "grade.error.scheme_file")
    notes = data.get("notes", {})
    if not isinstance(notes, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in notes.values()
    ):
        raise InputError.said("grade.error.scheme_notes", path=path)
    correct = data.get("correct", 1.0)
    if not isinstance(correct, int | float) or isinstance(correct, bool):
        raise InputError.said("grade.error.scheme_correct", path=path)
    step = data.get("step", 0.0)
    if not isinstance(step, int | float) or isinstance(step, bool) or step < 0:
        raise InputError.said("grade.error.scheme_step", path=path)
    unknown = sorted(set(data) - {"correct", "notes", "step"})
    if unknown:
        raise InputError.said("grade.error.scheme_key", path=path, key=repr(unknown[0]))
    return {
        "correct": float(correct),
        "notes": {str(k): float(v) for k, v in notes.items()},
        "step": float(step),
    }


def grade_rows(
    rows,
    *,
    default_cell="rnn",
    default_T=None,
    questions: Questions | None = None,
    scheme=None,
    jobs=1,
    progress=None,
    lang="en",
    variant_seed=None,
) -> list[GradeRow]:
    """A result per row, in input order; a bad row gives status 'malformed' or 'error' and
    never stops the batch.

    ``questions`` resolves a ``question`` column (a sheet's: ``sheets.load("td5").question``),
    at the variant of the row's ``variant`` column, else ``variant_seed`` (None: the default
    sheet); the question's own marks count when no ``scheme`` is given. ``jobs`` > 1 grades a large
    batch (:data:`PARALLEL_FROM` rows or more) in that many worker processes; ``progress``
    is called with the number of rows just graded.
    """
    rows = list(rows)
    scheme_given = scheme is not None
    scheme = scheme or load_scheme(None)
    options = {
        "scheme_given": scheme_given,
        "default_cell": default_cell,
        "default_T": default_T,
        "questions": questions,
        "lang": lang,
        "variant_seed": variant_seed,
    }
    # a class repeats answers: each distinct one is judged once, whoever wrote it
    distinct: dict = {}
    for row in rows:
        distinct.setdefault(_answer_key(row), row)
    unique = list(distinct.values())
    counts = Counter(_answer_key(row) for row in rows)

    def advance(graded_rows):
        if progress is not None:
            progress(sum(counts[_answer_key(r)] for r in graded_rows))

    if jobs > 1 and len(unique) >= PARALLEL_FROM:
        graded = _grade_in_workers(unique, options, scheme, jobs, advance)
    else:
        graded = _grade_chunk(unique, options, scheme, advance)
    by_key = {_answer_key(row): result for row, result in zip(unique, graded, strict=True)}
    out = []
    for row in rows:
        result = dataclasses.replace(by_key[_answer_key(row)])
        result.student = str(row.get("student", "")).strip()
        if not result.student:
            result = result.refused("malformed", "empty student")
        if result.status in ("malformed", "error") and isinstance(row, Row):
            result.diagnosis = say("csv.csv", lang, at=row.where(lang), reason=result.diagnosis)
        out.append(result)
    return out


def _answer_key(row: dict) -> tuple:
    """What a row's verdict depends on: everything but the student."""
    return tuple(sorted((k, str(v)) for k, v in row.items() if k != "student"))


def _grade_chunk(rows, options, scheme, progress=None) -> list[GradeRow]:
    lang = options.get("lang", "en")
    questions = options["questions"]
    if questions is not None:
        questions = functools.cache(questions)  # (question, seed): read once per chunk
    judged: dict = {}  # a class repeats answers: each distinct one is judged once
    out = []
    for row in rows:
        result = GradeRow(
            student=str(row.get("student", "")).strip(),
            question=str(row.get("question", "")).strip(),
            quantity=str(row.get("quantity", "")).strip()[: MAX_QUANTITY + 1],
            answer=str(row.get("answer", ""))[:MAX_REPORT_ANSWER],
        )
        try:
            result = _graded(row, result, options, questions, scheme, judged)
        except InputError as exc:  # a judge's error, a row's option: in the report's language
            result = result.refused("malformed", exc.text(lang)[:500])
        except TimeoutError as exc:
            result = result.refused("error", f"this answer {exc}")
        except Exception as exc:  # one bad answer never stops the batch: report it and go on
            result = result.refused("error", f"{type(exc).__name__}: {exc}"[:500])
        out.append(result)
        if progress is not None:
            progress([row])
    return out


def _graded(row, result: GradeRow, options, questions, scheme, judged: dict) -> GradeRow:
    """One row judged (or its verdict found in ``judged``) and scored."""
    from symbrnn.engine.cells import make_cell
    from symbrnn.judge.check import check_answer

    choice = _row_options(
        row,
        result,
        options["default_cell"],
        options["default_T"],
        questions,
        options.get("variant_seed"),
    )
    # a class CSV names built-in cells only: a row never imports a file (the registry
    # shares each built-in cell, so its test points are built once)
    cell = make_cell(
        choice["cell"],
        bias=choice["bias"],
        activation=choice["activation"],
        reset_after=choice["reset_after"],
        allow_files=False,
    )
    answer = str(row.get("answer", ""))
    result.cell = choice["cell"]
    result.T = "" if choice["T"] is None else choice["T"]
    hypothesis = tuple(sorted((choice.get("hypothesis") or {}).items()))
    # the score depends on the question's own marks when the sheet gives them
    marks = choice["marks"]
    if options["scheme_given"] or marks is None:
        marks = scheme
    key = (id(cell), result.quantity, answer, choice["T"], choice["paths"], hypothesis)
    key += (tuple(sorted(marks["notes"].items())), marks["correct"], marks["step"])
    if key not in judged:
        with time_bound(ROW_SECONDS, TimeoutError(f"took more than {ROW_SECONDS} s")):
            verdict = check_answer(
                cell,
                result.quantity,
                answer,
                T=choice["T"],
                paths=choice["paths"],
                lang=options.get("lang", "en"),
                hypothesis=choice.get("hypothesis"),
            )
        judged[key] = {
            "status": {"equivalent": "correct", "not_equivalent": "wrong"}.get(
                verdict.outcome, "cannot judge"
            ),
            "answer_notes": " ".join(verdict.answer_notes),
            "first_wrong_step": verdict.first_wrong_step
            if len(verdict.steps) > 1 and verdict.first_wrong_step
            else "",
            "diagnosis": "; ".join(verdict.diagnosis) or verdict.note,
            "expected": verdict.answer_latex or verdict.expected_latex,
            "group": verdict.group,
            "score": _score(verdict, marks),
        }
    return dataclasses.replace(result, **judged[key])


def _ignore_interrupts():
    """Workers leave Ctrl-C to the parent, which stops them all at once; and die with it,
    even when it is killed outright (Linux's parent-death signal)."""
    import contextlib
    import ctypes
    import os
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the signal was set
            os._exit(1)


def _grade_in_workers(rows, options, scheme, jobs, progress) -> list[GradeRow]:
    """Chunks of rows graded by a pool of spawned processes, results kept in input order.

    Spawned (not forked) workers start clean of the parent's threads and locks; on
    Ctrl-C or any error the pool is terminated, so no worker outlives the command.
    """
    import multiprocessing

    size = max(CHUNK_ROWS, -(-len(rows) // (jobs * 8)))
    chunks = [rows[i : i + size] for i in range(0, len(rows), size)]
    pool = multiprocessing.get_context("spawn").Pool(jobs, initializer=_ignore_interrupts)
    out: list[GradeRow] = []
    try:
        work = functools.partial(_grade_chunk, options=options, scheme=scheme)
        for chunk, graded in zip(chunks, pool.imap(work, chunks), strict=True):
            out.extend(graded)
            if progress is not None:
                progress(chunk)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    return out


def _row_options(row, result, default_cell, default_T, questions, variant_seed=None) -> dict:
    from symbrnn.engine.cells import OPTIONS, chosen_options

    options = {"cell": default_cell, "bias": True, "activation": None, "reset_after": False}
    options |= {"T": default_T, "paths": "all", "marks": None}
    seed = _variant(row, variant_seed)
    result.variant = "" if seed is None else seed
    if result.question:
        if questions is None:
            raise InputError.said("grade.error.question_sheet")
        asked = questions(result.question, seed)
        options |= {"cell": asked.cell, **asked.cell_options, "paths": asked.paths or "all"}
        options |= {"T": asked.T or options["T"], "hypothesis": dict(asked.hypothesis) or None}
        options["marks"] = asked.marks and asked.marks.scheme()
        result.quantity = result.quantity or asked.quantity
    if not result.quantity:
        raise InputError.said("grade.error.empty_quantity")
    # a row may name its cell and that cell's options (columns cell, activation, bias,
    # reset_after: the registry's), read as a sheet's check and a web request read them
    options |= chosen_options(row, base={k: options[k] for k in ("cell", *OPTIONS)})
    if str(row.get("paths", "")).strip():
        options["paths"] = str(row["paths"]).strip()
    # the CSV reader lowers column names: a "T" column arrives as "t"
    raw = str(row.get("t", "") or row.get("T", "")).strip()
    if raw:
        if not raw.isdigit() or len(raw) > 4 or int(raw) < 1:
            raise InputError.said("grade.error.T", got=repr(raw[:20]))
        options["T"] = int(raw)
    return options


def _variant(row, default):
    """The row's variant seed (a ``variant`` column), else the file's."""
    raw = str(row.get("variant", "")).strip()
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 10 or int(raw) > MAX_SEED:
        raise InputError.said("grade.error.variant", top=MAX_SEED, got=repr(raw[:20]))
    return int(raw)


def _score(verdict, scheme) -> float:
    """``correct`` for a right answer; else the best credit of its answer notes, or the
    follow-through credit of its right steps before the first wrong one."""
    if verdict.outcome == "equivalent":
        return scheme["correct"]
    notes = max((scheme["notes"].get(code, 0.0) for code in verdict.answer_notes), default=0.0)
    follow = min(scheme.get("step", 0.0) * verdict.right_steps_before_wrong, scheme["correct"])
    return max(notes, follow)


def load_overrides(path: str | None) -> dict:
    """A teacher's decisions on groups of answers (TOML): ``[groups] be1be5d7c6c7 = 0.5``,
    the group key of the report and the score every answer of that group gets."""
    if path is None:
        return {}
    data = _read_toml(path, "grade.error.override_file")
    groups = data.get("groups")
    if set(data) - {"groups"} or not isinstance(groups, dict):
        raise InputError.said("grade.error.override_table", path=path)
    out = {}
    for key, score in groups.items():
        if not (
            isinstance(key, str) and len(key) == 12 and all(c in "0123456789abcdef" for c in key)
        ):
            raise InputError.said("grade.error.override_key", path=path, key=repr(str(key)[:20]))
        if not isinstance(score, int | float) or isinstance(score, bool):
            raise InputError.said("grade.error.override_score", path=path, key=key)
        out[key] = float(score)
    return out


def _read_toml(path: str, what: str) -> dict:
    """A teacher's TOML file (a marking scheme, an override file: ``what``, a key of the
    word book), read with one clear line."""
    file = Msg.of(what)
    if not Path(path).exists():
        raise InputError.said("grade.error.not_found", file=file, path=path)
    try:
        return tomllib.loads(read_text(path, 1_000_000, f"{file.text()} {path}"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError.said(
            "grade.error.toml", file=file, path=path, reason=str(exc)[:200]
        ) from None
    except RecursionError:
        raise InputError.said("grade.error.nested", file=file, path=path) from None


def apply_overrides(results: list[GradeRow], overrides: dict) -> int:
    """Every answer of an overridden group gets the teacher's score; how many changed."""
    changed = 0
    for r in results:
        if r.group in overrides:
            r.score = overrides[r.group]
            r.answer_notes = (r.answer_notes + " OVERRIDE").strip()
            changed += 1
    return changed
