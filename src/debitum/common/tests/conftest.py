"""Fixtures of the common rooms' tests: an administration with one customer."""

import pytest

from debitum.administrations.tests.factories import administration_factory
from debitum.customers.tests.factories import customer_factory


@pytest.fixture
def administration():
    return administration_factory("BULK")


@pytest.fixture
def customer(administration):
    return customer_factory(administration, number="C1")
