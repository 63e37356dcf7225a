"""tests/data/seed_001.txt is the normative seed; keep it identical to the shared original."""

from pathlib import Path

import pytest
from conftest import REPO, SEED

SHARED = REPO.parent / "shared" / "seeds" / "001_fef8e5ef64f8a03a.txt"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/seeds is not beside this checkout")
def test_seed_copy_is_identical_to_shared_seed():
    assert SEED.read_bytes() == Path(SHARED).read_bytes()
