"""Outbox tab: orders not yet placed (drafts, failed, unknown), to edit, send or discard."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nfctagify_desktop.ordering.outbox import Draft, DraftState
from nfctagify_desktop.ordering.submit import SubmitResult
from nfctagify_desktop.ordering.validation import validate_order
from nfctagify_desktop.services.container import Services
from nfctagify_desktop.services.ordering import OrderingService
from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.format import local_time
from nfctagify_desktop.ui.models.table import (
    ALIGN_CENTER,
    ALIGN_RIGHT,
    Column,
    ListTableModel,
    role_colour,
)
from nfctagify_desktop.ui.widgets.table_view import TableView

STATE_LABELS: dict[DraftState, str] = {
    DraftState.DRAFT: "Draft",
    DraftState.SENDING: "Sending…",
    DraftState.SUBMITTED: "Placed",
    DraftState.FAILED: "Refused",
    DraftState.UNKNOWN: "Outcome unknown — will be checked",
}
STATE_TIPS: dict[DraftState, str] = {
    DraftState.DRAFT: "Not sent yet",
    DraftState.SENDING: "Being sent now",
    DraftState.SUBMITTED: "Placed",
    DraftState.FAILED: "The Partner API refused it: fix it (Edit) and send again",
    DraftState.UNKNOWN: (
        "It may or may not have been placed. Sending again checks it: the resend reuses the "
        "same idempotency key, so the server returns the order if it exists and places it "
        "only if it does not."
    ),
}
#: A draft that cannot be sent as it is (checked here, before any attempt).
INCOMPLETE_LABEL = "Incomplete"
INCOMPLETE_TIP = "Not sendable as it is: Edit it to fix what the last column says"
#: Colour role of a draft's row, by state.
_STATE_ROLE: dict[DraftState, str] = {
    DraftState.FAILED: "row.error",
    DraftState.UNKNOWN: "row.warning",
    DraftState.SENDING: "row.busy",
}


def _problem(d: Draft) -> str | None:
    """Why a plain draft cannot be sent yet (the first problem, and how many more), or None."""
    if d.state is not DraftState.DRAFT:
        return None
    problems = validate_order(d.fields)
    if not problems:
        return None
    more = len(problems) - 1
    # The first problem in words; the count says there is more to fix than that one.
    return problems[0].message + (f" (and {more} more)" if more else "")


def _state(d: Draft) -> str:
    if d.state is DraftState.FAILED and d.error_code == "CLIENT_VALIDATION":
        return INCOMPLETE_LABEL
    if _problem(d) is not None:
        return INCOMPLETE_LABEL
    return STATE_LABELS.get(d.state, str(d.state))


def _state_tip(d: Draft) -> str:
    if _state(d) == INCOMPLETE_LABEL:
        return INCOMPLETE_TIP
    return STATE_TIPS.get(d.state, "")


def _why(d: Draft) -> str:
    return d.last_error or _problem(d) or ""


class DraftsModel(ListTableModel):
    columns = (
        Column(
            "State",
            _state,
            sort_key=lambda d: d.state.value,
            align=ALIGN_CENTER,
            tooltip=_state_tip,
        ),
        Column("Product", lambda d: d.fields.product_id or "(no product)"),
        Column(
            "Qty",
            lambda d: d.fields.quantity,
            sort_key=lambda d: int(d.fields.quantity) if d.fields.quantity.isdigit() else -1,
            align=ALIGN_RIGHT,
        ),
        Column("Reference", lambda d: d.fields.customer_reference),
        Column("Recipient", lambda d: d.fields.name),
        Column("Updated", lambda d: local_time(d.updated_at), sort_key=lambda d: d.updated_at),
        Column(
            "Source",
            lambda d: "Order form" if d.source == "form" else d.source.removeprefix("csv:"),
        ),
        # Last: it stretches, so the API's whole message is readable.
        Column("Problem", _why, tooltip=_why),
    )

    def draft(self, row: int) -> Draft | None:
        item = self.row_at(row)
        return item if isinstance(item, Draft) else None

    def row_data(self, item: Draft, role: int) -> object:
        if _state(item) == INCOMPLETE_LABEL:
            return role_colour(_STATE_ROLE[DraftState.FAILED], role)
        return role_colour(_STATE_ROLE.get(item.state), role)


class OutboxTab(QWidget):
    """Signals:
    sig_count_changed(int): how many unsent drafts there are (for the tab title).
    """

    sig_count_changed = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = services.ctx
        self.service: OrderingService = services.ordering
        self._confirm: QMessageBox | None = None

        intro = QLabel(
            "Orders not placed yet. Every order is kept here from the moment it is typed until "
            "the Partner API confirms it, so nothing is lost if the app or the connection stops."
        )
        intro.setWordWrap(True)
        self.model = DraftsModel(self)
        self.view = TableView("outboxTable")
        # Narrow window: state, what and for whom stay; where it came from goes first.
        self.view.set_column_priorities({0: 0, 1: 1, 2: 1, 7: 1, 4: 2, 3: 3, 5: 4, 6: 5})
        self.view.setModel(self.model)
        self.view.setAccessibleName("Unsent orders")
        self.view.sortByColumn(5, self.view.horizontalHeader().sortIndicatorOrder())  # Updated
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("About the selected draft")
        theme.use(self.note, "banner.note", extra=theme.NOTE_BOX)
        self.note.hide()

        self.edit_button = self._button("&Edit…", "Edit the selected draft", self.edit_selected)
        self.send_button = self._button("&Send", "Send the selected draft", self.send_selected)
        self.discard_button = self._button(
            "&Discard…", "Discard the selected draft", self.discard_selected
        )
        self.send_all_button = self._button("Send &all", "Send every unsent draft", self.send_all)
        self.new_button = self._button(
            "New order…",
            "New order",
            lambda: self.ctx.sig_new_order_requested.emit(None),
        )
        self.summary = QLabel()
        self.summary.setAccessibleName("Outbox summary")
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.send_button, self.discard_button):
            buttons.addWidget(button)
        buttons.addSpacing(12)
        buttons.addWidget(self.send_all_button)
        buttons.addStretch(1)
        buttons.addWidget(self.summary)
        buttons.addWidget(self.new_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)

        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.activated.connect(lambda _i: self.edit_selected())
        self.service.sig_drafts_changed.connect(self.reload)
        self.reload()

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.clicked.connect(slot)
        return button

    # -- data --------------------------------------------------------------------------------

    def reload(self) -> None:
        selected = self.selected_draft()
        drafts = [
            d if not self.service.is_sending(d.id) else _as_sending(d)
            for d in self.service.unsent()
        ]
        self.model.set_rows(drafts)
        row = self.model.row_of(lambda d: d.id == selected.id) if selected else -1
        if row < 0 and drafts:
            row = 0
        if row >= 0:
            self.view.selectRow(row)
        unknown = sum(1 for d in drafts if d.state is DraftState.UNKNOWN)
        # A draft checked here and found incomplete was never refused by the server.
        incomplete = sum(1 for d in drafts if _state(d) == INCOMPLETE_LABEL)
        failed = sum(
            1 for d in drafts if d.state is DraftState.FAILED and _state(d) != INCOMPLETE_LABEL
        )
        bits = [f"{len(drafts)} unsent"]
        if incomplete:
            bits.append(f"{incomplete} incomplete")
        if failed:
            bits.append(f"{failed} refused")
        if unknown:
            bits.append(f"{unknown} to check")
        self.summary.setText(", ".join(bits) if drafts else "Nothing waiting")
        self.send_all_button.setEnabled(bool(drafts))
        self._update_buttons()
        self.sig_count_changed.emit(len(drafts))

    def selected_draft(self) -> Draft | None:
        index = self.view.currentIndex()
        return self.model.draft(index.row()) if index.isValid() else None

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        draft = self.selected_draft()
        has = draft is not None
        sending = draft is not None and self.service.is_sending(draft.id)
        self.edit_button.setEnabled(has and not sending)
        self.send_button.setEnabled(has and not sending)
        self.discard_button.setEnabled(has and not sending)
        if draft is not None and draft.state is DraftState.UNKNOWN:
            self.note.setText(
                f"{draft.last_error or ''}\n\nSend checks it: the resend reuses the same "
                "idempotency key, so the server returns the order if it was placed and places "
                "it only if it was not."
            )
            self.note.show()
        elif draft is not None and _state(draft) == INCOMPLETE_LABEL and not sending:
            self.note.setText(f"Cannot be sent yet: {_why(draft)}. Edit it to finish it.")
            self.note.show()
        elif draft is not None and draft.state is DraftState.FAILED and not sending:
            self.note.setText(f"Refused: {draft.last_error}. Edit it to fix the problem.")
            self.note.show()
        else:
            self.note.hide()

    # -- actions -----------------------------------------------------------------------------

    def edit_selected(self) -> None:
        draft = self.selected_draft()
        if draft is not None:
            self.ctx.sig_new_order_requested.emit(draft)

    def send_selected(self) -> None:
        draft = self.selected_draft()
        if draft is not None:
            self.send(draft.id)

    def send(self, draft_id: str) -> None:
        if self.service.is_sending(draft_id):
            return
        self.service.send(draft_id, self._sent)

    def send_all(self) -> None:
        for draft in self.service.unsent():
            self.send(draft.id)

    def _sent(self, result: SubmitResult) -> None:
        d = result.draft
        if result.ok:
            if result.order is not None and d.belongs_to(self.ctx.account):
                self.ctx.sig_order_created.emit(result.order)  # (another account's: not shown)
            self.ctx.status(f"Order {d.order_id} placed", 8000)
        else:
            if _state(d) == INCOMPLETE_LABEL:
                self.ctx.status(f"Not sent: {_why(d)}. Edit the draft to finish it.", 10000)
            else:
                self.ctx.status(f"Not placed: {d.last_error or 'kept in the Outbox'}", 10000)

    def discard_selected(self) -> None:
        draft = self.selected_draft()
        if draft is None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Discard draft")
        who = draft.fields.name or "no recipient"
        what = f"{draft.fields.quantity} × {draft.fields.product_id or 'no product'}"
        text = f"Discard the draft order {what} for {who}?"
        if draft.state is DraftState.UNKNOWN:
            text += (
                "\n\nThis order may already have been placed; discarding only forgets the draft. "
                "Check the Orders tab."
            )
        box.setText(text)
        box.setStandardButtons(
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        draft_id = draft.id

        def done(_code: int) -> None:
            clicked = box.clickedButton()
            if clicked is not None and box.buttonRole(clicked) in (
                QMessageBox.ButtonRole.DestructiveRole,
            ):
                self.service.discard(draft_id)
                self.ctx.status("Draft discarded", 4000)
            self._confirm = None
            box.deleteLater()

        box.finished.connect(done)
        self._confirm = box
        box.open()  # never exec(): a nested event loop inside a running task

    def refresh(self) -> None:
        self.reload()


def _as_sending(d: Draft) -> Draft:
    return replace(d, state=DraftState.SENDING)


__all__ = [
    "STATE_LABELS",
    "DraftsModel",
    "OutboxTab",
]
