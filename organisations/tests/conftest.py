"""Fixtures for the organisations tests."""

import pytest

from organisations.tests.helpers import organisations_snapshot, real_rows


@pytest.fixture
def rows() -> list[dict[str, str]]:
    return real_rows()


@pytest.fixture
def imported(organisations):
    """An already-imported database and its snapshot, so "unchanged" means something."""
    return organisations_snapshot()


@pytest.fixture
def write_csv(tmp_path):
    """Write bytes to a CSV file under tmp_path and return its path."""

    def write(raw: bytes, name: str = "organisations.csv"):
        path = tmp_path / name
        path.write_bytes(raw)
        return path

    return write
