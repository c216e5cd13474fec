"""The REST API at /api/: the OpenAPI document at /api/openapi.json, interactive docs at
/api/docs. Every endpoint takes a token (`debitum token create USER`) and an administration
code; a user sees only the administrations they are a member of."""

from __future__ import annotations

from django.urls import path
from ninja import NinjaAPI

from . import (
    customers,
    disputes,
    dunning,
    errors,
    invoices,
    jobs,
    notes,
    payments,
    plans,
    promises,
    reports,
    tasks,
    worklist,
)
from .auth import TokenAuth

api = NinjaAPI(
    title="Debitum API",
    version="1",
    description="Credit management: customers, invoices, payments, open items, aging, the work "
    "list, notes, promises, disputes, plans, dunning runs and background jobs, per "
    "administration.",
    auth=TokenAuth(),
    urls_namespace="api",
)
errors.install(api)
for module in (customers, invoices, payments, reports, worklist, notes, promises, disputes, plans,
               dunning, tasks, jobs):  # fmt: skip
    api.add_router("/administrations", module.router)

urlpatterns = [path("", api.urls)]
