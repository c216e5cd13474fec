"""Report pages. Thin: check access, read the filters, call the selector, render or export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from debitum.administrations.choices import Role
from debitum.administrations.selectors import (
    administration_get_for_user,
    administration_list_for_user,
)

from .charts import BUCKET_LABELS, aging_chart, bar_chart
from .exports import aging_as_csv, aging_as_xlsx
from .forms import AgingFilterForm
from .selectors import AgingReport, aging_report

# A page shows this many customers; `?all=1` shows the rest (100k rows is a download, not a page).
CUSTOMER_PAGE_SIZE = 200
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _is_htmx_fragment(request) -> bool:
    # htmx restoring history it has no snapshot of asks for the whole page.
    return "HX-Request" in request.headers and "HX-History-Restore-Request" not in request.headers


def _download(report: AgingReport, export: str) -> HttpResponse:
    filename = f"aging-{report.administration_code}-{report.as_of.isoformat()}.{export}"
    if export == "xlsx":
        body, content_type = aging_as_xlsx(report), XLSX_CONTENT_TYPE
    else:
        # The byte order mark makes Excel read the file as UTF-8 (names like "Müller", "Liège").
        body, content_type = "\ufeff" + aging_as_csv(report), "text/csv; charset=utf-8"
    return HttpResponse(
        body,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def _switch_to(request, code: str) -> HttpResponse:
    """The same report in another administration (the filter's administration select)."""
    query = request.GET.copy()
    query.pop("administration", None)
    url = reverse("reports:aging", kwargs={"administration_code": code})
    url += f"?{query.urlencode()}" if query else ""
    if _is_htmx_fragment(request):
        # The whole page changes (navigation, title), so htmx loads it rather than swapping a part.
        return HttpResponse(headers={"HX-Redirect": url})
    return redirect(url)


@login_required
@require_GET
def aging_report_view(request, administration_code: str) -> HttpResponse:
    """The aging report of one administration at a date (default: today where Debitum runs),
    as a page, as its htmx fragment, or as an XLSX or CSV download (`?format=`)."""
    administration = administration_get_for_user(
        user=request.user, code=administration_code, minimum_role=Role.VIEWER
    )
    form = AgingFilterForm(
        data={
            "administration": request.GET.get("administration") or administration.code,
            "as_of": request.GET.get("as_of") or timezone.localdate().isoformat(),
        },
        administrations=administration_list_for_user(user=request.user),
    )
    show_all = request.GET.get("all") == "1"
    context = {
        "administration": administration,
        "form": form,
        "show_all": show_all,
        "bucket_labels": list(BUCKET_LABELS.values()),
    }
    if form.is_valid():
        if form.cleaned_data["administration"] != administration.code:
            return _switch_to(request, form.cleaned_data["administration"])
        report = aging_report(administration=administration, as_of=form.cleaned_data["as_of"])
        export = request.GET.get("format")
        if export in ("xlsx", "csv"):
            return _download(report, export)
        customers = report.customers if show_all else report.customers[:CUSTOMER_PAGE_SIZE]
        context.update(
            report=report,
            customers=customers,
            customer_count=len(report.customers),
            is_truncated=len(customers) < len(report.customers),
            currencies=[
                (currency, totals, aging_chart(totals))
                for currency, totals in report.currencies.items()
            ],
        )

    fragment = _is_htmx_fragment(request)
    template = "reports/_aging_table.html" if fragment else "reports/aging_report.html"
    # htmx swaps only 2xx answers, so its fragment carries the error with a 200.
    status = 200 if form.is_valid() or fragment else 400
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def dashboard_view(request, administration_code: str) -> HttpResponse:
    """The state of the receivables at a date (default today): totals, DSO, the aging and the
    overdue trend as charts, the largest and the oldest balances, what needs attention."""
    from django.utils.formats import date_format

    from .dashboard import dashboard

    administration = administration_get_for_user(
        user=request.user, code=administration_code, minimum_role=Role.VIEWER
    )
    form = AgingFilterForm(
        data={
            "administration": request.GET.get("administration") or administration.code,
            "as_of": request.GET.get("as_of") or timezone.localdate().isoformat(),
        },
        administrations=administration_list_for_user(user=request.user),
    )
    context = {"administration": administration, "form": form}
    if form.is_valid():
        if form.cleaned_data["administration"] != administration.code:
            url = reverse(
                "reports:dashboard",
                kwargs={"administration_code": form.cleaned_data["administration"]},
            )
            return redirect(url)
        board = dashboard(administration=administration, as_of=form.cleaned_data["as_of"])
        context.update(
            board=board,
            aging_charts=[
                (currency, aging_chart(totals))
                for currency, totals in board.report.currencies.items()
            ],
            trend_charts=[
                (
                    currency,
                    bar_chart(
                        [
                            (day.isoformat(), date_format(day, "M y"), amount)
                            for day, amount in points
                        ],
                        # 80 units a month: room for the figure above each bar.
                        width=960,
                        height=220,
                    ),
                )
                for currency, points in board.trend.items()
            ],
        )
    return render(
        request, "reports/dashboard.html", context, status=200 if form.is_valid() else 400
    )
