"""User settings: connection profiles and preferences, kept as JSON in the config directory.

Qt-free on purpose (the UI adapts it). The file never holds an API key: there is no field for
one, and unknown keys in the file are dropped on load, so a key pasted into the file by hand is
not written back either. Keys live in the OS keyring (``store.secrets``).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from nfctagify_desktop.api.errors import ConfigurationError
from nfctagify_desktop.api.urls import normalize_base_url
from nfctagify_desktop.paths import config_dir
from nfctagify_desktop.store.saved_views import SavedView

log = logging.getLogger(__name__)

SANDBOX_PROFILE_NAME = "Sandbox"
SETTINGS_FILE_NAME = "settings.json"
SCHEMA_VERSION = 1
AUTO_REFRESH_MAX_MINUTES = 120
ORDERS_PER_PAGE_CHOICES: tuple[int, ...] = (20, 50, 100)
PROFILE_NAME_MAX_LENGTH = 64
#: Bounds of the per-action time limit: shorter fails on slow mobile links, longer is a hang.
TIME_LIMIT_RANGE = (5, 300)

ProfileKind = Literal["sandbox", "account"]
ThemeName = Literal["system", "light", "dark"]
THEME_CHOICES: tuple[ThemeName, ...] = ("system", "light", "dark")


class SettingsError(ValueError):
    """A profile operation broke a rule (duplicate name, removing Sandbox, ...).

    A ValueError so callers that already catch validation errors also catch this.
    """


class Profile(BaseModel):
    """Where to connect: the embedded sandbox, or an NFC Tagify partner account."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)

    name: str = Field(
        min_length=1,
        max_length=PROFILE_NAME_MAX_LENGTH,
        title="Name",
        description="Shown in the profile switcher; also the keyring entry's user name.",
    )
    base_url: str = Field(
        default="",
        title="API address",
        description="Origin such as https://api.nfctagify.com. Empty for the sandbox profile, "
        "which means: start the embedded sandbox.",
    )
    ca_bundle: str | None = Field(
        default=None,
        title="CA bundle",
        description="Optional PEM file trusted in addition to the OS store "
        "(for a TLS-inspecting corporate proxy).",
    )
    account_id: str | None = Field(
        default=None,
        title="Partner account ID",
        description="Optional; shown in the Partner Portal and included in support details.",
    )
    kind: ProfileKind = Field(
        title="Kind",
        description="'sandbox' (local test server) or 'account' (a real partner account).",
    )

    @field_validator("ca_bundle", "account_id")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @model_validator(mode="before")
    @classmethod
    def _check_base_url(cls, data: Any) -> Any:
        # pydantic only wraps ValueError, so ConfigurationError becomes a ValueError here;
        # SettingsStore helpers call validate_base_url() first to surface the typed error.
        if isinstance(data, dict):
            url = data.get("base_url") or ""
            if isinstance(url, str) and (data.get("kind") == "account" or url.strip()):
                try:
                    data = {**data, "base_url": normalize_base_url(url)}
                except ConfigurationError as exc:
                    raise ValueError(exc.message) from None
        return data

    @property
    def is_sandbox(self) -> bool:
        return self.kind == "sandbox"


def sandbox_profile() -> Profile:
    """The built-in profile: the app starts its embedded sandbox and uses the demo key."""
    return Profile(name=SANDBOX_PROFILE_NAME, base_url="", kind="sandbox")


def validate_base_url(url: str) -> str:
    """Normalise an API address; raises ConfigurationError (e.g. http to a remote host)."""
    return normalize_base_url(url)


def _name_key(name: str) -> str:
    # Case-insensitive: Windows Credential Manager targets (the keyring user) ignore case.
    return name.strip().casefold()


