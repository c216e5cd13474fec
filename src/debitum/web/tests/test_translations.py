"""The interface speaks Dutch, French and English (catalogs in src/debitum/locale)."""

import pytest
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "Ouderdomsanalyse"), ("fr", "Balance âgée"), ("en", "Aging report")],
)
def test_the_catalogs_are_compiled_and_shipped(language, expected):
    with translation.override(language):
        assert translation.gettext("Aging report") == expected


def test_plural_forms():
    with translation.override("fr"):
        text = translation.ngettext(
            "Open items at %(date)s: %(counter)s customer",
            "Open items at %(date)s: %(counter)s customers",
            1,
        ) % {"date": "1 janv.", "counter": 1}
    assert text == "Postes ouverts au 1 janv. : 1 client"
