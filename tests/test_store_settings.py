"""Settings: defaults, round trip, corrupt files, profile rules, and no API key on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from nfctagify_desktop.api.errors import ConfigurationError
from nfctagify_desktop.store.secrets import KeyStore
from nfctagify_desktop.store.settings import (
    SANDBOX_PROFILE_NAME,
    Profile,
    Settings,
    SettingsError,
    SettingsStore,
)


def account(name: str = "Acme", url: str = "https://api.example.com") -> Profile:
    return Profile(name=name, base_url=url, kind="account")


def test_defaults_when_missing(app_dirs: Path) -> None:
    store = SettingsStore()
    assert store.path == app_dirs / "config" / "settings.json"
    settings = store.load()
    assert settings == Settings()
    assert [p.name for p in settings.profiles] == [SANDBOX_PROFILE_NAME]
    assert settings.active_profile == SANDBOX_PROFILE_NAME
    assert store.active().kind == "sandbox"
    assert store.active().base_url == ""
    assert (settings.auto_refresh_minutes, settings.orders_per_page) == (5, 50)
    assert settings.notify_status_changes is True
    assert settings.schema_version == 1
    assert not store.path.exists()  # loading never writes


def test_fields_have_titles_and_descriptions() -> None:
    for model in (Settings, Profile):
        for name, field in model.model_fields.items():
            assert field.title, f"{model.__name__}.{name}"
            assert field.description, f"{model.__name__}.{name}"


def test_round_trip(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "s.json")
    store.add_profile(account())
    store.set_active("Acme")
    store.update(auto_refresh_minutes=0, orders_per_page=100, notify_status_changes=False)
    loaded = SettingsStore(tmp_path / "s.json").load()
    assert loaded == store.settings
    assert loaded.active().name == "Acme"
    assert loaded.auto_refresh_minutes == 0
    assert loaded.orders_per_page == 100
    assert not list(tmp_path.glob("*.tmp"))  # atomic write left no temp file


@pytest.mark.parametrize(
    "content",
    ["{not json", "[1, 2]", '{"orders_per_page": 33}', '{"profiles": "x"}', "\x00\x01"],
)
def test_corrupt_file_moved_aside(app_dirs: Path, content: str) -> None:
    store = SettingsStore()
    store.path.write_text(content, encoding="utf-8")
    assert store.load() == Settings()
    bad = store.path.with_name("settings.json.bad")
    assert bad.read_text(encoding="utf-8") == content
    assert not store.path.exists()
    store.save(store.settings)
    assert SettingsStore().load() == Settings()


def test_unknown_keys_ignored_and_sandbox_restored(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps(
            {
                "profiles": [{"name": "Acme", "base_url": "https://a.example", "kind": "account"}],
                "active_profile": "Gone",
                "api_key": "ntk_should_never_be_kept",
                "future_option": 1,
            }
        ),
        encoding="utf-8",
    )
    store = SettingsStore(path)
    settings = store.load()
    assert [p.name for p in settings.profiles] == [SANDBOX_PROFILE_NAME, "Acme"]
    assert settings.active_profile == SANDBOX_PROFILE_NAME  # dangling name falls back
    store.save(settings)
    assert "ntk_should_never_be_kept" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("minutes", [-1, 121])
def test_auto_refresh_range(minutes: int) -> None:
    with pytest.raises(ValidationError):
        Settings(auto_refresh_minutes=minutes)


def test_page_size_choices() -> None:
    for n in (20, 50, 100):
        assert Settings(orders_per_page=n).orders_per_page == n
    with pytest.raises(ValidationError):
        Settings(orders_per_page=30)


def test_base_url_normalised_and_http_refused(tmp_path: Path) -> None:
    p = account(url=" https://API.example.com:8443/api/partner/ ")
    assert p.base_url == "https://api.example.com:8443"
    assert account(url="http://127.0.0.1:8000").base_url == "http://127.0.0.1:8000"
    with pytest.raises(ValidationError, match="HTTPS"):
        account(url="http://api.example.com")
    with pytest.raises(ValidationError):
        Profile(name="x", base_url="", kind="account")
    store = SettingsStore(tmp_path / "s.json")
    with pytest.raises(ConfigurationError):
        store.add_profile(
            Profile.model_construct(name="Evil", base_url="http://e.com", kind="account")
        )
    assert [p.name for p in store.settings.profiles] == [SANDBOX_PROFILE_NAME]


def test_profile_rules(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "s.json")
    store.add_profile(account("Acme"))
    with pytest.raises(SettingsError):
        store.add_profile(account("acme"))  # unique, case-insensitively
    with pytest.raises(SettingsError):
        store.add_profile(account(SANDBOX_PROFILE_NAME))
    with pytest.raises(SettingsError):
        store.remove_profile(SANDBOX_PROFILE_NAME)
    with pytest.raises(SettingsError):
        store.rename_profile(SANDBOX_PROFILE_NAME, "Other")
    with pytest.raises(KeyError):
        store.remove_profile("Nope")

    store.add_profile(account("Beta", "https://b.example"))
    with pytest.raises(SettingsError):
        store.rename_profile("Beta", "ACME")
    store.set_active("Acme")
    store.rename_profile("Acme", "Acme Ltd")
    assert store.active().name == "Acme Ltd"  # the active profile follows its rename

    store.update_profile("Beta", account("Beta", "https://beta.example/"))
    assert store.settings.profile("Beta").base_url == "https://beta.example"

    store.remove_profile("Acme Ltd")
    assert store.active().name == SANDBOX_PROFILE_NAME
    assert [p.name for p in SettingsStore(tmp_path / "s.json").load().profiles] == [
        SANDBOX_PROFILE_NAME,
        "Beta",
    ]


def test_settings_file_never_holds_the_key(app_dirs: Path) -> None:
    key = "ntk_live_secret_abcdef123456"
    store = SettingsStore()
    store.add_profile(account())
    KeyStore().set("Acme", key)
    store.set_active("Acme")
    assert "api_key" not in Settings.model_fields
    assert "api_key" not in Profile.model_fields
    assert key not in store.path.read_text(encoding="utf-8")
    for path in app_dirs.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


def test_theme_defaults_to_system_and_round_trips(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    assert store.load().theme == "system"
    store.update(theme="dark")
    assert SettingsStore(tmp_path / "settings.json").load().theme == "dark"


@pytest.mark.parametrize("stored", ["blue", "", 3, None])
def test_unknown_theme_in_the_file_means_system_and_keeps_the_rest(
    tmp_path: Path, stored: object
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": stored, "auto_refresh_minutes": 7}), encoding="utf-8")
    settings = SettingsStore(path).load()
    assert settings.theme == "system"
    assert settings.auto_refresh_minutes == 7  # the file was not discarded
