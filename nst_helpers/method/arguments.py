"""What a run was asked to do: every argument checked once, recipes resolved, one :class:`Settings`.

The functions students call (:mod:`nst_helpers.method.tasks`) check what they are given here, once,
before any work starts, and hand the engine (:mod:`nst_helpers.method.engine`) a :class:`Settings` it can
trust. The same object ends up on the :class:`~nst_helpers.method.engine.Result`, so a result always
says exactly what produced it.

Recipes: an argument you give always wins; one you leave out (``None``) comes from the recipe,
then from the TensorFlow tutorial's defaults. A combination that cannot work is an
:class:`~nst_helpers.errors.ArgumentError` naming both arguments, never a silent change.
"""

import collections.abc
import dataclasses
import math

import numpy as np

from ..errors import ArgumentError
from ..images import MAX_DIM, MIN_SIDE
from . import defaults


@dataclasses.dataclass(frozen=True)
class Settings(collections.abc.Mapping):
    """The checked arguments of one run; read like a dict too (``settings["steps"]``).

    ``kind`` is ``"transfer"``, ``"content"`` (:func:`~nst_helpers.method.tasks.reconstruct_content`),
    ``"style"`` (:func:`~nst_helpers.method.tasks.reconstruct_style`) or ``"run"`` (the engine called
    directly); as a mapping, a Settings has the keys that mean something for its kind.
    ``steps`` is the total over coarse-to-fine stages; ``stage_steps`` the steps of each stage.
    """

    kind: str
    steps: int
    optimizer: str
    basis: object = "pixels"
    min_progress: tuple = None
    max_seconds: float = None
    init: str = None
    seed: int = 0
    size: int = None
    precision: str = None
    precision_reason: str = None
    rescaled: bool = False
    scales: tuple = None
    stage_steps: tuple = None
    # transfer
    recipe: str = None
    content_layers: tuple = None
    style_layers: tuple = None
    style_layer_weights: object = None
    content_weight: float = None
    style_weight: float = None
    tv_weight: float = None
    styles: int = None
    style_blend: object = None
    masks: bool = None
    preserve_colour: str = None
    # reconstructions
    layer: str = None
    layers: tuple = None

    _COMMON = ("steps", "optimizer", "basis", "min_progress", "max_seconds")
    _RUN = ("init", "seed", "size", "precision", "precision_reason", "rescaled")
    _KEYS = {
        "run": _COMMON,
        "content": _COMMON + _RUN + ("layer",),
        "style": _COMMON + _RUN + ("layers", "style_layer_weights"),
        "transfer": _COMMON + _RUN + ("scales", "recipe", "content_layers", "style_layers",
                                      "style_layer_weights", "content_weight", "style_weight",
                                      "tv_weight", "styles", "style_blend", "masks", "preserve_colour"),
    }

    def __getitem__(self, key):
        if key not in self._KEYS[self.kind]:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self):
        return iter(self._KEYS[self.kind])

    def __len__(self):
        return len(self._KEYS[self.kind])

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


def check_run(steps, optimizer, basis=None, min_progress=None, max_seconds=None):
    """The engine's own arguments, checked: a :class:`Settings` of kind ``"run"``.

    ``basis=None`` is the pixels (the engine's neutral choice; :func:`transfer` picks the
    optimiser's default itself)."""
    optimizer = check_optimizer(optimizer)
    steps = check_steps(steps)
    basis = check_basis("pixels" if basis is None else basis, optimizer)
    min_progress, max_seconds = check_stopping(min_progress, max_seconds)
    return Settings(kind="run", steps=steps, optimizer=optimizer, basis=basis,
                    min_progress=min_progress, max_seconds=max_seconds)


def check_optimizer(optimizer):
    if optimizer not in defaults.OPTIMIZERS:
        raise ArgumentError(f"optimizer must be one of {defaults.OPTIMIZERS}, not {optimizer!r}")
    return optimizer


def check_steps(steps, name="steps"):
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer, float)) \
            or not math.isfinite(steps) or int(steps) != steps or steps < 1:
        raise ArgumentError(f"{name} must be a whole number of at least 1, not {steps!r}")
    return int(steps)


def default_steps(optimizer, fast):
    """The optimiser's default number of steps (smaller in fast mode)."""
    return (defaults.FAST_STEPS if fast else defaults.DEFAULT_STEPS)[optimizer]


def check_basis(basis, optimizer):
    """A basis name that exists and suits ``optimizer`` (basis objects pass as they are)."""
    if not isinstance(basis, str):
        return basis
    if basis not in defaults.BASIS_CHOICES:
        raise ArgumentError(f"basis must be one of {defaults.BASIS_CHOICES}, not {basis!r}")
    if optimizer != "lbfgs" and basis != "pixels":
        raise ArgumentError(f"basis={basis!r} does not suit optimizer={optimizer!r}: Adam (the "
                            "tutorial's recipe) works on the pixels; use basis='pixels' or "
                            "optimizer='lbfgs'")
    return basis


