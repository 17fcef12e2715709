"""The case store: disputes kept locally in SQLite, with their facts, timeline and evidence checklist.

Safe by construction: WAL journal, every change in one IMMEDIATE transaction (retried while another process
holds the lock), the schema version in `PRAGMA user_version` with forward-only migrations, our mark in
`PRAGMA application_id`. The file is created on the first write, never on a read or at import, and it is
created whole: the schema is written to a private temporary file that is then linked into place, so a second
process starting at the same moment sees either no store or a complete one, never a half-made file.

A file that is not ours (not SQLite, someone else's database, empty, a FIFO, a dangling link, damaged, from a
newer weiquan) is refused with one line that says what it is, and it is left exactly as it was: it is only
ever opened read-only before it has been recognised. Private: the folder is 0700, the store 0600.

The store knows nothing of the knowledge base: deadlines are computed from the facts each time a case is read
(assistant.casefile), and what an event means is decided there too.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import secrets
import sqlite3
import stat
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

SCHEMA_VERSION = 2
IDENTIFY_ATTEMPTS = 4  # a lock-free look at a file being checkpointed can read a torn page: look again
APPLICATION_ID = 0x77714A31  # "wqJ1": marks the file as a weiquan case store
_SQLITE_MAGIC = b"SQLite format 3\x00"
_MIGRATIONS = {
    1: """
        CREATE TABLE cases (
            id TEXT PRIMARY KEY,
            scenario TEXT NOT NULL,
            title TEXT NOT NULL,
            lang TEXT NOT NULL DEFAULT 'zh',
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            closed TEXT
        );
        CREATE TABLE facts (
            case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            source TEXT NOT NULL,
            PRIMARY KEY (case_id, name)
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            kind TEXT NOT NULL,
            note TEXT NOT NULL,
            created TEXT NOT NULL
        );
        CREATE TABLE evidence (
            case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            item INTEGER NOT NULL,
            PRIMARY KEY (case_id, item)
        )
    """,
    # Stages (the scenario a dispute has moved on to) and the evidence checklist kept in the store, item
    # texts included, so a ticked item stays the same item whatever the knowledge base becomes.
    2: """
        ALTER TABLE cases ADD COLUMN stage TEXT;
        ALTER TABLE cases ADD COLUMN stages TEXT NOT NULL DEFAULT '[]';
        CREATE TABLE checklist (
            case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            zh TEXT NOT NULL,
            en TEXT NOT NULL,
            have INTEGER NOT NULL DEFAULT 0 CHECK (have IN (0, 1)),
            PRIMARY KEY (case_id, position)
        )
    """,
}
_TABLES = {"cases", "facts", "events", "evidence"}
_BUSY_TRIES = 5


class StoreError(Exception):
    """The store cannot be used (not ours, damaged, newer, read-only, disk full); one line, exit 1."""


class CaseNotFound(StoreError):
    pass


class CaseClosed(StoreError):
    """A closed case is not changed (reopening is not a thing yet); one line, exit 2."""


@dataclass
class Event:
    date: dt.date
    kind: str
    note: str


@dataclass
class Item:
    """One line of the evidence checklist."""

    zh: str
    en: str
    have: bool = False

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass
class Case:
    id: str
    scenario: str  # what the dispute is about (fake_goods …)
    title: str
    lang: str
    status: str
    created: str
    updated: str
    stage: str | None = None  # the scenario of the stage it has moved on to, None while at the first
    stages: list[str] = field(default_factory=list)  # every stage it went through, oldest first
    facts: dict[str, tuple[Any, str]] = field(default_factory=dict)  # name → (value, source)
    events: list[Event] = field(default_factory=list)
    checklist: list[Item] = field(default_factory=list)
    legacy_evidence: set[int] = field(default_factory=set)  # ticks by index, from schema 1
    problems: list[str] = field(default_factory=list)  # what could not be read back, said to the user

    @property
    def current(self) -> str:
        """The scenario whose rules apply now."""
        return self.stage or self.scenario


@dataclass
class Change:
    """What one `update` did, so a command can say it."""

    facts: list[str] = field(default_factory=list)
    event: str | None = None  # the kind recorded
    stage: str | None = None  # the stage moved to
    ticked: list[int] = field(default_factory=list)
    unticked: list[int] = field(default_factory=list)
    added_items: int = 0


def _text(value: str) -> str:
    """Text that can be kept: valid Unicode (a lone surrogate is what undecodable bytes become)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("the text is not valid Unicode (undecodable bytes?); nothing was kept") from None
    return value


