"""What a TD session's routes answer: a student's check (stored before it is answered),
a question of the student's variant, the teacher's dashboard.

Each answer is built from the fields listed for it (``web.allowlist.build``): a student's
check gets the class's verdict (no expected formula, no key), the dashboard its counts
and groups. Nothing else of the record leaves the server.
"""

from __future__ import annotations

import functools
import time

from symbrnn.web.allowlist import LEAF, QUESTION, VERDICT, build, leaves
from symbrnn.web.app import SHEET, api_check, api_question, questions
from symbrnn.web.exchange import choice, once
from symbrnn.web.messages import RequestError, field
from symbrnn.web.session_store import SessionStore, Student, Submission

MAX_ANSWER = 8_000  # characters of one answer
STATUS = {"equivalent": "correct", "not_equivalent": "wrong"}  # else: cannot judge

# what a student's check returns: the class's verdict, and that it was saved
CHECKED = {**VERDICT, "stored": LEAF}
GROUP = leaves("group status diagnosis answer_notes answer count students")
DASHBOARD = {
    **leaves("students submissions not_started"),
    "questions": [leaves("id answered right mean_score not_started") | {"groups": [GROUP]}],
}


def _question(data) -> str:
    return choice(str(data.get("question") or data.get("id") or ""), questions(), "question")


def question_of(student: Student, params, lang: str) -> dict:
    """A question as the student's variant words it."""
    key = (_question(params), student.seed, lang)
    return once(("question", *key), functools.partial(_question_text, *key))


@functools.lru_cache(maxsize=2048)
def _question_text(question: str, seed: int, lang: str) -> dict:
    """A question's text for a variant, rendered once (a class opens the same pages)."""
    asked = {"id": question, "variant_seed": seed, "lang": lang}
    return build(api_question(asked), QUESTION)


def submit(store: SessionStore, student: Student, data: dict, lang: str) -> dict:
    """Judge a student's answer to a question of their variant, store it (committed),
    then return the class's verdict. An unreadable answer is stored as ``malformed``
    and its error raised."""
    from symbrnn.judge.messages import JudgeError

    question = _question(data)
    answer = data.get("answer")
    if not isinstance(answer, str):
        raise RequestError("web.answer_text")
    if len(answer) > MAX_ANSWER:
        raise RequestError("web.answer_size", 413, limit=MAX_ANSWER)
    stored = {"student": student.id, "question": question, "variant": student.seed}
    stored |= {"answer": answer, "time": time.time()}
    asked = {"question": question, "answer": answer, "variant_seed": student.seed, "lang": lang}
    try:
        verdict = once(tuple(sorted(asked.items())), functools.partial(api_check, asked))
    except JudgeError as exc:
        store.record(Submission(**stored, status="malformed", diagnosis=exc.text(lang, field)))
        raise
    first = verdict.get("first_wrong_step")
    store.record(
        Submission(
            **stored,
            status=STATUS.get(verdict["outcome"], "cannot judge"),
            answer_notes=" ".join(verdict.get("answer_notes") or ()),
            first_wrong_step=first if len(verdict.get("steps") or ()) > 1 else None,
            score=score(question, verdict),
            answer_group=verdict.get("group") or "",
            diagnosis="; ".join(verdict.get("diagnosis") or ()) or verdict.get("note") or "",
        )
    )
    return build(verdict | {"stored": True}, CHECKED)


@functools.cache
def _marks(question: str) -> dict:
    from symbrnn.sheets import load

    return load(SHEET).question(question).scheme(None)


def score(question: str, verdict: dict) -> float:
    """The question's points for a right answer, else the best credit of its answer notes
    (the sheet's marking, as ``grade --sheet`` marks it)."""
    marks = _marks(question)
    if verdict.get("outcome") == "equivalent":
        return marks["correct"]
    notes = verdict.get("answer_notes") or ()
    return max((marks["notes"].get(code, 0.0) for code in notes), default=0.0)


def latest(subs: list[Submission], attempt: str = "last") -> dict[tuple[str, str], Submission]:
    """One submission per (student, question): the last one, or the best scored (the
    latest of equal scores)."""
    out: dict = {}
    for sub in subs:
        key = (sub.student, sub.question)
        if attempt == "best" and key in out and out[key].score > sub.score:
            continue
        out[key] = sub
    return out


def dashboard(store: SessionStore) -> dict:
    """Per question: how many students are right (their last answer), the answers grouped
    by meaning with their diagnosis and count, who has not answered; who has not started."""
    students = store.students()
    names = {s.id: s.name for s in students}
    subs = store.submissions()
    last = latest(subs)
    started = {s.student for s in subs}
    out = []
    for question in questions():
        answers = [sub for (_, q), sub in last.items() if q == question]
        by_meaning: dict = {}
        for sub in answers:
            by_meaning.setdefault((sub.status, sub.answer_group or sub.answer), []).append(sub)
        answered = {sub.student for sub in answers}
        out.append(
            {
                "id": question,
                "answered": len(answers),
                "right": sum(sub.status == "correct" for sub in answers),
                "mean_score": sum(s.score for s in answers) / len(answers) if answers else None,
                "not_started": [s.name for s in students if s.id not in answered],
                "groups": [
                    _group(same, names)
                    for same in sorted(by_meaning.values(), key=len, reverse=True)
                ],
            }
        )
    data = {
        "students": len(students),
        "submissions": len(subs),
        "not_started": [s.name for s in students if s.id not in started],
        "questions": out,
    }
    return build(data, DASHBOARD)


def _group(same: list[Submission], names: dict) -> dict:
    """The answers equal in meaning: the first one's words, how many, who."""
    sub = same[0]
    return {
        "group": sub.answer_group,
        "status": sub.status,
        "diagnosis": sub.diagnosis,
        "answer_notes": sub.answer_notes,
        "answer": sub.answer[:500],
        "count": len(same),
        "students": sorted(names.get(s.student, s.student) for s in same),
    }
