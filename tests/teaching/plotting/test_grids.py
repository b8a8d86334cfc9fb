"""plotting.grids: show_gram says when it shows only the first channels."""

import numpy as np


def test_show_gram_says_first_n_channels_only_when_it_drops_some(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    from nst_helpers import plotting

    monkeypatch.setenv("NST_LANG", "en")
    whole = plotting.show_gram(np.eye(64), title="g")
    cut = plotting.show_gram(np.eye(128), title="g", max_channels=64)
    assert whole.axes[0].get_title() == "g\n(64×64)"
    assert cut.axes[0].get_title() == "g\n(128×128; first 64 channels)"
    # The heat map holds exactly the channels the title names.
    assert cut.axes[0].images[0].get_array().shape == (64, 64)
    matplotlib.pyplot.close("all")
