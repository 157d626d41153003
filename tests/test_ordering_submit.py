"""Safe submission against the real sandbox: no lost orders, no doubled orders."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.api.errors import NetworkError
from nfctagify_desktop.api.models import Order
from nfctagify_desktop.ordering.outbox import Draft, DraftState, Outbox
from nfctagify_desktop.ordering.submit import OrderSubmitter, Outcome, find_match
from nfctagify_desktop.ordering.validation import OrderFields, to_order_create
from nfctagify_desktop.sandbox.server import SandboxServer

Run = Callable[..., Any]


def fields(**kw: str) -> OrderFields:
    base = {
        "product_id": "prod_standard",
        "quantity": "25",
        "customer_reference": "PO-42",
        "name": "Jane Smith",
        "address_line1": "12 Example Street",
        "city": "London",
        "postcode": "ec1a1bb",
        "country": "GB",
    }
    return OrderFields(**{**base, **kw})


@pytest.fixture
def outbox(tmp_path: Path) -> Any:
    box = Outbox(tmp_path / "outbox.sqlite3")
    yield box
    box.close()


def submit_once(
    sandbox: SandboxServer, outbox: Outbox, draft_id: str, arun: Run, *, recover: bool = False
) -> Any:
    async def go() -> Any:
        async with PartnerClient(sandbox.base_url, sandbox.demo_api_key) as client:
            submitter = OrderSubmitter(client, outbox, "demo")
            if recover:
                return await submitter.recover()
            return await submitter.submit(draft_id)

    return arun(go())


def test_success(sandbox: SandboxServer, outbox: Outbox, arun: Run) -> None:
    draft = outbox.save(Draft(profile="demo", fields=fields()))
    before = sandbox.order_count()
    result = submit_once(sandbox, outbox, draft.id, arun)
    assert result.ok
    assert result.order is not None
    assert result.order.shipping.postcode == "EC1A 1BB"
    stored = outbox.get(draft.id)
    assert stored is not None
    assert stored.state is DraftState.SUBMITTED
    assert stored.order_id == result.order.order_id
    assert sandbox.order_count() == before + 1
    # Submitting a submitted draft again is a no-op.
    again = submit_once(sandbox, outbox, draft.id, arun)
    assert again.ok
    assert sandbox.order_count() == before + 1


def test_server_400_keeps_draft_with_message_and_field(
    sandbox: SandboxServer, outbox: Outbox, arun: Run
) -> None:
    # Below min_quantity: the client does not know the product, the server says no.
    draft = outbox.save(
        Draft(profile="demo", fields=fields(product_id="prod_premium_metal", quantity="3"))
    )
    before = sandbox.order_count()
    result = submit_once(sandbox, outbox, draft.id, arun)
    assert result.state is DraftState.FAILED
    stored = outbox.get(draft.id)
    assert stored is not None
    assert stored.state is DraftState.FAILED
    assert stored.error_field == "quantity"
    assert stored.error_code == "VALIDATION_ERROR"
    assert "at least 10" in (stored.last_error or "")
    assert stored.fields.quantity == "3"
    assert [d.id for d in outbox.unsent("demo")] == [draft.id]
    assert sandbox.order_count() == before

    # Fix and resend: same draft, same key, now accepted.
    outbox.save(stored.with_fields(fields(product_id="prod_premium_metal", quantity="10")))
    fixed = submit_once(sandbox, outbox, draft.id, arun)
    assert fixed.ok
    assert sandbox.order_count() == before + 1


def test_client_validation_failure_never_sends(
    sandbox: SandboxServer, outbox: Outbox, arun: Run
) -> None:
    draft = outbox.save(Draft(profile="demo", fields=fields(postcode="nope")))
    before = sandbox.order_count()
    result = submit_once(sandbox, outbox, draft.id, arun)
    assert result.state is DraftState.FAILED
    assert result.draft.error_field == "shipping.postcode"
    assert result.draft.attempts == 0
    assert sandbox.order_count() == before


def test_dropped_after_commit_is_replayed_not_doubled(
    sandbox: SandboxServer, outbox: Outbox, arun: Run
) -> None:
    draft = outbox.save(Draft(profile="demo", fields=fields(customer_reference="DROP-1")))
    before = sandbox.order_count()
    sandbox.faults.drop_after_commit()
    result = submit_once(sandbox, outbox, draft.id, arun)
    assert sandbox.order_count() == before + 1
    # The check (same body, same key) got the committed order back from the server.
    assert result.ok
    assert result.outcome is Outcome.REPLAYED
    assert result.reconciled
    stored = outbox.get(draft.id)
    assert stored is not None
    assert stored.state is DraftState.SUBMITTED
    assert stored.order_id is not None

    async def lookup() -> Any:
        async with PartnerClient(sandbox.base_url, sandbox.demo_api_key) as client:
            return await client.get_order(stored.order_id or "")

    order = arun(lookup())
    assert order.customer_reference == "DROP-1"
    # Resending changes nothing.
    assert submit_once(sandbox, outbox, draft.id, arun).outcome is Outcome.ALREADY_SUBMITTED
    assert sandbox.order_count() == before + 1


def post_and_die(sandbox: SandboxServer, draft: Draft, arun: Run) -> None:
    """The POST commits, the answer is lost, and the app dies before recording anything."""
    sandbox.faults.drop_after_commit()

    async def go() -> None:
        async with PartnerClient(sandbox.base_url, sandbox.demo_api_key) as client:
            with pytest.raises(NetworkError):
                await client.create_order(
                    to_order_create(draft.fields), idempotency_key=draft.idempotency_key
                )

    arun(go())


def test_crash_mid_send_then_recover(
    sandbox: SandboxServer, outbox: Outbox, tmp_path: Path, arun: Run
) -> None:
    """The POST committed, the app died before recording it; the next start checks by key."""
    draft = outbox.save(Draft(profile="demo", fields=fields(customer_reference="CRASH-1")))
    before = sandbox.order_count()
    outbox.mark_sending(draft.id)
    post_and_die(sandbox, draft, arun)
    outbox.close()
    assert sandbox.order_count() == before + 1

    reopened = Outbox(tmp_path / "outbox.sqlite3")
    try:
        assert [d.id for d in reopened.interrupted] == [draft.id]
        results = submit_once(sandbox, reopened, draft.id, arun, recover=True)
        assert [r.draft.id for r in results] == [draft.id]
        assert results[0].outcome is Outcome.REPLAYED
        stored = reopened.get(draft.id)
        assert stored is not None
        assert stored.state is DraftState.SUBMITTED
        assert stored.order_id == results[0].order.order_id
        assert sandbox.order_count() == before + 1
    finally:
        reopened.close()


def test_two_identical_drafts_after_a_crash_give_two_orders(
    sandbox: SandboxServer, outbox: Outbox, tmp_path: Path, arun: Run
) -> None:
    """Two cards for the same person, both in flight when the app died: two orders, each
    draft with its own (the first one's POST had landed, the second one's never left)."""
    first = outbox.save(Draft(profile="demo", fields=fields(customer_reference="TWIN")))
    second = outbox.save(Draft(profile="demo", fields=fields(customer_reference="TWIN")))
    before = sandbox.order_count()
    outbox.mark_sending(first.id)
    post_and_die(sandbox, first, arun)
    outbox.mark_sending(second.id)
    outbox.close()

    reopened = Outbox(tmp_path / "outbox.sqlite3")
    try:
        assert {d.id for d in reopened.interrupted} == {first.id, second.id}
        results = {r.draft.id: r for r in submit_once(sandbox, reopened, "", arun, recover=True)}
        assert results[first.id].outcome is Outcome.REPLAYED
        assert results[second.id].outcome is Outcome.PLACED
        ids = {r.draft.order_id for r in results.values()}
        assert len(ids) == 2
        assert None not in ids
        assert sandbox.order_count() == before + 2
        # A later start finds nothing left to check, and places nothing more.
        assert submit_once(sandbox, reopened, "", arun, recover=True) == []
        assert sandbox.order_count() == before + 2
    finally:
        reopened.close()


def test_identical_order_just_before_and_a_502_that_never_forwarded(
    sandbox: SandboxServer, outbox: Outbox, arun: Run
) -> None:
    """Someone placed the very same order a moment ago; ours dies at a gateway (502, never
    forwarded). Ours must still be placed, exactly once, and the other one left alone."""
    draft = outbox.save(Draft(profile="demo", fields=fields(customer_reference="SAME")))

    async def colleague() -> Any:
        async with PartnerClient(sandbox.base_url, sandbox.demo_api_key) as client:
            return await client.create_order(to_order_create(draft.fields))

    theirs = arun(colleague())
    before = sandbox.order_count()
    sandbox.faults.fail_next(502, "BAD_GATEWAY", method="POST", count=2)
    result = submit_once(sandbox, outbox, draft.id, arun)
    assert result.outcome is Outcome.UNKNOWN
    assert result.draft.order_id is None  # the colleague's order is not claimed
    assert sandbox.order_count() == before

    again = submit_once(sandbox, outbox, draft.id, arun)
    assert again.outcome is Outcome.PLACED
    assert again.draft.order_id not in (None, theirs.order_id)
    assert sandbox.order_count() == before + 1
    assert submit_once(sandbox, outbox, draft.id, arun).outcome is Outcome.ALREADY_SUBMITTED
    assert sandbox.order_count() == before + 1


def test_one_502_is_checked_at_once_and_placed(
    sandbox: SandboxServer, outbox: Outbox, arun: Run
) -> None:
    draft = outbox.save(Draft(profile="demo", fields=fields(customer_reference="FIVE-1")))
    before = sandbox.order_count()
    sandbox.faults.fail_next(502, "BAD_GATEWAY", method="POST")
    result = submit_once(sandbox, outbox, draft.id, arun)
    assert result.outcome is Outcome.PLACED
    assert result.draft.attempts == 2
    assert sandbox.order_count() == before + 1


def test_500_unknown_then_resubmit_creates_exactly_one(
    sandbox: SandboxServer, outbox: Outbox, arun: Run
) -> None:
    draft = outbox.save(Draft(profile="demo", fields=fields(customer_reference="FIVE-2")))
    before = sandbox.order_count()
    sandbox.faults.fail_next(500, "INTERNAL_ERROR", method="POST", count=2)
    result = submit_once(sandbox, outbox, draft.id, arun)
    assert result.state is DraftState.UNKNOWN
    assert result.outcome is Outcome.UNKNOWN
    assert "may or may not have been placed" in (result.message or "")
    assert sandbox.order_count() == before

    again = submit_once(sandbox, outbox, draft.id, arun)
    assert again.ok
    assert again.outcome is Outcome.PLACED
    assert sandbox.order_count() == before + 1
    submit_once(sandbox, outbox, draft.id, arun)
    assert sandbox.order_count() == before + 1


def test_drop_then_a_failed_check_then_resend_is_one_order(
    sandbox: SandboxServer, outbox: Outbox, arun: Run
) -> None:
    draft = outbox.save(Draft(profile="demo", fields=fields(customer_reference="KEY-1")))
    before = sandbox.order_count()
    sandbox.faults.drop_after_commit()
    sandbox.faults.fail_next(503, "UNAVAILABLE", method="POST")  # the check fails too
    result = submit_once(sandbox, outbox, draft.id, arun)
    assert result.outcome is Outcome.UNKNOWN
    assert sandbox.order_count() == before + 1

    again = submit_once(sandbox, outbox, draft.id, arun)
    assert again.outcome is Outcome.REPLAYED
    assert sandbox.order_count() == before + 1


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_timeout_gives_exactly_one_order(sandbox: SandboxServer, outbox: Outbox, arun: Run) -> None:
    """The server is slower than the client's patience: both the send and its check time
    out, yet the server places the order; the next send gets that very order back."""
    draft = outbox.save(Draft(profile="demo", fields=fields(customer_reference="SLOW-1")))
    before = sandbox.order_count()
    sandbox.faults.delay_seconds = 1.0

    async def impatient() -> Any:
        # Only the wait for the answer is short: connecting may be slow on a loaded machine.
        wait = httpx.Timeout(10.0, read=0.2)
        async with PartnerClient(sandbox.base_url, sandbox.demo_api_key, timeout=wait) as client:
            return await OrderSubmitter(client, outbox, "demo").submit(draft.id)

    result = arun(impatient())
    assert result.outcome is Outcome.UNKNOWN
    assert result.draft.error_code == "TIMEOUT"
    sandbox.faults.delay_seconds = 0
    wait_until(lambda: sandbox.order_count() == before + 1, "the slow request to commit")

    again = submit_once(sandbox, outbox, draft.id, arun)
    assert again.outcome is Outcome.REPLAYED
    assert sandbox.order_count() == before + 1


def test_expired_key_searches_strictly_and_never_resends(
    sandbox: SandboxServer, outbox: Outbox, arun: Run
) -> None:
    """A day later the server has forgotten the key: only an order created since the first
    send and not claimed by another draft may be taken; nothing is resent blindly."""
    long_ago = datetime.now(UTC) - timedelta(hours=25)
    twins = [
        outbox.save(
            replace(
                Draft(profile="demo", fields=fields(customer_reference="OLD-1")),
                state=DraftState.UNKNOWN,
                first_sent_at=long_ago,
            )
        )
        for _ in range(2)
    ]

    async def placed_meanwhile() -> Any:
        async with PartnerClient(sandbox.base_url, sandbox.demo_api_key) as client:
            return await client.create_order(to_order_create(twins[0].fields))

    landed = arun(placed_meanwhile())
    before = sandbox.order_count()
    first = submit_once(sandbox, outbox, twins[0].id, arun)
    assert first.outcome is Outcome.MATCHED
    assert first.draft.order_id == landed.order_id
    second = submit_once(sandbox, outbox, twins[1].id, arun)
    assert second.outcome is Outcome.UNKNOWN
    assert second.draft.error_code == "KEY_EXPIRED"
    assert "new order" in (second.message or "")
    assert sandbox.order_count() == before

    # The user decides it is a new order: a fresh key, and it is placed once.
    outbox.renew_key(twins[1].id)
    third = submit_once(sandbox, outbox, twins[1].id, arun)
    assert third.outcome is Outcome.PLACED
    assert sandbox.order_count() == before + 1


def test_find_match_never_takes_an_older_or_claimed_order() -> None:
    sent = datetime(2026, 5, 25, 9, 0, tzinfo=UTC)
    draft = replace(Draft(profile="demo", fields=fields()), first_sent_at=sent)

    def order(order_id: str, created: datetime, **kw: Any) -> Order:
        body = to_order_create(draft.fields).body()
        return Order.model_validate({"order_id": order_id, "created_at": created, **body, **kw})

    earlier = order("ord_earlier", sent - timedelta(seconds=1))
    claimed = order("ord_claimed", sent + timedelta(seconds=1))
    other = order("ord_other", sent + timedelta(seconds=2), quantity=26)
    mine = order("ord_mine", sent + timedelta(seconds=3))
    orders = [earlier, claimed, other, mine]
    assert find_match(draft, orders, {"ord_claimed"}) == mine
    assert find_match(draft, orders, {"ord_claimed", "ord_mine"}) is None
    assert find_match(replace(draft, first_sent_at=None), orders, set()) is None
    # An order that lacks the details to compare never matches.
    bare = Order.model_validate({"order_id": "ord_bare", "created_at": sent})
    assert find_match(draft, [bare], set()) is None


def test_forbidden_readonly_key(sandbox: SandboxServer, outbox: Outbox, arun: Run) -> None:
    draft = outbox.save(Draft(profile="demo", fields=fields()))

    async def go() -> Any:
        async with PartnerClient(sandbox.base_url, sandbox.api_keys["readonly"]) as client:
            return await OrderSubmitter(client, outbox, "demo").submit(draft.id)

    result = arun(go())
    assert result.state is DraftState.FAILED
    assert result.draft.error_code == "FORBIDDEN"


def test_rate_limited_goes_back_to_draft(sandbox: SandboxServer, outbox: Outbox, arun: Run) -> None:
    draft = outbox.save(Draft(profile="demo", fields=fields()))
    sandbox.faults.fail_next(429, "DAILY_ORDER_LIMIT", method="POST", retry_after=3600)
    result = submit_once(sandbox, outbox, draft.id, arun)
    assert result.state is DraftState.DRAFT
    assert "will retry" in (result.message or "")
    assert result.retry_after == 3600


def test_unknown_draft_id(sandbox: SandboxServer, outbox: Outbox, arun: Run) -> None:
    with pytest.raises(KeyError):
        submit_once(sandbox, outbox, "nope", arun)


@pytest.mark.parametrize("garbage", [b'{"success": tru', b"", b"[]", b'{"success": true}'])
def test_unreadable_2xx_is_checked_not_doubled(
    sandbox: SandboxServer, outbox: Outbox, arun: Run, garbage: bytes
) -> None:
    draft = outbox.save(Draft(profile="demo", fields=fields(customer_reference="GARBLED")))
    before = sandbox.order_count()
    sandbox.faults.garble_after_commit(garbage)
    result = submit_once(sandbox, outbox, draft.id, arun)
    assert result.outcome is Outcome.REPLAYED
    assert result.order is not None
    assert result.order.customer_reference == "GARBLED"
    assert sandbox.order_count() == before + 1
