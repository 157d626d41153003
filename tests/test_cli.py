"""The ``nfctagify`` command, run as a user runs it: a subprocess against a real sandbox.

Most tests use a sandbox started from the command line (``python -m nfctagify_desktop.sandbox``)
exactly as the README tells users to; a few use the in-process ``sandbox`` fixture where they
need to look at server state (order counts) or inject delays.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from nfctagify_desktop.sandbox.server import SandboxServer

REPO = Path(__file__).resolve().parent.parent
NOWHERE = "http://127.0.0.1:9"  # nothing listens: reaching the network would not give exit 2


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NFCTAGIFY_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["NFCTAGIFY_HOME"] = str(home)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@dataclass
class CliSandbox:
    base_url: str
    keys: dict[str, str]


@pytest.fixture(scope="module")
def cli_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliSandbox]:
    """``nfctagify-sandbox --port 0`` in its own process; it prints its address and keys."""
    tmp = tmp_path_factory.mktemp("cli-sandbox")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "nfctagify_desktop.sandbox",
            "--port",
            "0",
            "--db",
            str(tmp / "sandbox.sqlite3"),
            "--rate-limit",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=clean_env(tmp),
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None
        values: dict[str, str] = {}
        deadline = time.monotonic() + 30
        while "Press Ctrl+C" not in values.get("_last", ""):
            line = proc.stdout.readline()
            if not line or time.monotonic() > deadline:
                pytest.fail(f"the sandbox did not start (exit {proc.poll()})")
            values["_last"] = line
            if "=" in line:
                name, _, value = line.strip().partition("=")
                values[name] = value
        keys = {n[4:-1]: v for n, v in values.items() if n.startswith("key[")}
        yield CliSandbox(values["base_url"], keys)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def run(*args: str, home: Path, key: str | None = None, base_url: str | None = None) -> Result:
    extra = {}
    if key is not None:
        extra["NFCTAGIFY_API_KEY"] = key
    if base_url is not None:
        extra["NFCTAGIFY_BASE_URL"] = base_url
    proc = subprocess.run(
        [sys.executable, "-m", "nfctagify_desktop.cli", *args],
        capture_output=True,
        text=True,
        env=clean_env(home, **extra),
        cwd=REPO,
        timeout=60,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def assert_clean_failure(result: Result, code: int, *secrets: str) -> str:
    """Exit ``code``, exactly one line on stderr, no traceback, no key anywhere."""
    assert result.code == code, result
    assert "Traceback" not in result.err + result.out
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    for secret in secrets:
        assert secret not in result.err
        assert secret not in result.out
    assert lines[0].startswith("error: ")
    return lines[0]


ORDER_ARGS = [
    "--name",
    "Jane Smith",
    "--address1",
    "12 Example Street",
    "--city",
    "London",
    "--postcode",
    "EC1A 1BB",
    "--country",
    "gb",
]
CREATE = ["orders", "create", "--product", "prod_standard", "--quantity"]


# -- the five operations, --json -----------------------------------------------------------------


def test_products_json(cli_sandbox: CliSandbox, tmp_path: Path) -> None:
    r = run(
        "--json",
        "products",
        home=tmp_path,
        key=cli_sandbox.keys["demo"],
        base_url=cli_sandbox.base_url,
    )
    assert r.code == 0, r.err
    products = {p["product_id"]: p for p in r.json()}
    assert products["prod_standard"]["price"] == "2.95", "the demo override, exact"
    assert products["prod_premium_metal"]["min_quantity"] == 10
    assert set(products["prod_standard"]) >= {
        "product_id",
        "name",
        "description",
        "price",
        "currency",
    }


def test_pricing_json(cli_sandbox: CliSandbox, tmp_path: Path) -> None:
    r = run(
        "--base-url",
        cli_sandbox.base_url,
        "--json",
        "pricing",
        home=tmp_path,
        key=cli_sandbox.keys["demo"],
    )
    assert r.code == 0, r.err
    prices = {p["product_id"]: p for p in r.json()}
    assert prices["prod_standard"]["is_override"] is True
    assert (prices["prod_standard"]["price"], prices["prod_standard"]["standard_price"]) == (
        "2.95",
        "3.50",
    )
    assert prices["prod_bamboo"]["is_override"] is False


def test_orders_create_show_list_json(cli_sandbox: CliSandbox, tmp_path: Path) -> None:
    key, url = cli_sandbox.keys["standard"], cli_sandbox.base_url
    created = run(
        "--json", "orders", "create", "--product", "prod_standard", "--quantity", "25",
        "--reference", "CLI-1", *ORDER_ARGS, "--address2", "Floor 2",
        home=tmp_path, key=key, base_url=url,
    )  # fmt: skip
    assert created.code == 0, created.err
    order = created.json()
    assert order["status"] == "pending"
    assert order["quantity"] == 25
    assert order["total"] == "87.50"
    assert order["customer_reference"] == "CLI-1"
    assert order["shipping"]["country"] == "GB"
    assert order["shipping"]["address_line2"] == "Floor 2"

    shown = run("--json", "orders", "show", order["order_id"], home=tmp_path, key=key, base_url=url)
    assert shown.code == 0, shown.err
    assert shown.json()["order_id"] == order["order_id"]
    assert shown.json()["items"][0]["status"] == "pending"

    listed = run("--json", "orders", "list", "--status", "pending", "--per-page", "100",
                 home=tmp_path, key=key, base_url=url)  # fmt: skip
    assert listed.code == 0, listed.err
    body = listed.json()
    assert set(body) == {"data", "pagination"}
    assert order["order_id"] in [o["order_id"] for o in body["data"]]
    assert all(o["status"] == "pending" for o in body["data"])
    assert body["pagination"]["per_page"] == 100


def test_orders_list_pagination_and_dates_json(cli_sandbox: CliSandbox, tmp_path: Path) -> None:
    key, url = cli_sandbox.keys["demo"], cli_sandbox.base_url
    first = run("--json", "orders", "list", "--per-page", "5", "--page", "2",
                home=tmp_path, key=key, base_url=url)  # fmt: skip
    assert first.code == 0, first.err
    body = first.json()
    assert len(body["data"]) == 5
    assert body["pagination"]["page"] == 2
    assert body["pagination"]["total"] >= 10
    day = body["data"][0]["created_at"][:10]
    by_day = run("--json", "orders", "list", "--from", day, "--to", day, "--per-page", "100",
                 home=tmp_path, key=key, base_url=url)  # fmt: skip
    assert by_day.code == 0, by_day.err
    assert by_day.json()["data"]
    assert all(o["created_at"].startswith(day) for o in by_day.json()["data"])


def test_tables_are_readable(cli_sandbox: CliSandbox, tmp_path: Path) -> None:
    key, url = cli_sandbox.keys["demo"], cli_sandbox.base_url
    products = run("products", home=tmp_path, key=key, base_url=url)
    assert products.code == 0, products.err
    assert "PRODUCT" in products.out.splitlines()[0]
    assert "2.95 GBP" in products.out
    pricing = run("pricing", home=tmp_path, key=key, base_url=url)
    assert "custom" in pricing.out
    assert "3.50 GBP" in pricing.out
    orders = run("orders", "list", home=tmp_path, key=key, base_url=url)
    assert orders.code == 0, orders.err
    assert "page 1 of" in orders.out
    order_id = orders.out.splitlines()[2].split()[0]
    shown = run("orders", "show", order_id, home=tmp_path, key=key, base_url=url)
    assert shown.code == 0, shown.err
    assert f"Order       {order_id}" in shown.out
    assert "LINE TOTAL" in shown.out


# -- API errors: exit 1, one line with the server's text and code -------------------------------


def test_400_server_validation(cli_sandbox: CliSandbox, tmp_path: Path) -> None:
    key = cli_sandbox.keys["standard"]
    r = run("orders", "create", "--product", "prod_premium_metal", "--quantity", "5", *ORDER_ARGS,
            home=tmp_path, key=key, base_url=cli_sandbox.base_url)  # fmt: skip
    line = assert_clean_failure(r, 1, key)
    assert line == (
        "error: quantity must be at least 10 for prod_premium_metal [VALIDATION_ERROR] "
        "(HTTP 400 POST /api/partner/orders)"
    )


def test_404_unknown_order(cli_sandbox: CliSandbox, tmp_path: Path) -> None:
    key = cli_sandbox.keys["demo"]
    r = run("orders", "show", "ord_nope", home=tmp_path, key=key, base_url=cli_sandbox.base_url)
    line = assert_clean_failure(r, 1, key)
    assert "[NOT_FOUND]" in line
    assert "HTTP 404 GET /api/partner/orders/ord_nope" in line


def test_401_bad_key_never_printed(cli_sandbox: CliSandbox, tmp_path: Path) -> None:
    bad = "ntk_sandbox_wrong_key_123456"
    r = run("--api-key", bad, "products", home=tmp_path, base_url=cli_sandbox.base_url)
    line = assert_clean_failure(r, 1, bad)
    assert "[UNAUTHORIZED]" in line
    assert "HTTP 401" in line


def test_403_readonly(cli_sandbox: CliSandbox, tmp_path: Path) -> None:
    key = cli_sandbox.keys["readonly"]
    r = run("orders", "create", "--product", "prod_standard", "--quantity", "5", *ORDER_ARGS,
            home=tmp_path, key=key, base_url=cli_sandbox.base_url)  # fmt: skip
    line = assert_clean_failure(r, 1, key)
    assert "[FORBIDDEN]" in line
    assert "HTTP 403 POST" in line


def test_connection_refused(tmp_path: Path) -> None:
    r = run("products", home=tmp_path, key="k_secret_1", base_url=NOWHERE)
    line = assert_clean_failure(r, 1, "k_secret_1")
    assert "[CONNECTION_REFUSED]" in line


# -- refused before anything is sent: exit 2 -------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["orders", "list", "--per-page", "101"], "--per-page"),
        (["orders", "list", "--per-page", "0"], "--per-page"),
        (["orders", "list", "--page", "0"], "--page"),
        (["orders", "list", "--status", "lost"], "--status"),
        (["orders", "list", "--from", "2026-13-01"], "--from"),
        (["orders", "list", "--from", "20260101"], "--from"),
        (["orders", "list", "--from", "2026-02-01", "--to", "2026-01-01"], "'from' date is after"),
        (["orders", "list", "--page", "two"], "--page"),
        (["orders", "show", "a/b"], "Not an order id"),
        ([*CREATE, "0", *ORDER_ARGS], "--quantity"),
        ([*CREATE, "5", *ORDER_ARGS[:-1], "1A"], "--country"),
        ([*CREATE, "5", *ORDER_ARGS[:-1], "ZZ"], "--country: Country 'ZZ' is not"),
        ([*CREATE, "5", *ORDER_ARGS[:7], "XYZ", "--country", "GB"], "--postcode: Not a valid"),
        ([*CREATE, "5", *ORDER_ARGS[:7], "ABC", "--country", "US"], "--region: State is"),
        ([*CREATE, "5", *ORDER_ARGS[:7], "1011X", "--country", "DE"], "postcode for Germany"),
        ([*CREATE, "lots", *ORDER_ARGS], "--quantity: Quantity must be a whole number"),
        ([*CREATE, "5"], "required"),
        (["orders"], "required"),
        (["refund"], "invalid choice"),
    ],
)  # fmt: skip
def test_invalid_arguments_refused_before_sending(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    r = run(*args, home=tmp_path, key="k_secret_2", base_url=NOWHERE)
    line = assert_clean_failure(r, 2, "k_secret_2")
    assert expected in line


def test_refused_create_places_nothing(sandbox: SandboxServer, tmp_path: Path) -> None:
    before = sandbox.order_count("demo")
    r = run("orders", "create", "--product", "prod_standard", "--quantity", "0", *ORDER_ARGS,
            home=tmp_path, key=sandbox.demo_api_key, base_url=sandbox.base_url)  # fmt: skip
    assert_clean_failure(r, 2, sandbox.demo_api_key)
    assert sandbox.order_count("demo") == before


def test_idempotency_key_option_places_one_order(sandbox: SandboxServer, tmp_path: Path) -> None:
    before = sandbox.order_count("demo")
    args = ["--json", "orders", "create", "--product", "prod_standard", "--quantity", "5",
            *ORDER_ARGS, "--idempotency-key", "cli-draft-1"]  # fmt: skip
    first = run(*args, home=tmp_path, key=sandbox.demo_api_key, base_url=sandbox.base_url)
    second = run(*args, home=tmp_path, key=sandbox.demo_api_key, base_url=sandbox.base_url)
    assert first.code == second.code == 0, first.err + second.err
    assert first.json()["order_id"] == second.json()["order_id"]
    assert sandbox.order_count("demo") == before + 1


def assert_may_have_been_placed(result: Result, secret: str) -> str:
    """Exit 3; the error, then the advice with the exact command to check; no key shown."""
    assert result.code == 3, result
    assert "Traceback" not in result.err + result.out
    assert secret not in result.err + result.out
    lines = result.err.strip().splitlines()
    assert lines[0].startswith("error: ")
    assert "may have been placed" in lines[1]
    command = lines[2].strip()
    assert command.startswith("nfctagify ")
    assert "--idempotency-key " in command
    assert lines[3].startswith("To look for it first: nfctagify orders list --from ")
    return command


def rerun(command: str, sandbox: SandboxServer, home: Path) -> Result:
    """Run a printed ``nfctagify …`` command line as the user would paste it."""
    args = shlex.split(command)
    assert args[0] == "nfctagify"
    return run(*args[1:], home=home, key=sandbox.demo_api_key, base_url=sandbox.base_url)


CREATE_5 = ["--json", "orders", "create", "--product", "prod_standard", "--quantity", "5"]


def test_dropped_create_prints_the_command_that_checks_it(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    before = sandbox.order_count("demo")
    sandbox.faults.drop_after_commit()
    r = run(*CREATE_5, *ORDER_ARGS, "--reference", "CLI-DROP",
            home=tmp_path, key=sandbox.demo_api_key, base_url=sandbox.base_url)  # fmt: skip
    command = assert_may_have_been_placed(r, sandbox.demo_api_key)
    assert sandbox.order_count("demo") == before + 1
    again = rerun(command, sandbox, tmp_path)
    assert again.code == 0, again.err
    assert "had already been placed" in again.err
    assert again.json()["customer_reference"] == "CLI-DROP"
    assert sandbox.order_count("demo") == before + 1


@pytest.mark.parametrize("garbage", [b'{"success": tru', b"", b'{"success": true, "data": 7}'])
def test_broken_2xx_then_the_identical_command_gives_one_order(
    sandbox: SandboxServer, tmp_path: Path, garbage: bytes
) -> None:
    """No --idempotency-key: the CLI derived one, journalled it, and reuses it on a rerun."""
    before = sandbox.order_count("demo")
    sandbox.faults.garble_after_commit(garbage)
    args = [*CREATE_5, *ORDER_ARGS, "--reference", "CLI-GARBLED"]
    first = run(*args, home=tmp_path, key=sandbox.demo_api_key, base_url=sandbox.base_url)
    assert_may_have_been_placed(first, sandbox.demo_api_key)
    assert sandbox.order_count("demo") == before + 1
    second = run(*args, home=tmp_path, key=sandbox.demo_api_key, base_url=sandbox.base_url)
    assert second.code == 0, second.err
    assert "reusing its idempotency key" in second.err
    assert "had already been placed" in second.err
    assert sandbox.order_count("demo") == before + 1
    # Confirmed now: the same command once more is a deliberate second order.
    third = run(*args, home=tmp_path, key=sandbox.demo_api_key, base_url=sandbox.base_url)
    assert third.code == 0, third.err
    assert third.json()["order_id"] != second.json()["order_id"]
    assert sandbox.order_count("demo") == before + 2


def test_gateway_error_then_rerun_places_it_once(sandbox: SandboxServer, tmp_path: Path) -> None:
    before = sandbox.order_count("demo")
    sandbox.faults.fail_next(502, "BAD_GATEWAY", method="POST")
    args = [*CREATE_5, *ORDER_ARGS, "--reference", "CLI-502"]
    first = run(*args, home=tmp_path, key=sandbox.demo_api_key, base_url=sandbox.base_url)
    assert_may_have_been_placed(first, sandbox.demo_api_key)
    assert "[BAD_GATEWAY]" in first.err
    assert sandbox.order_count("demo") == before
    second = run(*args, home=tmp_path, key=sandbox.demo_api_key, base_url=sandbox.base_url)
    assert second.code == 0, second.err
    assert "had already been placed" not in second.err
    assert sandbox.order_count("demo") == before + 1


def test_resend_command_never_contains_the_key() -> None:
    from nfctagify_desktop.cli.common import resend_command

    typed = ["--api-key", "k_secret", "orders", "create", "--name", "Jane Smith",
             "--api-key=k_other", "--idempotency-key", "old", "--city", "St Ives"]  # fmt: skip
    assert resend_command(typed, "new-key") == (
        "nfctagify orders create --name 'Jane Smith' --city 'St Ives' --idempotency-key new-key"
    )


@pytest.mark.parametrize(
    ("env", "args", "expected"),
    [
        ({}, ["products"], "nfctagify-sandbox"),
        ({"NFCTAGIFY_BASE_URL": "http://127.0.0.1:9"}, ["products"], "no API key"),
        ({"NFCTAGIFY_API_KEY": "k"}, ["--base-url", "http://api.example.com", "products"], "HTTPS"),
    ],
)
def test_configuration_errors(
    tmp_path: Path, env: dict[str, str], args: list[str], expected: str
) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "nfctagify_desktop.cli", *args],
        capture_output=True,
        text=True,
        env=clean_env(tmp_path, **env),
        cwd=REPO,
        timeout=60,
    )
    line = assert_clean_failure(Result(proc.returncode, proc.stdout, proc.stderr), 2)
    assert expected in line


def test_help_exits_zero(tmp_path: Path) -> None:
    r = run("--help", home=tmp_path)
    assert r.code == 0
    assert "orders" in r.out


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT semantics differ on Windows")
def test_ctrl_c_exits_130(sandbox: SandboxServer, tmp_path: Path) -> None:
    sandbox.faults.delay_seconds = 20
    proc = subprocess.Popen(
        [sys.executable, "-m", "nfctagify_desktop.cli", "products"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(
            tmp_path, NFCTAGIFY_API_KEY=sandbox.demo_api_key, NFCTAGIFY_BASE_URL=sandbox.base_url
        ),
        cwd=REPO,
    )
    time.sleep(3)  # past start-up, waiting on the delayed answer
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=15)
    sandbox.faults.delay_seconds = 0
    result = Result(proc.returncode, out, err)
    line = assert_clean_failure(result, 130, sandbox.demo_api_key)
    assert line == "error: interrupted"
