from django.urls import path

from . import views

app_name = "outbox"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("printed/", views.mark_printed, name="mark_printed"),
    path("<int:message_id>/document/", views.message_document, name="document"),
    path("<int:message_id>/resend/", views.message_resend, name="resend"),
]