class Settings(BaseModel):
    """Everything the app remembers between runs, except secrets and window geometry."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    profiles: list[Profile] = Field(
        default_factory=lambda: [sandbox_profile()],
        title="Profiles",
        description="Connection profiles; the built-in Sandbox profile is always present.",
    )
    active_profile: str = Field(
        default=SANDBOX_PROFILE_NAME,
        title="Active profile",
        description="Name of the profile the app connects with.",
    )
    auto_refresh_minutes: int = Field(
        default=5,
        ge=0,
        le=AUTO_REFRESH_MAX_MINUTES,
        title="Auto-refresh open orders every",
        description="How often open orders are checked for status changes; Off (0) turns it off.",
    )
    orders_per_page: int = Field(
        default=50,
        title="Orders per page",
        description="Page size of the orders list (20, 50 or 100).",
    )
    orders_sort: str = Field(
        default="created:desc",
        title="Orders sort",
        description="The orders list's sort column and direction, e.g. 'created:desc'.",
    )
    notify_status_changes: bool = Field(
        default=True,
        title="Notify me when an order's status changes",
        description="Show a notification when an order's status changes on refresh.",
    )
    business_details: str = Field(
        default="",
        max_length=1000,
        title="Your business details",
        description="Your business name, address and VAT number, printed at the top of order "
        "confirmations and summaries (first line: the name).",
    )
    saved_views: list[SavedView] = Field(
        default_factory=list,
        title="Saved views",
        description="Named filters, searches, sorts and columns of the orders list.",
    )
    theme: ThemeName = Field(
        default="system",
        title="Theme",
        description="System follows your computer's light or dark mode; Light or Dark force one.",
    )
    request_time_limit_seconds: int = Field(
        default=20,
        ge=TIME_LIMIT_RANGE[0],
        le=TIME_LIMIT_RANGE[1],
        title="Time limit per action (seconds)",
        description="One action (a refresh, placing an order) gives up after this long, "
        "retries included, with a clear message.",
    )
    schema_version: int = Field(
        default=SCHEMA_VERSION,
        title="Schema version",
        description="Version of this file's layout, for future migrations.",
    )

    @field_validator("theme", mode="before")
    @classmethod
    def _theme(cls, value: Any) -> str:
        # A hand-edited or future value falls back to System rather than discarding the file.
        text = str(value).strip().lower() if value is not None else ""
        return text if text in THEME_CHOICES else "system"

    @field_validator("orders_per_page")
    @classmethod
    def _page_size(cls, value: int) -> int:
        if value not in ORDERS_PER_PAGE_CHOICES:
            raise ValueError(f"orders_per_page must be one of {ORDERS_PER_PAGE_CHOICES}")
        return value

    @model_validator(mode="before")
    @classmethod
    def _ensure_sandbox(cls, data: Any) -> Any:
        # The Sandbox profile is built in: restore it if a hand-edited file lost it.
        if isinstance(data, dict) and isinstance(data.get("profiles"), list):
            profiles = data["profiles"]
            names = [
                p.name
                if isinstance(p, Profile)
                else (p.get("name") if isinstance(p, dict) else None)
                for p in profiles
            ]
            if SANDBOX_PROFILE_NAME not in names:
                data = {**data, "profiles": [sandbox_profile(), *profiles]}
        return data

    @model_validator(mode="after")
    def _check_profiles(self) -> Settings:
        seen: set[str] = set()
        for profile in self.profiles:
            key = _name_key(profile.name)
            if key in seen:
                raise ValueError(f"Duplicate profile name: {profile.name!r}")
            seen.add(key)
            if profile.name == SANDBOX_PROFILE_NAME and profile.kind != "sandbox":
                raise ValueError(f"The {SANDBOX_PROFILE_NAME!r} profile must be of kind 'sandbox'")
        if self.active_profile not in {p.name for p in self.profiles}:
            # A dangling name (profile removed by hand) falls back rather than failing the file.
            object.__setattr__(self, "active_profile", SANDBOX_PROFILE_NAME)
        return self

    def profile(self, name: str) -> Profile:
        """The profile called ``name``; KeyError if there is none."""
        for p in self.profiles:
            if p.name == name:
                return p
        raise KeyError(name)

    def active(self) -> Profile:
        return self.profile(self.active_profile)


class SettingsStore:
    """Loads and saves :class:`Settings` as JSON, atomically, never crashing on a bad file.

    Profile helpers validate, save and return the new settings. Renaming or removing a
    profile does not touch its keyring entry: the caller also calls ``KeyStore.rename`` /
    ``KeyStore.delete`` (kept apart so this class stays free of keyring and its D-Bus calls).
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else config_dir() / SETTINGS_FILE_NAME
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        """The last loaded or saved settings (loads on first use)."""
        if self._settings is None:
            return self.load()
        return self._settings

    def load(self) -> Settings:
        """Read the file; missing → defaults; unreadable → defaults and file moved to ``.bad``."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self._settings = Settings()
            return self._settings
        except OSError as exc:
            log.warning("Cannot read settings %s (%s); using defaults", self.path, exc)
            self._settings = Settings()
            return self._settings
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("settings file is not a JSON object")
            settings = Settings.model_validate(data)
        except (ValueError, ValidationError) as exc:  # JSONDecodeError is a ValueError
            self._move_aside(exc)
            settings = Settings()
        self._settings = settings
        return settings

    def _move_aside(self, exc: Exception) -> None:
        bad = self.path.with_name(self.path.name + ".bad")
        log.warning(
            "Settings file %s is invalid (%s); moved to %s, using defaults",
            self.path,
            exc.__class__.__name__,
            bad,
        )
        try:
            os.replace(self.path, bad)
        except OSError as move_exc:
            log.warning("Could not move the bad settings file aside: %s", move_exc)

    def save(self, settings: Settings) -> None:
        """Write via a temp file + ``os.replace`` so a crash never leaves half a file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = settings.model_dump_json(indent=2) + "\n"
        fd, tmp_name = tempfile.mkstemp(
            prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent
        )
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        self._settings = settings

    def update(self, **changes: Any) -> Settings:
        """Change preference fields (validated), save and return the new settings."""
        data = self.settings.model_dump()
        data.update(changes)
        new = Settings.model_validate(data)
        self.save(new)
        return new

    # -- profiles --------------------------------------------------------------------------

    def active(self) -> Profile:
        return self.settings.active()

    def set_active(self, name: str) -> Settings:
        current = self.settings
        current.profile(name)  # KeyError if unknown
        return self._replace(current.profiles, active=name)

    def add_profile(self, profile: Profile) -> Settings:
        """Add an account profile; names are unique (case-insensitive)."""
        current = self.settings
        self._check_new_name(profile.name, current)
        if profile.kind == "account":
            validate_base_url(profile.base_url)
        return self._replace([*current.profiles, profile])

    def update_profile(self, name: str, profile: Profile) -> Settings:
        """Replace profile ``name`` by ``profile`` (which may carry a new name)."""
        current = self.settings
        current.profile(name)
        if name == SANDBOX_PROFILE_NAME and (
            profile.name != SANDBOX_PROFILE_NAME or profile.kind != "sandbox"
        ):
            raise SettingsError(f"The built-in {SANDBOX_PROFILE_NAME} profile cannot be renamed")
        if _name_key(profile.name) != _name_key(name):
            self._check_new_name(profile.name, current)
        if profile.kind == "account":
            validate_base_url(profile.base_url)
        profiles = [profile if p.name == name else p for p in current.profiles]
        active = profile.name if current.active_profile == name else current.active_profile
        return self._replace(profiles, active=active)

    def rename_profile(self, old: str, new: str) -> Settings:
        profile = self.settings.profile(old)
        return self.update_profile(old, profile.model_copy(update={"name": new.strip()}))

    def remove_profile(self, name: str) -> Settings:
        """Remove a profile; removing the active one makes Sandbox active."""
        if name == SANDBOX_PROFILE_NAME:
            raise SettingsError(f"The built-in {SANDBOX_PROFILE_NAME} profile cannot be removed")
        current = self.settings
        current.profile(name)
        profiles = [p for p in current.profiles if p.name != name]
        active = SANDBOX_PROFILE_NAME if current.active_profile == name else None
        return self._replace(profiles, active=active)

    def _check_new_name(self, name: str, current: Settings) -> None:
        key = _name_key(name)
        if not key:
            raise SettingsError("A profile needs a name")
        if any(_name_key(p.name) == key for p in current.profiles):
            raise SettingsError(f"A profile called {name!r} already exists")

    def _replace(self, profiles: list[Profile], *, active: str | None = None) -> Settings:
        current = self.settings
        new = current.model_copy(
            update={
                "profiles": profiles,
                "active_profile": active if active is not None else current.active_profile,
            }
        )
        # model_copy skips validation: re-validate so the rules above hold for what we save.
        new = Settings.model_validate(new.model_dump())
        self.save(new)
        return new
