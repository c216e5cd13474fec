"""Each test stores the confirmation letters of its plans in a directory of its own."""

import pytest


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    settings.DEBITUM_DOCUMENTS_DIR = tmp_path / "documents"
    return settings.DEBITUM_DOCUMENTS_DIR
