"""Writing the outbox: templates per administration, letters as stored PDFs, e-mails sent once.

- `message_templates_install` copies the shipped templates into an administration.
- `action_communicate` turns a dunning action into its letter (a stored PDF) and its outbox
  rows, once per action and channel.
- `plan_confirmation_communicate` does the same for the confirmation of a payment plan.
- `outbox_send` sends the pending e-mails: each claimed by a conditional UPDATE before it goes
  out, so two senders never send one message; retried with backoff on a temporary failure;
  a refused address becomes a task for the collector.
- `outbox_mark_printed` empties the print queue of letters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import smtplib
import tempfile
from dataclasses import dataclass, field
from email.utils import formataddr, make_msgid
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from debitum.audit.services import audit_record
from debitum.dunning.choices import Channel
from debitum.dunning.models import DunningAction, MessageTemplate
from debitum.tasks.services import task_ensure

from .choices import MessageChannel, MessageStatus
from .defaults import default_templates
from .models import Document, OutboundMessage
from .plan_rendering import plan_confirmation_render
from .rendering import Rendered, communication_render

logger = logging.getLogger(__name__)

# After the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
RETRY_DELAYS = (
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A message still "sending" this long after its claim was interrupted (a crash between handing
# it to the server and recording it): it may or may not have gone out.
SENDING_TIMEOUT = dt.timedelta(hours=1)


def message_templates_install(*, administration) -> int:
    """Copy the shipped message templates the administration does not have yet; returns how
    many were added. Templates it has (edited or not) are left alone, so running it again
    changes nothing."""
    have = set(
        MessageTemplate.objects.filter(administration=administration).values_list(
            "code", "language"
        )
    )
    missing = [
        MessageTemplate(
            administration=administration, code=code, language=language, subject=subject, body=body
        )
        for code, language, subject, body in default_templates()
        if (code, language) not in have
    ]
    # ignore_conflicts: an install running at the same moment has added the same rows.
    MessageTemplate.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


# --- documents -------------------------------------------------------------------------------


def documents_dir() -> Path:
    return Path(settings.DEBITUM_DOCUMENTS_DIR)


def _write_atomically(path: Path, content: bytes) -> None:
    """Write `content` to `path` so that a reader sees the old file or the whole new one: a
    temporary file in the same directory, flushed to disk, then renamed over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def letter_path(action: DunningAction) -> str:
    """Where the letter of `action` is stored, relative to DEBITUM_DOCUMENTS_DIR."""
    as_of = action.run.as_of
    return f"{action.administration.code}/{as_of:%Y}/{as_of:%m}/{action.pk}-{action.kind}.pdf"


def document_store(
    *,
    administration,
    customer,
    relative_path: str,
    content: bytes,
    dunning_action=None,
    payment_plan=None,
) -> Document:
    """The document at `relative_path`, written once. A letter that exists is what was sent:
    it is never overwritten, so a second call returns the first document unchanged."""
    existing = Document.objects.filter(administration=administration, path=relative_path).first()
    if existing is not None:
        return existing
    _write_atomically(documents_dir() / relative_path, content)
    try:
        with transaction.atomic():
            return Document.objects.create(
                administration=administration,
                customer=customer,
                dunning_action=dunning_action,
                payment_plan=payment_plan,
                path=relative_path,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
            )
    except IntegrityError:
        # Stored by a concurrent call between our check and our insert.
        return Document.objects.get(administration=administration, path=relative_path)


# --- action -> outbox ------------------------------------------------------------------------


def _postal_address(customer) -> str:
    lines = [customer.name, customer.street, f"{customer.postal_code} {customer.city}".strip()]
    return "\n".join(line for line in lines if line)


def _from_address(administration) -> str:
    return formataddr(
        (
            administration.legal_name or administration.name,
            administration.email or settings.DEFAULT_FROM_EMAIL,
        )
    )


def _message_id(administration) -> str:
    # An explicit domain: make_msgid would otherwise look up the host's name, slowly.
    domain = (administration.email or settings.DEFAULT_FROM_EMAIL).rpartition("@")[2]
    return make_msgid(domain=domain or "debitum.invalid")


def _channels(action: DunningAction) -> list[str]:
    if action.channel == Channel.EMAIL:
        return [MessageChannel.EMAIL]
    if action.channel == Channel.LETTER:
        return [MessageChannel.LETTER]
    if action.channel == Channel.EMAIL_AND_LETTER:
        return [MessageChannel.EMAIL, MessageChannel.LETTER]
    raise ValueError(f"action {action.pk}: channel {action.channel!r} sends no message")


def action_key(action: DunningAction, channel: str) -> str:
    return f"action-{action.pk}-{channel}"


