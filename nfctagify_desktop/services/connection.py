"""Opening a connection for a profile: the embedded sandbox, or a partner account.

Qt-free. Blocking work (starting the sandbox, keyring look-ups) runs in the default
executor so that the GUI thread never waits on it.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from nfctagify_desktop.api.client import DEFAULT_TIME_LIMIT, PartnerClient
from nfctagify_desktop.api.errors import ConfigurationError
from nfctagify_desktop.api.tls import default_ssl_context
from nfctagify_desktop.log import register_secret
from nfctagify_desktop.paths import data_dir
from nfctagify_desktop.store.account import SANDBOX_ORIGIN, AccountId
from nfctagify_desktop.store.secrets import KeyStore, aresolve_api_key
from nfctagify_desktop.store.settings import Profile

if TYPE_CHECKING:
    from nfctagify_desktop.sandbox.server import SandboxServer

log = logging.getLogger("nfctagify.connection")

SANDBOX_ACCOUNT_ID = "demo"


class SandboxHandle(Protocol):
    """A running sandbox: in-process (``SandboxServer``, tests) or a child (``SandboxProcess``)."""

    @property
    def base_url(self) -> str: ...

    @property
    def demo_api_key(self) -> str: ...

    def stop(self) -> None: ...


class MissingApiKeyError(Exception):
    """The profile has no API key stored: the user must enter one."""

    def __init__(self, profile: str) -> None:
        super().__init__(f"No API key is stored for the profile {profile!r}")
        self.profile = profile


@dataclass
class Connection:
    """The account the app talks to: a profile's base URL and key, or the embedded sandbox."""

    profile: str
    base_url: str
    client: PartnerClient
    is_sandbox: bool = False
    account_id: str | None = None
    sandbox: SandboxHandle | None = None
    #: Strings never to show (the API key), for support-details redaction.
    secrets: tuple[str, ...] = field(default_factory=tuple)

    @property
    def account(self) -> AccountId:
        """Whose data this connection reads and writes (profile + server, never the key)."""
        if self.is_sandbox:
            return AccountId(self.profile, SANDBOX_ORIGIN)
        return AccountId(self.profile, self.base_url)


def sandbox_db_path() -> Path:
    return data_dir() / "sandbox.sqlite3"


async def start_sandbox(db_path: Path | None = None, **kwargs: object) -> SandboxServer:
    """Start the embedded sandbox on a free loopback port, off the calling thread."""
    from nfctagify_desktop.sandbox.server import SandboxServer

    server = SandboxServer(db_path or sandbox_db_path(), **kwargs)  # type: ignore[arg-type]
    await asyncio.get_running_loop().run_in_executor(None, server.start)
    log.info("sandbox started at %s", server.base_url)
    return server


def ssl_context_for(profile: Profile) -> ssl.SSLContext:
    """The OS trust store, plus the profile's own CA bundle when it has one."""
    if not profile.ca_bundle:
        return default_ssl_context()
    path = Path(profile.ca_bundle).expanduser()
    if not path.is_file():
        raise ConfigurationError(f"The CA bundle {str(path)!r} does not exist", code="CA_BUNDLE")
    # Added to the OS trust store (truststore), not instead of it: corporate CAs keep working.
    ctx = default_ssl_context()
    try:
        ctx.load_verify_locations(cafile=str(path))
    except (ssl.SSLError, OSError) as exc:
        raise ConfigurationError(
            f"The CA bundle {str(path)!r} could not be read ({exc})", code="CA_BUNDLE"
        ) from None
    return ctx


async def connect(
    profile: Profile,
    *,
    keys: KeyStore | None = None,
    api_key: str | None = None,
    sandbox: SandboxHandle | None = None,
    base_url: str | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> Connection:
    """A ready client for ``profile``; starts the sandbox if needed (or reuses ``sandbox``)."""
    if profile.is_sandbox and not base_url:
        server = sandbox or await start_sandbox()
        key = server.demo_api_key
        register_secret(key)
        client = PartnerClient(server.base_url, key, time_limit=time_limit)
        return Connection(
            profile.name,
            server.base_url,
            client,
            is_sandbox=True,
            account_id=SANDBOX_ACCOUNT_ID,
            sandbox=server,
            secrets=(key,),
        )
    url = base_url or profile.base_url
    if api_key is None:
        api_key = await aresolve_api_key(profile.name, keys or KeyStore())
    if not api_key:
        raise MissingApiKeyError(profile.name)
    register_secret(api_key)
    client = PartnerClient(url, api_key, verify=ssl_context_for(profile), time_limit=time_limit)
    return Connection(
        profile.name,
        client.base_url,
        client,
        account_id=profile.account_id,
        secrets=(api_key,),
    )
