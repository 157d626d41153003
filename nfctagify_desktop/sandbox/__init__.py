"""A local Partner API server implementing docs/api-assumptions.md, for development and tests.

Importing the package is cheap (no FastAPI/uvicorn): the app only needs the constants to
talk to a sandbox it starts. Import ``nfctagify_desktop.sandbox.server.SandboxServer`` to run one.
"""

from nfctagify_desktop.sandbox.accounts import (
    DEMO_ACCOUNT_ID,
    DEMO_API_KEY,
    READONLY_ACCOUNT_ID,
    READONLY_API_KEY,
    STANDARD_ACCOUNT_ID,
    STANDARD_API_KEY,
)

__all__ = [
    "DEMO_ACCOUNT_ID",
    "DEMO_API_KEY",
    "READONLY_ACCOUNT_ID",
    "READONLY_API_KEY",
    "STANDARD_ACCOUNT_ID",
    "STANDARD_API_KEY",
]
