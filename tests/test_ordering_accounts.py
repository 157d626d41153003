"""Drafts keep their account: two real sandboxes, a draft of A offered to B is refused."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nfctagify_desktop.api.client import PartnerClient
from nfctagify_desktop.ordering.outbox import Draft, DraftState, Outbox
from nfctagify_desktop.ordering.submit import OrderSubmitter, WrongAccountError
from nfctagify_desktop.ordering.validation import OrderFields
from nfctagify_desktop.sandbox.server import SandboxServer
from nfctagify_desktop.store.account import AccountId

Run = Callable[..., Any]

FIELDS = OrderFields(
    product_id="prod_standard",
    quantity="25",
    customer_reference="PO-A-1",
    name="Jane Smith",
    address_line1="12 Example Street",
    city="London",
    postcode="EC1A 1BB",
    country="GB",
)


@pytest.fixture
def two_sandboxes(tmp_path: Path) -> Iterator[tuple[SandboxServer, SandboxServer]]:
    a = SandboxServer(tmp_path / "a.sqlite3")
    b = SandboxServer(tmp_path / "b.sqlite3")
    a.start()
    b.start()
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "outbox.sqlite3")
    yield box
    box.close()


def send(
    server: SandboxServer, account: AccountId, outbox: Outbox, draft_id: str, arun: Run
) -> Any:
    async def go() -> Any:
        async with PartnerClient(server.base_url, server.demo_api_key) as client:
            submitter = OrderSubmitter(client, outbox, account.profile, account=account)
            return await submitter.submit(draft_id)

    return arun(go())


def test_a_draft_of_a_sent_under_b_is_refused_and_stays_as(
    two_sandboxes: tuple[SandboxServer, SandboxServer], outbox: Outbox, arun: Run
) -> None:
    server_a, server_b = two_sandboxes
    account_a = AccountId("A", server_a.base_url)
    account_b = AccountId("B", server_b.base_url)
    draft = outbox.save(Draft(profile="A", base_url=account_a.base_url, fields=FIELDS))
    counts = (server_a.order_count(), server_b.order_count())

    with pytest.raises(WrongAccountError) as info:
        send(server_b, account_b, outbox, draft.id, arun)
    message = str(info.value)
    assert f"written for A ({server_a.base_url})" in message
    assert f"not sent to B ({server_b.base_url})" in message
    assert (server_a.order_count(), server_b.order_count()) == counts  # nothing sent anywhere
    kept = outbox.get(draft.id)
    assert kept is not None
    assert (kept.profile, kept.base_url, kept.state) == ("A", account_a.base_url, DraftState.DRAFT)
    assert kept.attempts == 0

    result = send(server_a, account_a, outbox, draft.id, arun)  # back under A: it goes
    assert result.ok
    assert server_a.order_count() == counts[0] + 1
    assert server_b.order_count() == counts[1]


def test_same_profile_pointed_at_another_server_is_another_account(
    two_sandboxes: tuple[SandboxServer, SandboxServer], outbox: Outbox, arun: Run
) -> None:
    server_a, server_b = two_sandboxes
    draft = outbox.save(Draft(profile="Prod", base_url=server_a.base_url, fields=FIELDS))
    moved = AccountId("Prod", server_b.base_url)
    assert not draft.belongs_to(moved)
    before = server_b.order_count()
    with pytest.raises(WrongAccountError):
        send(server_b, moved, outbox, draft.id, arun)
    assert server_b.order_count() == before
    assert outbox.get(draft.id).state is DraftState.DRAFT  # type: ignore[union-attr]


def test_recover_only_checks_drafts_of_its_account(
    two_sandboxes: tuple[SandboxServer, SandboxServer], outbox: Outbox, arun: Run
) -> None:
    server_a, server_b = two_sandboxes
    other = outbox.save(Draft(profile="Prod", base_url=server_a.base_url, fields=FIELDS))
    outbox.mark_unknown(other.id, "lost", "TIMEOUT")
    account_b = AccountId("Prod", server_b.base_url)

    async def go() -> Any:
        async with PartnerClient(server_b.base_url, server_b.demo_api_key) as client:
            return await OrderSubmitter(client, outbox, "Prod", account=account_b).recover()

    assert arun(go()) == []
    assert outbox.get(other.id).state is DraftState.UNKNOWN  # type: ignore[union-attr]


def test_older_drafts_without_an_account_belong_to_their_profile(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with Outbox(path) as box:
        draft = box.save(Draft(profile="A", fields=FIELDS))
    # A database from before the column existed: drop it, as an old version would have it.
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE drafts DROP COLUMN base_url")
    conn.commit()
    conn.close()
    with Outbox(path) as box:
        old = box.get(draft.id)
        assert old is not None
        assert old.base_url is None
        assert old.belongs_to(AccountId("A", "https://api.example.com"))
        assert not old.belongs_to(AccountId("B", "https://api.example.com"))
        saved = box.save(old.with_fields(FIELDS))
        assert box.get(saved.id) is not None


def test_a_placement_that_times_out_is_kept_as_outcome_unknown(outbox: Outbox, arun: Run) -> None:
    from nfctagify_desktop.api.retry import NO_RETRY
    from nfctagify_desktop.ui.tabs.outbox_tab import STATE_LABELS
    from tests.fault_servers import StallingServer, running

    with running(StallingServer()) as server:
        account = AccountId("Slow", server.base_url)
        draft = outbox.save(Draft(profile="Slow", base_url=server.base_url, fields=FIELDS))

        async def go() -> Any:
            client = PartnerClient(
                server.base_url, "ntk_live_slow_0001", time_limit=1.0, retry=NO_RETRY
            )
            async with client:
                return await OrderSubmitter(client, outbox, "Slow", account=account).submit(
                    draft.id
                )

        result = arun(go(), timeout=60)
    assert result.state is DraftState.UNKNOWN
    kept = outbox.get(draft.id)
    assert kept is not None and kept.state is DraftState.UNKNOWN
    assert kept.idempotency_key == draft.idempotency_key  # the check reuses it
    assert STATE_LABELS[DraftState.UNKNOWN] == "Outcome unknown — will be checked"
