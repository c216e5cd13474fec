"""`debitum serve`: the web app in waitress, a pure-Python WSGI server that runs anywhere."""

from __future__ import annotations


def serve(*, host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> None:
    """Serve the web app until interrupted. Django must already be set up by the caller.
    Static files come from WhiteNoise, so no collectstatic and no proxy are needed."""
    import waitress
    from django.conf import settings

    from debitum.wsgi import application

    if settings.DEBITUM_JOBS == "thread":
        # This process runs the background jobs: those left waiting by the last one first.
        from debitum.jobs.services import jobs_resume

        jobs_resume()

    waitress.serve(application, host=host, port=port, threads=threads)
