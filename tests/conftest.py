"""Shared fixtures. The tests never download: NST_OFFLINE=1 is forced here as well as in the Makefile."""

import os
from pathlib import Path

os.environ["NST_OFFLINE"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED_IMAGES = ROOT.parent / "shared" / "images"


@pytest.fixture(scope="session")
def content64():
    import nst_helpers as nst

    return nst.load_image("chelsea", max_dim=64)


@pytest.fixture(scope="session")
def style64():
    import nst_helpers as nst

    return nst.load_image("starry_night", max_dim=64)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
