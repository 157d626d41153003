"""The identity of an account: which profile, talking to which server. Never the key.

Everything the app shows or keeps (catalogue, prices, orders, drafts, watch state, last-seen
markers) belongs to exactly one :class:`AccountId`. Two profiles pointing at the same server
are still two accounts (they may hold different keys), and one profile edited to point at
another server becomes a new account: its old data must not show under the new address.

Qt-free and tiny on purpose, so any layer (store, ordering, services, ui) can key on it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nfctagify_desktop.store.settings import Profile

#: The built-in sandbox's address changes every run (a free port); its data does not
#: (one SQLite file), so its identity uses this fixed origin instead of the port.
SANDBOX_ORIGIN = "sandbox://local"

_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


@dataclass(frozen=True, slots=True)
class AccountId:
    """``profile`` + normalised ``base_url``: hashable, comparable, safe to log.

    Build it with :meth:`for_profile` so the sandbox and normalisation rules stay in one place.
    """

    profile: str
    base_url: str

    @classmethod
    def for_profile(cls, profile: Profile) -> AccountId:
        """The identity of ``profile`` as configured (the sandbox has a fixed origin)."""
        if profile.is_sandbox:
            return cls(profile.name, SANDBOX_ORIGIN)
        from nfctagify_desktop.api.urls import normalize_base_url

        return cls(profile.name, normalize_base_url(profile.base_url))

    @property
    def is_sandbox(self) -> bool:
        return self.base_url == SANDBOX_ORIGIN

    @property
    def key(self) -> str:
        """A stable text key for database columns and dictionaries (no separator ambiguity)."""
        return f"{len(self.profile)}:{self.profile}@{self.base_url}"

    @property
    def slug(self) -> str:
        """A stable, file-name-safe name: readable prefix plus a hash of the whole identity.

        ASCII only and at most 45 characters, so it works on every file system; the hash
        keeps "Prod" at two servers, or "Prod"/"prod", apart.
        """
        digest = hashlib.sha256(self.key.encode("utf-8")).hexdigest()[:12]
        readable = _UNSAFE.sub("-", self.profile).strip("-").lower()[:32] or "profile"
        return f"{readable}-{digest}"

    def __str__(self) -> str:
        """What a person reads: the profile name and where it points."""
        where = "built-in sandbox" if self.is_sandbox else self.base_url
        return f"{self.profile} ({where})"
