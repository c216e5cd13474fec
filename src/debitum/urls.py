from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Debitum back office")
admin.site.site_title = "Debitum"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("debitum.api.urls")),
    path("reports/", include("debitum.reports.urls")),
    path("collect/", include("debitum.collect.urls")),
    path("collect/<str:administration_code>/dunning/", include("debitum.dunning.urls")),
    path("collect/<str:administration_code>/outbox/", include("debitum.outbox.urls")),
    path("collect/<str:administration_code>/imports/", include("debitum.imports.urls")),
    path("bank/", include("debitum.banking.urls")),
    path("jobs/", include("debitum.jobs.urls")),
    path("", include("debitum.web.urls")),
]
