"""config: the NST_MODE values that nst.pick chooses between."""

import pytest

import nst_helpers as nst


def test_modes_pick_their_values(monkeypatch):
    monkeypatch.delenv("NST_FAST", raising=False)
    for mode, want in (("fast", 64), ("demo", 160), ("full", 512)):
        monkeypatch.setenv("NST_MODE", mode)
        assert nst.pick(full=512, fast=64, demo=160) == want
    monkeypatch.setenv("NST_MODE", "demo")
    assert nst.pick(full=512, fast=64) == 512  # no demo value: the full one
    monkeypatch.delenv("NST_MODE")
    monkeypatch.setenv("NST_FAST", "1")
    assert nst.pick(full=512, fast=64, demo=160) == 64
    monkeypatch.setenv("NST_MODE", "turbo")
    with pytest.raises(nst.ArgumentError, match="NST_MODE"):
        nst.pick(full=1, fast=2)
