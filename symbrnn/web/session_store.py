"""A TD session's record: one SQLite file (the standard library's ``sqlite3``) per session.

The file holds the roster (each student's id, name, variant seed and personal token), the
teacher's token, and every submission (student, question, variant, answer, status,
answer notes, first wrong step, score, time). It is written in WAL mode with
``synchronous=FULL``: a submission is committed (its log synced to the disk) before its
verdict is returned, so neither a restart nor a ``kill -9`` loses an acknowledged one.

The schema is versioned (``PRAGMA user_version``): :data:`MIGRATIONS` holds one script per
version, and opening a file runs the scripts it has not seen, in one transaction, so a
newer symbrnn opens an older session file.

>>> import tempfile, os
>>> store = SessionStore(os.path.join(tempfile.mkdtemp(), "td.sqlite"))
>>> store.add_students([Student("s1", "Ana", 7)])
1
>>> store.student_by_token(store.students()[0].token).name
'Ana'
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass, fields
from pathlib import Path

from symbrnn.errors import InputError

SCHEMA_VERSION = 2
MAX_DRAWN_SEED = 99_999  # a drawn variant: a number a student can read out

# one script per version: version N is reached by running MIGRATIONS[N - 1]
MIGRATIONS = (
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE students (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, seed INTEGER NOT NULL,
        token TEXT NOT NULL UNIQUE, drawn INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE submissions (
        n INTEGER PRIMARY KEY AUTOINCREMENT, student TEXT NOT NULL REFERENCES students(id),
        question TEXT NOT NULL, variant INTEGER NOT NULL, answer TEXT NOT NULL,
        status TEXT NOT NULL, answer_notes TEXT NOT NULL, first_wrong_step INTEGER,
        score REAL NOT NULL, time REAL NOT NULL);
    """,
    # v2: the answer's group (answers equal in meaning share it) and its diagnosis, for the
    # dashboard; the roster's id column (what a gradebook matches on)
    """
    ALTER TABLE submissions ADD COLUMN answer_group TEXT NOT NULL DEFAULT '';
    ALTER TABLE submissions ADD COLUMN diagnosis TEXT NOT NULL DEFAULT '';
    CREATE INDEX submissions_by_question ON submissions(question, student);
    INSERT OR IGNORE INTO meta VALUES ('id_column', 'id');
    """,
)


@dataclass(frozen=True)
class Student:
    """A student of the roster: ``id`` (what a gradebook matches on), ``name``, the variant
    ``seed`` (None: drawn when the session opens, then kept), the link's ``token``."""

    id: str
    name: str
    seed: int | None = None
    token: str = ""
    drawn: bool = False


@dataclass(frozen=True)
class Submission:
    """One answer as it was judged, as it is stored."""

    student: str
    question: str
    variant: int
    answer: str
    status: str
    answer_notes: str = ""
    first_wrong_step: int | None = None
    score: float = 0.0
    time: float = 0.0
    answer_group: str = ""
    diagnosis: str = ""
    n: int = 0


# the submissions table's columns: the row's number first
COLUMNS = ("n", *(f.name for f in fields(Submission) if f.name != "n"))


