"""Dunning policies (ladders of steps per segment and country), runs and their decisions.

Decisions are written as new rows, never by updating invoices: a run is one `DunningRun`, each
communication one `DunningAction`, and each invoice in it one `DunningActionInvoice`. The last
step an invoice took is the highest position among its taken actions.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from debitum.common.fields import MoneyField
from debitum.customers.choices import Segment

from .choices import ActionStatus, Channel, RunStatus, StepKind


class Policy(models.Model):
    """The dunning ladder for one segment of customers in one country."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    segment = models.CharField(max_length=12, choices=Segment.choices)
    country = models.CharField(max_length=2, help_text="the customer's country: NL or BE")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    minimum_amount = MoneyField(
        db_column="minimum_amount_cents",
        default=0,
        help_text="a communication for less than this is not sent",
    )
    pay_within_days = models.PositiveSmallIntegerField(
        default=14, help_text="the pay-before date of a letter: this many days after it"
    )
    promise_grace_days = models.PositiveSmallIntegerField(
        default=3, help_text="days after a promised date before the promise counts as broken"
    )
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["administration", "country", "segment"]
        verbose_name_plural = "policies"
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "segment", "country"], name="policy_segment_unique"
            ),
            models.CheckConstraint(
                condition=Q(segment__in=[choice.value for choice in Segment]),
                name="policy_segment_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.segment}: {self.name}"


class Step(models.Model):
    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=24, choices=StepKind.choices)
    name = models.CharField(max_length=200)
    day_offset = models.SmallIntegerField(
        help_text="days after the due date the step becomes due (negative: before)"
    )
    min_days_since_previous = models.PositiveSmallIntegerField(default=0)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    charges_fees = models.BooleanField(default=False)
    charges_interest = models.BooleanField(default=False)
    needs_approval = models.BooleanField(default=False)
    template = models.CharField(
        max_length=60, help_text="code of the message template (per language)"
    )

    class Meta:
        ordering = ["policy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "position"], name="step_position_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in StepKind]), name="step_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=[choice.value for choice in Channel]),
                name="step_channel_valid",
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="step_position_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class MessageTemplate(models.Model):
    """The text of a letter or e-mail for one template code and language, per administration.

    `body` is a Django template (HTML for the letter and the e-mail; the plain text part of the
    e-mail is derived from it). Defaults ship in the package and are copied in when the
    administration's policies are installed, so that each administration can edit its own.
    """

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(max_length=60)
    language = models.CharField(max_length=2)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["administration", "code", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "code", "language"], name="template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.language})"


class Pause(models.Model):
    """No dunning for a customer (or one of its invoices) until a date, with a reason."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(
        "ledger.Invoice", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField()
    end_date = models.DateField(help_text="dunning resumes the day after")
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-end_date"]
        indexes = [
            models.Index(fields=["administration", "end_date"], name="pause_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="pause_period"
            )
        ]

    def __str__(self) -> str:
        return f"pause until {self.end_date}: {self.reason}"


class Exclusion(models.Model):
    """A customer (or one of its invoices) left out of the run of one day, by hand: the
    controller's "not today" on the preview. Read by the run as a hold (skipped: "excluded")."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    as_of = models.DateField(help_text="the day of the run it keeps the customer out of")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    invoice = models.ForeignKey(
        "ledger.Invoice", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["administration", "as_of", "customer"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "as_of", "customer"],
                condition=Q(invoice__isnull=True),
                name="exclusion_customer_unique",
            ),
            models.UniqueConstraint(
                fields=["administration", "as_of", "invoice"],
                condition=Q(invoice__isnull=False),
                name="exclusion_invoice_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"excluded on {self.as_of}: {self.customer_id}" + (
            f" invoice {self.invoice_id}" if self.invoice_id else ""
        )


class DunningRun(models.Model):
    """One run for one administration and day. A second run for the same day finds this one."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    as_of = models.DateField()
    status = models.CharField(max_length=12, choices=RunStatus.choices)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["administration", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "as_of"], name="run_day_unique")
        ]

    def __str__(self) -> str:
        return f"run {self.as_of} ({self.status})"


class DunningAction(models.Model):
    """One communication (or task, or hand-over) to one customer, decided by a run."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    run = models.ForeignKey(DunningRun, on_delete=models.CASCADE, related_name="actions")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="dunning_actions"
    )
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(help_text="the step's position when decided")
    kind = models.CharField(max_length=24, choices=StepKind.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    currency = models.CharField(max_length=3)
    principal = MoneyField(db_column="principal_cents")
    fee = MoneyField(db_column="fee_cents", default=0)
    interest = MoneyField(db_column="interest_cents", default=0)
    pay_before = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    calculation = models.JSONField(
        default=dict, blank=True, help_text="how the fee and the interest were computed"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    documents = models.JSONField(default=list, blank=True, help_text="paths of the letters")

    class Meta:
        ordering = ["run", "customer", "position"]
        indexes = [
            models.Index(fields=["administration", "status"], name="action_status_idx"),
            models.Index(fields=["administration", "customer"], name="action_customer_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in ActionStatus]),
                name="action_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.customer_id} ({self.status})"


class DunningActionInvoice(models.Model):
    """An invoice in an action: the record that the invoice reached the action's step."""

    administration = models.ForeignKey(
        "administrations.Administration", on_delete=models.CASCADE, related_name="+"
    )
    action = models.ForeignKey(DunningAction, on_delete=models.CASCADE, related_name="lines")
    invoice = models.ForeignKey("ledger.Invoice", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    as_of = models.DateField()
    amount = MoneyField(db_column="amount_cents", help_text="what was dunned on the invoice")
    fee = MoneyField(db_column="fee_cents", default=0, help_text="costs charged on the invoice")
    interest = MoneyField(db_column="interest_cents", default=0, help_text="interest to the day")

    class Meta:
        ordering = ["action", "invoice"]
        indexes = [
            # The run's "last step per invoice" reads this index only.
            models.Index(
                fields=["administration", "invoice", "position"], name="action_invoice_step_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["action", "invoice"], name="action_invoice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} at step {self.position}"
