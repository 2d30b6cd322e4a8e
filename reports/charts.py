"""Charts as inline SVG, drawn on the server: intranets have no CDN and pages run no script.

Each chart is an image for assistive technology (role="img", a <title> and a <desc>); every
bar carries its own <title> (a tooltip). The page shows the same figures in a table below.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Okabe–Ito: told apart by people with colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")
FONT = 'font-family="sans-serif" font-size="11"'

_ids = itertools.count(1)


def _nice_max(value: float) -> float:
    """A round upper bound for the axis (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _fmt(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _frame(width: int, height: int, title: str, description: str, body: list[str]) -> SafeString:
    n = next(_ids)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        f'width="100%" style="max-width:{width}px" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="chart{n}-title chart{n}-desc">'
        f'<title id="chart{n}-title">{escape(title)}</title>'
        f'<desc id="chart{n}-desc">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 — every text is escaped


def column_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
) -> SafeString:
    """Stacked columns: one per category, one coloured segment per series, a legend on top."""
    width, height = 720, 280
    left, right, top, bottom = 40, 10, 20 + 16 * len(series), 40
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for _label, values in series) for i in range(len(categories))]
    ymax = _nice_max(max(totals, default=0))
    body = []
    for i, (label, _values) in enumerate(series):
        x, y = left, 14 + 16 * i
        body.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{x + 14}" y="{y}" {FONT}>{escape(label)}</text>'
        )
    for tick in (0, ymax / 2, ymax):
        y = top + plot_h - plot_h * tick / ymax
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" {FONT}>{_fmt(tick)}</text>'
        )
    slot = plot_w / max(len(categories), 1)
    bar_w = max(2.0, slot * 0.7)
    for ci, category in enumerate(categories):
        x = left + ci * slot + (slot - bar_w) / 2
        base = top + plot_h
        for si, (label, values) in enumerate(series):
            value = values[ci]
            if not value:
                continue
            h = plot_h * value / ymax
            base -= h
            body.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[si % len(PALETTE)]}">'
                f"<title>{escape(category)} — {escape(label)}: {_fmt(value)}</title></rect>"
            )
        body.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
            f"{FONT}>{escape(category)}</text>"
        )
    return _frame(width, height, title, description, body)


# A bar chart shows the largest items only; the table below it has them all.
BAR_CHART_MAX_ITEMS = 15


def bar_chart(
    *, title: str, description: str, items: Sequence[tuple[str, float]], unit: str = ""
) -> SafeString:
    """Horizontal bars, one per item (the first BAR_CHART_MAX_ITEMS), each with its value."""
    items = list(items)[:BAR_CHART_MAX_ITEMS]
    label_w, width, row_h, top = 220, 720, 22, 6
    height = top * 2 + row_h * max(len(items), 1)
    xmax = _nice_max(max((v for _label, v in items), default=0))
    plot_w = width - label_w - 60
    body = []
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        w = plot_w * value / xmax
        text = f"{_fmt(value)}{unit}"
        body.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" {FONT}>'
            f"{escape(label[:40])}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {escape(text)}</title></rect>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" {FONT}>{escape(text)}</text>'
        )
    return _frame(width, height, title, description, body)
