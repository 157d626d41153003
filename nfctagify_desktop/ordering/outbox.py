"""The order outbox: a local SQLite table that is the single source of truth for unsent orders.

Every order is saved here *before* any network call, with an idempotency key fixed for the
draft's whole life, so a crash, a dropped connection or a cancelled import never loses an order
and a resend can never double one (the server dedupes on the key).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

from nfctagify_desktop import sqlite_util
from nfctagify_desktop.ordering.validation import OrderFields
from nfctagify_desktop.paths import data_dir
from nfctagify_desktop.redaction import redact, redact_optional
from nfctagify_desktop.store.account import AccountId

DEFAULT_FILENAME: Final = "outbox.sqlite3"
INTERRUPTED_MESSAGE: Final = (
    "The app stopped while this order was being sent; it may or may not have been placed. "
    "It will be checked by resending with the same idempotency key, which cannot place it twice."
)


class DraftState(StrEnum):
    DRAFT = "draft"
    SENDING = "sending"
    SUBMITTED = "submitted"
    FAILED = "failed"
    UNKNOWN = "unknown"


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Draft:
    """One order as typed, plus where it is in its journey to the API.

    Attributes:
        idempotency_key: sent as ``Idempotency-Key`` on every attempt; never changes, so any
            resend of this draft is deduplicated by the server.
        fields: the form exactly as typed, valid or not.
        source: where it came from: ``"form"`` or ``"csv:<file name>:<line>"``.
        first_sent_at: when the first POST started; an order found by searching (once the
            server has forgotten the key) must have been created at or after it.
        attempts: how many POSTs were started.
        base_url: the account's server (``AccountId.base_url``) the draft was written for;
            with ``profile`` it names the one account this draft may be sent to. None for
            drafts saved before accounts were recorded (bound by profile name only).
    """

    profile: str
    fields: OrderFields
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    state: DraftState = DraftState.DRAFT
    order_id: str | None = None
    last_error: str | None = None
    error_field: str | None = None
    error_code: str | None = None
    source: str = "form"
    created_at: datetime = field(default_factory=_now)
    updated_at: datetime = field(default_factory=_now)
    first_sent_at: datetime | None = None
    attempts: int = 0
    base_url: str | None = None

    @property
    def account(self) -> AccountId | None:
        """The account this draft belongs to, when it was recorded."""
        return AccountId(self.profile, self.base_url) if self.base_url else None

    def belongs_to(self, account: AccountId) -> bool:
        """Whether this draft may be shown or sent under ``account``."""
        if self.profile != account.profile:
            return False
        return self.base_url is None or self.base_url == account.base_url

    def with_fields(self, fields: OrderFields) -> Draft:
        """The same draft (same id and idempotency key) with edited fields."""
        return replace(self, fields=fields)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY,
    profile TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fields TEXT NOT NULL,
    state TEXT NOT NULL,
    order_id TEXT,
    last_error TEXT,
    error_field TEXT,
    error_code TEXT,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    first_sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS drafts_profile_state ON drafts (profile, state);
CREATE INDEX IF NOT EXISTS drafts_profile_source ON drafts (profile, source);
"""
#: Added columns, for databases created before them (additive: old rows read as NULL).
_ADDED_COLUMNS: Final = (("base_url", "TEXT"),)
_COLUMNS: Final = (
    "id, profile, idempotency_key, fields, state, order_id, last_error, error_field, "
    "error_code, source, created_at, updated_at, first_sent_at, attempts, base_url"
)