def action_communicate(*, action: DunningAction, now: dt.datetime | None = None) -> list[str]:
    """The letter and e-mail of a dunning action, made once; returns the paths of its
    documents (absolute).

    - letter: the PDF is stored and a letter row is queued for printing (status pending until
      `outbox_mark_printed`);
    - email: the PDF is stored and an e-mail row, with the PDF attached, waits for
      `outbox_send`;
    - email and letter: both;
    - e-mail to a customer without an e-mail address: a letter instead, and a follow-up task
      asking for the address.

    Each row has the key `action-<id>-<channel>`: calling this again (a run that crashed
    half-way) finds the rows and makes nothing new. Call it inside the transaction that marks
    the action executed.
    """
    now = now or timezone.now()
    administration, customer = action.administration, action.customer
    channels = _channels(action)
    if MessageChannel.EMAIL in channels and not customer.email:
        channels = [MessageChannel.LETTER]
        task_ensure(
            administration=administration,
            customer=customer,
            kind="follow_up",
            title=f"No e-mail address for {customer.name}: '{action.step.name}' sent by letter",
            detail="Add the customer's e-mail address so that the next message goes by e-mail.",
            due_date=action.run.as_of,
            key=f"action-{action.pk}-no-email",
            dunning_action=action,
        )
    if MessageChannel.LETTER in channels and not (customer.street and customer.city):
        task_ensure(
            administration=administration,
            customer=customer,
            kind="follow_up",
            title=f"No postal address for {customer.name}: letter '{action.step.name}' not posted",
            detail="The letter is stored; add the address and post it, or reach the customer "
            "another way.",
            due_date=action.run.as_of,
            key=f"action-{action.pk}-no-address",
            dunning_action=action,
        )
    keys = {channel: action_key(action, channel) for channel in channels}
    existing = set(
        OutboundMessage.objects.filter(
            administration=administration, key__in=keys.values()
        ).values_list("key", flat=True)
    )
    relative_path = letter_path(action)
    if len(existing) == len(keys):
        return [str(documents_dir() / relative_path)]

    rendered: Rendered = communication_render(action=action)
    document_store(
        administration=administration,
        customer=customer,
        relative_path=relative_path,
        content=rendered.pdf_bytes,
        dunning_action=action,
    )
    for channel, key in keys.items():
        if key in existing:
            continue
        _message_queue(
            administration=administration,
            customer=customer,
            key=key,
            channel=channel,
            rendered=rendered,
            relative_path=relative_path,
            now=now,
            dunning_action=action,
        )
    return [str(documents_dir() / relative_path)]


# --- payment plan -> outbox ------------------------------------------------------------------


def plan_confirmation_path(plan) -> str:
    """Where the confirmation of `plan` is stored, relative to DEBITUM_DOCUMENTS_DIR (the year
    and month of the plan's start)."""
    start = plan.start_date
    return f"{plan.administration.code}/{start:%Y}/{start:%m}/plan-{plan.pk}-confirmation.pdf"


def plan_confirmation_key(plan, channel: str) -> str:
    return f"plan-{plan.pk}-confirmation-{channel}"


def plan_confirmation_communicate(*, plan, now: dt.datetime | None = None) -> list[str]:
    """The confirmation letter of a payment plan, made once; returns the path of its document
    (absolute).

    The PDF (in the customer's language) is stored, and one outbox row is queued: an e-mail
    with the PDF attached to the customer's e-mail address, or, for a customer without one, a
    letter in the print queue (and a follow-up task when there is no postal address either).
    The row's key is `plan-<id>-confirmation-<channel>`: calling this again finds it and makes
    nothing new, also after the customer got an e-mail address. Call it in the transaction
    that writes the plan (`plan_create` does).
    """
    now = now or timezone.now()
    administration, customer = plan.administration, plan.customer
    relative_path = plan_confirmation_path(plan)
    paths = [str(documents_dir() / relative_path)]
    keys = [plan_confirmation_key(plan, channel) for channel in MessageChannel]
    if OutboundMessage.objects.filter(administration=administration, key__in=keys).exists():
        return paths

    is_email = bool(customer.email)
    if not is_email and not (customer.street and customer.city):
        task_ensure(
            administration=administration,
            customer=customer,
            kind="follow_up",
            title=f"No address for {customer.name}: confirmation of payment plan {plan.pk} "
            "not sent"[:200],
            detail="The letter is stored; add the e-mail or postal address and send it, or "
            "reach the customer another way.",
            due_date=plan.start_date,
            key=f"plan-{plan.pk}-no-address",
        )
    rendered = plan_confirmation_render(plan=plan)
    document_store(
        administration=administration,
        customer=customer,
        relative_path=relative_path,
        content=rendered.pdf_bytes,
        payment_plan=plan,
    )
    channel = MessageChannel.EMAIL if is_email else MessageChannel.LETTER
    _message_queue(
        administration=administration,
        customer=customer,
        key=plan_confirmation_key(plan, channel),
        channel=channel,
        rendered=rendered,
        relative_path=relative_path,
        now=now,
        payment_plan=plan,
    )
    return paths


