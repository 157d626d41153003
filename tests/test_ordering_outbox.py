"""The outbox: nothing typed is lost, state survives a restart, crashes mid-send are surfaced."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from nfctagify_desktop.ordering.outbox import Draft, DraftState, Outbox
from nfctagify_desktop.ordering.validation import OrderFields


def fields(**kw: str) -> OrderFields:
    return OrderFields(**{"product_id": "prod_standard", "quantity": "5", **kw})


def test_default_path_is_in_data_dir(app_dirs: Path) -> None:
    with Outbox() as box:
        assert box.path == app_dirs / "data" / "outbox.sqlite3"
        assert box.path.exists()


def test_invalid_values_survive_reopen(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    box = Outbox(path)
    typed = fields(quantity="twelve", postcode="not a postcode", name="Zoë ✓")
    draft = box.save(Draft(profile="p1", fields=typed, source="form"))
    box.close()

    box = Outbox(path)
    try:
        again = box.get(draft.id)
        assert again is not None
        assert again.fields == typed
        assert again.idempotency_key == draft.idempotency_key
        assert again.state is DraftState.DRAFT
        assert [d.id for d in box.unsent("p1")] == [draft.id]
        assert box.unsent("other") == []
    finally:
        box.close()


def test_state_transitions(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.sqlite3") as box:
        d = box.save(Draft(profile="p", fields=fields(customer_reference="REF-9")))
        sending = box.mark_sending(d.id)
        assert sending.state is DraftState.SENDING
        assert sending.attempts == 1
        assert sending.first_sent_at is not None
        failed = box.mark_failed(
            d.id, "quantity must be at least 10", "VALIDATION_ERROR", "quantity"
        )
        assert (failed.state, failed.error_field, failed.error_code) == (
            DraftState.FAILED,
            "quantity",
            "VALIDATION_ERROR",
        )
        again = box.mark_sending(d.id)
        assert again.attempts == 2
        assert again.first_sent_at == sending.first_sent_at
        assert again.last_error is None
        unknown = box.mark_unknown(d.id, "timed out")
        assert unknown.state is DraftState.UNKNOWN
        assert not box.references_used("p", "REF-9")
        done = box.mark_submitted(d.id, "ord_1")
        assert done.order_id == "ord_1"
        assert box.unsent("p") == []
        assert box.references_used("p", "ref-9")
        assert not box.references_used("other", "REF-9")
        assert box.order_ids("p") == {"ord_1"}
        assert box.discard(d.id)
        assert box.get(d.id) is None
        with pytest.raises(KeyError):
            box.mark_submitted(d.id, "ord_2")


def test_sending_left_by_a_crash_is_reported_as_unknown(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    box = Outbox(path)
    a = box.save(Draft(profile="p", fields=fields()))
    b = box.save(Draft(profile="p", fields=fields(quantity="7")))
    box.mark_sending(a.id)
    box.close()  # the "crash": never heard back

    box = Outbox(path)
    try:
        assert [d.id for d in box.interrupted] == [a.id]
        unsent = {d.id: d for d in box.unsent("p")}
        assert set(unsent) == {a.id, b.id}
        assert unsent[a.id].state is DraftState.UNKNOWN
        assert unsent[a.id].error_code == "INTERRUPTED"
        assert unsent[b.id].state is DraftState.DRAFT
    finally:
        box.close()


def test_find_by_source(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.sqlite3") as box:
        d = box.save(Draft(profile="p", fields=fields(), source="csv:a.csv:2"))
        box.save(Draft(profile="p", fields=fields(), source="csv:a.csv:3"))
        assert [x.id for x in box.find_by_source("p", "csv:a.csv:2")] == [d.id]
        assert box.find_by_source("q", "csv:a.csv:2") == []


def test_thread_safe_saves(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.sqlite3") as box:

        def work(n: int) -> None:
            for i in range(20):
                d = box.save(Draft(profile="p", fields=fields(quantity=str(n * 100 + i + 1))))
                box.mark_sending(d.id)
                box.mark_submitted(d.id, f"ord_{n}_{i}")

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(box.order_ids("p")) == 80


def test_closed_outbox_refuses(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3")
    box.close()
    box.close()  # idempotent
    with pytest.raises(RuntimeError):
        box.unsent("p")
