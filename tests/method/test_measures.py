"""measures: roughness, the mean neighbour difference, and its brightness and colour parts, against
NumPy."""

import numpy as np
import pytest

from nst_helpers import experiments


def np_roughness(x):
    x = np.asarray(x, np.float64)
    return (np.abs(np.diff(x, axis=1)).sum() + np.abs(np.diff(x, axis=2)).sum()) / x.size


def test_roughness_is_the_mean_neighbour_difference_per_value():
    """Notebook 4's speckle number against NumPy: (Σ|vertical| + Σ|horizontal| differences) / values."""
    import tensorflow as tf

    x = np.random.default_rng(3).uniform(size=(1, 6, 9, 3)).astype(np.float32)
    want = (np.abs(np.diff(x, axis=1)).sum() + np.abs(np.diff(x, axis=2)).sum()) / x.size
    assert experiments.roughness(tf.constant(x)) == pytest.approx(want, rel=1e-5)
    assert experiments.roughness(tf.ones((1, 4, 4, 3))) == 0.0


def test_roughness_parts_separate_brightness_from_colour():
    """Hand-made pictures whose answer is known without the code: a grey ramp has no colour part;
    a red/cyan checkerboard of (almost) equal luminance is all colour; and a NumPy array works
    like a tensor (notebook 4 passes both)."""
    ramp = np.repeat(np.linspace(0, 1, 8, dtype=np.float32)[None, None, :, None], 3, -1).repeat(5, 1)
    parts = experiments.roughness_parts(ramp)
    assert parts["colour"] == pytest.approx(0.0, abs=1e-6)
    # each row steps by 1/7 seven times over 8 columns; the rows are equal: (7 · 1/7) · 5 rows · 3 / (5 · 8 · 3)
    assert parts["all"] == pytest.approx(1 / 8, rel=1e-5) == parts["brightness"]
    # red (1, 0, 0) has Y = 0.299; cyan-ish (0, a, a) has the same Y when a = 0.299 / (0.587 + 0.114)
    a = 0.299 / (0.587 + 0.114)
    board = np.zeros((1, 4, 4, 3), np.float32)
    board[0, ::2, ::2] = board[0, 1::2, 1::2] = (1, 0, 0)
    board[0, 1::2, ::2] = board[0, ::2, 1::2] = (0, a, a)
    parts = experiments.roughness_parts(board)
    assert parts["brightness"] == pytest.approx(0.0, abs=1e-6)
    assert parts["all"] == pytest.approx(np_roughness(board), rel=1e-5)
    assert parts["colour"] == pytest.approx(parts["all"], rel=1e-5)   # the grey part is constant
    # a random picture: each part is the NumPy roughness of Y, and of the picture minus Y
    x = np.random.default_rng(4).uniform(size=(1, 7, 5, 3)).astype(np.float32)
    y = (x @ np.array([0.299, 0.587, 0.114]))[..., None].repeat(3, -1)
    parts = experiments.roughness_parts(x)
    assert parts["brightness"] == pytest.approx(np_roughness(y), rel=1e-5)
    assert parts["colour"] == pytest.approx(np_roughness(x - y), rel=1e-5)
    assert parts["all"] == pytest.approx(np_roughness(x), rel=1e-5)
