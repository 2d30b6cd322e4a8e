"""Signature and seal images of the development PKI: drawn, transparent PNGs."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

SIGNATURE_BLUE = (20, 50, 160)
SEAL_RED = (210, 20, 40)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def _font(size: int):
    from PIL import ImageFont

    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return None


def signature_png(path: Path, *, seed: str, size: tuple[int, int] = (600, 240)) -> None:
    """Draw a transparent blue handwriting-like flourish, different for every seed."""
    from PIL import Image, ImageDraw

    rng = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:8], "big")
    width, height = size
    scale = 2  # draw large, then shrink: smooth edges without antialiasing support in lines
    img = Image.new("RGBA", (width * scale, height * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    points = []
    loops = 3 + rng % 3
    amp = 0.28 + (rng >> 8) % 10 / 100
    for i in range(400):
        t = i / 399
        x = 0.08 + 0.8 * t + 0.05 * math.sin(t * loops * 2 * math.pi + (rng % 7))
        y = 0.5 + amp * math.sin(t * loops * 2 * math.pi * 1.5 + (rng >> 4) % 5) * (1 - 0.5 * t)
        points.append((x * width * scale, y * height * scale))
    draw.line(points, fill=(*SIGNATURE_BLUE, 255), width=5 * scale, joint="curve")
    # The underline flourish most signatures end with.
    tail = [
        (
            (0.15 + 0.8 * t) * width * scale,
            (0.82 - 0.12 * math.sin(t * math.pi)) * height * scale,
        )
        for t in (i / 60 for i in range(61))
    ]
    draw.line(tail, fill=(*SIGNATURE_BLUE, 255), width=4 * scale, joint="curve")
    img = img.resize(size, Image.Resampling.LANCZOS)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "PNG")


def _arc_text(img, text: str, *, radius: float, font, colour) -> None:
    """Write text clockwise along the top of a circle centred in img."""
    from PIL import Image, ImageDraw

    cx, cy = img.width / 2, img.height / 2
    widths = [font.getlength(ch) for ch in text]
    total = sum(widths) * 1.08
    span = min(total / radius, math.radians(300))
    factor = span / (total / radius) if total else 1
    angle = -math.pi / 2 - span / 2  # start left of the top
    for ch, w in zip(text, widths, strict=True):
        step = w * 1.08 / radius * factor
        mid = angle + step / 2
        box = int(font.size * 2)
        glyph = Image.new("RGBA", (box, box), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((box / 2, box / 2), ch, font=font, fill=colour, anchor="mm")
        glyph = glyph.rotate(-math.degrees(mid + math.pi / 2), resample=Image.Resampling.BICUBIC)
        x = cx + radius * math.cos(mid) - box / 2
        y = cy + radius * math.sin(mid) - box / 2
        img.alpha_composite(glyph, (int(x), int(y)))
        angle += step


def seal_png(path: Path, *, text: str, centre: str = "", size: int = 480) -> None:
    """Draw a transparent red round seal with text along the rim and a star in the middle."""
    from PIL import Image, ImageDraw

    colour = (*SEAL_RED, 235)
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    margin = size * 0.03
    draw.ellipse(
        (margin, margin, size - margin, size - margin), outline=colour, width=int(size * 0.03)
    )
    inner = size * 0.22
    draw.ellipse(
        (inner, inner, size - inner, size - inner), outline=colour, width=int(size * 0.012)
    )
    cx = cy = size / 2
    r_out, r_in = size * 0.13, size * 0.055
    star = [
        (
            cx + (r_out if i % 2 == 0 else r_in) * math.cos(-math.pi / 2 + i * math.pi / 5),
            cy
            - size * 0.04
            + (r_out if i % 2 == 0 else r_in) * math.sin(-math.pi / 2 + i * math.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=colour)
    font = _font(int(size * 0.06))
    if font is not None and text:
        _arc_text(img, text.upper(), radius=size * 0.36, font=font, colour=colour)
    if font is not None and centre:
        small = _font(int(size * 0.07))
        draw.text((cx, cy + size * 0.13), centre, font=small, fill=colour, anchor="mm")
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "PNG")
