import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from debitum.domain.open_items import open_amount, split_payment

D = dt.date(2026, 1, 31)


def test_open_amount_counts_only_settlements_on_or_before_the_date():
    settlements = [
        (dt.date(2026, 1, 10), Decimal("30.00")),
        (D, Decimal("20.00")),
        (dt.date(2026, 2, 1), Decimal("50.00")),
    ]
    assert open_amount(Decimal("100.00"), settlements, dt.date(2026, 1, 9)) == Decimal("100.00")
    assert open_amount(Decimal("100.00"), settlements, dt.date(2026, 1, 10)) == Decimal("70.00")
    assert open_amount(Decimal("100.00"), settlements, D) == Decimal("50.00")
    assert open_amount(Decimal("100.00"), settlements, dt.date(2026, 2, 1)) == Decimal("0.00")


def test_overpayment_leaves_the_rest_on_account():
    assert split_payment(Decimal("120.00"), Decimal("100.00")) == (
        Decimal("100.00"),
        Decimal("20.00"),
    )
    assert split_payment(Decimal("40.00"), Decimal("100.00")) == (Decimal("40.00"), Decimal("0.00"))
    assert split_payment(Decimal("40.00"), Decimal("0.00")) == (Decimal("0.00"), Decimal("40.00"))


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2),
    st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2),
)
def test_split_payment_loses_no_cent(payment, invoice_open):
    applied, rest = split_payment(payment, invoice_open)
    assert applied + rest == payment
    assert applied >= 0 and applied <= max(invoice_open, Decimal("0"))