def _encode(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} is not a number that can be kept")
    if isinstance(value, str):
        _text(value)
    return json.dumps(value.isoformat() if isinstance(value, dt.date) else value, ensure_ascii=False, allow_nan=False)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def new_id(today: dt.date, taken: Callable[[str], bool], token: Callable[[int], str] = secrets.token_hex) -> str:
    """YYYYMMDD-xxxx; the random part grows when a day's short ids run out, so this always ends."""
    for attempt in range(10_000):
        case_id = f"{today:%Y%m%d}-{token(2 + attempt // 16)}"
        if not taken(case_id):
            return case_id
    raise StoreError("could not find a free case id")  # pragma: no cover - needs a broken random source


class CaseStore:
    def __init__(self, path: Path | None = None):
        if path is None:
            from knowledge_base.locations import user_home

            path = user_home() / "cases.sqlite3"
        self.path = Path(path)

    # ------------------------------------------------------------------ recognising the file

    def _inspect(self) -> str:
        """'missing', or 'file' for a regular file that may be ours; anything else is refused here."""
        try:
            link = os.lstat(self.path)
        except FileNotFoundError:
            return "missing"
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot be read ({exc.strerror})") from None
        if stat.S_ISLNK(link.st_mode):
            try:
                os.stat(self.path)
            except FileNotFoundError:
                raise StoreError(f"{self.path} is a symbolic link to a missing file, not a case store; it was left untouched") from None
        info = os.stat(self.path)
        if stat.S_ISDIR(info.st_mode):
            raise StoreError(f"{self.path} is a folder, not a case store; it was left untouched")
        if not stat.S_ISREG(info.st_mode):
            kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "not a regular file"
            raise StoreError(f"{self.path} is {kind}, not a case store; it was left untouched")
        if info.st_size == 0:
            raise StoreError(f"{self.path} is an empty file, not a case store (weiquan never leaves one); it was left untouched")
        try:
            with open(self.path, "rb") as handle:
                header = handle.read(100)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot be read ({exc.strerror})") from None
        if not header.startswith(_SQLITE_MAGIC):
            raise StoreError(f"{self.path} is not a weiquan case store (not an SQLite file); it was left untouched")
        if len(header) == 100:
            application_id = int.from_bytes(header[68:72], "big")
            if application_id not in (0, APPLICATION_ID):
                raise StoreError(f"{self.path} is an SQLite file of another program, not a weiquan case store; it was left untouched")
        return "file"

    def _open(self, *, readonly: bool, identify: bool = False) -> sqlite3.Connection:
        folder_writable = os.access(self.path.parent, os.W_OK)
        if identify:
            # the main file only, no lock, no WAL index: recognising a file touches nothing beside it
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
        elif readonly:
            # read-only never writes (a foreign WAL is not checkpointed into the file); in a read-only folder
            # nobody can be writing, and the WAL index cannot be made, so the file is read as it stands
            mode = "ro" if folder_writable else "ro&immutable=1"
            uri = f"{self.path.resolve().as_uri()}?mode={mode}"
        else:
            uri = f"{self.path.resolve().as_uri()}?mode=rw"
        conn = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None, check_same_thread=False)
        conn.text_factory = lambda raw: raw.decode("utf-8", "replace")  # a flipped bit is a wrong letter, not a crash
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA secure_delete = ON")  # a deleted case does not linger in free pages
        return conn

    def _check(self, conn: sqlite3.Connection) -> int:
        """The schema version of a file that is ours; refuses anything else."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer weiquan (schema {version}, this one knows {SCHEMA_VERSION}); it was left untouched")
        if version == 0 or not _TABLES <= tables:
            raise StoreError(f"{self.path} is an SQLite file of something else, not a weiquan case store; it was left untouched")
        return version

    def _check_copy(self) -> None:
        """Recognise a file whose schema is only in its WAL by reading a private copy: the originals (and
        their WAL index) are never opened, so someone else's database is not changed by looking at it."""
        import shutil
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "store.sqlite3"
            shutil.copyfile(self.path, copy)
            shutil.copyfile(f"{self.path}-wal", f"{copy}-wal")
            with closing(sqlite3.connect(copy)) as conn:
                try:
                    CaseStore(copy)._check(conn)
                except StoreError as exc:
                    raise StoreError(str(exc).replace(str(copy), str(self.path))) from None

    def _connect(self, *, write: bool) -> sqlite3.Connection | None:
        """Open and check the store. None when reading a store that does not exist yet."""
        if self._inspect() == "missing":
            if not write:
                return None
            self._create()
        conn = None
        try:
            self._identify()
            conn = self._open(readonly=not write)
            version = self._check(conn)
            if write and version < SCHEMA_VERSION:
                self._migrate(conn)
            return conn
        except StoreError:
            if conn is not None:
                conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
            raise self._explain(exc, write) from None

    def _identify(self) -> None:
        """Recognise the file as ours before opening it for real. The look is lock-free (it must not touch
        someone else's database), so it can catch the file in the middle of another process's checkpoint and
        read a torn page: "malformed" is looked at again, briefly, before the file is called damaged."""
        for attempt in range(IDENTIFY_ATTEMPTS):
            try:
                with closing(self._open(readonly=True, identify=True)) as conn:
                    empty = not conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
                    if not (empty and os.path.exists(f"{self.path}-wal")):
                        self._check(conn)
                        return
                self._check_copy()  # the schema may be only in a WAL that was never checkpointed
                return
            except sqlite3.DatabaseError as exc:
                if attempt + 1 == IDENTIFY_ATTEMPTS or "malformed" not in str(exc).lower():
                    raise
                time.sleep(0.05 * (attempt + 1))

    def _explain(self, exc: sqlite3.DatabaseError, write: bool) -> StoreError:
        """The truth about a failure: read-only, full, locked, or damaged."""
        message = str(exc).lower()
        if "readonly" in message or "read-only" in message or (write and not os.access(self.path.parent, os.W_OK)):
            return StoreError(f"{self.path}: the folder or file is read-only, so nothing was changed (the cases are intact)")
        if "full" in message:
            return StoreError(f"{self.path}: the disk is full, so nothing was changed (the cases are intact)")
        if "locked" in message or "busy" in message:
            return StoreError(f"{self.path}: another program holds the store; nothing was changed, try again")
        if "unable to open" in message:
            return StoreError(f"{self.path}: cannot be opened ({exc}); it was left untouched")
        return StoreError(f"{self.path} is not a weiquan case store or is damaged ({exc}); it was left untouched")

    def _create(self) -> None:
        """Write a complete, empty store beside the path and link it into place (atomic, never half made)."""
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(folder, 0o700)  # it holds names, phones and addresses: the user's eyes only
        except OSError as exc:
            raise StoreError(f"{folder}: cannot create the folder ({exc.strerror})") from None
        temp = folder / f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.new"
        try:
            os.close(os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            with closing(sqlite3.connect(temp, isolation_level=None)) as conn:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("BEGIN IMMEDIATE")
                for version in range(1, SCHEMA_VERSION + 1):
                    _apply(conn, version)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute("COMMIT")
            try:
                os.link(temp, self.path)  # fails if another process got there first: then theirs is used
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                if not os.path.lexists(self.path):
                    os.replace(temp, self.path)
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc, True) from None
        except OSError as exc:
            if exc.errno == 28:
                raise StoreError(f"{folder}: the disk is full, so no case store could be created") from None
            raise StoreError(f"{folder}: cannot create the case store ({exc.strerror})") from None
        finally:
            for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
                try:
                    leftover.unlink()
                except OSError:
                    pass

    def _migrate(self, conn: sqlite3.Connection) -> None:
        with _Transaction(conn, close=False):
            current = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it
            for target in range(current + 1, SCHEMA_VERSION + 1):
                _apply(conn, target)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def _write(self, change: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run one change in one IMMEDIATE transaction; retried while another writer holds the lock."""
        for attempt in range(_BUSY_TRIES):
            conn = self._connect(write=True)
            try:
                with _Transaction(conn, close=True):
                    return change(conn)
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc) or "busy" in str(exc)
                if busy and attempt + 1 < _BUSY_TRIES:
                    time.sleep(0.05 * (attempt + 1))
                    continue
                raise self._explain(exc, True) from None
            except sqlite3.DatabaseError as exc:
                raise self._explain(exc, True) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, read: Callable[[sqlite3.Connection], Any], empty: Callable[[], Any]) -> Any:
        conn = self._connect(write=False)
        if conn is None:
            return empty()
        try:
            with closing(conn):
                return read(conn)
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc, False) from None

    # ------------------------------------------------------------------ changes (one transaction each)

    def create(self, scenario: str, title: str, lang: str, facts: dict[str, tuple[Any, str]], today: dt.date,
               checklist: list[tuple[str, str]] | None = None, ticked: set[int] | None = None) -> str:
        encoded = {_text(name): (_encode(value), source) for name, (value, source) in facts.items()}
        _text(title)

        def change(conn):
            case_id = new_id(today, lambda i: conn.execute("SELECT 1 FROM cases WHERE id = ?", (i,)).fetchone() is not None)
            now = _now()
            conn.execute("INSERT INTO cases (id, scenario, title, lang, created, updated, stages) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (case_id, scenario, title, lang, now, now, json.dumps([scenario])))
            for name, (value, source) in encoded.items():
                conn.execute("INSERT INTO facts (case_id, name, value, source) VALUES (?, ?, ?, ?)", (case_id, name, value, source))
            conn.execute("INSERT INTO events (case_id, date, kind, note, created) VALUES (?, ?, 'opened', ?, ?)",
                         (case_id, today.isoformat(), title, now))
            conn.executemany("INSERT INTO checklist (case_id, position, zh, en, have) VALUES (?, ?, ?, ?, ?)",
                             [(case_id, n, zh, en, int(n in (ticked or ()))) for n, (zh, en) in enumerate(checklist or [])])
            return case_id

        return self._write(change)

    def update(self, case_id: str, *, facts: dict[str, tuple[Any, str]] | None = None, event: Event | None = None,
               stage: str | None = None, tick: dict[int, bool] | None = None, add_items: list[tuple[str, str]] | None = None,
               only_if_unchanged: dict[str, Any] | None = None) -> Change:
        """Change an open case in one transaction. `only_if_unchanged` (name → value last seen) skips a fact
        that was changed meanwhile by someone else, so a stale writer never reverts a correction."""
        encoded = {_text(name): (_encode(value), source) for name, (value, source) in (facts or {}).items()}
        if event is not None:
            _text(event.note)
        seen = {name: _encode(value) for name, value in (only_if_unchanged or {}).items()}

        def apply(conn) -> Change:
            done = Change()
            row = self._require(conn, case_id, open_only=True)
            for name, (value, source) in encoded.items():
                stored = conn.execute("SELECT value FROM facts WHERE case_id = ? AND name = ?", (case_id, name)).fetchone()
                if name in seen and (stored[0] if stored else "null") not in (seen[name], value):
                    continue  # changed by someone else since this writer read it: theirs stands
                if stored and stored[0] == value:
                    continue
                conn.execute("INSERT INTO facts (case_id, name, value, source) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (case_id, name) DO UPDATE SET value = excluded.value, source = excluded.source",
                             (case_id, name, value, source))
                done.facts.append(name)
            if event is not None:
                conn.execute("INSERT INTO events (case_id, date, kind, note, created) VALUES (?, ?, ?, ?, ?)",
                             (case_id, event.date.isoformat(), event.kind, event.note, _now()))
                done.event = event.kind
            if stage is not None and stage != (row["stage"] or row["scenario"]):
                stages = _stages(row["stages"], row["scenario"])
                if stage not in stages:
                    stages.append(stage)
                conn.execute("UPDATE cases SET stage = ?, stages = ? WHERE id = ?",
                             (None if stage == row["scenario"] else stage, json.dumps(stages), case_id))
                done.stage = stage
            if add_items:
                count = conn.execute("SELECT COUNT(*) FROM checklist WHERE case_id = ?", (case_id,)).fetchone()[0]
                conn.executemany("INSERT INTO checklist (case_id, position, zh, en) VALUES (?, ?, ?, ?)",
                                 [(case_id, count + n, zh, en) for n, (zh, en) in enumerate(add_items)])
                done.added_items = len(add_items)
            for position, have in sorted((tick or {}).items()):
                cursor = conn.execute("UPDATE checklist SET have = ? WHERE case_id = ? AND position = ? AND have != ?",
                                      (int(have), case_id, position, int(have)))
                if cursor.rowcount:
                    (done.ticked if have else done.unticked).append(position)
            if done.facts or done.event or done.stage or done.added_items or done.ticked or done.unticked:
                conn.execute("UPDATE cases SET updated = ? WHERE id = ?", (_now(), case_id))
            return done

        return self._write(apply)

    def close(self, case_id: str, today: dt.date) -> bool:
        """Close a case; False (and nothing recorded) when it was closed already."""

        def change(conn) -> bool:
            row = self._require(conn, case_id)
            if row["status"] == "closed":
                return False
            now = _now()
            conn.execute("UPDATE cases SET status = 'closed', closed = ?, updated = ? WHERE id = ?", (now, now, case_id))
            conn.execute("INSERT INTO events (case_id, date, kind, note, created) VALUES (?, ?, 'closed', 'closed', ?)",
                         (case_id, today.isoformat(), now))
            return True

        return self._write(change)

    def delete(self, case_id: str) -> None:
        def change(conn) -> None:
            self._require(conn, case_id)
            conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))  # facts, events, checklist cascade

        self._write(change)

    def purge(self) -> int:
        """Remove the store file itself (and its journal files): every case, gone. Returns how many there were."""
        if self._inspect() == "missing":
            return 0
        count = self._read(lambda conn: conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0], lambda: 0)
        conn = self._connect(write=True)  # take the write lock so no writer is half-way through
        try:
            conn.execute("BEGIN EXCLUSIVE")
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(f"{self.path}{suffix}")
                except FileNotFoundError:
                    pass
            conn.execute("ROLLBACK")
        except sqlite3.DatabaseError as exc:
            raise self._explain(exc, True) from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot remove the store ({exc.strerror})") from None
        finally:
            conn.close()
        return count

    # ------------------------------------------------------------------ reading

    def _require(self, conn, case_id: str, *, open_only: bool = False) -> sqlite3.Row:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM cases WHERE id = ?", (case_id,)).fetchone()
        conn.row_factory = None
        if row is None:
            raise CaseNotFound(f"no case {case_id!r} (see 'weiquan case list')")
        if open_only and row["status"] == "closed":
            raise CaseClosed(f"case {case_id} is closed; a closed case is kept as it was")
        return row

    def list(self) -> list[Case]:
        def read(conn):
            ids = [r[0] for r in conn.execute("SELECT id FROM cases ORDER BY created, id")]
            return [self._load(conn, i) for i in ids]

        return self._read(read, list)

    def get(self, case_id: str) -> Case:
        def read(conn):
            self._require(conn, case_id)
            return self._load(conn, case_id)

        def empty():
            raise CaseNotFound(f"no case {case_id!r} (there are no cases yet)")

        return self._read(read, empty)

    def _load(self, conn, case_id: str) -> Case:
        """One case; a value that cannot be read back is left out and named in `problems`, never fatal."""
        row = self._require(conn, case_id)
        case = Case(row["id"], row["scenario"], row["title"], row["lang"], row["status"], row["created"], row["updated"],
                    row["stage"], _stages(row["stages"], row["scenario"]))
        for name, value, source in conn.execute("SELECT name, value, source FROM facts WHERE case_id = ? ORDER BY rowid", (case_id,)):
            try:
                case.facts[name] = (json.loads(value), source)
            except ValueError:
                case.problems.append(f"fact {name}: stored value {value[:40]!r} cannot be read")
        for date, kind, note in conn.execute("SELECT date, kind, note FROM events WHERE case_id = ? ORDER BY date, id", (case_id,)):
            try:
                case.events.append(Event(dt.date.fromisoformat(date), kind, note))
            except ValueError:
                case.problems.append(f"event {note[:40]!r}: stored date {date[:20]!r} cannot be read")
        case.checklist = [Item(zh, en, bool(have)) for zh, en, have in
                          conn.execute("SELECT zh, en, have FROM checklist WHERE case_id = ? ORDER BY position", (case_id,))]
        case.legacy_evidence = {r[0] for r in conn.execute("SELECT item FROM evidence WHERE case_id = ?", (case_id,))}
        return case


def _stages(raw: str | None, scenario: str) -> list[str]:
    try:
        stages = json.loads(raw or "[]")
    except ValueError:
        stages = []
    stages = [s for s in stages if isinstance(s, str)] if isinstance(stages, list) else []
    return stages or [scenario]


def _apply(conn: sqlite3.Connection, version: int) -> None:
    # statements one by one: executescript would commit in the middle of the transaction
    for statement in filter(str.strip, _MIGRATIONS[version].split(";")):
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")


class _Transaction:
    """`with _Transaction(conn)`: BEGIN IMMEDIATE … COMMIT, ROLLBACK on any error, then (optionally) close."""

    def __init__(self, conn: sqlite3.Connection, *, close: bool):
        self.conn, self.close = conn, close

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK" if kind else "COMMIT")
        finally:
            if self.close:
                self.conn.close()