def migrate(db: sqlite3.Connection) -> int:
    """Bring a session file to :data:`SCHEMA_VERSION` (the scripts it has not run, in one
    transaction); the version it had. A file of a newer symbrnn is refused."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise InputError.said("session.error.schema", version=version, top=SCHEMA_VERSION)
    if version < SCHEMA_VERSION:
        with db:
            db.execute("BEGIN IMMEDIATE")
            for script in MIGRATIONS[version:]:
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return version


class SessionStore:
    """The session file, opened once by a server (its threads share one connection, one
    writer at a time)."""

    def __init__(self, path: str | Path, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise InputError.said("session.error.not_found", path=self.path)
        try:
            self.db = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, timeout=30
            )
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.version_found = migrate(self.db)
        except sqlite3.DatabaseError as exc:
            raise InputError.said("session.error.not_session", path=self.path, reason=exc) from None
        self.lock = threading.Lock()
        self.turn = threading.Condition()  # the group commit's queue (see record)
        self._pending: list = []
        self._queued = self._done = 0
        self._writing = False
        self._outcome: dict = {}
        self._by_token = {s.token: s for s in self.students()}
        if self.meta("teacher_token") is None:
            self.set_meta("teacher_token", secrets.token_urlsafe(24))

    def close(self) -> None:
        with self.lock:
            self.db.close()

    def _read(self, query: str, args: tuple = ()) -> list[tuple]:
        with self.lock:
            return self.db.execute(query, args).fetchall()

    def meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.lock, self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def teacher_token(self) -> str:
        return self.meta("teacher_token") or ""

    def add_students(self, students) -> int:
        """Add the roster's students not yet in the session (a student already there keeps
        their token and variant); each gets a token, and a drawn variant when the roster
        gives none. How many were added."""
        added = 0
        with self.lock, self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for s in students:
                drawn = s.seed is None
                seed = secrets.randbelow(MAX_DRAWN_SEED + 1) if drawn else s.seed
                cursor = self.db.execute(
                    "INSERT OR IGNORE INTO students VALUES (?, ?, ?, ?, ?)",
                    (s.id, s.name, seed, secrets.token_urlsafe(24), int(drawn)),
                )
                added += cursor.rowcount
        self._by_token = {s.token: s for s in self.students()}
        return added

    def students(self) -> list[Student]:
        rows = self._read("SELECT id, name, seed, token, drawn FROM students ORDER BY rowid")
        return [Student(i, n, s, t, bool(d)) for i, n, s, t, d in rows]

    def student_by_token(self, token: str) -> Student | None:
        """The student whose link holds ``token``, else None (a dict lookup hashes the
        token: its time does not tell how much of a guess was right)."""
        return self._by_token.get(str(token))

    def is_teacher(self, token: str) -> bool:
        return secrets.compare_digest(self.teacher_token.encode(), str(token).encode())

    def record(self, sub: Submission) -> int:
        """Store a submission and commit it (synced) before returning its number.

        Group commit: the submissions that arrive while a commit is under way wait for the
        next one, which writes them all in one transaction (one sync of the log for a
        class's burst, not one per student); each returns once its own row is committed."""
        values = [getattr(sub, c) for c in COLUMNS[1:]]
        values[COLUMNS.index("time") - 1] = sub.time or time.time()
        with self.turn:
            ticket = self._queued
            self._queued += 1
            self._pending.append(values)
            while ticket >= self._done:
                if self._writing:
                    self.turn.wait()
                    continue
                self._write_pending()
            out = self._outcome.pop(ticket)
        if isinstance(out, BaseException):
            raise out
        return out

    def _write_pending(self) -> None:
        """Write every waiting submission in one transaction (called holding ``turn``)."""
        batch, self._pending, first = self._pending, [], self._done
        self._writing = True
        self.turn.release()
        marks = ", ".join("?" * (len(COLUMNS) - 1))
        insert = f"INSERT INTO submissions ({', '.join(COLUMNS[1:])}) VALUES ({marks})"
        try:
            with self.lock, self.db:
                self.db.execute("BEGIN IMMEDIATE")
                outcome = [self.db.execute(insert, values).lastrowid for values in batch]
        except BaseException as exc:  # every waiter of the batch hears of it
            outcome = [exc] * len(batch)
        finally:
            self.turn.acquire()
        self._outcome.update(zip(range(first, first + len(batch)), outcome, strict=True))
        self._done, self._writing = first + len(batch), False
        self.turn.notify_all()

    def submissions(self) -> list[Submission]:
        """Every submission in the order it came."""
        rows = self._read(f"SELECT {', '.join(COLUMNS)} FROM submissions ORDER BY n")
        return [Submission(**dict(zip(COLUMNS, r, strict=True))) for r in rows]

    def count(self) -> int:
        return self._read("SELECT count(*) FROM submissions")[0][0]