def _message_queue(
    *, administration, customer, key: str, channel: str, rendered, relative_path: str, now, **about
) -> None:
    """One outbox row for a rendered letter, created once per key: an e-mail with the PDF
    attached, or a letter for the print queue. `about` names what it is for (the dunning
    action or the payment plan)."""
    is_email = channel == MessageChannel.EMAIL
    with transaction.atomic():
        OutboundMessage.objects.get_or_create(
            administration=administration,
            key=key,
            defaults={
                "customer": customer,
                "channel": channel,
                "to_address": customer.email if is_email else _postal_address(customer),
                "subject": rendered.subject,
                "html": rendered.html if is_email else rendered.letter_html,
                "text": rendered.text,
                "attachments": [relative_path],
                "message_id": _message_id(administration),
                "status": MessageStatus.PENDING,
                "next_attempt_at": now,
                **about,
            },
        )


def outbox_mark_printed(*, administration, message_ids: list[int], now: dt.datetime) -> int:
    """Letters in the print queue marked printed; returns how many moved (a letter printed
    already is not counted again)."""
    return OutboundMessage.objects.filter(
        administration=administration,
        pk__in=message_ids,
        channel=MessageChannel.LETTER,
        status=MessageStatus.PENDING,
    ).update(status=MessageStatus.PRINTED, sent_at=now)


def outbox_message_resend(
    *, administration, message_id: int, actor, now: dt.datetime
) -> OutboundMessage:
    """A failed or bounced e-mail queued again: pending, due at `now`, its attempts counted
    afresh (the sender's retries start over). Typically after the address was corrected: the
    message goes to the customer's current e-mail address. Conditional update, audited."""
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .select_related("customer")
            .filter(administration=administration, pk=message_id)
            .first()
        )
        if message is None:
            raise OutboundMessage.DoesNotExist(f"no message {message_id}")
        if message.channel != MessageChannel.EMAIL or message.status not in (
            MessageStatus.FAILED,
            MessageStatus.BOUNCED,
        ):
            raise ValueError(
                f"message {message_id} is {message.status}: only a failed or bounced e-mail is sent again"
            )
        address = message.customer.email or message.to_address
        OutboundMessage.objects.filter(pk=message.pk, status=message.status).update(
            status=MessageStatus.PENDING, next_attempt_at=now, attempts=0, to_address=address
        )
        audit_record(
            administration=administration,
            actor=actor,
            action="outbox.resend",
            obj=message,
            summary=f"e-mail '{message.subject}' to {address} queued again",
            changes={
                "status": [message.status, MessageStatus.PENDING],
                "to_address": [message.to_address, address],
            },
            reason=message.last_error,
        )
        message.refresh_from_db()
    return message


# --- sending ---------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    bounced: int = 0
    skipped: int = 0  # claimed by another sender first
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "sent": self.sent,
            "retrying": self.retrying,
            "failed": self.failed,
            "bounced": self.bounced,
            "skipped": self.skipped,
        }


class _Permanent(Exception):
    """The server refused the message for good: the address or the content, not the moment."""


