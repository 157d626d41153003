"""Windows fit the screen they open on (offscreen platform: one 800×800 screen by default)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from nfctagify_desktop.ui.geometry import (
    FRAME_GUESS,
    fit_on_show,
    fit_rect,
    fit_window,
    fits_screen,
    screen_for,
)


def test_fit_rect_shrinks_then_moves_inside() -> None:
    area = QRect(0, 0, 960, 540)
    assert fit_rect(QRect(10, 10, 200, 100), area) == QRect(10, 10, 200, 100)
    assert fit_rect(QRect(100, 100, 1320, 800), area) == QRect(0, 0, 960, 540)
    assert fit_rect(QRect(900, 500, 300, 200), area) == QRect(660, 340, 300, 200)
    assert fit_rect(QRect(-50, -20, 300, 200), area) == QRect(0, 0, 300, 200)
    # A second screen to the right: coordinates are not assumed to start at 0.
    right = QRect(1920, 0, 1280, 800)
    assert fit_rect(QRect(0, 0, 1320, 900), right) == QRect(1920, 0, 1280, 800)


def test_a_window_larger_than_the_screen_is_shrunk_onto_it(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    area = screen_for(window).availableGeometry()
    fit_window(window, QSize(area.width() + 500, area.height() + 300))
    window.show()
    qtbot.waitExposed(window)
    assert fits_screen(window)
    assert window.width() < area.width()


def test_a_minimum_size_larger_than_the_screen_is_lowered(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    area = screen_for(window).availableGeometry()
    window.setMinimumSize(area.width() + 100, 200)
    fit_window(window)
    assert window.minimumWidth() <= area.width()
    window.show()
    qtbot.waitExposed(window)
    assert fits_screen(window)


def test_a_small_window_keeps_its_size_and_is_centred_on_its_parent(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    fit_window(parent, QSize(600, 500))
    dialog = QDialog(parent)
    QVBoxLayout(dialog).addWidget(QLabel("Hello"))
    fit_window(dialog, QSize(300, 200), center=True)
    assert dialog.size() == QSize(300, 200)
    # Before showing, a frame is assumed around each window (the platform has not said yet).
    dx = dialog.geometry().center().x() - parent.geometry().center().x()
    assert abs(dx) <= FRAME_GUESS.left() + 1
    parent.show()
    dialog.show()
    qtbot.waitExposed(dialog)
    assert fits_screen(dialog)


def test_fit_on_show_sizes_a_dialog_onto_the_screen_when_shown(qtbot: QtBot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    QVBoxLayout(dialog).addWidget(QLabel("Settings"))
    area = screen_for(dialog).availableGeometry()
    fit_on_show(dialog, QSize(area.width() * 2, area.height() * 2))
    dialog.show()
    qtbot.waitExposed(dialog)
    assert fits_screen(dialog)
    assert dialog.width() <= area.width()
    dialog.hide()
    dialog.move(area.right() - 20, area.bottom() - 20)  # as if dragged half off-screen
    dialog.show()
    qtbot.waitExposed(dialog)
    assert fits_screen(dialog)
