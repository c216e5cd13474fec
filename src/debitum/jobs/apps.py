from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "debitum.jobs"
    label = "jobs"

    def ready(self) -> None:
        # Each app's `jobs.py` registers the kinds of work it runs in the background.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
