"""Shared test set-up: where the real sample files live."""

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared sample data is not at {SHARED_DATA}")
    return SHARED_DATA
