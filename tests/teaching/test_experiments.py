"""experiments: the measurements the notebooks' explanations rest on (equal starts, Gram statistics,
the ratio grid, TV against size, equal scale), against NumPy references."""

import numpy as np
import pytest

from nst_helpers import experiments, features

LAYERS = features.STYLE_LAYERS


def np_style_loss(image, style, n):
    """The tutorial's style loss (unweighted layers) of ``image`` for ``style``'s first n layers, in NumPy."""
    layers = LAYERS[:n]
    extract = features.extractor(tuple(layers))
    a, b = extract(image), extract(style)

    def gram(x):
        f = np.asarray(x, np.float64)[0].reshape(-1, x.shape[-1])
        return f.T @ f / len(f)

    return np.mean([np.mean((gram(a[k]) - gram(b[k])) ** 2) for k in layers])


def np_roughness(x):
    x = np.asarray(x, np.float64)
    return (np.abs(np.diff(x, axis=1)).sum() + np.abs(np.diff(x, axis=2)).sum()) / x.size


def test_equal_start_gives_every_depth_the_same_starting_style_loss(content64, style64):
    runs = experiments.style_depth_comparison(content64, style64, depths=(5, 3), steps=1,
                                              init="content", progress=False, precision="float32")
    starts = [r.settings["style_weight"] * np_style_loss(content64, style64, n) for n, (_, r) in zip((5, 3), runs)]
    assert starts[0] == pytest.approx(starts[1], rel=1e-3)
    # The optimiser's own first recorded style term agrees (the start image is the photo).
    assert runs[1][1].history["style"][0] == pytest.approx(starts[1], rel=1e-3)
    # Without it, dropping conv4_1 and conv5_1 cuts the starting style loss by orders of magnitude.
    raw = experiments.style_depth_comparison(content64, style64, depths=(5, 3), steps=1, init="content",
                                             progress=False, equal_start=False)
    assert [r.settings["style_weight"] for _, r in raw] == [1e-2, 1e-2]
    assert raw[0][1].history["style"][0] > 30 * raw[1][1].history["style"][0]


@pytest.mark.parametrize("extra", [dict(recipe="gatys2016"), dict(preserve_colour="luminance")],
                         ids=["gatys2016", "luminance"])
def test_equal_start_holds_for_every_argument_transfer_takes(content64, style64, extra):
    # The runs' own first recorded style terms: equal whatever recipe or colour mode resolves to.
    runs = experiments.style_depth_comparison(content64, style64, depths=(5, 3), steps=1, size=48,
                                              progress=False, precision="float32", **extra)
    first = [r.history["style"][0] for _, r in runs]
    assert first[0] == pytest.approx(first[1], rel=1e-3)


def test_gram_statistics_match_numpy_and_follow_the_fourth_power(content64, style64):
    stats = experiments.gram_statistics({"photo": content64, "painting": style64})
    acts = features.extractor(tuple(LAYERS))(content64)
    for k in LAYERS:
        f = np.asarray(acts[k], np.float64)[0].reshape(-1, acts[k].shape[-1])
        g = f.T @ f / len(f)
        assert stats["photo"][k]["mean"] == pytest.approx(f.mean(), rel=1e-4)
        assert stats["photo"][k]["positive"] == pytest.approx((f > 0).mean())
        assert stats["photo"][k]["gram_ms"] == pytest.approx(np.mean(g ** 2), rel=1e-3)
    for table in stats.values():
        # Across layers mean(G²) spans ~5 orders of magnitude; divided by mean⁴ it spans < 2.
        ms = np.array([table[k]["gram_ms"] for k in LAYERS])
        ratio = ms / np.array([table[k]["mean"] ** 4 for k in LAYERS])
        assert ms.max() / ms.min() > 1e4
        assert ratio.max() / ratio.min() < 100


def test_ratio_grid_runs_from_painting_to_photo_and_marks_the_tutorials_ratio(monkeypatch):
    from nst_helpers import tasks

    monkeypatch.setattr(tasks, "transfer", lambda content, style, **kw: kw)
    grid = experiments.ratio_grid(None, None)
    ratios = [kw["content_weight"] / kw["style_weight"] for _, kw in grid]
    assert ratios == pytest.approx([1e4, 1e6, 1e7, 1e8])
    assert [label.endswith("(the tutorial's)") for label, _ in grid] == [False, True, False, False]
    assert all(kw["init"] == "content" for _, kw in grid)


def test_tv_grows_with_the_pixel_count_while_the_style_term_is_a_mean():
    """tv_by_size against NumPy: its TV is γ · Σ|neighbour differences| of the photo resized to each
    size, and γ · roughness · H·W·3 (a sum is the mean times the count). The style term of a picture against itself is 0 at every size."""
    from nst_helpers import images

    rng = np.random.default_rng(5)
    noise = rng.uniform(size=(1, 64, 64, 3)).astype(np.float32)
    rows = experiments.tv_by_size(noise, noise, sizes=(32, 64), weights=None, tv_weight=2.0)
    for row in rows:
        small = np.asarray(images.fit(noise, row["size"]))
        assert row["shape"] == small.shape[1:3] and row["pixels"] == small.shape[1] * small.shape[2]
        want = 2.0 * (np.abs(np.diff(small, axis=1)).sum() + np.abs(np.diff(small, axis=2)).sum())
        assert row["tv"] == pytest.approx(want, rel=1e-4)
        assert row["style"] == pytest.approx(0.0, abs=1e-6)
    assert rows[1]["roughness"] == pytest.approx(np_roughness(noise), rel=1e-5)
    for row in rows:   # the sum is the mean times the number of values (H·W·3): it grows with the pixels
        assert row["tv"] == pytest.approx(2.0 * row["roughness"] * row["pixels"] * 3, rel=1e-4)


def test_equal_scale_divides_alpha_by_each_content_targets_mean_square(content64, style64):
    """5.1's fair comparison: α per layer × mean(P²) of block5_conv2's target ÷ this layer's (NumPy)."""
    layers = ("block5_conv2", "block4_conv2", "block2_conv1")
    acts = features.extractor(layers)(content64)
    ms = {k: np.mean(np.asarray(acts[k], np.float64) ** 2) for k in layers}
    runs = experiments.content_layer_comparison(content64, style64, layers=layers, equal_scale=True, steps=1,
                                                init="content", progress=False, precision="float32")
    for layer, (label, r) in zip(layers, runs):
        assert r.settings["content_weight"] == pytest.approx(1e4 * ms["block5_conv2"] / ms[layer], rel=1e-4)
        assert label.startswith(f"content {layer}")
    # The raw layers differ by far more than the rounding: block4_conv2's activations are the largest.
    assert ms["block4_conv2"] > 10 * ms["block5_conv2"]
    same = experiments.content_layer_comparison(content64, style64, layers=layers[:2], steps=1, init="content",
                                                progress=False)
    assert [r.settings["content_weight"] for _, r in same] == [1e4, 1e4]
