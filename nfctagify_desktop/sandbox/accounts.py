"""Deterministic sandbox accounts and their default API keys.

The keys are constants so that the app, the docs and the tests can use the sandbox with no
set-up; the database itself stores only their sha256.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

DEMO_ACCOUNT_ID = "demo"
STANDARD_ACCOUNT_ID = "standard"
READONLY_ACCOUNT_ID = "readonly"

DEMO_API_KEY = "ntk_sandbox_demo_key_0001"
STANDARD_API_KEY = "ntk_sandbox_standard_key_0001"
READONLY_API_KEY = "ntk_sandbox_readonly_key_0001"


@dataclass(frozen=True, slots=True)
class AccountSpec:
    account_id: str
    name: str
    default_key: str
    can_write: bool
    #: Whose orders and prices the key sees: staff keys act on their company's account.
    data_account: str


ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec(DEMO_ACCOUNT_ID, "Demo Partner Ltd", DEMO_API_KEY, True, DEMO_ACCOUNT_ID),
    AccountSpec(
        STANDARD_ACCOUNT_ID, "Standard Partner Ltd", STANDARD_API_KEY, True, STANDARD_ACCOUNT_ID
    ),
    AccountSpec(
        READONLY_ACCOUNT_ID,
        "Demo Partner Ltd (staff, read-only)",
        READONLY_API_KEY,
        False,
        DEMO_ACCOUNT_ID,
    ),
)


def hash_key(key: str) -> str:
    """Keys are stored hashed, like a real service would, so a leaked DB file leaks no key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    """A fresh random key in the sandbox's recognisable format."""
    return "ntk_sandbox_" + secrets.token_hex(16)
