from django.conf import settings
from django.db import models

from debitum.domain.interest_rates import TABLE_OF_REGIME


class StatutoryRate(models.Model):
    """A statutory interest rate for a period that the shipped table does not reach yet.

    Statutory rates are the law of a country, the same for every administration, so this table
    is not scoped to one: it is edited only by superusers (back office) or on the command line
    (`debitum rates add`). The rates shipped with Debitum live in
    `debitum/domain/data/interest_rates.csv`; a shipped period always wins over an added one.
    """

    regime = models.CharField(
        max_length=20, choices=[(table, table) for table in sorted(set(TABLE_OF_REGIME.values()))]
    )
    start_date = models.DateField(help_text="first day the rate applies")
    end_date = models.DateField(help_text="last day the rate applies")
    rate = models.DecimalField(max_digits=6, decimal_places=3, help_text="percent per year")
    source = models.TextField(help_text="where the rate was published")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["regime", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "start_date"], name="statutory_rate_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="statutory_rate_period",
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lte=100), name="statutory_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regime} {self.start_date}..{self.end_date}: {self.rate}%"
