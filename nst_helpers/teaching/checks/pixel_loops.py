"""Notebooks 2 and 3: the student's own loops on the pixels (content reconstruction, texture),
against a NumPy Adam, with the usual mistakes named."""

import numpy as np

from ...language import N_, t
from .formulas import reference_gram
from .loop import LOOP_BUGS, TUTORIAL_ADAM, _loop_pictures, _numpy_adam_step, _remembered
from .verdicts import _run_student_loop

# ---- notebooks 2 and 3: the student's own loops, and the tile shuffle -------------------------

#: Adam as the student would mistype it, each with the fix it needs (notebooks 2 and 3).
#: ``Adam(learning_rate=0.02)`` alone keeps Keras' beta_1=0.9 and epsilon=1e-7; ``Adam()`` also
#: Keras' learning rate 0.001.
PIXEL_LOOP_BUGS = (
    ({"clip": False}, LOOP_BUGS[0][1]),
    ({"fresh_optimizer": True}, LOOP_BUGS[1][1]),
    ({"beta_1": 0.9, "epsilon": 1e-7},
     N_("Adam(learning_rate=0.02) alone keeps Keras' beta_1=0.9 and epsilon=1e-7: use the tutorial's "
     "settings, tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)")),
    ({"learning_rate": 0.001, "beta_1": 0.9, "epsilon": 1e-7},
     N_("Adam() keeps all of Keras' defaults (learning rate 0.001): use the tutorial's settings, "
     "tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)")),
    ({"uphill": True}, LOOP_BUGS[4][1]),
)

#: One more mistake of the texture loop: the loss of one layer instead of the mean over all.
TEXTURE_LOOP_BUGS = PIXEL_LOOP_BUGS + (
    ({"only": -1}, N_("the loss has only the last layer's term: take the mean over all the layers of "
                   "mean((G(image) − G(painting))²)")),
    ({"only": 0}, N_("the loss has only the first layer's term (a return inside the loop over the "
                  "layers?): take the mean over all the layers of mean((G(image) − G(painting))²)")),
)

#: The layers the checks of notebook 2's and 3's loops ask for.
CONTENT_LOOP_LAYER = "block2_conv2"
TEXTURE_LOOP_LAYERS = ("block1_conv1", "block2_conv1", "block3_conv1")
PIXEL_LOOP_STEPS = 40


def reference_adam(start, loss_fn, steps, *, clip=True, fresh_optimizer=False, uphill=False, **adam):
    """Adam on the pixels, written out in NumPy float64 (independent of Keras' optimiser and of
    the package's): ``loss_fn(image)`` is a TensorFlow scalar, its gradient from
    ``tf.GradientTape``; the tutorial's settings (:data:`TUTORIAL_ADAM`) unless ``adam`` changes
    them; clipped to [0, 1] after each step. Returns the image after ``steps`` steps, float32.
    The keyword arguments make the common mistakes of :data:`PIXEL_LOOP_BUGS`."""
    from ...machine._tf import tf

    settings = {**TUTORIAL_ADAM, **adam}
    lr, b1, b2, eps = (settings[k] for k in ("learning_rate", "beta_1", "beta_2", "epsilon"))
    x = np.array(start, np.float64)
    m, v, t = np.zeros_like(x), np.zeros_like(x), 0
    for _ in range(steps):
        image = tf.constant(x.astype(np.float32))
        with tf.GradientTape() as tape:
            tape.watch(image)
            loss = loss_fn(image)
        g = tape.gradient(loss, image).numpy().astype(np.float64) * (-1.0 if uphill else 1.0)
        x, m, v, t = _numpy_adam_step(x, g, m, v, t, (lr, b1, b2, eps), fresh_optimizer, clip)
    return x.astype(np.float32)


def _grey_noise(picture):
    """The start both loops take, ``tasks.initial_image("noise", picture)``: Gatys et al.'s
    white noise (the package's, seeded), the input the student's loop and the reference share."""
    from ...method.tasks import initial_image

    return np.asarray(initial_image("noise", picture), np.float32)


def reference_content_loop(photo, layer, steps, **bugs):
    """Notebook 2's loop: from the grey start, Adam on the mean squared difference between the
    image's and the photo's ``layer`` activations (:func:`reference_adam`)."""
    from ...machine._tf import tf
    from ...method import features

    extract = features.extractor((layer,), "imagenet")
    target = extract(tf.constant(photo))[layer]
    return reference_adam(_grey_noise(photo), lambda x: tf.reduce_mean(tf.square(extract(x)[layer] - target)),
                          steps, **bugs)


def reference_texture_loss(painting, layers, only=None):
    """The style loss of notebook 3's loop as a function of the image: the mean over ``layers`` of
    mean((G(image) − G(painting))²), G divided by h·w (the targets in NumPy,
    :func:`reference_gram`). ``only``: the index of a single layer (a mistake)."""
    from ...machine._tf import tf
    from ...method import features

    layers = tuple(layers)
    extract = features.extractor(layers, "imagenet")
    acts = extract(tf.constant(painting))
    targets = {k: tf.constant(reference_gram(acts[k].numpy()), tf.float32) for k in layers}
    used = layers if only is None else (layers[only],)

    def loss(x):
        a = extract(x)
        terms = []
        for k in used:
            hw = tf.cast(tf.shape(a[k])[1] * tf.shape(a[k])[2], tf.float32)
            terms.append(tf.reduce_mean(tf.square(tf.einsum("bijc,bijd->bcd", a[k], a[k]) / hw - targets[k])))
        return tf.add_n(terms) / len(terms)

    return loss


