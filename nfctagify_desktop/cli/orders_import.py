"""``nfctagify orders import FILE``: bulk orders from a CSV or spreadsheet, the app's engine.

``--dry-run`` reads, maps and checks every row (it fetches the catalogue, prices and today's
order count, and places nothing) and prints each row's verdict. Without it the ready rows are
placed, paced within the rate limit, with a progress line on a terminal; importing the same file
again places nothing twice (each row's idempotency key comes from the account, the file name and
the row's content). Rejected rows are written to ``<file>-rejected.csv`` to fix and re-import.

The file is read before anything is sent, so a file that cannot be read is exit 2 with one line
saying why. Ctrl+C stops after the order in flight (a second Ctrl+C stops at once).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from pathlib import Path
from typing import Any

from nfctagify_desktop.api import PartnerClient
from nfctagify_desktop.cli.common import Result, Send, UsageError
from nfctagify_desktop.ordering.bulk import (
    BulkFileError,
    CheckedRow,
    Outcome,
    Progress,
    SendPlan,
    Summary,
    Table,
    count,
    read_file,
    write_rejected,
)
from nfctagify_desktop.ordering.bulk.session import ImportSession
from nfctagify_desktop.ordering.outbox import Outbox
from nfctagify_desktop.store.account import AccountId


def register_action(actions: Any) -> None:
    """Add ``import`` to the ``orders`` actions."""
    imp = actions.add_parser(
        "import",
        help="place orders from a CSV, TSV, .xlsx, .xls or .ods file",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    imp.add_argument("file", metavar="FILE", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="check every row; place nothing")
    imp.add_argument("--sheet", metavar="NAME", help="the sheet to read (default: the first)")
    imp.add_argument("--encoding", metavar="E", help="e.g. utf-8, cp1252 (default: detected)")
    imp.add_argument(
        "--allow-repeats",
        action="store_true",
        help="send rows that look like an order already placed (same product, quantity, "
        "reference and recipient)",
    )
    imp.add_argument(
        "--rejected",
        metavar="PATH",
        type=Path,
        help="where to write rejected rows (default: FILE-rejected.csv beside FILE)",
    )
    imp.set_defaults(prepare=_prepare)


def _account(base_url: str) -> AccountId:
    """The desktop app's active profile when it is this server, else a CLI identity."""
    with contextlib.suppress(Exception):
        from nfctagify_desktop.store.settings import SettingsStore

        account = AccountId.for_profile(SettingsStore().load().active())
        if account.base_url == base_url:
            return account
    return AccountId("cli", base_url)


def _prepare(args: argparse.Namespace) -> Send:
    path: Path = args.file
    try:  # read before connecting: a file that cannot be read sends nothing
        first_read = read_file(path, encoding=args.encoding, sheet=args.sheet)
    except BulkFileError as exc:
        raise UsageError(str(exc)) from None

    async def send(client: PartnerClient) -> Result:
        outbox = Outbox()
        try:
            session = ImportSession(
                client, outbox, _account(client.base_url), allow_repeats=args.allow_repeats
            )
            table = session.adopt(first_read)
            await session.load_account()
            rows = session.check()
            plan = session.plan()
            if args.dry_run:
                return _dry_run(table, session, rows, plan)
            summary = await _send(session, plan)
            return _placed(table, rows, plan, summary, args.rejected or _rejects_path(path))
        finally:
            outbox.close()

    return send


def _rejects_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-rejected.csv")


def _row(r: CheckedRow) -> dict[str, Any]:
    return {
        "row": r.line,
        "verdict": r.verdict.value,
        "fields": r.fields.model_dump(),
        "errors": r.errors,
        "warnings": list(r.warnings),
        "order_id": r.placed.order_id if r.placed is not None else None,
    }


def _plan_json(plan: SendPlan) -> dict[str, Any]:
    return {
        "count": plan.count,
        "cards": plan.cards,
        "totals": {c: str(v) for c, v in plan.totals.items()},
        "standard_totals": {c: str(v) for c, v in plan.standard_totals.items()},
        "eta_seconds": round(plan.eta_seconds, 1),
        "fit_today": plan.fit_today,
        "later": plan.later,
        "text": plan.lines(),
    }


