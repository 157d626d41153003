"""Alt+letter mnemonics: put them where a person expects, and find the letters a window uses."""

from __future__ import annotations

from collections import Counter

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget


def with_mnemonic(text: str, letter: str) -> str:
    """``text`` with ``&`` before the first ``letter`` (any case); unchanged if it has none."""
    index = text.casefold().find(letter.casefold())
    return f"{text[:index]}&{text[index:]}" if index >= 0 else text


def mnemonic_of(text: str) -> str | None:
    """The letter after a single ``&`` (``&&`` is a literal ampersand), lower case."""
    index = text.replace("&&", "\0\0").find("&")
    if index < 0 or index + 1 >= len(text):
        return None
    return text[index + 1].casefold()


def mnemonics(window: QWidget) -> Counter[str]:
    """How often each Alt+letter is used by the window's visible labels and buttons.

    A letter used twice makes Alt+letter cycle between the two instead of acting.
    """
    used: Counter[str] = Counter()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        letter = mnemonic_of(text)
        if letter is not None:
            used[letter] += 1
    return used


__all__ = ["mnemonic_of", "mnemonics", "with_mnemonic"]
