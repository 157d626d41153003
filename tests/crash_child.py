"""The crash test's child: the real window on a sandbox, a new order typed into, then nothing.

Run as ``python tests/crash_child.py OUTBOX SANDBOX_DB``. Prints ``TYPED`` right after the
last keystroke and then waits, doing nothing, to be killed with SIGKILL by the parent.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEXT = "Typed Just Before The Crash"


async def run(outbox_path: str, sandbox_db: str) -> None:
    from PySide6.QtTest import QTest

    from nfctagify_desktop.ordering.outbox import Outbox
    from nfctagify_desktop.sandbox.server import SandboxServer
    from nfctagify_desktop.services.connection import connect
    from nfctagify_desktop.services.container import build_services
    from nfctagify_desktop.store.settings import sandbox_profile
    from nfctagify_desktop.ui.main_window import MainWindow

    sandbox = SandboxServer(sandbox_db)
    sandbox.start()
    connection = await connect(sandbox_profile(), sandbox=sandbox)
    services = build_services(connection, outbox=Outbox(outbox_path))
    window = MainWindow(services)
    window.show()
    form = window.order_forms.open(None)
    await services.ordering.load_products()  # let start-up settle before typing
    await asyncio.sleep(0.5)
    form.name_edit.setFocus()
    QTest.keyClicks(form.name_edit, TEXT)
    sys.stdout.write("TYPED\n")
    sys.stdout.flush()
    await asyncio.Event().wait()  # until SIGKILL


def main() -> None:
    sys.path.insert(0, str(REPO))
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        runner.run(run(sys.argv[1], sys.argv[2]))
    app.quit()


if __name__ == "__main__":
    main()
