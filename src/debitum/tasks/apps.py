from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "debitum.tasks"
    label = "tasks"
