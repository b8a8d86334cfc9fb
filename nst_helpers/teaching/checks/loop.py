"""Notebook 4's training loop: an independent reference loop (the TensorFlow tutorial's, with a
NumPy Adam) and the catalogue of the usual mistakes, each with its fix."""

import numpy as np

from ...language import N_, t
from .formulas import reference_gram
from .verdicts import _run_student_loop, _verdict

#: The TensorFlow tutorial's Adam settings and loss weights, written here again on purpose: the
#: reference loop below must not share code with the package it checks.
TUTORIAL_ADAM = {"learning_rate": 0.02, "beta_1": 0.99, "beta_2": 0.999, "epsilon": 0.1}
TUTORIAL_WEIGHTS = (1e4, 1e-2, 30.0)

# The common mistakes, as changes to the reference loop, each with the fix it needs. A wrong
# epsilon alone is not among them: the pixels' gradients are far larger than 0.1, so ε = 1e-7
# gives the same picture to within the check's tolerance (tests/teaching/checks/test_loop.py); Keras'
# default Adam differs from the tutorial's mostly by its learning rate and is named by it.
LOOP_BUGS = (
    ({"clip": False}, N_("the pixels leave [0, 1]: after each step, "
                      "image.assign(tf.clip_by_value(image, 0.0, 1.0))")),
    ({"fresh_optimizer": True}, N_("the optimiser is created anew at every step, so Adam forgets its "
                                "history: create it once, before the loop")),
    ({"learning_rate": 0.001}, N_("the learning rate is Keras' default 0.001: use the tutorial's settings, "
                               "tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)")),
    ({"beta_1": 0.9}, N_("beta_1 is Keras' default 0.9: the tutorial's is beta_1=0.99")),
    ({"uphill": True}, N_("the image moves uphill: give the optimiser the gradient itself, "
                       "optimizer.apply_gradients([(grad, image)])")),
    ({"start": "style"}, N_("the loop starts from the painting: start from the photo, tf.Variable(content)")),
)


def _loop_pictures():
    """A tiny photo with many pixels at exactly 0 or 1 (so that forgetting the clip shows in a
    few steps) and a tiny smooth 'painting', both ``[1, 24, 32, 3]`` float32."""
    rng = np.random.default_rng(9)
    photo = np.clip(rng.uniform(-0.3, 1.3, size=(1, 24, 32, 3)), 0.0, 1.0)
    coarse = rng.uniform(size=(1, 6, 8, 3))
    painting = np.repeat(np.repeat(coarse, 4, axis=1), 4, axis=2)
    return photo.astype(np.float32), painting.astype(np.float32)


def reference_loss(acts, image, content_targets, style_targets):
    """The tutorial's weighted loss in plain TensorFlow: α·content + β·style + γ·TV (a scalar).

    ``acts``: ``{layer: [1, h, w, C]}`` of ``image``; the targets are activations (content) and
    Gram matrices divided by h·w (style), as in :func:`reference_gram`."""
    from ...machine._tf import tf

    alpha, beta, gamma = TUTORIAL_WEIGHTS
    content = tf.add_n([tf.reduce_mean(tf.square(acts[k] - t)) for k, t in content_targets.items()])
    content = content / len(content_targets)
    style = []
    for k, target in style_targets.items():
        a = acts[k]
        hw = tf.cast(tf.shape(a)[1] * tf.shape(a)[2], tf.float32)
        gram = tf.einsum("bijc,bijd->bcd", a, a) / hw
        style.append(tf.reduce_mean(tf.square(gram - target)))
    style = tf.add_n(style) / len(style)
    tv = (tf.reduce_sum(tf.abs(image[:, 1:] - image[:, :-1]))
          + tf.reduce_sum(tf.abs(image[:, :, 1:] - image[:, :, :-1])))
    return alpha * content + beta * style + gamma * tv


