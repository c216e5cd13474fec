"""What every test of the repository shares (src/ and tests/)."""

import pytest


@pytest.fixture(autouse=True)
def _login_lockout_only_where_tested(request, settings):
    """django-axes checks every `authenticate()`, and wants the request for it: the test
    client's `login()` has none. The lock-out is switched on only in the tests marked `axes`,
    which log in through the login page as a browser does."""
    if request.node.get_closest_marker("axes") is None:
        settings.AXES_ENABLED = False
