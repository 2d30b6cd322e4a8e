"""Measure page 1 of a generated PDF with pypdfium2: text lines, baselines, faces, rules (mm)."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c

MM = 72 / 25.4  # points per millimetre
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "release"


@dataclass(frozen=True)
class TextLine:
    text: str
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1


@dataclass(frozen=True)
class Rule:
    x1: float
    x2: float
    y: float

    @property
    def length(self) -> float:
        return self.x2 - self.x1


class PageMeasure:
    """Text lines, baselines, font weights and horizontal rules of page 1, in mm from bottom-left."""

    def __init__(self, pdf: bytes):
        self.pdf = pypdfium2.PdfDocument(pdf)
        self.page = self.pdf[0]
        self.text = self.page.get_textpage()
        self.lines = []
        for i in range(self.text.count_rects()):
            x1, y1, x2, y2 = self.text.get_rect(i)
            content = self.text.get_text_bounded(x1, y1, x2, y2).strip()
            self.lines.append(TextLine(content, x1 / MM, y1 / MM, x2 / MM, y2 / MM))
        self.rules = []
        for obj in self.page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
            x1, y1, x2, y2 = obj.get_bounds()
            if (y2 - y1) / MM < 0.5 and (x2 - x1) / MM > 5:
                self.rules.append(Rule(x1 / MM, x2 / MM, (y1 + y2) / 2 / MM))

    def close(self):
        self.text.close()
        self.page.close()
        self.pdf.close()

    def index_of(self, needle: str) -> int:
        searcher = self.text.search(needle)
        found = searcher.get_next()
        assert found, f"{needle!r} is not on page 1"
        return found[0]

    def baseline(self, needle: str) -> float:
        x, y = ctypes.c_double(), ctypes.c_double()
        assert pdfium_c.FPDFText_GetCharOrigin(
            self.text.raw, self.index_of(needle), ctypes.byref(x), ctypes.byref(y)
        )
        return y.value / MM

    def font(self, needle: str) -> str:
        """The font name of the first character of `needle`, lower case."""
        buffer = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        pdfium_c.FPDFText_GetFontInfo(
            self.text.raw, self.index_of(needle), buffer, 256, ctypes.byref(flags)
        )
        return buffer.value.decode("latin-1").lower()

    def is_bold(self, needle: str) -> bool:
        return "bold" in self.font(needle)

    def is_italic(self, needle: str) -> bool:
        return "italic" in self.font(needle)

    def lines_starting(self, prefixes: tuple[str, ...]) -> list[str]:
        """The text of each line starting with one of `prefixes`, one per prefix, in order."""
        return [next(line.text for line in self.lines if line.text.startswith(p)) for p in prefixes]

    def all_text(self) -> str:
        return " ".join(line.text for line in self.lines)

    def line(self, text: str) -> TextLine:
        matches = [line for line in self.lines if line.text == text]
        assert matches, f"no line reads {text!r}: {[line.text for line in self.lines]}"
        return matches[0]

    def rule_below(self, lines: list[TextLine]) -> Rule:
        """The first rule under the lowest of `lines`, horizontally within their span."""
        lowest = min(line.y1 for line in lines)
        left = min(line.x1 for line in lines) - 1
        right = max(line.x2 for line in lines) + 1
        candidates = [
            rule
            for rule in self.rules
            if rule.y < lowest and left <= rule.x1 and rule.x2 <= right and lowest - rule.y < 5
        ]
        assert candidates, f"no rule under {[line.text for line in lines]}"
        return max(candidates, key=lambda rule: rule.y)


def save_png(pdf: bytes, name: str) -> Path:
    """Save page 1 at 110 dpi under test-artifacts/release/ for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(pdf)
    try:
        path = ARTIFACTS / f"{name}.png"
        document[0].render(scale=110 / 72).to_pil().save(path)
    finally:
        document.close()
    return path