def reference_texture_loop(painting, layers, steps, *, only=None, **bugs):
    """Notebook 3's loop: from the grey start, Adam (:func:`reference_adam`) on
    :func:`reference_texture_loss`."""
    return reference_adam(_grey_noise(painting), reference_texture_loss(painting, layers, only), steps, **bugs)


#: Steps of the second, short run that names a mistake: Adam's normalised steps turn float
#: rounding into chaos after a few dozen steps for the wrong loops (a fresh optimiser, uphill),
#: so two correct implementations of the same mistake agree after 10 steps (mean pixel difference
#: below 3e-4) but not after 40, while every mistake is then still 7e-3 or more from the right loop.
DIAGNOSIS_STEPS = 10


def _named_mistake(fn, args, reference, bugs, tolerance):
    """The hint of the mistake in ``bugs`` whose reference the student's loop matches over
    :data:`DIAGNOSIS_STEPS` steps (the clip is not among them: it shows only later), or None."""
    short = args[:-1] + (DIAGNOSIS_STEPS,)
    try:
        got = np.asarray(fn(*short), np.float64)
    except Exception:  # noqa: BLE001 - it ran once already; no hint then
        return None
    for change, hint in bugs:
        if "clip" not in change and float(np.mean(np.abs(got - reference(steps=DIAGNOSIS_STEPS, **change)))) < tolerance:
            return hint
    return None




def _check_pixel_loop(name, fn, args, reference, bugs, tolerance):
    """Run the student's loop ``fn(*args)`` and compare it with ``reference(**change)`` for the
    right answer (no change) and then for each named mistake."""
    picture = args[0]
    ran, got = _run_student_loop(name, fn, *args)
    if not ran:
        return False
    try:
        got = np.asarray(got, np.float64)
    except Exception:  # noqa: BLE001 - anything unconvertible is a wrong answer
        print(t("✗ {name}: returned {kind}, which is not a number or array ({error})", name=name,
                kind=type(got).__name__, error="return the image"))
        return False
    if got.shape != picture.shape:
        print(t("✗ {name}: shape {got}, expected {want}. Hint: {hint}", name=name, got=got.shape,
                want=picture.shape, hint=t("return the image, [1, H, W, 3]")))
        return False
    steps = args[-1]
    error = float(np.mean(np.abs(got - reference())))
    if error < tolerance:
        print(t("✓ {name} is correct: after {steps} steps the mean pixel difference from a loop "
                "written independently is {error}", name=name, steps=steps, error=f"{error:.1e}"))
        return True
    if np.max(got) > 1.0 or np.min(got) < 0.0:
        hint = LOOP_BUGS[0][1]
    elif named := _named_mistake(fn, args, reference, bugs, tolerance):
        hint = named
    elif float(np.max(np.abs(got - _grey_noise(picture)))) < 1e-6:
        hint = N_("the image did not change: apply the gradient to the tf.Variable with the optimiser")
    else:
        hint = (N_("compare with the notebook step by step: one Adam (learning_rate=0.02, beta_1=0.99, "
                "epsilon=1e-1) created before the loop; under the tape the loss of the image's "
                "activations; its gradient; apply_gradients; clip to [0, 1] after each step"))
    print(t("✗ {name}: mean pixel difference {error} from the reference (should be below {tolerance}). "
            "Hint: {hint}", name=name, error=f"{error:.3f}", tolerance=f"{tolerance:g}", hint=t(hint)))
    return False


def check_content_loop(fn, steps=PIXEL_LOOP_STEPS, tolerance=1e-3):
    """Check notebook 2's loop ``fn(photo, layer, steps) -> image``: from
    ``tasks.initial_image("noise", photo)``, the tutorial's Adam (lr 0.02, β₁ 0.99, ε 0.1) on
    the content loss of ``layer``, clipped to [0, 1] after every step. Runs ``steps`` steps on a
    tiny ``[1, 24, 32, 3]`` photo and compares with :func:`reference_content_loop` (mean absolute
    pixel difference below ``tolerance``: Adam's normalised steps amplify float rounding into a
    few pixels, so the largest difference is no measure); when they differ, names the mistake that gives the picture."""
    photo, _ = _loop_pictures()
    return _check_pixel_loop("my_reconstruct_content", fn, (photo, CONTENT_LOOP_LAYER, steps),
                             lambda steps=steps, **bugs: _remembered(reference_content_loop, (CONTENT_LOOP_LAYER,), photo,
                                                                     CONTENT_LOOP_LAYER, steps, **bugs),
                             PIXEL_LOOP_BUGS, tolerance)


def check_texture_loop(fn, steps=PIXEL_LOOP_STEPS, tolerance=2e-3):
    """Check notebook 3's loop ``fn(painting, layers, steps) -> image``: as
    :func:`check_content_loop`, with the style loss of ``layers`` (the mean over the layers of
    mean((G(image) − G(painting))²)) on a tiny painting, against :func:`reference_texture_loop`.
    The tolerance is wider than the content loop's: Keras' Adam and the reference end 3e-4 apart
    after 40 steps here (rounding, amplified), a missing clip 8e-3, every other mistake 3e-2 or more."""
    _, painting = _loop_pictures()
    layers = list(TEXTURE_LOOP_LAYERS)
    return _check_pixel_loop("my_texture", fn, (painting, layers, steps),
                             lambda steps=steps, **bugs: _remembered(reference_texture_loop, layers, painting, layers,
                                                                     steps, **bugs),
                             TEXTURE_LOOP_BUGS, tolerance)