def check_stopping(min_progress, max_seconds):
    """``(min_progress as (fraction, window) or None, max_seconds or None)``, checked."""
    if max_seconds is not None and (isinstance(max_seconds, bool) or not isinstance(max_seconds, (int, float))
                                    or not max_seconds > 0):
        raise ArgumentError(f"max_seconds must be a positive number of seconds, not {max_seconds!r}")
    if min_progress is None:
        return None, max_seconds
    try:
        fraction, window = min_progress
        ok = 0 < float(fraction) < 1 and int(window) == window and window >= 1
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ArgumentError("min_progress must be (fraction, window) with 0 < fraction < 1 and a "
                            f"whole window of at least 1 step, e.g. (0.01, 10); not {min_progress!r}")
    return (float(fraction), int(window)), max_seconds


def check_precision(precision, allow_auto=True):
    """``precision`` if it is one of :data:`~nst_helpers.method.defaults.PRECISIONS` (without ``"auto"``
    when ``allow_auto`` is False), else an ArgumentError that says what to pass."""
    if precision == "auto" and not allow_auto:
        raise ArgumentError(
            "precision='auto' is chosen once per run, where the image size is known: transfer() "
            "does it, or call nst_helpers.method.precision.choose('auto', (height, width)) and pass the "
            f"precision it returns. Here give one of {defaults.COMPUTE_PRECISIONS}.")
    if precision not in defaults.PRECISIONS:
        allowed = defaults.PRECISIONS if allow_auto else defaults.COMPUTE_PRECISIONS
        raise ArgumentError(f"precision must be one of {allowed}, not {precision!r}")
    return precision


def check_size(size, name="size"):
    """``size`` (a longest side in pixels) if it is None or a whole number in
    :data:`~nst_helpers.images.MIN_SIDE` … :data:`~nst_helpers.images.MAX_DIM`."""
    if size is None:
        return None
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
        raise ArgumentError(f"{name} must be a whole number of pixels (the longest side), not {size!r}")
    if not MIN_SIDE <= size <= MAX_DIM:
        raise ArgumentError(f"{name}={size} is outside {MIN_SIDE}…{MAX_DIM} pixels: VGG19 needs at "
                            f"least {MIN_SIDE} px; use e.g. 256 on a CPU or 512 on a GPU")
    return int(size)


def check_init(init):
    """``init`` if it is one of :data:`~nst_helpers.method.defaults.INITS`; anything else that is not a
    string passes as a start image (checked when the start image is made)."""
    if isinstance(init, str):
        return check_choice(init, "init", defaults.INITS)
    return init


def check_steps_split(steps, scales, scale_steps):
    """``(scales, scale_steps)`` checked against each other and against ``steps`` as given
    (None: not given). Both given must agree: ``steps`` is then ``sum(scale_steps)``."""
    scales = tuple(scales) if scales else None
    if scale_steps is None:
        return scales, None
    if scales is None or len(scale_steps) != len(scales):
        raise ArgumentError("scale_steps needs one step count per entry of scales")
    scale_steps = tuple(check_steps(n, "scale_steps") for n in scale_steps)
    if steps is not None and check_steps(steps) != sum(scale_steps):
        raise ArgumentError(f"steps={steps} but scale_steps={scale_steps} sums to {sum(scale_steps)}: "
                            "give one of them (scale_steps sets the steps of each scale)")
    return scales, scale_steps


def check_flag(value, name):
    """``value`` if it is True or False (NumPy's bools too), else an ArgumentError."""
    if not isinstance(value, (bool, np.bool_)):
        raise ArgumentError(f"{name} must be True or False, not {value!r}")
    return bool(value)


def check_choice(value, name, choices):
    if value not in choices:
        raise ArgumentError(f"{name} must be one of {tuple(choices)}, not {value!r}")
    return value


def resolve_recipe(recipe, given):
    """The recipe's arguments with ``given``'s (those not None) on top, the tutorial's below.

    ``given`` maps argument names of a recipe to what was passed (None: not given). Returns a
    dict with every key of the recipes in :data:`~nst_helpers.method.defaults.RECIPES`."""
    check_choice(recipe, "recipe", defaults.RECIPES)
    return {**defaults.RECIPES["tutorial"], **defaults.RECIPES[recipe],
            **{k: v for k, v in given.items() if v is not None}}


def check_normalisation(recipe, normalisation, content_layers):
    """Refuse the paper's normalisation with other than one content layer (canonical names).

    ``recipe`` names the recipe that chose the normalisation (None: it was given directly, as
    to :class:`~nst_helpers.method.losses.Objective`)."""
    if normalisation == "gatys2016" and len(content_layers) != 1:
        source = f"recipe={recipe!r} uses" if recipe is not None else "normalisation='gatys2016' is"
        fix = "use recipe='tutorial'" if recipe is not None else "use normalisation='tutorial'"
        raise ArgumentError(f"{source} the paper's normalisation, which is defined for "
                            f"one content layer; content_layers={content_layers!r} has "
                            f"{len(content_layers)}. Give one layer or {fix}")
