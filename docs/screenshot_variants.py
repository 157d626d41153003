"""The screenshot variants: dark theme, a 1024×640 window, 200 % — each in a fresh process.

Used by make_screenshots.py (beside this file). The scale factor and the theme are fixed when
Qt starts, and each variant starts from empty app data, so none sees another's drafts.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nfctagify_desktop.ui.main_window import MainWindow

#: (extra environment, arguments to make_screenshots.py) per variant.
VARIANTS: tuple[tuple[dict[str, str], list[str]], ...] = (
    ({}, ["--theme", "dark", "--suffix=-dark", "--only", "pricing,orders,order-form"]),
    ({}, ["--size", "1024x640", "--suffix=-1024x640", "--only", "main"]),
    ({"QT_SCALE_FACTOR": "2"}, ["--suffix=-200", "--only", "main"]),
)


async def main_shot(window: MainWindow, path: Path, size: str | None) -> None:
    """The main window on its Orders tab, as big as asked (or as the screen allows)."""
    if size:
        width, height = (int(n) for n in size.lower().split("x"))
        window.resize(width, height)
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.orders_tab))
    window.statusBar().clearMessage()
    for _ in range(6):  # layouts and repaints run on the loop
        await asyncio.sleep(0.05)
    if not window.grab().save(str(path)):
        raise OSError(f"could not write {path}")


def run_variants(script: str, out: Path) -> int:
    """Run ``script`` once per variant into ``out``; the first failure's code, else 0."""
    rc = 0
    for env, extra in VARIANTS:
        command = [sys.executable, script, "--out", str(out), *extra]
        with tempfile.TemporaryDirectory(prefix="nfctagify-shots-home-") as home:
            done = subprocess.run(
                command, env={**os.environ, **env, "NFCTAGIFY_HOME": home}, check=False
            )
        rc = rc or done.returncode
    return rc
