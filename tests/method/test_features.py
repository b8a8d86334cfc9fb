"""Layer names, the extractor's outputs, and what VGG19 sees."""

import numpy as np
import pytest

import nst_helpers as nst
from nst_helpers import features
from nst_helpers.errors import LayerError


def test_unknown_layer_lists_valid_names():
    with pytest.raises(LayerError) as e:
        nst.FeatureExtractor(["block6_conv1"])
    assert "block6_conv1" in str(e.value) and "block1_conv1" in str(e.value) and "block5_conv4" in str(e.value)


def test_paper_names_are_accepted():
    assert features.canonical_layer("conv4_2") == "block4_conv2"
    assert features.canonical_layers(["conv1_1", "block1_conv1", "conv2_1"]) == ("block1_conv1", "block2_conv1")


def test_shapes_follow_the_pooling(content64):
    ex = nst.FeatureExtractor(["block1_conv1", "block3_conv1", "block5_conv2"])
    out = ex(content64)
    _, h, w, _ = content64.shape
    assert out["block1_conv1"].shape == (1, h, w, 64)
    assert out["block3_conv1"].shape == (1, h // 4, w // 4, 256)
    assert out["block5_conv2"].shape == (1, h // 16, w // 16, 512)
    # Keras' conv layers include the ReLU.
    assert float(np.min(out["block3_conv1"])) >= 0.0


def test_extractor_stops_at_the_deepest_layer():
    shallow = nst.FeatureExtractor(["block2_conv1"])
    names = [layer.name for layer in shallow.model.layers]
    assert "block2_conv1" in names and "block2_conv2" not in names and "block5_conv1" not in names


def test_real_weights_respond_to_structure(content64):
    """On real weights a photo excites conv1 far more than a flat grey image does."""
    ex = nst.FeatureExtractor(["block1_conv1"])
    grey = np.full(content64.shape, 0.5, np.float32)
    # Spatial spread per channel (the zero padding makes the border differ: leave it out).
    photo_act = float(np.std(ex(content64)["block1_conv1"][:, 2:-2, 2:-2], axis=(1, 2)).mean())
    grey_act = float(np.std(ex(grey)["block1_conv1"][:, 2:-2, 2:-2], axis=(1, 2)).mean())
    assert photo_act > 5 * grey_act


def test_vgg19_layer_names_have_one_home_and_the_defaults_are_among_them():
    from nst_helpers import defaults, layers

    # Configuration E (Simonyan & Zisserman, table 1): 2, 2, 4, 4, 4 convolutions of 64 … 512 channels.
    assert [sum(n.startswith(f"block{b}_") for n in layers.CONV_LAYERS) for b in range(1, 6)] == [2, 2, 4, 4, 4]
    assert [layers.channels(f"block{b}_conv1") for b in range(1, 6)] == [64, 128, 256, 512, 512]
    assert [n for n in layers.CONV_LAYERS if layers.ends_block(n)] == [
        "block1_conv2", "block2_conv2", "block3_conv4", "block4_conv4", "block5_conv4"]
    assert defaults.STYLE_LAYERS == ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")
    named = list(defaults.CONTENT_LAYERS) + [n for r in defaults.RECIPES.values()
                                             for k in ("content_layers", "style_layers") for n in r.get(k, ())]
    assert set(named) <= set(layers.CONV_LAYERS)
    # The network built from the names has them all, in order, with a pooling after each block.
    model = features.vgg19(weights=None)
    convs = [layer.name for layer in model.layers if "_conv" in layer.name]
    pools = [layer.name for layer in model.layers if "_pool" in layer.name]
    assert convs == list(layers.CONV_LAYERS) and pools == [f"block{b}_pool" for b in range(1, 6)]
    assert [model.get_layer(n).filters for n in convs] == [layers.channels(n) for n in convs]