def _numpy_loss(acts, image, content_targets, style_targets):
    """:func:`reference_loss` in NumPy float64 (to verify it, once per check)."""
    alpha, beta, gamma = TUTORIAL_WEIGHTS
    acts = {k: np.asarray(v, np.float64) for k, v in acts.items()}
    content = np.mean([np.mean((acts[k] - np.asarray(t, np.float64)) ** 2) for k, t in content_targets.items()])
    style = np.mean([np.mean((reference_gram(acts[k]) - np.asarray(t, np.float64)) ** 2)
                     for k, t in style_targets.items()])
    x = np.asarray(image, np.float64)
    tv = np.abs(np.diff(x, axis=1)).sum() + np.abs(np.diff(x, axis=2)).sum()
    return alpha * content + beta * style + gamma * tv


def _numpy_adam_step(x, g, m, v, t, settings, fresh_optimizer=False, clip=True):
    """One Adam step in NumPy float64, Keras' formula (ε added after the bias correction); the
    reference the notebooks' own loops are checked against. ``settings``: (lr, β₁, β₂, ε).
    ``fresh_optimizer``: the moments and step count start again (the usual slip of making the
    optimiser inside the loop). Returns the new ``(x, m, v, t)``."""
    lr, b1, b2, eps = settings
    if fresh_optimizer:
        m, v, t = np.zeros_like(x), np.zeros_like(x), 0
    t += 1
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    x = x - lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t) * m / (np.sqrt(v) + eps)
    if clip:
        x = np.clip(x, 0.0, 1.0)
    return x, m, v, t


def reference_loop(content, style, steps, *, clip=True, fresh_optimizer=False, uphill=False, start="content",
                   **adam):
    """The tutorial's Adam loop, written out independently of the package and of Keras' optimiser:
    the loss of :func:`reference_loss` on the package's VGG19 extractor, its gradient from
    ``tf.GradientTape``, Adam's update in NumPy float64, the clip to [0, 1].

    Returns ``(image [1, H, W, 3] float32, losses)``: ``losses[i]`` is the total loss before step
    ``i + 1``. The keyword arguments make the common mistakes (see ``LOOP_BUGS``)."""
    from ...machine._tf import tf
    from ...method import defaults, features

    settings = {**TUTORIAL_ADAM, **adam}
    lr, b1, b2, eps = (settings[k] for k in ("learning_rate", "beta_1", "beta_2", "epsilon"))
    layers = tuple(defaults.CONTENT_LAYERS) + tuple(defaults.STYLE_LAYERS)
    extract = features.extractor(layers, "imagenet")
    content_targets = {k: extract(tf.constant(content))[k] for k in defaults.CONTENT_LAYERS}
    style_acts = extract(tf.constant(style))
    style_targets = {k: tf.constant(reference_gram(style_acts[k].numpy()), tf.float32)
                     for k in defaults.STYLE_LAYERS}
    x = np.array(content if start == "content" else style, np.float64)
    m, v, t = np.zeros_like(x), np.zeros_like(x), 0
    losses = []
    for _ in range(steps):
        image = tf.constant(x.astype(np.float32))
        with tf.GradientTape() as tape:
            tape.watch(image)
            acts = extract(image)
            loss = reference_loss(acts, image, content_targets, style_targets)
        if not losses:  # the TensorFlow loss is the NumPy one (checked once, at the start)
            want = _numpy_loss(acts, image, content_targets, style_targets)
            if abs(float(loss) - want) > 1e-4 * abs(want):
                raise RuntimeError(f"reference loss {float(loss)} differs from NumPy's {want}")
        g = tape.gradient(loss, image).numpy().astype(np.float64) * (-1.0 if uphill else 1.0)
        losses.append(float(loss))
        x, m, v, t = _numpy_adam_step(x, g, m, v, t, (lr, b1, b2, eps), fresh_optimizer, clip)
    return x.astype(np.float32), losses


#: The references the checks computed in this process (here and in pixel_loops): pure functions of
#: their arguments and of the weights, so a check run again (after a fix, or naming a mistake)
#: reuses them.
_REFERENCES = {}


