from django.urls import path

from . import views

app_name = "banking"
urlpatterns = [
    path("<str:administration_code>/", views.queue_page, name="queue"),
    path("<str:administration_code>/entries/<int:entry_id>/", views.entry_line, name="line"),
    path(
        "<str:administration_code>/entries/<int:entry_id>/confirm/",
        views.entry_confirm_view,
        name="confirm",
    ),
    path(
        "<str:administration_code>/entries/<int:entry_id>/split/",
        views.entry_split,
        name="split",
    ),
    path(
        "<str:administration_code>/entries/<int:entry_id>/ignore/",
        views.entry_ignore_view,
        name="ignore",
    ),
    path("<str:administration_code>/statements/", views.statements_page, name="statements"),
    path(
        "<str:administration_code>/statements/preview/",
        views.statements_preview,
        name="statements_preview",
    ),
    path("<str:administration_code>/statements/run/", views.statements_run, name="statements_run"),
]
