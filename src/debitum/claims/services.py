"""Recording claims when a dunning step is carried out, and settling them with money on account.

Costs are recorded once per invoice (the step's costs per invoice). Interest is recorded as what
accrued since the interest claimed before: each letter claims interest to its day, and the claims
add up to the interest to the last letter's day.

Settling follows art. 6:44 BW: money of the customer that no invoice absorbed (on account) goes
to the costs first, then to the interest, oldest first. Money that the bookkeeping allocated to an
invoice stays there: Debitum follows the allocations of the ledger it is given.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction

from debitum.audit.services import audit_record

from .models import Claim, ClaimSettlement
from .selectors import claimed_interest, open_claims

ZERO = Decimal("0.00")


def claims_record_for_action(*, action) -> list[Claim]:
    """The costs and interest of an executed action, as claims per invoice (idempotent)."""
    lines = list(action.lines.select_related("invoice"))
    earlier = claimed_interest(
        administration=action.administration, invoice_ids=[line.invoice_id for line in lines]
    )
    claims = []
    for line in lines:
        for kind, amount in (
            ("costs", line.fee),
            ("interest", line.interest - earlier.get(line.invoice_id, ZERO)),
        ):
            if amount <= 0:
                continue
            claim, created = Claim.objects.get_or_create(
                dunning_action=action,
                invoice=line.invoice,
                kind=kind,
                defaults={
                    "administration": action.administration,
                    "customer": action.customer,
                    "currency": action.currency,
                    "amount": amount,
                    "claim_date": line.as_of,
                },
            )
            if created:
                claims.append(claim)
    return claims


def _free_money(
    *, administration, as_of: dt.date
) -> dict[int, list[tuple[int, dt.date, str, Decimal]]]:
    """Per customer: (payment id, date, currency, amount not yet allocated nor settled)."""
    sql = """
        SELECT p.id, p.customer_id, p.payment_date, p.currency,
               p.amount_cents
               - COALESCE((SELECT SUM(a.amount_cents) FROM ledger_allocation a
                            WHERE a.administration_id = %(administration)s AND a.payment_id = p.id
                              AND a.allocation_date <= %(as_of)s), 0)
               - COALESCE((SELECT SUM(s.amount_cents) FROM claims_claimsettlement s
                            WHERE s.administration_id = %(administration)s AND s.payment_id = p.id
                              AND s.settlement_date <= %(as_of)s), 0) AS free_cents
          FROM ledger_payment p
         WHERE p.administration_id = %(administration)s AND p.payment_date <= %(as_of)s
           AND p.amount_cents > 0
           AND p.customer_id IN (SELECT customer_id FROM claims_claim
                                  WHERE administration_id = %(administration)s)
         ORDER BY p.payment_date, p.id
    """
    free: dict[int, list] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"administration": administration.pk, "as_of": as_of})
        for payment_id, customer_id, day, currency, cents in cursor.fetchall():
            if cents and cents > 0:
                when = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
                free[customer_id].append((payment_id, when, currency, Decimal(cents).scaleb(-2)))
    return free


def claims_settle(*, administration, as_of: dt.date) -> int:
    """Settle open claims with money on account, costs before interest, oldest first.

    Idempotent: what was settled is no longer free money nor open claim. Returns the number of
    settlements made.
    """
    made = 0
    with transaction.atomic():
        free = _free_money(administration=administration, as_of=as_of)
        if not free:
            return 0
        claims = open_claims(administration=administration, as_of=as_of)
        customer_of = dict(
            Claim.objects.filter(pk__in=[c.claim_id for c in claims]).values_list(
                "pk", "customer_id"
            )
        )
        by_customer: dict[int, list] = defaultdict(list)
        for claim in claims:
            by_customer[customer_of[claim.claim_id]].append(claim)
        settlements = []
        for customer_id, payments in free.items():
            # Art. 6:44 BW: costs first, then interest; within each, the oldest first.
            queue = sorted(
                by_customer.get(customer_id, []),
                key=lambda c: (c.kind != "costs", c.claim_date, c.claim_id),
            )
            remaining = {c.claim_id: c.open_amount for c in queue}
            for payment_id, day, currency, money in payments:
                for claim in queue:
                    if money <= 0:
                        break
                    if claim.currency != currency or remaining[claim.claim_id] <= 0:
                        continue
                    part = min(money, remaining[claim.claim_id])
                    settlements.append(
                        ClaimSettlement(
                            administration=administration,
                            claim_id=claim.claim_id,
                            payment_id=payment_id,
                            amount=part,
                            settlement_date=max(day, claim.claim_date),
                        )
                    )
                    remaining[claim.claim_id] -= part
                    money -= part
        ClaimSettlement.objects.bulk_create(settlements, batch_size=2000)
        made = len(settlements)
        if made:
            audit_record(
                administration=administration,
                actor=None,
                action="claims.settle",
                object_type="claims.claimsettlement",
                summary=f"{made} claim settlements from money on account on {as_of}",
            )
    return made
