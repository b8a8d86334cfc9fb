"""explorer: the base of the explorers (what mode an explorer runs in)."""

import pytest

from nst_helpers.explorers import explorer


def test_mode_is_main_on_colab_and_thread_elsewhere(monkeypatch):
    import sys
    import types

    monkeypatch.delenv("NST_EXPLORER_MODE", raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert explorer.resolve_mode() == "thread"
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert explorer.resolve_mode() == "main"
    monkeypatch.setenv("NST_EXPLORER_MODE", "thread")
    assert explorer.resolve_mode() == "thread" and explorer.resolve_mode("main") == "main"
    with pytest.raises(ValueError, match="mode"):
        explorer.resolve_mode("fiber")
