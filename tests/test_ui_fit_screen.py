"""At 200 % on a 1920×1080 screen (960×540 logical pixels) no control is out of reach.

The screen and the scale factor are fixed when a QApplication starts, so the main window and
every dialog are opened in a child process (tests/fit_probe.py) on an offscreen screen of that
size, with QT_SCALE_FACTOR=2. Every visible control must lie on the screen, uncut by its
parents, or inside a scroll area that does; every label must show all of its text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROBE = Path(__file__).with_name("fit_probe.py")
ROOT = PROBE.parent.parent


def run_probe(tmp_path: Path, width: int, height: int, scale: float, **env: str) -> dict[str, Any]:
    config = tmp_path / "screen.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "Laptop",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    home = tmp_path / "home"
    home.mkdir()
    child_env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": str(scale),
        "NFCTAGIFY_HOME": str(home),
        "PYTHONPATH": str(ROOT),
        **env,
    }
    proc = subprocess.run(
        [sys.executable, str(PROBE)],
        capture_output=True,
        text=True,
        env=child_env,
        cwd=ROOT,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, proc.stdout[-2000:] + proc.stderr[-2000:]
    report: dict[str, Any] = json.loads(lines[-1])
    return report


def _explain(report: dict[str, Any]) -> str:
    return "\n".join(
        f"{window}:\n  " + "\n  ".join(problems) for window, problems in report["offenders"].items()
    )


@pytest.mark.slow
def test_every_window_fits_a_960x540_screen_at_200_percent(tmp_path: Path) -> None:
    report = run_probe(tmp_path, 1920, 1080, 2)
    assert report["screen"] == [960, 540]
    assert report["scale"] == 2.0
    # The probe really opened the main window's tabs and every dialog.
    assert {
        "main window: Orders",
        "main window: Pricing",
        "settings (first run)",
        "order form with errors",
        "Import orders",
        "API key prompt",
    } <= set(report["checked"])
    assert not report["offenders"], _explain(report)


@pytest.mark.slow
def test_800x600_shows_money_and_status_without_side_scrolling(tmp_path: Path) -> None:
    report = run_probe(tmp_path, 800, 600, 1)
    assert not report["offenders"], _explain(report)
    shown = report["orders_columns"]
    assert {"Order", "Status", "Qty", "Total"} <= set(shown), shown
    assert not report["orders_side_scroll"], shown


@pytest.mark.slow
def test_every_window_fits_1024x640_in_the_dark(tmp_path: Path) -> None:
    report = run_probe(tmp_path, 1024, 640, 1, FIT_PROBE_THEME="dark")
    assert report["screen"] == [1024, 640]
    assert not report["offenders"], _explain(report)


def test_the_probe_reports_controls_off_screen_or_cut_off(qtbot: Any) -> None:
    """The checker itself: a control pushed out of its parent, a window larger than the screen."""
    from PySide6.QtWidgets import QPushButton, QScrollArea, QVBoxLayout, QWidget

    sys.path.insert(0, str(PROBE.parent))
    from fit_probe import offenders

    window = QWidget()
    qtbot.addWidget(window)
    window.resize(300, 200)
    QPushButton("Fine", window).move(10, 10)
    box = QWidget(window)
    box.setGeometry(0, 50, 100, 40)
    QPushButton("Cut off", box).setGeometry(60, 5, 80, 30)  # 40 px outside its parent
    scroller = QScrollArea(window)
    scroller.setGeometry(0, 100, 200, 80)
    inner = QWidget()
    QVBoxLayout(inner).addWidget(QPushButton("Scrolled to"))
    inner.setMinimumHeight(600)
    scroller.setWidget(inner)
    window.show()
    qtbot.waitExposed(window)
    found = offenders(window)
    assert any("'Cut off'" in f and "cut to" in f for f in found), found
    assert not any("'Fine'" in f or "'Scrolled to'" in f for f in found), found
    screen = window.screen().availableGeometry()
    window.resize(screen.width() + 200, 200)
    qtbot.waitUntil(lambda: window.width() > screen.width())
    assert any(f.startswith("window frame") for f in offenders(window))


@pytest.mark.slow
def test_screenshots_honour_the_theme_and_the_scale(tmp_path: Path) -> None:
    """`--screenshots DIR --theme dark` at QT_SCALE_FACTOR=2: dark PNGs at twice the pixels."""
    from PySide6.QtGui import QImage

    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"width": 1920, "height": 1080, "dpr": 1}]}))
    home = tmp_path / "home"
    home.mkdir()
    out = tmp_path / "shots"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": "2",
        "NFCTAGIFY_HOME": str(home),
    }
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--screenshots", str(out), "--theme", "dark"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("products", "pricing", "orders"):
        image = QImage(str(out / f"{name}.png"))
        assert not image.isNull(), name
        # The window fits the 960×540 logical screen and is drawn at 2 device pixels per pixel.
        assert 1200 < image.width() <= 1920, (name, image.width())
        assert 700 < image.height() <= 1080, (name, image.height())
        window_colour = image.pixelColor(4, image.height() - 4)  # the status bar's corner
        assert window_colour.lightness() < 80, (name, window_colour.name())
