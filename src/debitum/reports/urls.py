from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("<str:administration_code>/aging/", views.aging_report_view, name="aging"),
    path("<str:administration_code>/dashboard/", views.dashboard_view, name="dashboard"),
]
