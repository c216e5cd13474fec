from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchOutcome(models.TextChoices):
    """What became of a statement entry (the `outcome` of `debitum import statement`)."""

    MATCHED = "matched", _("Matched")  # applied to the ledger
    SUGGESTED = "suggested", _("Suggested")  # waits in the queue with its best suggestions
    UNMATCHED = "unmatched", _("Unmatched")  # waits in the queue, no suggestion
    RETURNED = "returned", _("Returned")  # a return or refund: earlier allocations reversed
    DUPLICATE = "duplicate", _("Duplicate")  # the same movement came in an earlier file
    IGNORED = "ignored", _("Not a customer payment")  # set aside by a person


# Outcomes that wait for a person (the reconciliation queue).
OPEN_OUTCOMES = (MatchOutcome.SUGGESTED, MatchOutcome.UNMATCHED)


class StatementFormat(models.TextChoices):
    CAMT053 = "camt.053", "ISO 20022 camt.053"
    CAMT054 = "camt.054", "ISO 20022 camt.054"
    MT940 = "mt940", "SWIFT MT940"
    CODA = "coda", "CODA"
    CSV = "csv", "CSV"


class SequenceType(models.TextChoices):
    """SEPA direct debit sequence types (pain.008 SeqTp)."""

    FIRST = "FRST", _("First")
    RECURRING = "RCUR", _("Recurring")
    ONE_OFF = "OOFF", _("One-off")
    FINAL = "FNAL", _("Final")


class DirectDebitScheme(models.TextChoices):
    CORE = "CORE", "SEPA Core"
    B2B = "B2B", "SEPA B2B"


class DirectDebitStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")  # in a pain.008 file, not yet seen on a statement
    COLLECTED = "collected", _("Collected")  # the money came in
    RETURNED = "returned", _("Returned")  # rejected, returned or refunded: back into dunning
