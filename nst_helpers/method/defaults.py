"""The package's choices and the TensorFlow tutorial's recipe, in one place that needs no TensorFlow.

Everything else (the losses, the optimisers, the command line, the explorers, the benchmark)
imports these, so a number or a list of choices is written once.
"""

from ..language import N_
from .layers import CONV_LAYERS

#: The TensorFlow tutorial's loss weights α (content), β (style), γ (total variation), meaningful
#: under its normalisation (see :mod:`nst_helpers.method.losses`).
CONTENT_WEIGHT = 1e4
STYLE_WEIGHT = 1e-2
TV_WEIGHT = 30.0

#: The TensorFlow tutorial's content layer; Gatys et al. used ``block4_conv2`` (``conv4_2``).
CONTENT_LAYERS = ("block5_conv2",)
#: conv1_1 … conv5_1, the first convolution of each block: the style layers of Gatys et al. and
#: of the tutorial.
STYLE_LAYERS = tuple(name for name in CONV_LAYERS if name.endswith("_conv1"))

OPTIMIZERS = ("lbfgs", "adam")
#: How text shows each optimiser (the code names are argument values, not words): the same in every language.
OPTIMIZER_NAMES = {"lbfgs": "L-BFGS", "adam": "Adam"}
#: What each optimiser works on by default in ``transfer`` (see :mod:`nst_helpers.method.basis`): L-BFGS
#: on a Laplacian pyramid of the image (it needs fewer evaluations, measured:
#: docs/performance.md), Adam on the pixels as the tutorial does.
DEFAULT_BASIS = {"lbfgs": "pyramid", "adam": "pixels"}
BASIS_CHOICES = ("pixels", "pyramid")
#: The TensorFlow tutorial's Adam settings.
ADAM_RECIPE = {"learning_rate": 0.02, "beta_1": 0.99, "beta_2": 0.999, "epsilon": 0.1}
DEFAULT_STEPS = {"lbfgs": 100, "adam": 500}
FAST_STEPS = {"lbfgs": 10, "adam": 20}
#: The command line's stopping rules: at most these many steps, and stop sooner once
#: ``CLI_MIN_PROGRESS[1]`` steps lowered the loss by less than the fraction ``CLI_MIN_PROGRESS[0]``.
#: Chosen so that its picture reaches the TensorFlow recipe's 500-step loss on the pairs it was
#: chosen on and on pairs it had not seen, where looser rules stopped short (measured:
#: docs/performance.md; ``benchmarks/stopping_rule.py``).
CLI_MAX_STEPS = {"lbfgs": 300, "adam": 1000}
CLI_MIN_PROGRESS = (0.015, 10)

#: Starting images: the photo recoloured to the painting's colours, the photo, seeded noise.
INITS = (N_("colour"), N_("content"), N_("noise"), N_("uniform"))
#: ``init="noise"``: Gatys et al.'s white noise, as their code makes it (``torch.randn`` in VGG's
#: mean-subtracted 0–255 space): the ImageNet mean colour plus Gaussian noise of this standard
#: deviation in [0, 1] units. ``init="uniform"`` is full-range noise (standard deviation 0.29),
#: which the first layers barely see, so most of it stays in a reconstruction (notebook 2).
NOISE_STD = 1 / 255
#: The network's compute precisions (VGG19 only: Gram matrices, losses and the image always stay
#: float32). ``"float16"`` is for GPUs with float16 tensor cores; on a CPU it is slow.
COMPUTE_PRECISIONS = ("float32", "bfloat16", "float16")
#: What a run may ask for: a compute precision, or ``"auto"``, measured where the run's image
#: size is known (:func:`nst_helpers.method.precision.choose`).
PRECISIONS = ("auto", *COMPUTE_PRECISIONS)

#: Ways to keep the photo's colours (``transfer(..., preserve_colour=…)``; see :mod:`nst_helpers.method.colour`).
PRESERVE_COLOUR = (None, "luminance", "histogram")

#: Whole recipes, each complete: the TensorFlow tutorial's (what ``transfer`` uses for an argument
#: you leave out) and Gatys, Ecker & Bethge's CVPR 2016 paper: the paper's rescaled VGG19 (every
#: filter's mean activation 1, :mod:`nst_helpers.method.rescaling`), average pooling, conv4_2 content,
#: conv1_1…conv5_1 style with w_l = 1/5, its own normalisation (content ½·Σ(F−P)², style
#: Σ(G−A)² / (4·N²·M²) with G unnormalised), α/β = 1e-3, no total variation, L-BFGS on the pixels
#: from white noise.
RECIPES = {
    "tutorial": dict(content_layers=CONTENT_LAYERS, style_layers=STYLE_LAYERS,
                     content_weight=CONTENT_WEIGHT, style_weight=STYLE_WEIGHT, tv_weight=TV_WEIGHT,
                     init="colour", optimizer="lbfgs", pooling="max", normalisation="tutorial",
                     rescaled=False, basis=None),
    "gatys2016": dict(content_layers=("block4_conv2",), style_layers=STYLE_LAYERS,
                      content_weight=1.0, style_weight=1e3, tv_weight=0.0, init="noise",
                      optimizer="lbfgs", pooling="avg", normalisation="gatys2016",
                      rescaled=True, basis="pixels"),
}
NORMALISATIONS = ("tutorial", "gatys2016")
