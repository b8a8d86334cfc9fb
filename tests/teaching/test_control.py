"""experiments for notebook 6: the sky mask's edge does not move with the picture's size (a
synthetic picture with a known horizon), and the descent probe starts at the photo and descends."""

import numpy as np
import pytest

from nst_helpers import control


def _horizon_picture(height, width, at):
    """Blue sky above row ``at × height``, dark orange water below (what the bridge photo looks like)."""
    img = np.empty((1, height, width, 3), np.float32)
    row = int(round(at * height))
    img[:, :row] = (0.15, 0.2, 0.45)
    img[:, row:] = (0.35, 0.2, 0.05)
    return img


@pytest.mark.parametrize("height,width", [(117, 160), (187, 256), (281, 384), (47, 64)])
def test_sky_mask_edge_is_the_horizon_at_every_size(height, width):
    mask = control.sky_mask(_horizon_picture(height, width, 0.7))
    edge = float((mask[:, 0] > 0.5).mean())
    assert abs(edge - 0.7) <= 1.5 / height + 0.01, edge
    assert mask.shape == (height, width)


def test_hard_sky_mask_is_zero_or_one():
    mask = control.sky_mask(_horizon_picture(117, 160, 0.7), softness=0)
    assert set(np.unique(np.round(mask, 6))) <= {0.0, 1.0}


def test_descent_probe_starts_at_the_photo_and_descends():
    """At the photo the content term is 0 (a picture against its own features); a tiny move along
    −gradient lowers the total (first-order Taylor); the move's size is the RMS change per value."""
    rng = np.random.default_rng(0)
    photo = rng.uniform(0.2, 0.8, (1, 48, 64, 3)).astype(np.float32)
    painting = rng.uniform(0.0, 1.0, (1, 48, 64, 3)).astype(np.float32)
    rows = control.descent_probe(photo, painting, moves=(1e-5,))
    assert rows[0]["step"] == 0.0 and rows[0]["content"] == 0.0
    assert rows[0]["total"] == pytest.approx(rows[0]["content"] + rows[0]["style"] + rows[0]["tv"], rel=1e-5)
    assert rows[1]["total"] < rows[0]["total"]