def _classify(error: Exception) -> tuple[bool, str]:
    """(is_permanent, reason) of a failed send. 5xx replies are permanent (RFC 5321 4.2.1),
    4xx replies and network errors temporary."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        reason = "; ".join(
            f"{address}: {code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for address, (code, message) in error.recipients.items()
        )
        return all(code >= 500 for code in codes), f"recipient refused: {reason}"
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        if isinstance(message, bytes):
            message = message.decode(errors="replace")
        return error.smtp_code >= 500, f"{type(error).__name__}: {error.smtp_code} {message}"
    return False, f"{type(error).__name__}: {error}"


def _email(message: OutboundMessage, connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=_from_address(message.administration),
        to=[message.to_address],
        connection=connection,
        headers={"Message-ID": message.message_id},
    )
    email.attach_alternative(message.html, "text/html")
    for relative_path in message.attachments:
        path = documents_dir() / relative_path
        email.attach(path.name, path.read_bytes(), "application/pdf")
    return email


def _claim(message_id: int, now: dt.datetime) -> bool:
    """Claim a pending, due message for this sender: one conditional UPDATE (the row lock on
    PostgreSQL, the write lock on SQLite), committed before the message goes out. Whoever
    updates the row first sends it; the other finds it claimed."""
    with transaction.atomic():
        return bool(
            OutboundMessage.objects.filter(
                pk=message_id, status=MessageStatus.PENDING, next_attempt_at__lte=now
            ).update(
                status=MessageStatus.SENDING,
                attempts=F("attempts") + 1,
                last_attempt_at=now,
            )
        )


def _task_for(message: OutboundMessage, *, kind: str, title: str, detail: str, now) -> None:
    task_ensure(
        administration=message.administration,
        customer=message.customer,
        kind=kind,
        title=title,
        detail=detail,
        due_date=timezone.localdate(now),
        key=f"outbox-{message.pk}-{kind}",
        dunning_action=message.dunning_action,
    )


def _record_failure(
    message: OutboundMessage, error: Exception, now: dt.datetime, result: SendResult
) -> None:
    is_permanent, reason = _classify(error)
    with transaction.atomic():
        message.refresh_from_db(fields=["attempts"])
        if is_permanent:
            OutboundMessage.objects.filter(pk=message.pk).update(
                status=MessageStatus.BOUNCED, last_error=reason
            )
            _task_for(
                message,
                kind="bounce",
                title=f"E-mail to {message.to_address} refused: {message.subject}"[:200],
                detail=f"{reason}\nCorrect the customer's e-mail address, or send the letter "
                "by post; the message will not be retried.",
                now=now,
            )
            result.bounced += 1
        elif message.attempts >= MAX_ATTEMPTS:
            OutboundMessage.objects.filter(pk=message.pk).update(
                status=MessageStatus.FAILED, last_error=reason
            )
            _task_for(
                message,
                kind="follow_up",
                title=f"E-mail to {message.to_address} could not be sent: {message.subject}"[:200],
                detail=f"{message.attempts} attempts failed; the last: {reason}",
                now=now,
            )
            result.failed += 1
        else:
            OutboundMessage.objects.filter(pk=message.pk).update(
                status=MessageStatus.PENDING,
                last_error=reason,
                next_attempt_at=now + RETRY_DELAYS[message.attempts - 1],
            )
            result.retrying += 1
    result.errors.append(f"message {message.pk} to {message.to_address}: {reason}")


def _recover_interrupted(*, queryset, now: dt.datetime, result: SendResult) -> None:
    """Messages left "sending" by a sender that stopped mid-way. They may have reached the
    server, so they are not sent again (never twice): failed, with a task to check by hand."""
    for message in queryset.filter(
        status=MessageStatus.SENDING, last_attempt_at__lt=now - SENDING_TIMEOUT
    ).select_related("administration", "customer", "dunning_action"):
        with transaction.atomic():
            moved = OutboundMessage.objects.filter(
                pk=message.pk, status=MessageStatus.SENDING
            ).update(
                status=MessageStatus.FAILED,
                last_error="interrupted while sending: it may or may not have been sent",
            )
            if moved:
                _task_for(
                    message,
                    kind="follow_up",
                    title=f"Check whether the e-mail to {message.to_address} went out"[:200],
                    detail=f"Sending '{message.subject}' (Message-ID {message.message_id}) was "
                    "interrupted. Look in the mail server's log; resend by hand if it did "
                    "not go out.",
                    now=now,
                )
                result.failed += 1


def outbox_send(*, now: dt.datetime, administration=None, limit: int | None = None) -> SendResult:
    """Send the pending e-mails that are due (of one administration, or all).

    Each message is claimed (pending -> sending) in its own committed transaction before it is
    handed to the SMTP server in EMAIL_URL, then marked sent; a sender that finds it claimed
    skips it. A temporary failure (network, 4xx) is retried after 5 min, 30 min, 2 h and 12 h;
    the 5th failure marks it failed with a follow-up task. A permanent refusal (5xx) marks it
    bounced with a bounce task, never retried.
    """
    result = SendResult()
    queryset = OutboundMessage.objects.filter(channel=MessageChannel.EMAIL)
    if administration is not None:
        queryset = queryset.filter(administration=administration)
    _recover_interrupted(queryset=queryset, now=now, result=result)
    due = list(
        queryset.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    connection = None
    try:
        for message_id in due:
            if not _claim(message_id, now):
                result.skipped += 1
                continue
            message = OutboundMessage.objects.select_related(
                "administration", "customer", "dunning_action"
            ).get(pk=message_id)
            try:
                if connection is None:
                    connection = get_connection(fail_silently=False)
                    connection.open()
                _email(message, connection).send(fail_silently=False)
            except (smtplib.SMTPException, OSError) as error:  # OSError: refused, timeout
                if connection is not None:
                    # The session may be in any state after an error: start afresh next time.
                    try:
                        connection.close()
                    except Exception:  # noqa: BLE001 - closing a broken connection
                        pass
                    connection = None
                _record_failure(message, error, now, result)
                continue
            OutboundMessage.objects.filter(pk=message_id).update(
                status=MessageStatus.SENT, sent_at=timezone.now(), last_error=""
            )
            result.sent += 1
    finally:
        if connection is not None:
            connection.close()
    return result
