"""The work list's filters, read in one way by the page and the API (collect.filtersets), on
the worked example of factories.py: C2 Beta Bouw (high), C3 Gamma Glas (low, BE, fr), C1 Alfa
Advies, C4 Delta Dak (strategic), C6 Foxtrot Fiets."""

import pytest
from django.test import Client
from django.urls import reverse

from debitum.api.tokens import token_create
from debitum.collect.filtersets import worklist_filters

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(customers, users):
    """C1 and C3 are the controller's; the others have no collector."""
    for number in ("C1", "C3"):
        customers[number].collector = users["controller"]
        customers[number].save()
    return customers


def test_empty_values_are_no_filter_and_codes_are_compared_as_stored(acme, users):
    chosen, errors = worklist_filters(
        {"collector": "", "segment": " HIGH ", "country": "be", "language": "FR"},
        administration=acme,
        user=users["viewer"],
    )
    assert (chosen, errors) == (
        {"collector": None, "segment": "high", "country": "BE", "language": "fr"},
        {},
    )


def test_the_collector_is_me_none_or_a_member_by_name_or_id(acme, users, beta):
    controller = users["controller"]

    def collector(value, user=users["viewer"]):
        return worklist_filters({"collector": value}, administration=acme, user=user)

    assert collector("me", user=controller) == (
        {**collector("")[0], "collector": controller.pk},
        {},
    )
    assert collector("none")[0]["collector"] == "none"
    assert collector("controller")[0]["collector"] == controller.pk
    assert collector(str(controller.pk))[0]["collector"] == controller.pk
    # BETA's user is no member of ACME: an error, and no filter (the same for a name that
    # does not exist: the answer does not tell another tenant's users apart).
    for stranger in ("outsider", "nobody"):
        assert collector(stranger) == (
            {"collector": None, "segment": None, "country": None, "language": None},
            {"collector": [f"no user {stranger} in ACME"]},
        )


def _page_numbers(client, **params) -> list[str]:
    response = client.get(
        reverse("collect:worklist", kwargs={"administration_code": "ACME"}),
        {"as_of": "2025-03-31", **params},
    )
    assert response.status_code == 200
    return [item.customer_number for item in response.context["items"]]


def _api_numbers(client, **params) -> list[str]:
    response = client.get("/api/administrations/ACME/worklist", {"as_of": "2025-03-31", **params})
    assert response.status_code == 200, response.json()
    return [item["customer_number"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        ({}, ["C2", "C3", "C1", "C4", "C6"]),
        ({"collector": "me"}, ["C3", "C1"]),
        ({"collector": "none"}, ["C2", "C4", "C6"]),
        ({"segment": "high"}, ["C2"]),
        ({"country": "BE"}, ["C3"]),
        ({"country": "be", "language": "fr"}, ["C3"]),
        ({"collector": "me", "segment": "normal"}, ["C1"]),
    ],
)
def test_the_page_and_the_api_give_the_same_lines_for_the_same_filters(
    acme, assigned, users, params, numbers
):
    page = login(Client(), "controller")
    _, token = token_create(user=users["controller"], name="test")
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert _page_numbers(page, **params) == numbers
    assert _api_numbers(api, **params) == numbers
