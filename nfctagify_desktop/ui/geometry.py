"""Windows that fit the screen they open on.

A size chosen on a 1920×1080 desktop at 100 % (or saved there) is larger than a 1280×800
laptop at 125 %, or a 1920×1080 screen at 200 % (960×540 logical pixels): the title bar,
buttons or paging would sit off-screen. Every window and dialog goes through ``fit_window``
before it is shown, and after restoring saved geometry.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

#: Room for the window frame and title bar before the window manager has reported them.
FRAME_GUESS = QMargins(8, 32, 8, 8)


def fit_rect(rect: QRect, available: QRect) -> QRect:
    """``rect`` shrunk to fit ``available`` if need be, then moved inside it."""
    width = min(rect.width(), available.width())
    height = min(rect.height(), available.height())
    x = min(max(rect.x(), available.x()), available.x() + available.width() - width)
    y = min(max(rect.y(), available.y()), available.y() + available.height() - height)
    return QRect(x, y, width, height)


def screen_for(widget: QWidget) -> QScreen:
    """The screen the widget is on (or will open on: its parent's), else the primary one."""
    for candidate in (widget, widget.parentWidget(), widget.window()):
        if candidate is not None:
            screen = candidate.screen()
            if screen is not None:
                return screen
    primary = QGuiApplication.primaryScreen()
    assert primary is not None, "no screen"
    return primary


def _frame_margins(widget: QWidget) -> QMargins:
    """The window's frame as the platform reports it once shown; a guess before that."""
    handle = widget.windowHandle()
    if handle is not None and widget.isVisible():
        return handle.frameMargins()
    return FRAME_GUESS


def available_client_rect(widget: QWidget) -> QRect:
    """The screen's available area minus the window frame: the most a client area may use."""
    return screen_for(widget).availableGeometry().marginsRemoved(_frame_margins(widget))


def fit_window(widget: QWidget, preferred: QSize | None = None, *, center: bool = False) -> None:
    """Resize a top-level widget to ``preferred`` (or its current size) within the screen.

    The window is moved inside the screen's available area, frame included; with ``center``
    it is centred on its parent window (or the screen). Its minimum size is lowered if that
    would not fit, so a layout cannot push controls off-screen (scroll areas take the rest).
    """
    margins = _frame_margins(widget)
    area = screen_for(widget).availableGeometry().marginsRemoved(margins)
    minimum = widget.minimumSize()
    if minimum.width() > area.width() or minimum.height() > area.height():
        widget.setMinimumSize(minimum.boundedTo(area.size()))
    size = (preferred or widget.size()).boundedTo(area.size())
    if center:
        parent = widget.parentWidget()
        anchor = parent.window().geometry() if parent is not None else area
        top_left = anchor.center() - QPoint(size.width() // 2, size.height() // 2)
    elif widget.isVisible() or widget.testAttribute(Qt.WidgetAttribute.WA_Moved):
        top_left = widget.geometry().topLeft()
    else:
        top_left = area.topLeft()
    rect = fit_rect(QRect(top_left, size), area)
    widget.resize(rect.size())
    # move() places the frame; the client area starts at the frame's margins.
    widget.move(rect.topLeft() - QPoint(margins.left(), margins.top()))


def fits_screen(widget: QWidget) -> bool:
    """Whether the whole window, frame included as far as known, lies on its screen."""
    area = screen_for(widget).availableGeometry()
    frame = widget.geometry().marginsAdded(_frame_margins(widget))
    return area.contains(frame)


class _FitOnShow(QObject):
    """Fits its window to the screen each time it is shown (it may open on another screen)."""

    def __init__(self, widget: QWidget, preferred: QSize | None, center: bool) -> None:
        super().__init__(widget)
        self._preferred = preferred
        self._center = center
        self._shown_once = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and not (watched.isMaximized() or watched.isFullScreen())
        ):
            preferred = None if self._shown_once else self._preferred
            fit_window(watched, preferred, center=self._center and not self._shown_once)
            self._shown_once = True
        return False


def fit_on_show(widget: QWidget, preferred: QSize | None = None, *, center: bool = True) -> None:
    """Make a window fit its screen whenever it is shown; first at ``preferred`` size."""
    for child in widget.children():  # once per window
        if isinstance(child, _FitOnShow):
            return
    _FitOnShow(widget, preferred, center)


class GrowingScrollArea(QScrollArea):
    """A scroll area whose window grows with its content while the screen has room.

    Without a scroll area a dialog grows when an error appears under a field; with a plain
    one it would scroll even on a large screen. This one asks for all of its content, grows
    its window when the content grows (up to the screen's available height), and scrolls
    only beyond that: the window's buttons never leave the screen.
    """

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _plain_area(self, content)
        # Owned by the area: it dies with it (a bare singleShot could fire after deletion).
        self._grow_timer = QTimer(self)
        self._grow_timer.setSingleShot(True)
        self._grow_timer.setInterval(0)
        self._grow_timer.timeout.connect(self._grow)
        content.installEventFilter(self)

    def _wanted_height(self) -> int:
        content = self.widget()
        if content is None:
            return 0
        width = self.viewport().width()
        if content.hasHeightForWidth() and width > 0:
            return max(content.heightForWidth(width), content.minimumSizeHint().height())
        return content.sizeHint().height()

    def sizeHint(self) -> QSize:
        content = self.widget()
        hint = super().sizeHint()
        if content is None:
            return hint
        margins = self.contentsMargins()
        return QSize(hint.width(), content.sizeHint().height() + margins.top() + margins.bottom())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._grow_timer.start()
        return super().eventFilter(watched, event)

    def _grow(self) -> None:
        top = self.window()
        if not top.isVisible() or top.isMaximized() or top.isFullScreen():
            return
        extra = self._wanted_height() - self.viewport().height()
        if extra > 0:
            room = available_client_rect(top).height()
            top.resize(top.width(), min(top.height() + extra, room))
            fit_window(top)


def scroll_area(
    content: QWidget, parent: QWidget | None = None, *, grow: bool = False
) -> QScrollArea:
    """``content`` in a frameless scroll area that resizes it: it scrolls only when too small.

    With ``grow`` the window grows with the content while the screen has room (see
    GrowingScrollArea).
    """
    if grow:
        return GrowingScrollArea(content, parent)
    area = QScrollArea(parent)
    _plain_area(area, content)
    return area


def _plain_area(area: QScrollArea, content: QWidget) -> None:
    """Frameless, resizing, and never focused itself.

    A scroll area takes Tab focus by default: a dialog whose fields sit in one would open with
    the focus on the invisible area (arrow keys scroll it, typing goes nowhere). The fields
    inside still get the focus, and the area scrolls to show the focused one.
    """
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(content)


__all__ = [
    "FRAME_GUESS",
    "GrowingScrollArea",
    "available_client_rect",
    "fit_on_show",
    "fit_rect",
    "fit_window",
    "fits_screen",
    "screen_for",
    "scroll_area",
]
