# The tenants and the worked example are shared with the web app's tests.
from debitum.web.tests.conftest import (  # noqa: F401
    acme,
    alice,
    alice_client,
    beta,
    fast_password_hashing,
)
