"""Draw the NFC Tagify app icon with QPainter and write every format the builds need.

Run from the repo root (no display needed)::

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py

Outputs (committed, so builds never need this script):

- ``resources/icons/nfctagify-{16,24,32,48,64,128,256,512}.png``
- ``resources/icons/nfctagify.ico``  multi-size (16..256), PNG-compressed entries (Vista+)
- ``resources/icons/nfctagify.icns``  multi-size (16..512 and @2x), PNG elements

Each PNG is drawn at its own size (not scaled down from 512) so the small sizes stay crisp:
16, 24 and 32 px get two waves and thicker strokes.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QRadialGradient,
)

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

TEAL = QColor("#0d9488")
TEAL_DARK = QColor("#0f5e63")
INDIGO = QColor("#3730a3")
INDIGO_DARK = QColor("#1e1b6b")


def draw_icon(size: int) -> QImage:
    """One icon at ``size`` x ``size`` pixels, ARGB32 premultiplied with a transparent margin."""
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    small = size <= 32  # two waves, thicker strokes: three thin arcs turn to mush below ~48 px

    # The card: a rounded square with a small margin (macOS/Windows icon grids leave ~6 %).
    margin = 0.0 if size <= 24 else s * 0.055
    card = QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    radius = card.width() * 0.22
    path = QPainterPath()
    path.addRoundedRect(card, radius, radius)

    # Soft drop shadow under the card (large sizes only; invisible and muddy at 16-32 px).
    if size >= 64:
        for i, alpha in enumerate((18, 12, 8)):
            off = s * (0.006 + 0.006 * i)
            shadow = QPainterPath()
            shadow.addRoundedRect(
                card.translated(0, off * 1.6).adjusted(-off, -off, off, off),
                radius + off,
                radius + off,
            )
            p.fillPath(shadow, QColor(0, 0, 0, alpha))

    grad = QLinearGradient(card.topLeft(), card.bottomRight())
    grad.setColorAt(0.0, TEAL)
    grad.setColorAt(0.45, TEAL_DARK)
    grad.setColorAt(1.0, INDIGO)
    p.fillPath(path, QBrush(grad))

    # A faint glow top-left gives depth without a glossy "web 2.0" look.
    glow = QRadialGradient(
        QPointF(card.left() + card.width() * 0.25, card.top()), card.width() * 0.9
    )
    glow.setColorAt(0.0, QColor(255, 255, 255, 46))
    glow.setColorAt(1.0, QColor(255, 255, 255, 0))
    p.fillPath(path, QBrush(glow))

    # Darker bottom-right corner, then a hairline rim so the icon reads on light and dark panels.
    shade = QRadialGradient(card.bottomRight(), card.width() * 0.8)
    shade.setColorAt(0.0, QColor(INDIGO_DARK.red(), INDIGO_DARK.green(), INDIGO_DARK.blue(), 120))
    shade.setColorAt(1.0, QColor(0, 0, 0, 0))
    p.fillPath(path, QBrush(shade))
    if size >= 32:
        rim = QPen(QColor(255, 255, 255, 40), max(1.0, s / 256))
        p.setPen(rim)
        p.setBrush(Qt.BrushStyle.NoBrush)
        inset = rim.widthF() / 2
        p.drawRoundedRect(card.adjusted(inset, inset, -inset, -inset), radius, radius)

    # The glyph: a dot and concentric arcs, like the contactless/NFC mark, tilted slightly.
    cx = card.left() + card.width() * (0.31 if not small else 0.29)
    cy = card.top() + card.height() * 0.5
    w = card.width()
    radii = (0.17, 0.30, 0.43) if not small else (0.22, 0.42)
    stroke = w * (0.075 if not small else 0.12)
    dot_r = w * (0.062 if not small else 0.09)
    span = 100.0  # degrees, centred on the +x axis
    white = QColor(255, 255, 255)

    p.save()
    p.translate(cx, cy)
    p.rotate(-12)
    p.translate(-cx, -cy)
    pen = QPen(white, stroke, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    for r in radii:
        rr = w * r
        p.drawArc(QRectF(cx - rr, cy - rr, 2 * rr, 2 * rr), int(-span / 2 * 16), int(span * 16))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(white)
    p.drawEllipse(QPointF(cx, cy), dot_r, dot_r)
    p.restore()

    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not img.save(buf, "PNG"):
        raise RuntimeError("PNG encoding failed")
    buf.close()
    return bytes(data.data())


def write_ico(path: Path, images: dict[int, QImage]) -> None:
    """Write a multi-size ICO with PNG entries.

    Qt's ``qico`` writer stores one image per file, so the container is written here: a 6-byte
    ICONDIR, one 16-byte ICONDIRENTRY per image (0 means 256 for width/height), then the PNG blobs.
    """
    blobs = [(size, png_bytes(images[size])) for size in sorted(images)]
    header = struct.pack("<HHH", 0, 1, len(blobs))
    offset = len(header) + 16 * len(blobs)
    entries = b""
    for size, blob in blobs:
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    path.write_bytes(header + entries + b"".join(blob for _, blob in blobs))


# ICNS element types that hold PNG data, by pixel size (the @2x types reuse the larger PNG).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def write_icns(path: Path, images: dict[int, QImage]) -> None:
    """Write a multi-size ICNS: ``icns`` + big-endian length, then (type, length, PNG) elements.

    Qt's ``qicns`` writer stores a single 512 px element (and Qt's own reader then warns about its
    table of contents), so the container is written here like the ICO.
    """
    body = b""
    for kind, size in ICNS_TYPES:
        blob = png_bytes(images[size])
        body += kind + struct.pack(">I", len(blob) + 8) + blob
    path.write_bytes(b"icns" + struct.pack(">I", len(body) + 8) + body)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    images = {size: draw_icon(size) for size in PNG_SIZES}
    for size, img in images.items():
        out = ICON_DIR / f"nfctagify-{size}.png"
        if not img.save(str(out), "PNG"):
            raise RuntimeError(f"could not write {out}")
        print(f"wrote {out.relative_to(ROOT)}")
    write_ico(ICON_DIR / "nfctagify.ico", {s: images[s] for s in ICO_SIZES})
    print("wrote resources/icons/nfctagify.ico")
    write_icns(ICON_DIR / "nfctagify.icns", images)
    print("wrote resources/icons/nfctagify.icns")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
