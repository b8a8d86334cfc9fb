"""nst_helpers.method.rescaling: Gatys et al.'s rescaled VGG19, checked against the raw network's own
activations (never against the module's arithmetic alone)."""

import numpy as np
import pytest

from nst_helpers import features, images, rescaling
from nst_helpers.method.layers import CONV_LAYERS, channels


@pytest.fixture(scope="module")
def raw():
    return features.FeatureExtractor(CONV_LAYERS, precision="float32")


@pytest.fixture(scope="module")
def rescaled():
    return features.FeatureExtractor(CONV_LAYERS, precision="float32", rescaled=True)


def test_the_means_file_is_what_the_command_measures(raw):
    # The file keeps each size's means, so one size checks it: 224 px, a fifth of the measurement's
    # work (448 px is four times the pixels). A changed measure(), picture list or network shows there.
    stored = rescaling.stored_means()
    assert stored["weights_digest"] == rescaling.weights_digest(raw.weights), \
        "the means file was measured on other weights: run make filter-means"
    assert tuple(stored["pictures"]) == rescaling.PICTURES and tuple(stored["sides"]) == rescaling.SIDES
    assert sorted(stored["means_by_side"]) == sorted(str(side) for side in rescaling.SIDES)
    measured = rescaling.measure_by_side(raw, sides=(224,))[224]
    for name in CONV_LAYERS:
        np.testing.assert_allclose(stored["means_by_side"]["224"][name], measured[name], rtol=2e-3, atol=1e-6,
                                   err_msg=name)


def test_measure_averages_positions_pictures_and_sizes_as_numpy_does():
    # A stand-in network (each channel a fixed function of the pixels) against NumPy's means.
    def activations(image):
        x = np.asarray(image, np.float64)[0]
        return {name: np.stack([x[..., 0] ** (1 + c % 3) for c in range(channels(name))], -1)[None]
                for name in CONV_LAYERS}

    pictures, sides = ("chelsea", "coffee"), (32, 48)
    by_side = rescaling.measure_by_side(activations, pictures, sides)
    for side in sides:
        red = [np.asarray(images.fit(images.load_image(p), side), np.float64)[0, ..., 0] for p in pictures]
        for name in ("block1_conv1", "block5_conv4"):
            expected = [np.mean([np.mean(r ** (1 + c % 3)) for r in red]) for c in range(channels(name))]
            np.testing.assert_allclose(by_side[side][name], expected, rtol=1e-12)
    overall = rescaling.measure(activations, pictures, sides)
    np.testing.assert_allclose(overall["block3_conv1"], (by_side[32]["block3_conv1"] + by_side[48]["block3_conv1"]) / 2)


def test_the_rescaled_network_divides_by_the_mean_over_sizes(raw):
    # What the package uses is each filter's mean over both sizes, each weighted equally (NumPy here).
    by_side = rescaling.stored_means()["means_by_side"]
    means = rescaling.stored_for(raw.weights)
    for name in CONV_LAYERS:
        expected = (np.array(by_side["224"][name]) + np.array(by_side["448"][name])) / 2
        np.testing.assert_allclose(means[name], expected, rtol=1e-12, err_msg=name)


def test_every_filter_has_mean_activation_one_on_the_measurement_set(raw, rescaled):
    """1 for every filter on the measurement set, except the few that rarely fire there, which keep
    their mean over the floor (below 1, never amplified more). The set's raw means are the stored
    file's (test_the_means_file_is_what_the_command_measures measures them), and the rescaled
    network divides each filter's activation by one constant: here, at every position of one of
    the set's pictures, that constant must be the filter's stored mean, or the floor (FLOOR × the
    layer's median mean) for a quiet filter, both computed here from the file. The set's means then
    are mean / mean = 1, and mean / floor < 1 for the quiet ones (measured on the whole set once:
    1 within 2e-3)."""
    raw_means = rescaling.stored_for(raw.weights)
    image = images.fit(images.load_image(rescaling.PICTURES[0]), 96)
    a, b = raw(image), rescaled(image)
    floored = 0
    for name in CONV_LAYERS:
        m = np.asarray(raw_means[name])
        floor = rescaling.FLOOR * np.median(m)
        quiet = m < floor
        floored += int(quiet.sum())
        divided_by = np.where(quiet, floor, m)
        ra, rb = a[name].numpy(), b[name].numpy()
        np.testing.assert_allclose(rb * divided_by, ra, rtol=1e-3, atol=1e-4 * np.abs(ra).max(), err_msg=name)
    assert floored <= 0.01 * sum(len(raw_means[n]) for n in CONV_LAYERS)  # a handful, not a policy


