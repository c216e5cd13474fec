"""Adding a statutory rate that was published after this release."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from debitum.audit.models import AuditEvent
from debitum.domain.interest_rates import shipped_rate_table
from debitum.law.models import StatutoryRate
from debitum.law.selectors import rate_table_get
from debitum.law.services import statutory_rate_add

pytestmark = pytest.mark.django_db

LAST = shipped_rate_table().rows("be-commercial")[-1].end
NEXT = LAST + dt.timedelta(days=1)


def add(start=NEXT, end=NEXT + dt.timedelta(days=180), rate="10.00", regime="be-commercial"):
    return statutory_rate_add(
        regime=regime,
        start_date=start,
        end_date=end,
        rate=Decimal(rate),
        source="Belgisch Staatsblad, FOD Financien",
    )


def test_an_added_rate_is_used_and_audited():
    added = add()
    assert rate_table_get().rate_on("be-commercial", NEXT).rate == Decimal("10.00")
    event = AuditEvent.objects.get(action="statutory_rate.add")
    assert event.object_id == str(added.pk) and event.administration is None


def test_nl_public_shares_the_commercial_table():
    last = shipped_rate_table().rows("nl-commercial")[-1].end + dt.timedelta(days=1)
    added = add(start=last, end=last + dt.timedelta(days=10), regime="nl-public")
    assert added.regime == "nl-commercial"


def test_a_shipped_period_cannot_be_added_again():
    with pytest.raises(ValidationError, match="already ships"):
        add(start=LAST - dt.timedelta(days=5))
    assert StatutoryRate.objects.count() == 0


def test_an_overlap_with_an_added_rate_is_refused():
    add()
    with pytest.raises(ValidationError, match="overlaps"):
        add(start=NEXT + dt.timedelta(days=30), end=NEXT + dt.timedelta(days=200))
    assert StatutoryRate.objects.count() == 1


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"regime": "nl-tax"}, "regime"),
        ({"rate": "-1"}, "rate"),
        ({"rate": "150"}, "rate"),
        ({"end": NEXT - dt.timedelta(days=1)}, "end_date"),
    ],
)
def test_bad_input_names_the_field(kwargs, field):
    with pytest.raises(ValidationError) as error:
        add(**kwargs)
    assert field in error.value.message_dict
    assert StatutoryRate.objects.count() == 0


def test_a_source_is_required():
    with pytest.raises(ValidationError, match="published"):
        statutory_rate_add(
            regime="be-commercial",
            start_date=NEXT,
            end_date=NEXT,
            rate=Decimal("10"),
            source="  ",
        )
