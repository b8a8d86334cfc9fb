"""plotting.curves: a zero loss term is a gap on a log plot, not a spike."""

import numpy as np
import pytest


@pytest.fixture
def agg():
    """pyplot on the non-interactive Agg backend for one test; the previous backend comes back."""
    import matplotlib
    import matplotlib.pyplot as plt

    before = matplotlib.get_backend()
    plt.switch_backend("Agg")
    yield plt
    plt.close("all")
    plt.switch_backend(before)


def test_a_zero_content_term_is_a_gap_on_log_plots_not_a_spike(monkeypatch, agg):
    from nst_helpers import plotting, tasks

    r = tasks.Result(image=np.zeros((1, 4, 4, 3)), history={"total": [9.0, 5.0, 4.0], "content": [0.0, 2.0, 1.5],
                                                               "style": [9.0, 3.0, 2.5], "tv": [0.0, 0.0, 0.0]},
                        times=[0.0, 1.0, 2.0], steps=2, evaluations=3, seconds=2.0)
    monkeypatch.setattr(plotting.grids._plt(), "show", lambda: None)
    fig = plotting.plot_losses(r)
    content = next(line for line in fig.axes[0].lines if line.get_label() == "content")
    y = content.get_ydata()
    assert np.isnan(y[0]) and y[1] == 2.0  # the first point is missing, not drawn at the floor
    assert min(fig.axes[0].get_ylim()) > 0.5  # no axis stretched down towards zero
    # one legend, below the axes: inside, it covered the content curve's first steps
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert not any(ax.get_legend() for ax in fig.axes) and len(fig.legends) == 1
    assert [text.get_text() for text in fig.legends[0].get_texts()] == ["total", "content", "style"]
    legend = fig.legends[0].get_window_extent(renderer)
    assert not any(legend.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)
