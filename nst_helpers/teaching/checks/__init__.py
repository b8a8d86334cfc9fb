"""Automatic checks for the notebooks' exercises, in the style of CS231n's comparisons.

Each ``check_*`` function calls the student's function on fixed random inputs, compares the
answer with a reference computed here in plain NumPy, prints a friendly verdict with the
relative error, and returns True or False (so a notebook can ``assert`` it).

One module per kind of exercise: ``verdicts`` (how every check speaks), ``formulas`` (the
function exercises), ``quiz`` (multiple choice), ``extractor`` (notebook 1's model), ``loop``
(notebook 4's training loop), ``pixel_loops`` (notebooks 2 and 3's loops) and ``readings``
(numbers computed from printed measurements). Notebooks use them as ``checks.check_…``.
"""

from .extractor import EXTRACTOR_LAYERS, check_extractor, reference_first_layer
from .formulas import (
    check_content_loss,
    check_gram_change,
    check_gram_matrix,
    check_guided_gram,
    check_luminance_split,
    check_preprocess,
    check_sgd_step,
    check_style_loss,
    check_total_variation,
    reference_gram,
    reference_gram_change,
    reference_guided_gram,
    reference_yiq,
    working,
)
from .loop import LOOP_BUGS, TUTORIAL_ADAM, TUTORIAL_WEIGHTS, check_loop, reference_loop, reference_loss
from .pixel_loops import (
    CONTENT_LOOP_LAYER,
    DIAGNOSIS_STEPS,
    PIXEL_LOOP_BUGS,
    PIXEL_LOOP_STEPS,
    TEXTURE_LOOP_BUGS,
    TEXTURE_LOOP_LAYERS,
    check_content_loop,
    check_texture_loop,
    reference_adam,
    reference_content_loop,
    reference_texture_loop,
    reference_texture_loss,
)
from .quiz import ANSWERS, HINTS, WRONG_ANSWERS, check_answer
from .readings import (
    RATIO_SHUFFLE,
    READ_TOLERANCE,
    check_beta_factors,
    check_content_factors,
    check_ratio_order,
    check_tv_weight,
    reference_tv_weight,
    shuffled_panels,
)
from .verdicts import TOLERANCE

__all__ = [
    "TOLERANCE",
    "reference_gram",
    "check_gram_matrix",
    "check_content_loss",
    "check_style_loss",
    "check_total_variation",
    "check_preprocess",
    "reference_yiq",
    "check_luminance_split",
    "reference_guided_gram",
    "check_guided_gram",
    "check_sgd_step",
    "working",
    "reference_gram_change",
    "check_gram_change",
    "check_answer",
    "ANSWERS",
    "WRONG_ANSWERS",
    "HINTS",
    "EXTRACTOR_LAYERS",
    "reference_first_layer",
    "check_extractor",
    "TUTORIAL_ADAM",
    "TUTORIAL_WEIGHTS",
    "LOOP_BUGS",
    "reference_loss",
    "reference_loop",
    "check_loop",
    "PIXEL_LOOP_BUGS",
    "TEXTURE_LOOP_BUGS",
    "CONTENT_LOOP_LAYER",
    "TEXTURE_LOOP_LAYERS",
    "PIXEL_LOOP_STEPS",
    "reference_adam",
    "reference_content_loop",
    "reference_texture_loss",
    "reference_texture_loop",
    "DIAGNOSIS_STEPS",
    "check_content_loop",
    "check_texture_loop",
    "READ_TOLERANCE",
    "reference_tv_weight",
    "check_tv_weight",
    "check_content_factors",
    "check_beta_factors",
    "RATIO_SHUFFLE",
    "shuffled_panels",
    "check_ratio_order",
]
