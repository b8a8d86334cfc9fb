"""losses, controlling style transfer (Gatys et al. 2016/2017): blends, masks, the paper's
normalisation and recipe, balanced layer weights.

The claims are checked on pictures from the course's shared folder that were not used to tune
anything (tubingen, green_sea_turtle, the_scream, great_wave, composition_vii), with statistics
computed here in NumPy."""

import numpy as np
import pytest
from conftest import SHARED_IMAGES

import nst_helpers as nst
from nst_helpers import features

# Skipped without ../shared/images, a failure under NST_REQUIRE_SHARED=1 (CI): see conftest.
needs_shared = pytest.mark.usefixtures("shared_images")
SIZE, STEPS = 96, 15


def shared(name):
    folder = "styles" if name in ("the_scream", "great_wave", "composition_vii") else "content"
    return nst.load_image(SHARED_IMAGES / folder / f"{name}.jpg", max_dim=SIZE)


def np_grams(image, layers=("block1_conv1", "block2_conv1", "block3_conv1")):
    """Gram matrices ÷ locations, in NumPy, of the package's (max-pooling) VGG19 features."""
    acts = features.extractor(tuple(layers))(image)
    out = []
    for k in layers:
        f = np.asarray(acts[k], np.float64)[0]
        f = f.reshape(-1, f.shape[-1])
        out.append(f.T @ f / len(f))
    return out


def gram_distance(image, reference):
    return sum(np.mean((g - r) ** 2) / np.mean(r ** 2) for g, r in zip(np_grams(image), np_grams(reference)))


@needs_shared
def test_blend_weights_move_the_gram_statistics_between_the_paintings():
    photo, a, b = shared("tubingen"), shared("great_wave"), shared("composition_vii")
    mostly_a = nst.transfer(photo, [a, b], style_blend=[0.8, 0.2], steps=STEPS, progress=False)
    mostly_b = nst.transfer(photo, [a, b], style_blend=[0.2, 0.8], steps=STEPS, progress=False)
    assert gram_distance(mostly_a.image, a) < gram_distance(mostly_b.image, a)
    assert gram_distance(mostly_b.image, b) < gram_distance(mostly_a.image, b)


def test_blend_one_zero_is_exactly_the_single_style(content64, style64):
    other = nst.load_image("coffee", max_dim=64)
    kw = dict(steps=4, progress=False, precision="float32", init="content")
    single = nst.transfer(content64, style64, **kw)
    blended = nst.transfer(content64, [style64, other], style_blend=[1.0, 0.0], **kw)
    np.testing.assert_array_equal(blended.image.numpy(), single.image.numpy())
    assert blended.history["style"] == pytest.approx(single.history["style"], rel=1e-5)


def test_blended_style_term_is_the_weighted_sum_of_each_paintings_term(content64, style64):
    """Computed through blended Gram matrices plus a constant: it must equal Σ bₖ·termₖ."""
    from nst_helpers import losses

    other = nst.load_image("coffee", max_dim=64)
    x = nst.load_image("astronaut", max_dim=64)[:, :43]
    terms = [float(losses.Objective(None, s).terms(x)["style"]) for s in (style64, other)]
    both = float(losses.Objective(None, [style64, other], style_blend=[3, 1]).terms(x)["style"])
    assert both == pytest.approx(0.75 * terms[0] + 0.25 * terms[1], rel=1e-4)


