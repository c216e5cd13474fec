from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "debitum.notes"
    label = "notes"