class Outbox:
    """Thread-safe store of drafts, one SQLite file (WAL) shared by every profile.

    On open, drafts left ``sending`` by a previous run (a crash mid-POST) become ``unknown``
    and are listed in :attr:`interrupted`, so the app checks them (same key) first.

    Args:
        path: the database file; default ``data_dir()/outbox.sqlite3``.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / DEFAULT_FILENAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = sqlite_util.connect(self.path)
        self._conn.row_factory = sqlite3.Row
        self._conn.executescript(_SCHEMA)
        self._add_columns()
        #: Drafts a previous run left ``sending``; now ``unknown`` and awaiting their check.
        self.interrupted: list[Draft] = self._recover_sending()

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writes ----------------------------------------------------------------------------

    def save(self, draft: Draft) -> Draft:
        """Insert or update the whole draft; call it before any network call."""
        draft = replace(draft, updated_at=_now())
        row = _to_row(draft)
        with self._lock:
            self._db().execute(
                f"INSERT OR REPLACE INTO drafts ({_COLUMNS}) VALUES ({', '.join('?' * len(row))})",
                row,
            )
        return draft

    def mark_sending(self, draft_id: str) -> Draft:
        """About to POST: count the attempt and remember when the first one started."""
        now = _iso(_now())
        return self._update(
            draft_id,
            "state = ?, first_sent_at = COALESCE(first_sent_at, ?), attempts = attempts + 1, "
            "last_error = NULL, error_field = NULL, error_code = NULL",
            (DraftState.SENDING.value, now),
        )

    def mark_submitted(self, draft_id: str, order_id: str) -> Draft:
        return self._update(
            draft_id,
            "state = ?, order_id = ?, last_error = NULL, error_field = NULL, error_code = NULL",
            (DraftState.SUBMITTED.value, order_id),
        )

    def mark_failed(
        self, draft_id: str, message: str, code: str | None = None, field: str | None = None
    ) -> Draft:
        """The server refused it (4xx): keep it, with the reason, to fix and resend."""
        return self._update(
            draft_id,
            "state = ?, last_error = ?, error_code = ?, error_field = ?",
            (DraftState.FAILED.value, redact(message), code, field),
        )

    def mark_unknown(self, draft_id: str, message: str, code: str | None = None) -> Draft:
        """It may or may not have been placed: only a resend with the same key may follow."""
        return self._update(
            draft_id,
            "state = ?, last_error = ?, error_code = ?, error_field = NULL",
            (DraftState.UNKNOWN.value, redact(message), code),
        )

    def mark_draft(
        self, draft_id: str, message: str | None = None, code: str | None = None
    ) -> Draft:
        """Back to a plain draft (nothing reached the server, e.g. a 429), with a note."""
        return self._update(
            draft_id,
            "state = ?, last_error = ?, error_code = ?, error_field = NULL",
            (DraftState.DRAFT.value, redact_optional(message), code),
        )

    def renew_key(self, draft_id: str) -> Draft:
        """A fresh idempotency key: the user decided this is a *new* order to place.

        Only for a draft whose earlier attempts can no longer be checked (the server forgot
        the old key); the next send may then place an order even if an earlier one went
        through, which is why only an explicit user action calls this.
        """
        return self._update(
            draft_id,
            "idempotency_key = ?, first_sent_at = NULL, state = ?, last_error = NULL, "
            "error_code = NULL, error_field = NULL",
            (str(uuid.uuid4()), DraftState.DRAFT.value),
        )

    def discard(self, draft_id: str) -> bool:
        """Delete a draft the user gave up on; True when it existed."""
        with self._lock:
            cur = self._db().execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
            return cur.rowcount > 0

    # -- reads -----------------------------------------------------------------------------

    def get(self, draft_id: str) -> Draft | None:
        rows = self._select("WHERE id = ?", (draft_id,))
        return rows[0] if rows else None

    def unsent(self, profile: str) -> list[Draft]:
        """Everything of the profile not yet submitted, oldest first."""
        return self._select(
            "WHERE profile = ? AND state != ? ORDER BY created_at, id",
            (profile, DraftState.SUBMITTED.value),
        )

    def in_state(self, profile: str, *states: DraftState) -> list[Draft]:
        marks = ", ".join("?" * len(states))
        return self._select(
            f"WHERE profile = ? AND state IN ({marks}) ORDER BY created_at, id",
            (profile, *(s.value for s in states)),
        )

    def find_by_source(self, profile: str, source: str) -> list[Draft]:
        """Drafts from one origin, e.g. ``csv:orders.csv:12``, newest first."""
        return self._select(
            "WHERE profile = ? AND source = ? ORDER BY updated_at DESC, id",
            (profile, source),
        )

    def by_source_prefix(self, profile: str, prefix: str) -> dict[str, Draft]:
        """Source -> newest draft, for every source starting with ``prefix`` (one query for
        a whole import, instead of one per row)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        found: dict[str, Draft] = {}
        for d in self._select(
            "WHERE profile = ? AND source LIKE ? ESCAPE '\\' ORDER BY updated_at, id",
            (profile, escaped + "%"),
        ):
            if d.source.startswith(prefix):  # LIKE ignores ASCII case
                found[d.source] = d
        return found

    def references_used(self, profile: str, reference: str) -> bool:
        """Whether a submitted draft already used this customer reference (case-insensitive)."""
        wanted = reference.strip().casefold()
        if not wanted:
            return False
        return any(
            d.fields.customer_reference.strip().casefold() == wanted
            for d in self.in_state(profile, DraftState.SUBMITTED)
        )

    def order_ids(self, profile: str) -> set[str]:
        """Order ids already attached to drafts; a search must never claim one of them."""
        with self._lock:
            rows = (
                self._db()
                .execute(
                    "SELECT order_id FROM drafts WHERE profile = ? AND order_id IS NOT NULL",
                    (profile,),
                )
                .fetchall()
            )
        return {str(r["order_id"]) for r in rows}

    # -- plumbing --------------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("the outbox is closed")
        return self._conn

    def _add_columns(self) -> None:
        have = {r["name"] for r in self._db().execute("PRAGMA table_info(drafts)").fetchall()}
        for name, kind in _ADDED_COLUMNS:
            if name not in have:
                self._db().execute(f"ALTER TABLE drafts ADD COLUMN {name} {kind}")

    def _recover_sending(self) -> list[Draft]:
        stale = self._select("WHERE state = ? ORDER BY created_at", (DraftState.SENDING.value,))
        return [self.mark_unknown(d.id, INTERRUPTED_MESSAGE, "INTERRUPTED") for d in stale]

    def _update(self, draft_id: str, assignments: str, params: Iterable[Any]) -> Draft:
        with self._lock:
            cur = self._db().execute(
                f"UPDATE drafts SET {assignments}, updated_at = ? WHERE id = ?",
                (*params, _iso(_now()), draft_id),
            )
            if cur.rowcount == 0:
                raise KeyError(draft_id)
        draft = self.get(draft_id)
        if draft is None:  # pragma: no cover - deleted by another thread in between
            raise KeyError(draft_id)
        return draft

    def _select(self, where: str, params: Iterable[Any]) -> list[Draft]:
        with self._lock:
            rows = self._db().execute(f"SELECT {_COLUMNS} FROM drafts {where}", tuple(params))
            return [_from_row(r) for r in rows.fetchall()]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _to_row(d: Draft) -> tuple[Any, ...]:
    return (
        d.id,
        d.profile,
        d.idempotency_key,
        d.fields.model_dump_json(),
        DraftState(d.state).value,
        d.order_id,
        d.last_error,
        d.error_field,
        d.error_code,
        d.source,
        _iso(d.created_at),
        _iso(d.updated_at),
        _iso(d.first_sent_at) if d.first_sent_at else None,
        d.attempts,
        d.base_url,
    )


def _from_row(r: sqlite3.Row) -> Draft:
    try:
        fields = OrderFields.model_validate(json.loads(r["fields"]))
    except ValueError:  # never lose a row over a schema change: keep what parses
        fields = OrderFields()
    return Draft(
        id=r["id"],
        profile=r["profile"],
        idempotency_key=r["idempotency_key"],
        fields=fields,
        state=DraftState(r["state"]),
        order_id=r["order_id"],
        last_error=r["last_error"],
        error_field=r["error_field"],
        error_code=r["error_code"],
        source=r["source"],
        created_at=_parse_time(r["created_at"]) or _now(),
        updated_at=_parse_time(r["updated_at"]) or _now(),
        first_sent_at=_parse_time(r["first_sent_at"]),
        attempts=int(r["attempts"]),
        base_url=r["base_url"],
    )
