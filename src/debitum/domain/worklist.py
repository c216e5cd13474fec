"""The priority of a line on the collector's work list: the "inverted L".

Credit controllers work the largest and the oldest balances first: a big amount that is long
overdue is both the most money at stake and the most likely to be lost (the chance of getting
paid falls with every month). Plotted by amount and age, those lines form an inverted L.

    score = overdue_amount x days_overdue x segment_weight x (1 + broken_promises / 2 + due_tasks / 4)

in whole "weighted euro-days" (cents divided out, rounded down), where
- overdue_amount is what is open on the customer's invoices past their due date (credit notes
  and unapplied payments do not lower it: they are in the balance, not in what is late);
- days_overdue is the age of the oldest overdue invoice;
- segment_weight: high risk 1.50, strategic 1.25 (dunning waits for a person there, so a person
  must look sooner), normal and consumer 1.00, low risk 0.75, intercompany 0.50;
- broken_promises counts promises broken in the last 90 days, due_tasks the open tasks due
  (calls, approvals, bounces, broken promises or plans); each counts up to 10.

Worked example: 1,000.00 overdue for 60 days, high risk, one broken promise and two tasks due:
1000 x 60 x 1.5 x (1 + 0.5 + 0.5) = 180,000. The work list computes the same in SQL
(`debitum.collect.selectors.worklist`); a test holds the two equal.
"""

from __future__ import annotations

# Percent, so the database can stay in integers.
SEGMENT_WEIGHT_PERCENT = {
    "high": 150,
    "strategic": 125,
    "normal": 100,
    "consumer": 100,
    "low": 75,
    "intercompany": 50,
}
DEFAULT_WEIGHT_PERCENT = 100
COUNT_CAP = 10
BROKEN_PROMISE_WINDOW_DAYS = 90


def priority_score(
    *, overdue_cents: int, days_overdue: int, segment: str, broken_promises: int, due_tasks: int
) -> int:
    """The score of a work list line (see the module's docstring); integers in, integer out."""
    weight = SEGMENT_WEIGHT_PERCENT.get(segment, DEFAULT_WEIGHT_PERCENT)
    quarters = 4 + 2 * min(broken_promises, COUNT_CAP) + min(due_tasks, COUNT_CAP)
    if overdue_cents <= 0 or days_overdue <= 0:
        return 0
    return overdue_cents * days_overdue * weight * quarters // (100 * 100 * 4)
