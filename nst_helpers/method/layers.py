"""VGG19's layers by name: the one place they are written.

Names are Keras': ``block4_conv2`` is the paper's ``conv4_2`` (the Keras layer includes its
ReLU, so its output is the paper's ``relu4_2``). The paper's short names ``conv4_2`` are accepted
wherever a layer is asked for (:func:`canonical_layer`).

The network is Simonyan & Zisserman's configuration E: five blocks of 3×3 convolutions
(2, 2, 4, 4 and 4 of them), each block ending in a 2×2 pooling that halves the picture. The
weights readers, the network builder and the default content and style layers
(:mod:`nst_helpers.method.defaults`) all take their names from here.
"""

from ..errors import LayerError

#: The 16 convolution layers, in network order.
CONV_LAYERS = (
    "block1_conv1", "block1_conv2",
    "block2_conv1", "block2_conv2",
    "block3_conv1", "block3_conv2", "block3_conv3", "block3_conv4",
    "block4_conv1", "block4_conv2", "block4_conv3", "block4_conv4",
    "block5_conv1", "block5_conv2", "block5_conv3", "block5_conv4",
)  # fmt: skip
#: The classifier head (only in the full weights file): two hidden dense layers and the softmax.
CLASSIFIER_LAYERS = ("fc1", "fc2", "predictions")
#: Output channels of every convolution of a block.
BLOCK_CHANNELS = {1: 64, 2: 128, 3: 256, 4: 512, 5: 512}


def block(name):
    """The block a convolution layer belongs to: ``"block4_conv2"`` → 4."""
    return int(canonical_layer(name)[5])


def channels(name):
    """Output channels of a convolution layer: ``"block4_conv2"`` → 512."""
    return BLOCK_CHANNELS[block(name)]


def ends_block(name):
    """True for the last convolution of a block (a pooling follows it)."""
    i = CONV_LAYERS.index(canonical_layer(name))
    return i + 1 == len(CONV_LAYERS) or block(CONV_LAYERS[i + 1]) != block(name)


def canonical_layer(name):
    """``"conv4_2"`` or ``"block4_conv2"`` → ``"block4_conv2"``; anything else: :class:`LayerError`."""
    if isinstance(name, str):
        if name in CONV_LAYERS:
            return name
        if name.startswith("conv") and "_" in name:
            number, _, index = name[4:].partition("_")
            alias = f"block{number}_conv{index}"
            if alias in CONV_LAYERS:
                return alias
    raise LayerError(
        f"{name!r} is not a VGG19 convolution layer. Valid names: {', '.join(CONV_LAYERS)} "
        "(or the paper's conv1_1 … conv5_4)."
    )


def canonical_layers(names):
    """A name or a list of names → tuple of canonical names (order kept, duplicates dropped)."""
    if isinstance(names, str):
        names = [names]
    out = []
    for name in names:
        name = canonical_layer(name)
        if name not in out:
            out.append(name)
    return tuple(out)
