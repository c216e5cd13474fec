"""The SVG bar chart's geometry, worked out by hand."""

from decimal import Decimal

from debitum.reports.charts import aging_chart, bar_chart


def test_the_largest_bar_fills_the_plot_and_the_others_scale():
    # 400 x 200, plot from y=22 (room for the amounts) to y=174 (200 - 26 for the labels): 152 high.
    chart = bar_chart(
        [("a", "A", Decimal("100.00")), ("b", "B", Decimal("50.00"))], width=400, height=200
    )

    a, b = chart.bars
    assert chart.baseline_y == Decimal("174.0")
    assert (a.x, a.width, a.y, a.height) == (
        Decimal("35.0"),
        Decimal("130.0"),
        Decimal("22.0"),
        Decimal("152.0"),
    )
    assert (b.x, b.y, b.height) == (Decimal("235.0"), Decimal("98.0"), Decimal("76.0"))
    assert a.center_x == Decimal("100.0") and a.value_y == Decimal("16.0")
    assert chart.axis_label_y == Decimal("192")


def test_a_negative_bar_hangs_below_the_zero_line():
    # Plot from 22 to 152 (200 - 26 - 22 for the labels under a negative bar): 130 high,
    # 100 up and 30 down: the zero line at 22 + 130 * 100/130 = 122.
    chart = bar_chart(
        [("a", "A", Decimal("100")), ("b", "B", Decimal("-30"))], width=400, height=200
    )

    a, b = chart.bars
    assert chart.baseline_y == Decimal("122.0")
    assert (a.y, a.height) == (Decimal("22.0"), Decimal("100.0"))
    assert (b.y, b.height, b.is_negative) == (Decimal("122.0"), Decimal("30.0"), True)
    assert b.value_y == Decimal("168.0")


def test_a_tiny_amount_stays_visible_and_zero_stays_flat():
    chart = bar_chart(
        [("a", "A", Decimal("1000000")), ("b", "B", Decimal("0.01")), ("c", "C", Decimal("0"))]
    )

    assert chart.bars[1].height == Decimal("2.0")
    assert chart.bars[2].height == Decimal("0.0")


def test_all_zero_draws_flat_bars_on_the_baseline():
    chart = bar_chart([("a", "A", Decimal("0")), ("b", "B", Decimal("0"))], width=400, height=200)

    assert [bar.height for bar in chart.bars] == [Decimal("0.0"), Decimal("0.0")]
    assert chart.baseline_y == Decimal("174.0")


def test_the_aging_chart_has_the_five_buckets_in_order():
    totals = {
        "current": Decimal("1"),
        "1-30": Decimal("2"),
        "31-60": Decimal("3"),
        "61-90": Decimal("4"),
        "90+": Decimal("5"),
    }

    chart = aging_chart(totals)

    assert [bar.key for bar in chart.bars] == ["current", "1-30", "31-60", "61-90", "90+"]
    assert [bar.amount for bar in chart.bars] == [Decimal(n) for n in "12345"]
    assert all(
        isinstance(value, Decimal)
        for bar in chart.bars
        for value in (bar.x, bar.y, bar.width, bar.height)
    )