@needs_shared
def test_masks_paint_each_painting_into_its_own_half():
    photo, a, b = shared("tubingen"), shared("great_wave"), shared("composition_vii")
    h, w = photo.shape[1:3]
    left = np.zeros((h, w), np.float32)
    left[:, : w // 2] = 1.0
    r = nst.transfer(photo, [a, b], masks=[left, 1.0 - left], steps=STEPS, progress=False)
    img = np.asarray(r.image)
    half_l, half_r = img[:, :, : w // 2 - 8], img[:, :, w // 2 + 8:]  # away from the seam
    assert gram_distance(half_l, a) < gram_distance(half_l, b)
    assert gram_distance(half_r, b) < gram_distance(half_r, a)


@pytest.mark.parametrize("masks,expect", [
    ("one", "1 given for 2 style"),
    ("negative", "outside \\[0, 1\\]"),
    ("zero", "zero everywhere.*masks=\\[m, 1 - m\\]"),
    ("sliver", "covers 1e-05 of the picture.*larger region"),
    ("square", "aspect ratio"),
    ("3d", "shape"),
])
def test_bad_masks_get_one_clear_error(content64, style64, masks, expect):
    h, w = content64.shape[1:3]
    ones = np.ones((h, w), np.float32)
    bad = {"one": [ones], "negative": [ones, -ones], "zero": [ones, 0 * ones],
           "sliver": [ones, np.full((h, w), 1e-5, np.float32)],
           "square": [ones, np.ones((40, 40))], "3d": [ones, np.ones((h, w, 3))]}[masks]
    with pytest.raises(nst.ArgumentError, match=expect):
        nst.transfer(content64, [style64, style64], masks=bad, steps=2, progress=False)


def test_masks_follow_the_image_through_size_and_scales(content64, style64):
    big = np.zeros((content64.shape[1] * 3, content64.shape[2] * 3), np.float32)
    big[:, : big.shape[1] // 2] = 1
    r = nst.transfer(content64, [style64, nst.load_image("coffee", max_dim=64)], masks=[big, 1 - big],
                     steps=4, scales=(0.5, 1.0), size=48, progress=False)
    assert max(r.image.shape[1:3]) == 48 and r.settings["masks"]


def test_the_papers_normalisation_against_its_formulas(content64, style64):
    """content ½·Σ(F−P)², style Σ_l ⅕·Σ(G−A)²/(4N²M²) with G = FᵀF, written here in NumPy."""
    from nst_helpers import losses

    x = np.clip(np.asarray(content64) + np.random.default_rng(3).uniform(-0.2, 0.2, content64.shape), 0, 1)
    x = x.astype(np.float32)
    obj = losses.Objective(content64, style64, content_layers=["block4_conv2"], content_weight=1.0,
                           style_weight=1.0, tv_weight=0.0, pooling="avg", normalisation="gatys2016")
    terms = obj.terms(x)
    ex = features.extractor(("block4_conv2",) + features.STYLE_LAYERS, "imagenet", "float32", "avg")
    fx, fp, fs = (ex(v) for v in (x, content64, style64))
    content = 0.5 * np.sum((np.asarray(fx["block4_conv2"], np.float64) - np.asarray(fp["block4_conv2"])) ** 2)
    style = 0.0
    for k in features.STYLE_LAYERS:
        f = np.asarray(fx[k], np.float64)[0].reshape(-1, fx[k].shape[-1])
        a = np.asarray(fs[k], np.float64)[0].reshape(-1, fs[k].shape[-1])
        n, m = f.shape[1], f.shape[0]
        g, target = f.T @ f, a.T @ a * (m / len(a))  # the style's Gram at the image's size M
        style += 0.2 * np.sum((g - target) ** 2) / (4 * n ** 2 * m ** 2)
    assert float(terms["content"]) == pytest.approx(content, rel=1e-4)
    assert float(terms["style"]) == pytest.approx(style, rel=1e-3)


def test_gatys2016_recipe_runs_and_differs_as_documented(content64, style64):
    r = nst.transfer(content64, style64, recipe="gatys2016", steps=6, progress=False)
    s = r.settings
    assert s["recipe"] == "gatys2016" and s["content_layers"] == ("block4_conv2",)
    assert s["init"] == "noise" and s["tv_weight"] == 0.0 and s["content_weight"] / s["style_weight"] == 1e-3
    assert r.history["tv"][-1] == 0.0 and r.history["total"][-1] < r.history["total"][0]
    # Average pooling really is in the network the paper's recipe used.
    model = features.extractor(("block4_conv2",) + features.STYLE_LAYERS, "imagenet", "float32", "avg").model
    pools = [layer for layer in model.layers if "pool" in layer.name]
    assert pools and all(type(p).__name__ == "AveragePooling2D" for p in pools)
    tutorial = nst.transfer(content64, style64, steps=6, progress=False)
    assert np.abs(r.image.numpy() - tutorial.image.numpy()).mean() > 0.02
    with pytest.raises(nst.ArgumentError, match="recipe"):
        nst.transfer(content64, style64, recipe="johnson2016", steps=2, progress=False)
    # Arguments changed from the tutorial's defaults are kept; the rest come from the recipe.
    mine = nst.transfer(content64, style64, recipe="gatys2016", init="content", tv_weight=1.0, steps=2,
                        progress=False).settings
    assert mine["init"] == "content" and mine["tv_weight"] == 1.0 and mine["content_layers"] == ("block4_conv2",)


def test_balanced_weights_equalise_the_target_norms(style64):
    from nst_helpers import losses

    assert losses.balanced_layer_weights([4.0, 1.0]) == pytest.approx((0.625, 2.5))
    obj = losses.Objective(None, style64, style_layer_weights="balanced")
    grams = np_grams(style64, features.STYLE_LAYERS)
    weighted = [w * np.mean(g ** 2) for w, g in zip(obj.style_layer_weights, grams)]
    np.testing.assert_allclose(weighted, np.mean([np.mean(g ** 2) for g in grams]), rtol=1e-3)
    with pytest.raises(nst.ArgumentError, match="balanced"):
        losses.Objective(None, style64, style_layer_weights="equal")


def test_layer_shares_show_why_conv5_1_barely_pulls(content64, style64):
    shares = __import__("nst_helpers.teaching.experiments", fromlist=["x"]).style_layer_shares(content64, style64)
    for table in shares.values():
        assert sum(v[0] for v in table.values()) == pytest.approx(1.0)
        assert sum(v[1] for v in table.values()) == pytest.approx(1.0)
    assert shares["tutorial weights"]["block5_conv1"][0] < 0.01

    def spread(table):
        return max(v[0] for v in table.values()) / min(v[0] for v in table.values())

    assert spread(shares["tutorial weights"]) > 1e3  # measured ~1e5: one layer is nearly everything
    assert spread(shares["balanced"]) < 20  # measured ~5–10: every layer counts


@needs_shared
def test_balanced_weights_let_the_fifth_layer_change_the_picture():
    """At 64 px, 15 steps: with the tutorial's weights, adding conv5_1 to layers 1-4 changes the
    result by a fraction of what adding conv4_1 to layers 1-3 does; with the balanced weights,
    adding conv5_1 changes it several times more than with the tutorial's."""
    photo = nst.load_image(SHARED_IMAGES / "content" / "tubingen.jpg", max_dim=64)
    painting = nst.load_image(SHARED_IMAGES / "styles" / "the_scream.jpg", max_dim=64)
    changes = {}
    for weights in (None, "balanced"):
        r = {n: nst.transfer(photo, painting, style_layers=features.STYLE_LAYERS[:n], style_layer_weights=weights,
                             steps=15, init="content", precision="float32", progress=False).image.numpy()
             for n in (3, 4, 5)}
        changes[weights] = (np.abs(r[4] - r[3]).mean() * 255, np.abs(r[5] - r[4]).mean() * 255)
    (t34, t45), (_, b45) = changes[None], changes["balanced"]  # balanced b34: printed on failure
    # Measured at 64 px, 15 steps (AVX2-capped Zen 4) on nine pairs of ../shared/images in our versions
    # (this one and eight others; four of them in Colab's too, the same): t45/t34 0.10-0.17 (0.15 here); b45/t45 2.8-15
    # (6.6 here). How b45 compares with b34 depends on the pair (0.24-0.96), so it is not asserted.
    assert t45 < 0.3 * t34, changes
    assert b45 > 2 * t45, changes
