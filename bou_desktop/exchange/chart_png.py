"""A chart drawn for the PDFs (a reportlab `Drawing`) as a PNG image, for the Word report.

reportlab's own bitmap renderer (renderPM) needs a compiled backend (rl_renderPM or rlPyCairo)
that is not among the program's dependencies. The charts are made of three shapes only (`Rect`,
`Line` and `String`, see county_pdf.option_chart and national_pdf.comparison_chart), so they are
drawn here with Pillow, which reportlab itself depends on, in the same DejaVu fonts the PDFs embed.
"""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String

from ..paths import resources_dir
from .pdf_forms import _FONT_FILES, FONT

SCALE = 3.0  # pixels per point: 216 dpi, sharp when printed at its size


@cache
def _font(name: str, pixels: int) -> ImageFont.FreeTypeFont:
    filename = _FONT_FILES.get(name, _FONT_FILES[FONT])
    return ImageFont.truetype(str(resources_dir() / "fonts" / filename), pixels)


def _rgb(color) -> tuple[int, int, int] | None:
    if color is None:
        return None
    red, green, blue = color.rgb()
    return round(red * 255), round(green * 255), round(blue * 255)


def drawing_png(drawing: Drawing, scale: float = SCALE) -> bytes:
    """The drawing as PNG bytes on a white background, `scale` pixels per point."""
    width, height = drawing.width, drawing.height
    image = Image.new("RGB", (max(1, round(width * scale)), max(1, round(height * scale))), "white")
    canvas = ImageDraw.Draw(image)

    def y_of(y: float) -> float:
        return (height - y) * scale

    def draw(shapes, dx: float = 0.0, dy: float = 0.0) -> None:
        for shape in shapes:
            if isinstance(shape, Group):
                transform = getattr(shape, "transform", (1, 0, 0, 1, 0, 0))
                draw(shape.contents, dx + transform[4], dy + transform[5])
            elif isinstance(shape, Rect):
                if shape.width <= 0 or shape.height <= 0:
                    continue  # a bar of nought: nothing to see
                x0, x1 = (shape.x + dx) * scale, (shape.x + dx + shape.width) * scale
                top, bottom = y_of(shape.y + dy + shape.height), y_of(shape.y + dy)
                stroke = _rgb(shape.strokeColor) if shape.strokeWidth else None
                canvas.rectangle((x0, top, max(x0, x1 - 1), max(top, bottom - 1)), fill=_rgb(shape.fillColor),
                                 outline=stroke, width=max(1, round(shape.strokeWidth * scale)) if stroke else 0)
            elif isinstance(shape, Line):
                canvas.line(((shape.x1 + dx) * scale, y_of(shape.y1 + dy), (shape.x2 + dx) * scale,
                             y_of(shape.y2 + dy)), fill=_rgb(shape.strokeColor) or (0, 0, 0),
                            width=max(1, round((shape.strokeWidth or 1) * scale)))
            elif isinstance(shape, String):
                anchor = {"start": "ls", "middle": "ms", "end": "rs"}.get(shape.textAnchor, "ls")
                font = _font(shape.fontName, max(1, round(shape.fontSize * scale)))
                canvas.text(((shape.x + dx) * scale, y_of(shape.y + dy)), shape.text, font=font,
                            fill=_rgb(shape.fillColor) or (0, 0, 0), anchor=anchor)

    draw(drawing.contents)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(72 * scale, 72 * scale))
    return buffer.getvalue()
