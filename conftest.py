"""What every test of the repository shares (src/ and tests/)."""

import pytest


@pytest.fixture(autouse=True)
def _login_lockout_only_where_tested(request, settings):
    """django-axes checks every `authenticate()`, and wants the request for it: the test
    client's `login()` has none. The lock-out is switched on only in the tests marked `axes`,
    which log in through the login page as a browser does."""
    if request.node.get_closest_marker("axes") is None:
        settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings):
    """Background jobs run in the caller (DEBITUM_JOBS=eager), so a test sees their result
    when the request that asked for them returns. The tests of the thread and Celery runners
    (debitum/jobs/tests) set their own."""
    settings.DEBITUM_JOBS = "eager"
