"""The case store: disputes kept locally in SQLite, with their facts, timeline and evidence.

Safe by construction: WAL journal, every change in one IMMEDIATE transaction, a busy timeout so two
processes take turns, the schema version in `PRAGMA user_version` with forward-only migrations. The file is
created on the first write, never on a read or at import. A file that is not ours (or is damaged, or comes
from a newer weiquan) is refused with one line and left exactly as it was.

Deadlines are not stored: they are computed from the case's facts and today each time a case is read, so
they always follow the facts and events.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
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
        );
    """,
}
_TABLES = {"cases", "facts", "events", "evidence"}

# What an event says about the case: the kind recorded, and the fact (with its value) it sets.
_EVENT_KINDS = [
    ("refund_requested", r"申请(?:了)?(?:退款|售后|退货)|requested? (?:a )?refund|applied for (?:a )?refund", {"refund_requested_date": "date"}),
    ("seller_refused", r"卖家拒绝|商家拒绝|拒绝了|seller refused|refused|rejected", {"seller_response": "refused"}),
    ("seller_agreed", r"卖家同意|商家同意|同意了|seller agreed|agreed", {"seller_response": "agreed"}),
    ("intervention", r"介入|intervention|escalat", {}),
    ("ruling", r"判定|裁决|判决|处理结果|ruling|decision", {"ruling_date": "date"}),
    ("notice", r"通知|被投诉|notice|notified", {"notice_date": "date"}),
    ("shipped", r"发货|shipped|dispatched", {"shipped_date": "date"}),
    ("received", r"签收|收到货|received|delivered", {"received_date": "date"}),
    ("completed", r"交易成功|确认收货|completed", {"completed_date": "date"}),
    ("complaint_12315", r"12315|市场监管|消协|消费者协会|consumers'? association", {}),
    ("closed", r"结案|解决了|退款到账|resolved|settled", {}),
]


class StoreError(Exception):
    """The store cannot be used (not ours, damaged, newer); one line, exit 1."""


class CaseNotFound(StoreError):
    pass


@dataclass
class Event:
    date: dt.date
    kind: str
    note: str


@dataclass
class Case:
    id: str
    scenario: str
    title: str
    lang: str
    status: str
    created: str
    updated: str
    facts: dict[str, tuple[Any, str]] = field(default_factory=dict)  # name → (value, source)
    events: list[Event] = field(default_factory=list)
    evidence_have: set[int] = field(default_factory=set)


def event_kind(note: str) -> tuple[str, dict[str, Any]]:
    """The kind of an event and the facts it sets, read from its note ("卖家拒绝了", "ruling received")."""
    lowered = note.lower()
    for kind, pattern, facts in _EVENT_KINDS:
        if re.search(pattern, lowered):
            return kind, facts
    return "note", {}