def test_rescaled_activations_are_the_raw_ones_over_one_constant_per_filter(raw, rescaled, shared_images):
    """On two pictures outside the measurement set: rescaled × mean = raw, at every position."""
    means = {n: rescaling.divisors(m) for n, m in features.filter_means(raw.weights).items()}
    for path in (shared_images / "content" / "green_sea_turtle.jpg", shared_images / "styles" / "the_kiss.jpg"):
        image = images.fit(images.load_image(path), 96)
        a, b = raw(image), rescaled(image)
        for name in CONV_LAYERS:
            ra, rb = a[name].numpy(), b[name].numpy()
            assert ra.shape == rb.shape
            np.testing.assert_allclose(rb * means[name], ra, rtol=1e-3, atol=1e-4 * np.abs(ra).max(), err_msg=name)
            # and the factor is one per filter: where both fire, the ratio does not vary over positions
            on = (ra > 1e-2 * ra.max()) & (rb > 0)
            ratio = np.where(on, ra / np.where(on, rb, 1.0), np.nan).reshape(-1, ra.shape[-1])
            spread = np.nanmax(ratio, axis=0) - np.nanmin(ratio, axis=0)
            assert np.nanmax(spread / np.nanmax(ratio, axis=0)) < 5e-3, name


def test_on_pictures_it_was_not_measured_on_each_layer_median_filter_mean_is_near_one(rescaled, shared_images):
    paths = sorted((shared_images / "content").glob("*.jpg")) + sorted((shared_images / "styles").glob("*.jpg"))
    assert len(paths) >= 10
    sums = {name: 0.0 for name in CONV_LAYERS}
    for path in paths:
        acts = rescaled(images.fit(images.load_image(path), 192))
        for name in CONV_LAYERS:
            sums[name] = sums[name] + acts[name].numpy().mean(axis=(0, 1, 2))
    for name in CONV_LAYERS:
        median = float(np.median(sums[name] / len(paths)))
        assert 0.5 <= median <= 2.0, (name, median)


def test_raw_layers_are_not_comparable_and_rescaled_ones_are(raw, rescaled):
    """Why the paper rescaled: raw mean activations differ by over an order of magnitude between
    layers (conv5_4's median filter against conv4_1's); rescaled, every layer's is about 1."""
    image = images.fit(images.load_image("chelsea"), 128)
    a, b = raw(image), rescaled(image)
    raw_medians = [float(np.median(a[n].numpy().mean(axis=(0, 1, 2)))) for n in CONV_LAYERS]
    resc_medians = [float(np.median(b[n].numpy().mean(axis=(0, 1, 2)))) for n in CONV_LAYERS]
    assert max(raw_medians) / min(raw_medians) > 100
    assert max(resc_medians) / min(resc_medians) < 10


def test_a_filter_that_rarely_fires_is_divided_by_a_tenth_of_its_layers_median():
    """A filter nearly silent on the set is not divided by ~0 (it would swamp the rest elsewhere)."""
    from nst_helpers.method.weights import Weights

    rng = np.random.default_rng(0)
    layers, c_in, means = {}, 3, {}
    for name in CONV_LAYERS:
        c_out = channels(name)
        layers[name] = (rng.normal(size=(3, 3, c_in, c_out)).astype(np.float32), rng.normal(size=c_out).astype(np.float32))
        means[name] = np.full(c_out, 2.0)
        c_in = c_out
    means["block1_conv1"][0] = 0.001  # rarely fires: divided by 0.1 × median 2 = 0.2
    out = rescaling.rescale(Weights(layers=layers, source="test", kind="path", path="-"), means)
    k, b = out.layers["block1_conv1"]
    np.testing.assert_allclose(k[..., 0], layers["block1_conv1"][0][..., 0] / 0.2, rtol=1e-6)
    np.testing.assert_allclose(k[..., 1], layers["block1_conv1"][0][..., 1] / 2.0, rtol=1e-6)
    np.testing.assert_allclose(b[1], layers["block1_conv1"][1][1] / 2.0, rtol=1e-6)
    # the next layer takes each channel back at the scale it was divided by
    k2 = out.layers["block1_conv2"][0]
    np.testing.assert_allclose(k2[:, :, 0, :], layers["block1_conv2"][0][:, :, 0, :] * 0.2 / 2.0, rtol=1e-6)
    np.testing.assert_allclose(k2[:, :, 1, :], layers["block1_conv2"][0][:, :, 1, :], rtol=1e-6)


def test_random_weights_cannot_be_rescaled():
    from nst_helpers.errors import ArgumentError

    with pytest.raises(ArgumentError, match="rescaled=True needs trained weights"):
        features.FeatureExtractor(["block1_conv1"], weights=None, rescaled=True)
    with pytest.raises(ArgumentError, match="rescaled must be True or False"):
        features.FeatureExtractor(["block1_conv1"], rescaled="yes")
