"""AccountId: one identity per profile and server, stable across runs, safe as a file name."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from nfctagify_desktop.store.account import SANDBOX_ORIGIN, AccountId
from nfctagify_desktop.store.settings import Profile, sandbox_profile


def account(name: str, url: str) -> Profile:
    return Profile(name=name, base_url=url, kind="account")


def test_same_profile_same_server_is_one_account() -> None:
    a = AccountId.for_profile(account("Prod", "https://api.example.com/"))
    b = AccountId.for_profile(account("Prod", "https://API.example.com/api/partner"))
    assert a == b
    assert hash(a) == hash(b)
    assert a.slug == b.slug
    assert a.base_url == "https://api.example.com"


def test_another_server_or_profile_is_another_account() -> None:
    prod = AccountId.for_profile(account("Prod", "https://api.example.com"))
    moved = AccountId.for_profile(account("Prod", "https://api2.example.com"))
    other = AccountId.for_profile(account("prod", "https://api.example.com"))
    assert len({prod, moved, other}) == 3
    assert len({prod.slug, moved.slug, other.slug}) == 3
    assert len({prod.key, moved.key, other.key}) == 3


def test_sandbox_identity_does_not_depend_on_its_port() -> None:
    sandbox = AccountId.for_profile(sandbox_profile())
    assert sandbox.is_sandbox
    assert sandbox.base_url == SANDBOX_ORIGIN
    assert str(sandbox) == "Sandbox (built-in sandbox)"
    assert not AccountId.for_profile(account("Sandbox2", "http://127.0.0.1:8765")).is_sandbox


def test_readable_and_keyless() -> None:
    prod = AccountId.for_profile(account("Production", "https://api.example.com"))
    assert str(prod) == "Production (https://api.example.com)"
    assert prod.slug.startswith("production-")


def test_key_has_no_separator_ambiguity() -> None:
    assert AccountId("a@b", "c").key != AccountId("a", "b@c").key


@given(st.text(min_size=1, max_size=80), st.text(max_size=40))
def test_slug_is_a_safe_file_name(profile: str, url: str) -> None:
    slug = AccountId(profile, url).slug
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug), slug
    assert len(slug) <= 45