def _encode(value: Any) -> str:
    return json.dumps(value.isoformat() if isinstance(value, dt.date) else value, ensure_ascii=False)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class CaseStore:
    def __init__(self, path: Path | None = None):
        if path is None:
            from knowledge_base.locations import user_home

            path = user_home() / "cases.sqlite3"
        self.path = Path(path)

    # ------------------------------------------------------------------ connection

    def _connect(self, *, write: bool) -> sqlite3.Connection | None:
        """Open and check the store. None when reading a store that does not exist yet."""
        if not self.path.exists():
            if not write:
                return None
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif self.path.is_dir():
            raise StoreError(f"{self.path} is a folder, not a case store")
        else:
            self._check_header()
        try:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a weiquan case store or is damaged ({exc}); it was left untouched") from None
        if version > SCHEMA_VERSION:
            conn.close()
            raise StoreError(f"{self.path} was written by a newer weiquan (schema {version}, this one knows {SCHEMA_VERSION}); it was left untouched")
        if (tables and version == 0) or (version and not _TABLES <= tables):
            conn.close()
            raise StoreError(f"{self.path} is an SQLite file of something else, not a weiquan case store; it was left untouched")
        if version < SCHEMA_VERSION:
            if not write and version == 0:
                conn.close()
                return None
            self._migrate(conn, version)
        return conn

    def _check_header(self) -> None:
        with open(self.path, "rb") as handle:
            header = handle.read(16)
        if header and header != b"SQLite format 3\x00":
            raise StoreError(f"{self.path} is not a weiquan case store (not an SQLite file); it was left untouched")

    def _migrate(self, conn: sqlite3.Connection, version: int) -> None:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it
            for target in range(current + 1, SCHEMA_VERSION + 1):
                # statements one by one: executescript would commit in the middle of the transaction
                for statement in filter(str.strip, _MIGRATIONS[target].split(";")):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _write(self):
        conn = self._connect(write=True)
        return _Transaction(conn)

    # ------------------------------------------------------------------ changes (one transaction each)

    def create(self, scenario: str, title: str, lang: str, facts: dict[str, tuple[Any, str]], today: dt.date) -> str:
        with self._write() as conn:
            while True:
                case_id = f"{today:%Y%m%d}-{secrets.token_hex(2)}"
                if not conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone():
                    break
            now = _now()
            conn.execute("INSERT INTO cases (id, scenario, title, lang, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
                         (case_id, scenario, title, lang, now, now))
            for name, (value, source) in facts.items():
                conn.execute("INSERT INTO facts (case_id, name, value, source) VALUES (?, ?, ?, ?)", (case_id, name, _encode(value), source))
            conn.execute("INSERT INTO events (case_id, date, kind, note, created) VALUES (?, ?, 'opened', ?, ?)",
                         (case_id, today.isoformat(), title, now))
        return case_id

    def update(self, case_id: str, *, facts: dict[str, tuple[Any, str]] | None = None, event: tuple[dt.date, str] | None = None,
               evidence: set[int] | None = None) -> list[str]:
        """Change a case; an event may set facts too (returned: the names it set)."""
        set_by_event: list[str] = []
        with self._write() as conn:
            self._require(conn, case_id)
            changes = dict(facts or {})
            if event is not None:
                date, note = event
                kind, implied = event_kind(note)
                conn.execute("INSERT INTO events (case_id, date, kind, note, created) VALUES (?, ?, ?, ?, ?)",
                             (case_id, date.isoformat(), kind, note, _now()))
                for name, value in implied.items():
                    if name not in changes:
                        changes[name] = (date if value == "date" else value, "event")
                        set_by_event.append(name)
            for name, (value, source) in changes.items():
                conn.execute("INSERT INTO facts (case_id, name, value, source) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (case_id, name) DO UPDATE SET value = excluded.value, source = excluded.source",
                             (case_id, name, _encode(value), source))
            if evidence is not None:
                conn.execute("DELETE FROM evidence WHERE case_id = ?", (case_id,))
                conn.executemany("INSERT INTO evidence (case_id, item) VALUES (?, ?)", [(case_id, i) for i in sorted(evidence)])
            conn.execute("UPDATE cases SET updated = ? WHERE id = ?", (_now(), case_id))
        return set_by_event

    def close(self, case_id: str, today: dt.date) -> None:
        with self._write() as conn:
            self._require(conn, case_id)
            now = _now()
            conn.execute("UPDATE cases SET status = 'closed', closed = ?, updated = ? WHERE id = ?", (now, now, case_id))
            conn.execute("INSERT INTO events (case_id, date, kind, note, created) VALUES (?, ?, 'closed', 'closed', ?)",
                         (case_id, today.isoformat(), now))

    # ------------------------------------------------------------------ reading

    def _require(self, conn, case_id: str) -> None:
        if not conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone():
            raise CaseNotFound(f"no case {case_id!r} (see 'weiquan case list')")

    def list(self) -> list[Case]:
        conn = self._connect(write=False)
        if conn is None:
            return []
        with closing(conn):
            ids = [r[0] for r in conn.execute("SELECT id FROM cases ORDER BY created, id")]
            return [self._load(conn, i) for i in ids]

    def get(self, case_id: str) -> Case:
        conn = self._connect(write=False)
        if conn is None:
            raise CaseNotFound(f"no case {case_id!r} (there are no cases yet)")
        with closing(conn):
            self._require(conn, case_id)
            return self._load(conn, case_id)

    def _load(self, conn, case_id: str) -> Case:
        row = conn.execute("SELECT id, scenario, title, lang, status, created, updated FROM cases WHERE id = ?", (case_id,)).fetchone()
        case = Case(*row)
        for name, value, source in conn.execute("SELECT name, value, source FROM facts WHERE case_id = ? ORDER BY rowid", (case_id,)):
            case.facts[name] = (json.loads(value), source)
        case.events = [Event(dt.date.fromisoformat(d), k, n) for d, k, n in
                       conn.execute("SELECT date, kind, note FROM events WHERE case_id = ? ORDER BY date, id", (case_id,))]
        case.evidence_have = {r[0] for r in conn.execute("SELECT item FROM evidence WHERE case_id = ?", (case_id,))}
        return case


class _Transaction:
    """`with store._write() as conn`: BEGIN IMMEDIATE … COMMIT, ROLLBACK on any error, then close."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind, value, traceback) -> None:
        try:
            self.conn.execute("ROLLBACK" if kind else "COMMIT")
        finally:
            self.conn.close()
