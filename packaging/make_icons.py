"""Render the program's icon set from resources/icons/bou-desktop.svg.

Writes, next to the SVG: bou-desktop-<size>.png for every size in SIZES, bou-desktop.ico
(Windows; PNG-compressed entries, 16–256 px) and bou-desktop.icns (macOS; PNG entries).
The files are committed; run this again after changing the SVG:

    python packaging/make_icons.py
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ICONS = REPO / "resources" / "icons"
SVG = ICONS / "bou-desktop.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = tuple(size for size in SIZES if size <= 256)  # the ICO format stops at 256 px
# macOS icon types that hold PNG data, by pixel size ("@2x" types share the size of the next one up).
ICNS_TYPES = (
    (b"icp4", 16), (b"ic11", 32), (b"icp5", 32), (b"ic12", 64), (b"icp6", 64), (b"ic07", 128),
    (b"ic13", 256), (b"ic08", 256), (b"ic14", 512), (b"ic09", 512), (b"ic10", 1024),
)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent square of `size` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} kan inte läsas som SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    box = renderer.viewBoxF()
    scale = size / max(box.width(), box.height())
    width, height = box.width() * scale, box.height() * scale
    renderer.render(painter, QRectF((size - width) / 2, (size - height) / 2, width, height))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit(f"kunde inte skriva PNG i storleken {size}")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNG images (supported since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    entries, images = b"", b""
    offset = len(header) + 16 * len(pngs)
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(images))
        images += png
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG images."""
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def make_icons(svg: Path = SVG, folder: Path = ICONS) -> list[Path]:
    """Render every file of the set; returns the ones that changed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # drawing into images needs no screen
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    pngs = {size: render_png(svg, size) for size in sorted({*SIZES, *(size for _kind, size in ICNS_TYPES)})}
    changed = []
    for size in SIZES:
        path = folder / f"bou-desktop-{size}.png"
        if write_if_changed(path, pngs[size]):
            changed.append(path)
    for path, data in ((folder / "bou-desktop.ico", ico_bytes({s: pngs[s] for s in ICO_SIZES})),
                       (folder / "bou-desktop.icns", icns_bytes(pngs))):
        if write_if_changed(path, data):
            changed.append(path)
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    changed = make_icons()
    for path in changed:
        print(f"Skrev {path.relative_to(REPO)}")
    if not changed:
        print("Ikonerna är redan aktuella.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