def _remembered(reference, layers, *args, **kwargs):
    """``reference(*args, **kwargs)``, computed once per process; ``layers``: those of the cached
    extractor it uses, which stands for the weights in the key (other weights: computed again)."""
    import copy

    from ...method import features

    frozen = tuple((a.tobytes(), a.shape, a.dtype.str) if isinstance(a, np.ndarray) else
                   tuple(a) if isinstance(a, list) else a for a in args)
    key = (reference.__name__, features.extractor(tuple(layers), "imagenet"), frozen, tuple(sorted(kwargs.items())))
    if key not in _REFERENCES:
        _REFERENCES[key] = reference(*args, **kwargs)
    return copy.deepcopy(_REFERENCES[key])


def check_loop(fn, steps=5, tolerance=2e-3):
    """Check the student's whole loop ``fn(content, style, steps)``: the TensorFlow tutorial's Adam
    (lr 0.02, β₁ 0.99, ε 0.1) on the pixels of ``tf.Variable(content)``, loss α·content +
    β·style + γ·TV with the tutorial's weights and layers, clipped to [0, 1] after every step.

    ``fn`` returns the final image ``[1, H, W, 3]``, or ``(image, losses)`` with the total loss
    before each step. Runs ``steps`` steps on a tiny ``[1, 24, 32, 3]`` pair and compares with
    :func:`reference_loop` (largest pixel difference below ``tolerance``); when they differ,
    names the common mistake that gives the student's picture."""
    from ...machine._tf import tf

    content, style = _loop_pictures()
    ran, got = _run_student_loop("loop", fn, tf.constant(content), tf.constant(style), steps)
    if not ran:
        return False
    losses = None
    if isinstance(got, (tuple, list)) and len(got) == 2:
        got, losses = got
    try:
        got = np.asarray(got, np.float64)
    except Exception:  # noqa: BLE001 - anything unconvertible is a wrong answer
        print(t("✗ loop: returned {kind}; return the image (or the pair image, losses)", kind=type(got).__name__))
        return False
    if got.shape != content.shape:
        print(t("✗ loop: the image has shape {got}, expected {want} (the photo's)", got=got.shape, want=content.shape))
        return False
    from ...method import defaults

    layers = tuple(defaults.CONTENT_LAYERS) + tuple(defaults.STYLE_LAYERS)  # reference_loop's extractor
    want, want_losses = _remembered(reference_loop, layers, content, style, steps)
    error = float(np.max(np.abs(got - want)))
    if error < tolerance:
        ok = True
        if losses is not None:
            ok = _verdict(t("loss history"), np.asarray(losses, np.float64).ravel()[:steps], want_losses,
                          N_("record the total loss computed under the tape, once per step, before the update"))
        if ok:
            print(t("✓ loop is correct: after {steps} steps the largest pixel difference from the "
                    "reference is {error}", steps=steps, error=f"{error:.1e}"))
        return ok
    for change, hint in LOOP_BUGS:
        if float(np.max(np.abs(got - _remembered(reference_loop, layers, content, style, steps, **change)[0]))) < tolerance:
            print(t("✗ loop: largest pixel difference {error} from the reference. Hint: {hint}",
                    error=f"{error:.3f}", hint=t(hint)))
            return False
    if np.max(got) > 1.0 or np.min(got) < 0.0:
        hint = LOOP_BUGS[0][1]
    elif float(np.max(np.abs(got - content))) < 1e-6:
        hint = N_("the image did not change: apply the gradient to the tf.Variable with the optimiser")
    else:
        hint = (N_("compare with the tutorial step by step: start from tf.Variable(content); loss = "
                "α·content + β·style + γ·TV (1e4, 1e-2, 30) on the package's layers; one Adam "
                "(learning_rate=0.02, beta_1=0.99, epsilon=1e-1) created before the loop; clip after each step"))
    print(t("✗ loop: largest pixel difference {error} from the reference (should be below {tolerance}). "
            "Hint: {hint}", error=f"{error:.3f}", tolerance=f"{tolerance:g}", hint=t(hint)))
    return False
