from django.urls import path

from . import views

app_name = "dunning"
urlpatterns = [
    path("", views.run_page, name="run"),
    path("exclude/", views.exclude, name="exclude"),
    path("exclusions/<int:exclusion_id>/undo/", views.exclusion_undo, name="exclusion_undo"),
    path("execute/", views.execute, name="execute"),
    path("preview/", views.preview_start, name="preview"),
    path("actions/<int:action_id>/approve/", views.approve, name="approve"),
    path("actions/<int:action_id>/reject/", views.reject, name="reject"),
]
