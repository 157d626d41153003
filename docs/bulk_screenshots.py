"""Screenshots of the bulk import dialog (called by make_screenshots.py against its sandbox).

1. ``bulk-import-preview.png``: an Excel "CSV" from a European Windows machine (Windows-1252,
   semicolons), its column mapping with an ignored and a misspelt column, and rows with problems;
2. ``bulk-import-confirm.png``: the priced confirmation with the time the rate limit allows;
3. ``bulk-import-rate-wait.png``: sending, waiting for the rate limit (the sandbox is set to
   10 requests per minute for this one), with Pause and Cancel; then it is cancelled.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nfctagify_desktop.sandbox.server import SandboxServer
    from nfctagify_desktop.ui.main_window import MainWindow

NAMES = [
    "Zoë Brontë",
    "François Müller",
    "Café £ Ltd",
    "Jörg Schmidt",
    "Åsa Lindqvist",
    "Seán Ó Briain",
    "Ana Peña",
    "Lukas Weiß",
    "Anne Martin",
    "Bob Jones",
    "Chloé Dubois",
    "Dan Evans",
    "Eva Novák",
    "Finn Walsh",
    "Gemma Rossi",
    "Hugo Weber",
    "Iris Bakker",
    "Jack Turner",
    "Kai Larsen",
    "Lena Fischer",
    "Mia Costa",
    "Noah Price",
    "Olga Petrova",
    "Paul Reid",
    "Ruth Hale",
]
POSTCODES = ["EC1A 1BB", "M1 1AE", "B33 8TH", "LS1 4AP", "SW1A 2AA", "CF10 1EP", "G1 1XQ"]
TOWNS = ["London", "Manchester", "Birmingham", "Leeds", "London", "Cardiff", "Glasgow"]


def excel_csv(rows: int) -> bytes:
    head = "Product;Qty;PO;Recipient;Address Line 1;Town;Post Code;Country;Notes;Adress 2"
    lines = [head]
    for i in range(rows):
        product = "NFC Business Card — Standard" if i % 4 == 1 else "prod_standard"
        qty = "50.0" if i % 5 == 0 else str(25 + 5 * (i % 7))
        lines.append(
            f"{product};{qty};PO-{1001 + i};{NAMES[i % len(NAMES)]};{i + 3} High Street;"
            f"{TOWNS[i % 7]};{POSTCODES[i % 7]};GB;;"
        )
    lines[4] = "prod_standard;ten;PO-1004;Åsa Lindqvist;7 Mill Lane;Leeds;LS1 4AP;GB;;"
    lines[7] = "prod_premium_metal;5;PO-1007;Anne Martin;2 Rue X;Paris;75001;FR;rush;"
    lines[9] = '=HYPERLINK("http://example.com");20;PO-1009;Bob Jones;1 High St;Leeds;NOPE;GB;;'
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


async def bulk_shots(
    window: MainWindow,
    server: SandboxServer,
    tmp: Path,
    out: Path,
    *,
    settle: Any,
    wait_signal: Any,
    wait_until: Any,
    save: Any,
) -> None:
    from nfctagify_desktop.ui.dialogs.bulk_import import open_bulk_import

    path = tmp / "Bestellungen November.csv"
    path.write_bytes(excel_csv(28))
    dialog = open_bulk_import(window.services, window)
    try:
        dialog.resize(1320, 660)
        # A low limit, set before the account's data is read, so the plan and the send meet it.
        server.set_rate_limits(per_minute=10)
        await wait_signal("the checked rows", dialog.sig_checked, lambda: dialog.load_file(path))
        await settle()
        counts = dialog.check_panel.counts.text()
        if not counts.startswith("25 ready to send · 3 with problems"):
            raise RuntimeError(f"unexpected preview counts: {counts!r}")
        await settle()
        save(dialog, out / "bulk-import-preview.png")

        dialog.check_panel.review_button.click()
        await settle()
        save(dialog, out / "bulk-import-confirm.png")

        dialog.confirm_panel.send_button.click()
        await wait_until(
            "the rate-limit wait", lambda: "resumes at" in dialog.send_panel.line.text()
        )
        await settle()
        save(dialog, out / "bulk-import-rate-wait.png")
        await wait_signal("the cancelled send", dialog.sig_finished, dialog.cancel_send)
        await settle()
    finally:
        server.set_rate_limits(per_minute=60)
        dialog.hide()
        await asyncio.sleep(0)
