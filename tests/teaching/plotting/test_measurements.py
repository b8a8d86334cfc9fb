"""plotting.measurements: the high-pass detail, the layer-share bars, the Gram statistics chart."""

import numpy as np
import pytest

from nst_helpers import features

LAYERS = features.STYLE_LAYERS


def test_high_pass_is_the_neighbour_difference_and_zero_on_a_flat_picture(rng):
    from nst_helpers import plotting

    x = rng.random((1, 5, 7, 3)).astype(np.float32)
    dx, dy = plotting.high_pass(x)
    assert dx.shape == (5, 6, 3) and dy.shape == (4, 7, 3)
    assert dx[2, 3, 1] == pytest.approx(x[0, 2, 4, 1] - x[0, 2, 3, 1])
    assert dy[2, 3, 1] == pytest.approx(x[0, 3, 3, 1] - x[0, 2, 3, 1])
    # Summed absolute differences are the total variation TensorFlow computes.
    import tensorflow as tf
    assert np.abs(dx).sum() + np.abs(dy).sum() == pytest.approx(float(tf.image.total_variation(tf.constant(x[0]))), rel=1e-5)
    flat = np.full((1, 4, 4, 3), 0.3, np.float32)
    assert not np.any(plotting.high_pass(flat)[0]) and not np.any(plotting.high_pass(flat)[1])


def test_projector_figures_wrap_into_rows_and_keep_the_legend_off_the_bars(rng):
    import matplotlib
    matplotlib.use("Agg")
    from nst_helpers import plotting

    frames = [(s, rng.random((1, 8, 10, 3)).astype(np.float32)) for s in (0, 2, 14, 26, 38, 60)]
    fig = plotting.film_strip(frames, ncols=3)
    rows = {round(ax.get_position().y0, 3) for ax in fig.axes if ax.get_images()}
    assert len(rows) == 2
    layers = [f"block{i}_conv1" for i in range(1, 6)]
    shares = {"tutorial weights": {k: (v, v) for k, v in zip(layers, (1e-5, 2e-3, 3e-3, 1.0, 3e-4))},
              "balanced": {k: (v, v) for k, v in zip(layers, (0.23, 0.11, 0.14, 0.15, 0.37))}}
    fig = plotting.layer_shares(shares)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert not any(ax.get_legend() for ax in fig.axes) and len(fig.legends) == 1
    legend = fig.legends[0].get_window_extent(renderer)
    assert not any(legend.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)


def test_gram_statistics_chart_left_axis_is_linear_right_axis_log():
    import matplotlib

    matplotlib.use("Agg")
    from nst_helpers import plotting

    layers = {k: {"mean": m, "positive": 0.5, "gram_ms": m ** 4} for k, m in zip(LAYERS, (28, 60, 100, 624, 40))}
    fig = plotting.gram_statistics({"painting": layers})
    left, right = fig.axes
    assert left.get_yscale() == "linear" and right.get_yscale() == "log"
    # Bar heights on the left are the mean activations themselves.
    assert [b.get_height() for b in left.patches] == [28, 60, 100, 624, 40]
    matplotlib.pyplot.close(fig)


def test_gram_statistics_title_names_the_painting_not_its_identifier(monkeypatch):
    """A7: the chart of ``starry_night`` is titled with the painting's title, in Korean 《별이 빛나는 밤》."""
    import matplotlib

    matplotlib.use("Agg")
    from nst_helpers import plotting

    layers = {k: {"mean": 1.0, "positive": 0.5, "gram_ms": 1.0} for k in LAYERS}
    for lang, title in (("en", "mean activation (The Starry Night)"), ("ko", "평균 활성화 (《별이 빛나는 밤》)")):
        monkeypatch.setenv("NST_LANG", lang)
        fig = plotting.gram_statistics({"starry_night": layers, "chelsea": layers})
        assert fig.axes[0].get_title() == title
        matplotlib.pyplot.close(fig)
