"""colour: preserving the photo's colours (luminance only, or the painting recoloured to the photo)
keeps its chroma, on shared pictures not used to tune anything, with statistics computed here in
NumPy."""

import functools

import numpy as np
import pytest
from conftest import SHARED_IMAGES

import nst_helpers as nst
from nst_helpers import colour

# Skipped without ../shared/images, a failure under NST_REQUIRE_SHARED=1 (CI): see conftest.
needs_shared = pytest.mark.usefixtures("shared_images")
SIZE, STEPS = 96, 15


def shared(name):
    folder = "styles" if name in ("the_scream", "great_wave", "composition_vii") else "content"
    return nst.load_image(SHARED_IMAGES / folder / f"{name}.jpg", max_dim=SIZE)


@functools.cache
def plain_run():
    """The photo, the painting and the transfer without colour preservation: the same for both
    modes, so run once."""
    photo, painting = shared("green_sea_turtle"), shared("the_scream")
    return photo, painting, nst.transfer(photo, painting, steps=STEPS, progress=False)


@needs_shared
@pytest.mark.parametrize("mode", ["luminance", "histogram"])
def test_preserving_colour_keeps_the_photos_chroma(mode):
    photo, painting, plain = plain_run()
    kept = nst.transfer(photo, painting, steps=STEPS, progress=False, preserve_colour=mode)
    d_plain, d_kept = colour.chroma_distance(plain.image, photo), colour.chroma_distance(kept.image, photo)
    assert d_kept < 0.35 * d_plain, (mode, d_kept, d_plain)
    assert kept.settings["preserve_colour"] == mode
    # … and the style still arrived: the result is not the photo.
    assert np.abs(np.asarray(kept.image) - np.asarray(photo)).mean() > 0.02
