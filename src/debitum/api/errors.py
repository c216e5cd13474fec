"""One error shape for every API failure, with a stable code:

    {"error": {"code": "validation_error", "message": "…", "fields": {"amount": ["…"]}}}

codes: bad_request (400: a body that is not JSON), not_authenticated (401), not_found (404:
also for another administration's rows), forbidden (403: a role too low for a write),
validation_error (422), conflict (409).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from debitum.ledger.services import LedgerConflict


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def _body(code: str, message: str, fields: dict | None = None) -> dict:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def install(api) -> None:
    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return api.create_response(
            request, _body(exc.code, exc.message, exc.fields), status=exc.status
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, _body("not_found", "not found"), status=404)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, exc):
        return api.create_response(
            request,
            _body("not_authenticated", "send a valid token: Authorization: Bearer <token>"),
            status=401,
        )

    @api.exception_handler(ValidationError)
    def django_validation(request, exc: ValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return api.create_response(
            request, _body("validation_error", "the input is not valid", fields), status=422
        )

    @api.exception_handler(NinjaValidationError)
    def schema_validation(request, exc: NinjaValidationError):
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            location = [
                str(part)
                for part in error.get("loc", ())
                if part not in ("body", "query", "path", "payload")
            ]
            fields.setdefault(".".join(location) or "__all__", []).append(
                error.get("msg", "invalid")
            )
        return api.create_response(
            request, _body("validation_error", "the input is not valid", fields), status=422
        )

    @api.exception_handler(LedgerConflict)
    def ledger_conflict(request, exc: LedgerConflict):
        return api.create_response(request, _body("conflict", str(exc), exc.fields), status=409)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # django-ninja raises 400 for a body it cannot parse as JSON.
        code = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                409: "conflict"}.get(exc.status_code, "error")  # fmt: skip
        return api.create_response(request, _body(code, str(exc)), status=exc.status_code)


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] | None = None


class ErrorOut(Schema):
    """Every failure: `code` is stable (bad_request, not_authenticated, not_found, forbidden,
    validation_error, conflict); `fields` names each wrong field with the reasons."""

    error: ErrorDetail


READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**READ_ERRORS, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}
