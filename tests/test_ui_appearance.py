"""The Theme setting on a real QApplication (offscreen: a platform with no dark mode of its own)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLabel,
    QStyle,
    QStyleOptionButton,
)
from pytestqt.qtbot import QtBot

from nfctagify_desktop.ui import theme
from nfctagify_desktop.ui.appearance import (
    Appearance,
    ThemeChoice,
    install_appearance,
    parse_choice,
)
from nfctagify_desktop.ui.contrast import contrast_ratio
from nfctagify_desktop.ui.fusion_style import FramedIndicatorsStyle


@pytest.fixture
def appearance(qapp: QApplication) -> Iterator[Appearance]:
    """The app's Appearance, back on System afterwards (the QApplication is shared)."""
    native = qapp.style().name()
    appearance = install_appearance(qapp, ThemeChoice.SYSTEM)
    yield appearance
    appearance.apply(ThemeChoice.SYSTEM)
    assert qapp.style().name() == native
    assert not theme.is_dark()


def test_dark_light_and_system(qapp: QApplication, appearance: Appearance) -> None:
    assert not theme.is_dark()  # the offscreen platform is light
    appearance.apply(ThemeChoice.DARK)
    assert theme.is_dark()
    assert appearance.using_fallback  # offscreen has no dark palette: Fusion stands in
    style = qapp.style()
    assert isinstance(style, FramedIndicatorsStyle) and style.baseStyle().name() == "fusion"
    appearance.apply("light")
    assert not theme.is_dark()
    appearance.apply(ThemeChoice.SYSTEM)
    assert not theme.is_dark()
    assert not appearance.using_fallback


def test_one_appearance_per_application(qapp: QApplication, appearance: Appearance) -> None:
    assert install_appearance(qapp, "dark") is appearance
    assert appearance.choice is ThemeChoice.DARK


def test_switching_signals_and_restyles_widgets(
    qtbot: QtBot, qapp: QApplication, appearance: Appearance
) -> None:
    label = QLabel("Custom prices are highlighted")
    qtbot.addWidget(label)
    theme.keep_styled(label, lambda: theme.css("hint", "QLabel"))
    light_fg = theme.role("hint").light.fg
    dark_fg = theme.role("hint").dark.fg
    assert light_fg in label.styleSheet()
    with qtbot.waitSignal(appearance.sig_changed) as blocker:
        appearance.apply(ThemeChoice.DARK)
    assert blocker.args == [True]
    assert dark_fg in label.styleSheet()
    label.ensurePolished()
    assert label.palette().color(label.foregroundRole()).name().upper() == dark_fg
    with qtbot.waitSignal(appearance.sig_changed) as blocker:
        appearance.apply(ThemeChoice.LIGHT)
    assert blocker.args == [False]
    assert light_fg in label.styleSheet()


def test_roles_follow_the_application_palette(appearance: Appearance) -> None:
    appearance.apply(ThemeChoice.DARK)
    custom = theme.role("row.custom_price")
    assert theme.bg("row.custom_price") is not None
    assert theme.bg("row.custom_price").name().upper() == custom.dark.bg  # type: ignore[union-attr]
    appearance.apply(ThemeChoice.LIGHT)
    assert theme.fg("row.custom_price").name().upper() == custom.light.fg


@pytest.mark.parametrize(
    ("typed", "choice"),
    [
        ("dark", ThemeChoice.DARK),
        (" Light ", ThemeChoice.LIGHT),
        ("system", ThemeChoice.SYSTEM),
        ("", ThemeChoice.SYSTEM),
        (None, ThemeChoice.SYSTEM),
        ("neon", ThemeChoice.SYSTEM),
    ],
)
def test_parse_choice(typed: str | None, choice: ThemeChoice) -> None:
    assert parse_choice(typed) is choice


def test_restyling_a_widget_again_replaces_its_style(qtbot: QtBot, appearance: Appearance) -> None:
    label = QLabel("Pending")
    qtbot.addWidget(label)
    for role in ("status.pending", "status.delivered", "status.cancelled"):
        theme.use(label, role)
    restylers = [c for c in label.children() if type(c).__name__ == "_Restyler"]
    assert len(restylers) == 1
    assert f"background: {theme.role('status.cancelled').light.bg};" in label.styleSheet()


def test_an_os_switch_makes_styled_widgets_read_their_roles_again(
    qtbot: QtBot, qapp: QApplication, appearance: Appearance
) -> None:
    """On "System" the OS's announcement is followed: the palette is checked, widgets restyle."""
    from PySide6.QtCore import Qt

    label = QLabel("Updated 2 min ago")
    qtbot.addWidget(label)
    builds: list[bool] = []

    def build() -> str:
        builds.append(theme.is_dark())
        return theme.css("hint")

    theme.keep_styled(label, build)
    assert len(builds) == 1
    with qtbot.waitSignal(theme.events().sig_palette_changed):
        qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert len(builds) == 2
    appearance.apply(ThemeChoice.LIGHT)  # a forced theme ignores the OS
    count = len(builds)
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    for _ in range(3):  # the follow-up runs on a zero timer: let it run
        qapp.processEvents()
    assert len(builds) == count
    assert not theme.is_dark()


def test_headings_follow_the_users_text_size(qtbot: QtBot, qapp: QApplication) -> None:
    from PySide6.QtGui import QFont

    from nfctagify_desktop.ui.fonts import HEADING_SCALE, make_heading

    original = QFont(qapp.font())
    try:
        for size in (9.0, 14.0):  # e.g. Windows' "make text bigger"
            bigger = QFont(original)
            bigger.setPointSizeF(size)
            qapp.setFont(bigger)
            label = QLabel("Order placed")
            qtbot.addWidget(label)
            theme.use(label, "text.ok")  # a colour style sheet keeps the heading font
            make_heading(label)
            label.ensurePolished()
            assert label.font().pointSizeF() == pytest.approx(size * HEADING_SCALE)
            assert label.font().weight() >= QFont.Weight.DemiBold
    finally:
        qapp.setFont(original)


def test_an_unchecked_box_is_visible_on_the_dark_palette(
    qtbot: QtBot, qapp: QApplication, appearance: Appearance
) -> None:
    """Fusion's box is the window's colour made darker: on dark it all but disappeared."""
    appearance.apply(ThemeChoice.DARK)
    box = QCheckBox("From")
    qtbot.addWidget(box)
    box.show()
    option = QStyleOptionButton()
    option.initFrom(box)
    edge = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    image = box.grab().toImage()
    border = image.pixelColor(edge.left(), edge.center().y()).name()
    window = box.palette().color(QPalette.ColorRole.Window).name()
    assert contrast_ratio(border, window) >= 3.0
