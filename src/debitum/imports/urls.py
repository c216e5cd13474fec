from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.import_page, name="page"),
    path("preview/", views.import_preview, name="preview"),
    path("run/", views.import_run, name="run"),
]
