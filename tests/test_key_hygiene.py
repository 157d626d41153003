"""The key is never shown, stored or printed: redaction, key cleaning, exact loopback, child env.

A real loopback server echoes the key in its error text and headers (as-is, escaped, repr'd,
URL-encoded); the client's exceptions, support details, the log and the CLI's stderr must not
carry it in any of those forms.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nfctagify_desktop.api import ApiError, ConfigurationError, PartnerClient, ServerError
from nfctagify_desktop.api.retry import NO_RETRY
from nfctagify_desktop.api.urls import is_loopback_host, normalize_base_url
from nfctagify_desktop.log import setup_logging, teardown_logging
from nfctagify_desktop.redaction import (
    INVALID_KEY_MESSAGE,
    REDACTED,
    InvalidApiKeyError,
    clean_api_key,
    redact,
    register_secret,
    unregister_all_secrets,
)
from nfctagify_desktop.sandbox.process import child_environment
from nfctagify_desktop.store.secrets import KeyStore, resolve_api_key
from nfctagify_desktop.support import support_details
from tests.fault_servers import EchoKeyServer

REPO = Path(__file__).resolve().parent.parent
# Characters that JSON, repr and URL encoding each write differently.
KEY = 'Zq9-leaky/"key"+with\\back&amp'


def forms(key: str) -> list[str]:
    return [
        key,
        json.dumps(key)[1:-1],
        repr(key)[1:-1],
        quote(key, safe=""),
        quote(key, safe="").lower(),
        json.dumps(json.dumps(key)[1:-1])[1:-1],
    ]


def assert_no_key(text: str, key: str = KEY) -> None:
    for form in forms(key):
        assert form not in text, (form, text)


@pytest.fixture(autouse=True)
def _forget_secrets() -> Iterator[None]:
    unregister_all_secrets()
    yield
    unregister_all_secrets()


@pytest.fixture
def echo() -> Iterator[EchoKeyServer]:
    server = EchoKeyServer(500).start()
    yield server
    server.stop()


# -- the one redaction function ---------------------------------------------------------------


def test_every_written_form_of_a_registered_key_is_masked() -> None:
    register_secret(KEY)
    for form in forms(KEY):
        out = redact(f"before {form} after")
        assert out == f"before {REDACTED} after", form


def test_extra_secrets_are_masked_without_registering() -> None:
    assert redact(f"x {KEY} y", (KEY,)) == f"x {REDACTED} y"
    assert redact(f"x {KEY} y") == f"x {KEY} y"  # nothing registered: left as is


def test_ordinary_text_is_untouched() -> None:
    register_secret(KEY)
    text = "Order ord_123 for REF-9 shipped to London; 50 % off"
    assert redact(text) == text


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=8))
def test_any_valid_key_is_masked_in_json_and_repr(key: str) -> None:
    unregister_all_secrets()
    register_secret(key)
    for form in (key, json.dumps(key)[1:-1], repr(key)[1:-1], quote(key, safe="")):
        assert form not in redact(f"<{form}>").replace(REDACTED, "")


# -- key cleaning -----------------------------------------------------------------------------


@pytest.mark.parametrize("pasted", [f"{KEY}\r", f"{KEY}\r\n", f"\t{KEY} ", f" {KEY}\n"])
def test_surrounding_whitespace_is_stripped(pasted: str) -> None:
    assert clean_api_key(pasted) == KEY


@pytest.mark.parametrize("bad", ["abc\rdef123", "abc\x00def123", "abc def123", "abc\u200bdef123",
                                 "abcé-def123", "abc\x7fdef123"])  # fmt: skip
def test_inner_control_characters_are_refused_without_echo(bad: str) -> None:
    with pytest.raises(InvalidApiKeyError) as info:
        clean_api_key(bad)
    assert str(info.value) == INVALID_KEY_MESSAGE
    assert "abc" not in str(info.value)
    with pytest.raises(ConfigurationError) as cfg:
        PartnerClient("http://127.0.0.1:9", bad)
    assert cfg.value.code == "INVALID_API_KEY"
    assert "def123" not in str(cfg.value) + repr(cfg.value)


def test_keystore_strips_and_refuses() -> None:
    store = KeyStore()
    store.set("Prod", f"{KEY}\r\n")
    assert store.get("Prod") == KEY
    with pytest.raises(InvalidApiKeyError):
        store.set("Prod", "abc\x01def123")
    assert store.get("Prod") == KEY  # the good key is kept


def test_env_key_is_stripped_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NFCTAGIFY_API_KEY", f"{KEY}\r")
    assert resolve_api_key("Prod") == KEY
    monkeypatch.setenv("NFCTAGIFY_API_KEY", "abc\x1bdef123")
    with pytest.raises(InvalidApiKeyError):
        resolve_api_key("Prod")


def test_child_processes_get_no_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NFCTAGIFY_API_KEY", KEY)
    env = child_environment()
    assert "NFCTAGIFY_API_KEY" not in env
    assert all(KEY not in v for v in env.values())
    assert os.environ["NFCTAGIFY_API_KEY"] == KEY  # ours is untouched


# -- exact loopback -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST", True),
        ("127.0.0.1", True),
        ("127.255.0.9", True),
        ("::1", True),
        ("[::1]", True),
        ("anything.localhost", False),
        ("localhost.example.com", False),
        ("128.0.0.1", False),
        ("192.0.2.1", False),
        ("::2", False),
    ],
)
def test_loopback_is_exact(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_plain_http_to_a_localhost_subdomain_is_refused() -> None:
    with pytest.raises(ConfigurationError) as info:
        normalize_base_url("http://anything.localhost:8080")
    assert info.value.code == "HTTPS_REQUIRED"
    assert normalize_base_url("http://localhost:8080") == "http://localhost:8080"


# -- a server that echoes the key -------------------------------------------------------------


def echo_error(echo: EchoKeyServer, arun: Callable[..., Any], key: str = KEY) -> ApiError:
    async def go() -> None:
        async with PartnerClient(echo.base_url, key, retry=NO_RETRY) as client:
            await client.list_products()

    with pytest.raises(ApiError) as info:
        arun(go())
    return info.value


@pytest.mark.parametrize("status", [500, 400, 401, 403, 404])
def test_client_errors_never_carry_the_key(
    echo: EchoKeyServer, arun: Callable[..., Any], status: int
) -> None:
    echo.set_status(status)
    error = echo_error(echo, arun)
    assert error.status == status
    assert REDACTED in error.message  # the server did echo it: this test can fail
    for text in (str(error), repr(error), error.message, error.response_body or "",
                 str(error.code), str(error.args)):  # fmt: skip
        assert_no_key(text)
    details = support_details(error, base_url=echo.base_url)
    assert_no_key(details)
    assert "Invalid key" in details


def test_a_trailing_cr_key_works_and_is_still_masked(
    echo: EchoKeyServer, arun: Callable[..., Any]
) -> None:
    error = echo_error(echo, arun, key=KEY + "\r\n")
    assert isinstance(error, ServerError)
    # The server saw the stripped key (no CR in the header), and it is masked everywhere.
    assert_no_key(str(error) + repr(error) + (error.response_body or ""))
    assert "\\r" not in (error.response_body or "")


def test_the_log_never_holds_the_key(
    echo: EchoKeyServer, arun: Callable[..., Any], tmp_path: Path
) -> None:
    path = setup_logging(logging.DEBUG, log_file=tmp_path / "app.log")
    try:
        error = echo_error(echo, arun)
        log = logging.getLogger("nfctagify.test")
        log.error("failed: %s / %r / %s", error, error, error.response_body)
        try:
            raise error
        except ApiError:
            log.exception("with traceback")
    finally:
        teardown_logging()
    text = path.read_text(encoding="utf-8")
    assert "with traceback" in text
    assert_no_key(text)


# -- the CLI ------------------------------------------------------------------------------------


def run_cli(home: Path, base_url: str, key: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NFCTAGIFY_")}
    env.update(
        NFCTAGIFY_HOME=str(home),
        NFCTAGIFY_BASE_URL=base_url,
        NFCTAGIFY_API_KEY=key,
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    return subprocess.run(
        [sys.executable, "-m", "nfctagify_desktop.cli", *args, "products"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


@pytest.mark.parametrize("status", [500, 401])
def test_cli_stderr_never_carries_the_key(echo: EchoKeyServer, tmp_path: Path, status: int) -> None:
    echo.set_status(status)
    for key in (KEY, KEY + "\r", KEY + "\t\n"):
        result = run_cli(tmp_path, echo.base_url, key)
        assert result.returncode == 1, result.stderr
        assert result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr
        assert "Invalid key" in result.stderr  # the server's text did come through
        assert_no_key(result.stderr + result.stdout)


def test_cli_refuses_an_inner_control_character_without_printing_it(
    echo: EchoKeyServer, tmp_path: Path
) -> None:
    result = run_cli(tmp_path, echo.base_url, "Zq9-secret\x1bpart-two")
    assert result.returncode == 2
    assert "character no key has" in result.stderr
    for part in ("Zq9", "secret", "part-two", "\x1b"):
        assert part not in result.stderr + result.stdout


def test_cli_refused_base_url_is_one_line(tmp_path: Path) -> None:
    for url in ("http://192.0.2.1", "http://anything.localhost"):
        result = run_cli(tmp_path, url, "Zq9-secret-key")
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1
        assert "requires HTTPS" in result.stderr
        assert "Traceback" not in result.stderr


def run_app(home: Path, *args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NFCTAGIFY_")}
    env.update(NFCTAGIFY_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    if key is not None:
        env["NFCTAGIFY_API_KEY"] = key
    return subprocess.run(
        [sys.executable, "main.py", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "key", "expected"),
    [
        (("--base-url", "http://192.0.2.1"), "Zq9-secret-key", "requires HTTPS"),
        (("--base-url", "http://anything.localhost"), "Zq9-secret-key", "requires HTTPS"),
        (("--base-url", "https://api.example.com"), None, "NFCTAGIFY_API_KEY"),
        (("--base-url", "https://api.example.com"), "Zq9-secret\x07key", "character no key has"),
    ],
)
def test_the_app_refuses_bad_arguments_in_one_line(
    tmp_path: Path, args: tuple[str, ...], key: str | None, expected: str
) -> None:
    result = run_app(tmp_path, *args, key=key)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("nfctagify-desktop: error: ")
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert "secret" not in result.stderr


def test_the_app_keeps_the_env_key_in_memory_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from nfctagify_desktop import redaction

    monkeypatch.setattr(redaction, "_env_key", None)
    monkeypatch.setenv("NFCTAGIFY_API_KEY", KEY + "\n")
    redaction.take_env_key()
    assert "NFCTAGIFY_API_KEY" not in os.environ  # nothing started later inherits it
    assert resolve_api_key("Command line") == KEY
    assert redact(f"echo {KEY}") == f"echo {REDACTED}"
