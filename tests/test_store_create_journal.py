"""The command line's journal of unconfirmed creates: one key per identical command."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from nfctagify_desktop.store.create_journal import KEEP_FOR, CreateJournal, fingerprint

BODY = {"product_id": "prod_standard", "quantity": 5, "shipping": {"postcode": "EC1A 1BB"}}


def test_identical_command_reuses_its_key_until_confirmed(tmp_path: Path) -> None:
    journal = CreateJournal(tmp_path / "j.json")
    fp = fingerprint("http://127.0.0.1:1/", BODY)
    key, earlier = journal.key_for(fp)
    assert earlier is None
    # Written before anything is sent: a second process (a rerun) sees it.
    again, found = CreateJournal(tmp_path / "j.json").key_for(fp)
    assert again == key
    assert found is not None
    assert found.idempotency_key == key
    journal.confirm(fp)
    fresh, _ = journal.key_for(fp)
    assert fresh != key


def test_other_body_or_server_gets_its_own_key(tmp_path: Path) -> None:
    journal = CreateJournal(tmp_path / "j.json")
    a, _ = journal.key_for(fingerprint("http://127.0.0.1:1", BODY))
    b, _ = journal.key_for(fingerprint("http://127.0.0.1:1", {**BODY, "quantity": 6}))
    c, _ = journal.key_for(fingerprint("http://127.0.0.1:2", BODY))
    assert len({a, b, c}) == 3
    # Key order in the body does not matter; a trailing slash on the server does not either.
    reordered = dict(reversed(list(BODY.items())))
    assert fingerprint("http://127.0.0.1:1/", reordered) == fingerprint("http://127.0.0.1:1", BODY)


def test_entries_expire_before_the_server_forgets_the_key(tmp_path: Path) -> None:
    journal = CreateJournal(tmp_path / "j.json")
    fp = fingerprint("http://x", BODY)
    then = datetime(2026, 5, 25, 9, 0, tzinfo=UTC)
    key, _ = journal.key_for(fp, now=then)
    assert journal.key_for(fp, now=then + KEEP_FOR)[0] == key
    later = then + KEEP_FOR + timedelta(seconds=1)
    assert journal.pending(now=later) == []
    assert journal.key_for(fp, now=later)[0] != key


def test_a_damaged_file_is_not_fatal_and_holds_no_secrets(tmp_path: Path) -> None:
    path = tmp_path / "j.json"
    path.write_text("{not json", encoding="utf-8")
    journal = CreateJournal(path)
    key, _ = journal.key_for(fingerprint("http://x", BODY))
    text = path.read_text(encoding="utf-8")
    assert key in text
    assert "EC1A" not in text and "prod_standard" not in text
