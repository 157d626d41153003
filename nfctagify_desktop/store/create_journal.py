"""A small journal of order creates whose outcome is not known yet (for the command line).

``nfctagify orders create`` without ``--idempotency-key`` derives a key and writes it here
*before* sending. If the answer is lost (timeout, dropped connection, 5xx, an unreadable 2xx),
running the identical command again within the server's key retention finds the entry and
sends the same key, so the server returns the first order instead of placing a second. A
confirmed or refused create removes its entry: running the same command after a success is a
deliberate second order.

Entries are keyed by a SHA-256 of the server address and the exact request body; the file holds
no API key and no address in clear. Writes are atomic (temporary file + rename).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from nfctagify_desktop.paths import data_dir

DEFAULT_FILENAME: Final = "cli-unconfirmed-orders.json"
#: The server keeps keys 24 hours (docs/api-assumptions.md); an hour of margin for clocks.
KEEP_FOR: Final = timedelta(hours=23)


@dataclass(frozen=True)
class PendingCreate:
    """One unconfirmed create: its key, and when it was first attempted."""

    fingerprint: str
    idempotency_key: str
    first_attempt: datetime


def fingerprint(base_url: str, body: dict[str, Any]) -> str:
    """Identical commands against the same server give the same fingerprint."""
    canonical = json.dumps(
        {"base_url": base_url.rstrip("/"), "body": body},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class CreateJournal:
    """The journal file; every method reads it afresh, so parallel runs see each other."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / DEFAULT_FILENAME

    def key_for(self, fp: str, now: datetime | None = None) -> tuple[str, PendingCreate | None]:
        """The key to send: an unconfirmed create's own (and that entry), else a new one.

        A new key is recorded before it is returned, so it is on disk before any request.
        """
        now = now or datetime.now(UTC)
        entries = self._load(now)
        found = entries.get(fp)
        if found is not None:
            return found.idempotency_key, found
        key = str(uuid.uuid4())
        entries[fp] = PendingCreate(fp, key, now)
        self._save(entries)
        return key, None

    def confirm(self, fp: str) -> None:
        """The outcome is known (placed, or refused): forget the entry."""
        entries = self._load(datetime.now(UTC))
        if entries.pop(fp, None) is not None:
            self._save(entries)

    def pending(self, now: datetime | None = None) -> list[PendingCreate]:
        return sorted(self._load(now or datetime.now(UTC)).values(), key=lambda e: e.first_attempt)

    def _load(self, now: datetime) -> dict[str, PendingCreate]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        entries: dict[str, PendingCreate] = {}
        for item in raw.get("pending", []) if isinstance(raw, dict) else []:
            try:
                entry = PendingCreate(
                    str(item["fingerprint"]),
                    str(item["idempotency_key"]),
                    datetime.fromisoformat(item["first_attempt"]),
                )
            except (KeyError, TypeError, ValueError):
                continue  # an unreadable entry is dropped, never fatal
            if now - entry.first_attempt <= KEEP_FOR:
                entries[entry.fingerprint] = entry
        return entries

    def _save(self, entries: dict[str, PendingCreate]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "pending": [
                {
                    "fingerprint": e.fingerprint,
                    "idempotency_key": e.idempotency_key,
                    "first_attempt": e.first_attempt.astimezone(UTC).isoformat(),
                }
                for e in entries.values()
            ]
        }
        fd, tmp = tempfile.mkstemp(prefix=".journal-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(payload, out, indent=1)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
