"""Safe submission against the real sandbox: no lost orders, no doubled orders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.api.errors import NetworkError
from nfctagify_desktop.ordering.outbox import Draft, DraftState, Outbox
from nfctagify_desktop.ordering.submit import OrderSubmitter
from nfctagify_desktop.ordering.validation import OrderFields
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


def test_dropped_after_commit_is_reconciled_not_doubled(
    sandbox: SandboxServer, outbox: Outbox, arun: Run
) -> None:
    draft = outbox.save(Draft(profile="demo", fields=fields(customer_reference="DROP-1")))
    before = sandbox.order_count()
    sandbox.faults.drop_after_commit()
    result = submit_once(sandbox, outbox, draft.id, arun)
    assert sandbox.order_count() == before + 1
    # The submitter found the committed order right away.
    assert result.ok
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
    submit_once(sandbox, outbox, draft.id, arun)
    assert sandbox.order_count() == before + 1


def test_crash_mid_send_then_recover(
    sandbox: SandboxServer, outbox: Outbox, tmp_path: Path, arun: Run
) -> None:
    """The POST committed, the app died before recording it; the next start reconciles."""
    draft = outbox.save(Draft(profile="demo", fields=fields(customer_reference="CRASH-1")))
    before = sandbox.order_count()
    outbox.mark_sending(draft.id)
    sandbox.faults.drop_after_commit()

    async def post_and_die() -> None:
        from nfctagify_desktop.ordering.validation import to_order_create

        async with PartnerClient(sandbox.base_url, sandbox.demo_api_key) as client:
            with pytest.raises(NetworkError):
                await client.create_order(
                    to_order_create(draft.fields), idempotency_key=draft.idempotency_key
                )

    arun(post_and_die())
    outbox.close()
    assert sandbox.order_count() == before + 1

    reopened = Outbox(tmp_path / "outbox.sqlite3")
    try:
        assert [d.id for d in reopened.interrupted] == [draft.id]
        results = submit_once(sandbox, reopened, draft.id, arun, recover=True)
        assert [r.draft.id for r in results] == [draft.id]
        assert results[0].ok
        stored = reopened.get(draft.id)
        assert stored is not None
        assert stored.state is DraftState.SUBMITTED
        assert stored.order_id == results[0].order.order_id
        assert sandbox.order_count() == before + 1
    finally:
        reopened.close()


def test_500_unknown_then_resubmit_creates_exactly_one(
    sandbox: SandboxServer, outbox: Outbox, arun: Run
) -> None:
    draft = outbox.save(Draft(profile="demo", fields=fields(customer_reference="FIVE-1")))
    before = sandbox.order_count()
    sandbox.faults.fail_next(500, "INTERNAL_ERROR", method="POST")
    result = submit_once(sandbox, outbox, draft.id, arun)
    assert result.state is DraftState.UNKNOWN
    assert "not found" in (result.message or "")
    assert sandbox.order_count() == before

    again = submit_once(sandbox, outbox, draft.id, arun)
    assert again.ok
    assert not again.reconciled
    assert sandbox.order_count() == before + 1
    # And once more: nothing new.
    submit_once(sandbox, outbox, draft.id, arun)
    assert sandbox.order_count() == before + 1


def test_same_key_dedupes_even_when_reconcile_misses(
    sandbox: SandboxServer, outbox: Outbox, arun: Run
) -> None:
    """If the list lookup fails too, the resend's idempotency key still prevents a double."""
    draft = outbox.save(Draft(profile="demo", fields=fields(customer_reference="KEY-1")))
    before = sandbox.order_count()
    sandbox.faults.drop_after_commit()
    # Every GET /orders of the reconciliation fails (the client retries GETs 3 times).
    sandbox.faults.fail_next(
        500, "INTERNAL_ERROR", method="GET", path_prefix="/api/partner/orders", count=4
    )
    result = submit_once(sandbox, outbox, draft.id, arun)
    assert result.state is DraftState.UNKNOWN
    assert sandbox.order_count() == before + 1

    sandbox.faults.fail_next(
        500, "INTERNAL_ERROR", method="GET", path_prefix="/api/partner/orders", count=4
    )
    again = submit_once(sandbox, outbox, draft.id, arun)
    assert again.ok
    assert sandbox.order_count() == before + 1
    sandbox.faults.clear()


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
