from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Debitum back office"
admin.site.site_title = "Debitum"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("reports/", include("debitum.reports.urls")),
    path("", include("debitum.web.urls")),
]
