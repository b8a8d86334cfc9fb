"""The package's choices and the TensorFlow tutorial's recipe, in one place that needs no TensorFlow.

Everything else (the losses, the optimisers, the command line, the explorers, the benchmark)
imports these, so a number or a list of choices is written once.
"""

#: The TensorFlow tutorial's loss weights α (content), β (style), γ (total variation), meaningful
#: under its normalisation (see :mod:`nst_helpers.losses`).
CONTENT_WEIGHT = 1e4
STYLE_WEIGHT = 1e-2
TV_WEIGHT = 30.0

#: The TensorFlow tutorial's content layer; Gatys et al. used ``block4_conv2`` (``conv4_2``).
CONTENT_LAYERS = ("block5_conv2",)
#: conv1_1 … conv5_1: the style layers of Gatys et al. and of the tutorial.
STYLE_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1")

OPTIMIZERS = ("lbfgs", "adam")
#: The TensorFlow tutorial's Adam settings.
ADAM_RECIPE = {"learning_rate": 0.02, "beta_1": 0.99, "beta_2": 0.999, "epsilon": 0.1}
DEFAULT_STEPS = {"lbfgs": 100, "adam": 500}
FAST_STEPS = {"lbfgs": 10, "adam": 20}

#: Starting images: the photo recoloured to the painting's colours, the photo, seeded noise.
INITS = ("colour", "content", "noise")
#: The network's compute precision; losses and the image always stay float32.
PRECISIONS = ("auto", "float32", "bfloat16")
