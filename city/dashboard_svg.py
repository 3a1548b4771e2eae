"""The dashboard's charts as SVG drawn on the server (no chart library, no script, nothing from a CDN: the
city's intranet may have no internet): bars stacked per day with each day's total above its bar, and
horizontal bars with the number beside each. Every text is escaped; the numbers are printed, not only
drawn, so a chart reads at a glance and in a screenshot.
"""

from __future__ import annotations

from html import escape

# Colour-blind-safe (Okabe-Ito), then grey for 其他.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
FONT = "font-family=\"'Noto Sans CJK SC', 'Noto Sans SC', sans-serif\""


def _nice_top(value: int) -> int:
    """A round number at or above `value` for the axis (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _number(value: int) -> str:
    return f"{value:,}"


def stacked_days(
    days: list[str], series: list[tuple[str, list[int]]], *, title: str, width: int = 960, height: int = 360
) -> str:
    """One bar per day, stacked by series (label, counts per day), the day's total above its bar."""
    left, right, top, bottom = 64, 16, 40, 56
    legend_rows = -(-len(series) // 4)
    height += 22 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom - 22 * legend_rows
    totals = [sum(values[i] for _, values in series) for i in range(len(days))]
    step = _nice_top(-(-max(totals, default=0) // 4))  # four gridlines, each a round number
    peak = step * 4
    slot = plot_w / max(1, len(days))
    bar = max(2.0, slot * 0.7)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" {FONT}>',
        f'<text x="{left}" y="22" font-size="16" font-weight="bold" fill="#222">{escape(title)}</text>',
    ]
    for tick in range(5):
        value = step * tick
        y = top + plot_h - plot_h * tick / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="#444">'
            f"{_number(value)}</text>"
        )
    label_every = max(1, -(-len(days) // 15))
    for i, day in enumerate(days):
        x = left + slot * i + (slot - bar) / 2
        y = top + plot_h
        for n, (_, values) in enumerate(series):
            h = plot_h * values[i] / peak
            if h > 0:
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{PALETTE[n % len(PALETTE)]}"/>'
                )
        if totals[i] and len(days) <= 45:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle" '
                f'fill="#222">{_number(totals[i])}</text>'
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 18}" font-size="12" text-anchor="middle" '
                f'fill="#444">{escape(day[5:])}</text>'
            )
    for n, (label, values) in enumerate(series):
        x = left + (n % 4) * (plot_w / 4)
        y = height - 22 * legend_rows + 22 * (n // 4) - 4
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 11}" width="14" height="14" fill="{PALETTE[n % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{x + 20:.1f}" y="{y}" font-size="13" fill="#222">{escape(label)} '
            f"（{_number(sum(values))}）</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def hbars(items: list[tuple[str, int]], *, title: str, width: int = 960) -> str:
    """One horizontal bar per item (label, count), its number printed beside it."""
    label_w, right, top, row = 220, 110, 40, 28
    height = top + row * max(1, len(items)) + 12
    peak = max((value for _, value in items), default=0) or 1
    plot_w = width - label_w - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" {FONT}>',
        f'<text x="8" y="22" font-size="16" font-weight="bold" fill="#222">{escape(title)}</text>',
    ]
    if not items:
        parts.append(f'<text x="8" y="{top + 18}" font-size="14" fill="#444">没有记录</text>')
    for i, (label, value) in enumerate(items):
        y = top + row * i
        w = plot_w * value / peak
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 18}" font-size="13" text-anchor="end" fill="#222">'
            f"{escape(label[:18])}</text>"
        )
        parts.append(f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="18" fill="{PALETTE[0]}"/>')
        parts.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + 18}" font-size="13" fill="#222">{_number(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
