from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("<str:administration_code>/", views.job_list, name="list"),
    path("<str:administration_code>/<int:job_id>/", views.job_page, name="detail"),
    path("<str:administration_code>/<int:job_id>/status/", views.job_status, name="status"),
]
