"""Bar charts drawn as SVG on the server: geometry here, markup in the template.

No JavaScript chart library: the chart prints, works without JS, and is the same in every
browser. Coordinates are Decimals rounded to a tenth of a pixel (money never passes a float).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from debitum.domain.aging import BUCKETS

BUCKET_LABELS = {
    "current": _("Current"),
    "1-30": _("1–30 days"),
    "31-60": _("31–60 days"),
    "61-90": _("61–90 days"),
    "90+": _("90+ days"),
}

PIXEL = Decimal("0.1")
VALUE_LABEL_SPACE = Decimal(22)  # room for the amount above (or below) a bar
AXIS_LABEL_SPACE = Decimal(26)  # room for the bucket names under the chart
MINIMUM_BAR = Decimal(2)  # a non-zero amount stays visible next to a much larger one


@dataclass(frozen=True, slots=True)
class Bar:
    index: int
    key: str
    label: str
    amount: Decimal
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    center_x: Decimal
    value_y: Decimal  # baseline of the amount text

    @property
    def is_negative(self) -> bool:
        return self.amount < 0


@dataclass(frozen=True, slots=True)
class BarChart:
    width: Decimal
    height: Decimal
    baseline_y: Decimal
    axis_label_y: Decimal
    bars: tuple[Bar, ...]


def _px(value: Decimal) -> Decimal:
    return value.quantize(PIXEL)


def bar_chart(
    amounts: Sequence[tuple[str, str, Decimal]],
    *,
    width: int = 640,
    height: int = 240,
    gap_ratio: Decimal = Decimal("0.35"),
) -> BarChart:
    """Geometry of one bar per (key, label, amount), left to right, scaled so the largest bar
    fills the plot. Negative amounts (a bucket of credit notes) hang below the zero line."""
    chart_width, chart_height = Decimal(width), Decimal(height)
    highest = max((amount for *_, amount in amounts if amount > 0), default=Decimal(0))
    lowest = -min((amount for *_, amount in amounts if amount < 0), default=Decimal(0))
    plot_top = VALUE_LABEL_SPACE
    plot_bottom = chart_height - AXIS_LABEL_SPACE - (VALUE_LABEL_SPACE if lowest else 0)
    plot_height = plot_bottom - plot_top
    span = highest + lowest
    baseline = plot_bottom if not span else plot_top + plot_height * highest / span

    slot = chart_width / max(len(amounts), 1)
    bar_width = slot * (1 - gap_ratio)
    bars = []
    for index, (key, label, amount) in enumerate(amounts):
        size = plot_height * abs(amount) / span if span else Decimal(0)
        if amount and size < MINIMUM_BAR:
            size = MINIMUM_BAR
        top = baseline - size if amount >= 0 else baseline
        value_y = top - 6 if amount >= 0 else baseline + size + 16
        x = slot * index + (slot - bar_width) / 2
        bars.append(
            Bar(
                index=index,
                key=key,
                label=str(label),
                amount=amount,
                x=_px(x),
                y=_px(top),
                width=_px(bar_width),
                height=_px(size),
                center_x=_px(x + bar_width / 2),
                value_y=_px(value_y),
            )
        )
    return BarChart(
        width=chart_width,
        height=chart_height,
        baseline_y=_px(baseline),
        axis_label_y=chart_height - 8,
        bars=tuple(bars),
    )


def aging_chart(totals: dict[str, Decimal], **kwargs) -> BarChart:
    """The bar chart of one currency's aging buckets."""
    return bar_chart(
        [(bucket, BUCKET_LABELS[bucket], totals[bucket]) for bucket in BUCKETS], **kwargs
    )
