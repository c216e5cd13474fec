from django import template

from ..choices import MatchOutcome
from ..labels import REASONS_WITHOUT_DETAIL, reason_label

register = template.Library()


@register.filter
def reason(code: str) -> str:
    """`{{ proposal.reason|reason }}`: what a match rests on, in words."""
    return reason_label(code)


@register.filter
def outcome(code: str) -> str:
    """`{{ entry.outcome|outcome }}`: matched, suggested, ... in the reader's language."""
    try:
        return str(MatchOutcome(code).label)
    except ValueError:
        return code


@register.filter
def iban(value: str) -> str:
    """An IBAN in groups of four, as it is printed on paper (NL91 ABNA 0417 1643 00)."""
    compact = (value or "").replace(" ", "")
    return " ".join(compact[start : start + 4] for start in range(0, len(compact), 4))


@register.filter
def confidence_band(confidence: int) -> str:
    """A CSS modifier for the confidence chip: high (85+), medium (60+) or low."""
    if confidence >= 85:
        return "high"
    return "medium" if confidence >= 60 else "low"


@register.filter
def minus(value, other):
    """`{{ entry.amount|minus:proposal.total }}`: what is left (Decimals)."""
    return value - other


@register.filter
def shows_detail(reason_code: str) -> bool:
    """Whether the matcher's detail adds to the reason in words (it only repeats some)."""
    return reason_code not in REASONS_WITHOUT_DETAIL