def _file_json(table: Table, session: ImportSession) -> dict[str, Any]:
    mapping = session.mapping
    columns = mapping.columns if mapping is not None else ()
    return {
        "file": table.name,
        "kind": table.kind,
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "sheet": table.sheet,
        "sheets": list(table.sheets),
        "mapping": [{"column": c.header, "field": c.field, "note": c.note} for c in columns],
    }


def _dry_run(
    table: Table, session: ImportSession, rows: list[CheckedRow], plan: SendPlan
) -> Result:
    tally = count(rows)
    payload = {
        **_file_json(table, session),
        "total": tally.total,
        "valid": tally.ready,
        "invalid": tally.invalid,
        "already_placed": tally.placed,
        "plan": _plan_json(plan),
        "rows": [_row(r) for r in rows],
    }

    def render() -> str:
        lines = [f"{table.name}: {_describe(table)}"]
        if session.mapping is not None:
            lines += [f"  {c.header or '(no header)'} {c.note}" for c in session.mapping.columns]
        lines += [f"row {r.line}: {r.message}" for r in rows if r.errors or r.placed]
        lines.append(
            f"{tally.total} rows: {tally.ready} valid, {tally.invalid} invalid, "
            f"{tally.placed} already placed (dry run: nothing sent)"
        )
        lines += plan.lines()
        return "\n".join(lines)

    return Result(payload, render)


def _describe(table: Table) -> str:
    if table.kind == "csv":
        sep = {",": "comma", ";": "semicolon", "\t": "tab"}.get(table.delimiter or ",", "comma")
        return f"CSV, {table.encoding} ({table.encoding_reason}), {sep}-separated"
    return f"{table.kind}, sheet {table.sheet!r} of {len(table.sheets)}"


async def _send(session: ImportSession, plan: SendPlan) -> Summary:
    tty = sys.stderr.isatty()
    for line in plan.lines():
        print(line, file=sys.stderr)
    sender = session.sender_for()

    def on_progress(p: Progress) -> None:
        if tty:
            print(f"\r\033[K{p.text()}", end="", file=sys.stderr, flush=True)

    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows' loop
        loop.add_signal_handler(signal.SIGINT, _interrupt, sender, loop)
    try:
        return await session.send(on_progress)
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
        if tty:
            print(file=sys.stderr)


def _interrupt(sender: Any, loop: asyncio.AbstractEventLoop) -> None:
    """First Ctrl+C: finish the order in flight, then stop; a second one stops at once."""
    print("\nstopping after the order in flight (Ctrl+C again to stop now)", file=sys.stderr)
    sender.cancel()
    loop.remove_signal_handler(signal.SIGINT)


def _placed(
    table: Table, rows: list[CheckedRow], plan: SendPlan, summary: Summary, rejects: Path
) -> Result:
    tally = count(rows)
    written = write_rejected(rejects, table, summary.outcomes) if summary.rejected else 0
    counts = {o.value: summary.count(o) for o in Outcome}
    payload = {
        "file": table.name,
        "total": tally.total,
        "valid": tally.ready,
        "invalid": tally.invalid,
        **counts,
        "cancelled": summary.cancelled,
        "stop_reason": summary.stop_reason,
        "elapsed_seconds": round(summary.elapsed, 1),
        "rejected_csv": str(rejects) if written else None,
        "plan": _plan_json(plan),
        "rows": [
            {
                "row": o.row.line,
                "outcome": o.outcome.value,
                "message": o.message,
                "order_id": o.order_id,
            }
            for o in summary.outcomes
        ],
    }

    def render() -> str:
        lines = summary.lines()
        if written:
            lines.append(f"{written} rejected row(s) written to {rejects}: fix them and import it")
        return "\n".join(lines)

    return Result(payload, render)
