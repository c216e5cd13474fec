from django.urls import path

from . import views

app_name = "collect"
urlpatterns = [
    path("<str:administration_code>/worklist/", views.worklist_view, name="worklist"),
    path("<str:administration_code>/worklist/assign/", views.worklist_assign, name="assign"),
    path("<str:administration_code>/customers/<str:number>/", views.dossier_view, name="dossier"),
    path(
        "<str:administration_code>/customers/<str:number>/panel/",
        views.customer_panel,
        name="panel",
    ),
    path(
        "<str:administration_code>/customers/<str:number>/plan-preview/",
        views.plan_preview,
        name="plan_preview",
    ),
    path(
        "<str:administration_code>/customers/<str:number>/actions/<str:action>/",
        views.customer_action,
        name="action",
    ),
    path(
        "<str:administration_code>/documents/<int:document_id>/",
        views.document_view,
        name="document",
    ),
]
