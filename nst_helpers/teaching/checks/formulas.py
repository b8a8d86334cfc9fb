"""Checks of the function exercises (notebooks 1-6): the Gram matrix, the losses, the
preprocessing, the luminance split, the guided Gram matrix, one SGD step, the Gram change; and
:func:`working`, the student's functions that pass, for ``nst.transfer(..., losses=…)``."""

import numpy as np

from ...language import N_, t
from .verdicts import TOLERANCE, _activations, _call, _named, _names, _rel_error, _verdict


def reference_gram(x):
    """NumPy Gram matrix: ``[1, H, W, C]`` (an array or a tensor) → ``[1, C, C]`` divided by ``H·W``."""
    x = np.asarray(x)
    _, h, w, c = x.shape
    f = x.reshape(h * w, c).astype(np.float64)
    return (f.T @ f / (h * w))[None]


def check_gram_matrix(fn):
    """Check ``fn([1, H, W, C]) -> [1, C, C]`` (divided by the number of locations H·W)."""
    from ...machine._tf import tf

    x = _activations(0)
    ok, got = _call("gram_matrix", fn, tf.constant(x))
    want = reference_gram(x)
    _, h, w, c = x.shape
    slips = ((want * h * w, N_("divide by H·W, the number of locations: without it the Gram matrix grows with "
                            "the image's size")),
             (want / c, N_("divide by H·W only, not by the channels too: G[c, d] is the mean over the "
                        "locations of f_c · f_d")))
    return ok and _named("gram_matrix", got, want, slips,
                         N_("flatten to [H·W, C], multiply its transpose by itself, divide by H·W"))


def check_content_loss(fn):
    """Check ``fn(features, target) -> scalar`` = mean squared difference."""
    from ...machine._tf import tf

    a, b = _activations(1), _activations(2)
    ok, got = _call("content_loss", fn, tf.constant(a), tf.constant(b))
    diff = a.astype(np.float64) - b
    want = np.mean(diff ** 2)
    slips = ((np.sum(diff ** 2), N_("the mean, not the sum: tf.reduce_mean, so that the loss does not grow "
                                 "with the number of activations")),
             (0.5 * np.sum(diff ** 2), N_("that is the paper's ½ Σ (F − P)²: this series takes the mean, "
                                       "tf.reduce_mean(tf.square(features − target))")),
             (np.mean(np.abs(diff)), N_("square the differences (tf.square), not their absolute values")))
    return ok and _named("content_loss", got, want, slips, N_("the mean (not the sum) of the squared differences"))


def check_style_loss(fn):
    """Check ``fn(features, target_gram) -> scalar`` = mean squared difference of Gram matrices."""
    from ...machine._tf import tf

    a = _activations(3)
    target = reference_gram(_activations(4))
    ok, got = _call("style_loss", fn, tf.constant(a), tf.constant(target, tf.float32))
    diff = reference_gram(a) - target
    want = np.mean(diff ** 2)
    slips = ((np.sum(diff ** 2), N_("the mean, not the sum, of the squared differences of the Gram matrices: "
                                 "tf.reduce_mean")),
             (np.mean(np.abs(diff)), N_("square the differences of the Gram matrices (tf.square), not their "
                                     "absolute values")),
             (np.mean((reference_gram(a) * a.shape[1] * a.shape[2] - target) ** 2),
              N_("the target is divided by H·W: take nst.gram_matrix(features), which divides too")))
    return ok and _named("style_loss", got, want, slips,
                         N_("take the Gram matrix of the features first, then the mean squared difference"))


def check_total_variation(fn):
    """Check ``fn(image [1, H, W, 3]) -> scalar`` = sum of absolute neighbour differences."""
    from ...machine._tf import tf

    x = np.random.default_rng(5).uniform(size=(1, 6, 8, 3)).astype(np.float32)
    ok, got = _call("total_variation", fn, tf.constant(x))
    x64 = x.astype(np.float64)
    dy, dx = np.diff(x64, axis=1), np.diff(x64, axis=2)
    want = np.abs(dy).sum() + np.abs(dx).sum()
    slips = ((np.square(dy).sum() + np.square(dx).sum(),
              N_("absolute values, not squares: tf.abs(dy), tf.abs(dx) (the squares would forgive small jumps)")),
             (np.abs(dy).sum(), N_("only the vertical differences: add the horizontal ones, image[:, :, 1:] − "
                                "image[:, :, :-1]")),
             (np.abs(dx).sum(), N_("only the horizontal differences: add the vertical ones, image[:, 1:] − "
                                "image[:, :-1]")),
             (np.abs(dy).mean() + np.abs(dx).mean(), N_("the sum, not the mean: tf.reduce_sum of each difference")))
    return ok and _named("total_variation", got, want, slips,
                         N_("sum |x[i+1, j] − x[i, j]| and |x[i, j+1] − x[i, j]| over all pixels and channels"))


def check_preprocess(fn):
    """Check ``fn(image [1, H, W, 3] RGB in [0, 1]) -> BGR, 0–255, ImageNet mean subtracted``."""
    from ...machine._tf import tf

    x = np.random.default_rng(6).uniform(size=(1, 4, 5, 3)).astype(np.float32)
    ok, got = _call("preprocess", fn, tf.constant(x))
    mean = np.array([103.939, 116.779, 123.68])
    x64 = x.astype(np.float64)
    want = x64[..., ::-1] * 255.0 - mean
    slips = ((x64 * 255.0 - mean, N_("reverse the channels (RGB → BGR) before you subtract the mean: "
                                  "tf.reverse(image, axis=[-1])")),
             (x64 * 255.0 - mean[::-1], N_("reverse the channels (RGB → BGR) and keep the mean as given, "
                                        "[103.939, 116.779, 123.68]: it is in BGR order already")),
             (x64[..., ::-1] - mean, N_("scale to 0–255 first: the image is in [0, 1], VGG19 was trained on "
                                     "0–255 values")),
             (x64[..., ::-1] * 255.0 - mean[::-1], N_("the mean is in BGR order too: subtract "
                                                    "[103.939, 116.779, 123.68] from the BGR image")))
    return ok and _named("preprocess", got, want, slips,
                         N_("reverse the channels (RGB → BGR), scale to 0–255, subtract [103.939, 116.779, 123.68]"))


def reference_yiq(image):
    """NumPy YIQ (FCC NTSC): Y = .299 R + .587 G + .114 B; I, Q the two colour-difference axes."""
    r, g, b = (np.asarray(image, np.float64)[..., i] for i in range(3))
    y = 0.299 * r + 0.587 * g + 0.114 * b
    i = 0.595716 * r - 0.274453 * g - 0.321263 * b
    q = 0.211456 * r - 0.522591 * g + 0.311135 * b
    return y, np.stack([i, q], axis=-1)


def check_luminance_split(fn):
    """Check ``fn(image [1, H, W, 3]) -> (y [1, H, W], iq [1, H, W, 2])``: luminance and chrominance."""
    x = np.random.default_rng(7).uniform(size=(1, 5, 6, 3)).astype(np.float32)
    ok, got = _call("luminance_split", fn, x)
    if not ok:
        return False
    if not (isinstance(got, tuple) and len(got) == 2):
        print(t("✗ luminance_split: return a pair (y, iq)"))
        return False
    y, iq = reference_yiq(x)
    y_slips = ((x.astype(np.float64).mean(axis=-1), N_("Y is not the plain mean of R, G and B: the eye is most "
                                                    "sensitive to green, Y = 0.299 R + 0.587 G + 0.114 B")),
               (reference_yiq(x[..., ::-1])[0], N_("the weights are in the wrong order: the image is RGB, so "
                                                "0.299 goes with R (channel 0) and 0.114 with B")))
    iq_slips = ((iq[..., ::-1], N_("I and Q are swapped: I first, then Q")),
                (iq * [1, -1], N_("Q's sign is flipped: Q = 0.211456 R − 0.522591 G + 0.311135 B")))
    return (_named("luminance y", got[0], y, y_slips, N_("Y = 0.299 R + 0.587 G + 0.114 B, shape [1, H, W]"))
            and _named("chrominance iq", got[1], iq, iq_slips, N_("stack I and Q on the last axis: [1, H, W, 2]")))


def reference_guided_gram(x, mask):
    """NumPy guided Gram matrix (Gatys et al. 2017): ``Σᵢ mᵢ² fᵢ fᵢᵀ / Σᵢ mᵢ²`` for activations
    ``[1, H, W, C]`` and a mask ``[1, H, W, 1]`` → ``[1, C, C]``."""
    _, h, w, c = x.shape
    f = x.reshape(h * w, c).astype(np.float64)
    m2 = np.square(mask.reshape(h * w).astype(np.float64))
    return ((f * m2[:, None]).T @ f / m2.sum())[None]


def check_guided_gram(fn):
    """Check ``fn(features [1, H, W, C], mask [1, H, W, 1]) -> [1, C, C]`` = Σᵢ mᵢ² fᵢ fᵢᵀ / Σᵢ mᵢ²,
    naming the two usual slips: dividing by H·W instead of the mask's area, and weighting by m not m²."""
    from ...machine._tf import tf

    x = _activations(9)
    mask = np.random.default_rng(10).uniform(size=x.shape[:3] + (1,)).astype(np.float32)
    ok, got = _call("guided_gram", fn, tf.constant(x), tf.constant(mask))
    if not ok:
        return False
    want = reference_guided_gram(x, mask)
    try:
        arr = np.asarray(got, np.float64)
        slips = {N_("divided by H·W"): want * np.square(mask.astype(np.float64)).sum() / mask.size,
                 N_("weighted by m"): reference_guided_gram(x, np.sqrt(mask))}
        for slip, value in slips.items():
            if arr.shape == value.shape and _rel_error(arr, value) < TOLERANCE:
                print(t("✗ guided_gram: {slip}. Hint: {hint}", slip=t(slip),
                        hint=t("multiply the features by the mask, take Σ (m f)(m f)ᵀ, divide by Σ m²")))
                return False
    except Exception:  # noqa: BLE001 - _verdict below reports an unusable answer
        pass
    return _verdict("guided_gram", got, want,
                    "multiply the features by the mask, take Σ (m f)(m f)ᵀ, divide by Σ m²")


def check_sgd_step(fn):
    """Check ``fn(image: tf.Variable, loss_fn, learning_rate) -> loss``: one gradient-descent step
    on the pixels with ``tf.GradientTape``, clipped back to [0, 1], returning the loss before it."""
    from ...machine._tf import tf

    rng = np.random.default_rng(8)
    x0 = rng.uniform(size=(1, 3, 4, 3))
    target = rng.uniform(-0.5, 1.5, size=x0.shape)  # partly outside [0, 1]: the clip matters
    image = tf.Variable(x0.astype(np.float32))
    ok, got = _call("sgd_step", fn, image, lambda im: tf.reduce_sum(tf.square(im - target.astype(np.float32))), 0.3)
    if not ok:
        return False
    grad = 2 * (x0 - target)
    want_image = np.clip(x0 - 0.3 * grad, 0.0, 1.0)
    want_loss = np.sum((x0 - target) ** 2)
    loss_slips = ((np.sum((want_image - target) ** 2), N_("that is the loss after the step: return the loss "
                                                       "computed under the tape, before image.assign")),)
    image_slips = ((x0 - 0.3 * grad, N_("the pixels leave [0, 1]: after the step, "
                                     "image.assign(tf.clip_by_value(image, 0.0, 1.0))")),
                   (np.clip(x0 + 0.3 * grad, 0.0, 1.0), N_("the image moves uphill: subtract the gradient, "
                                                        "image − learning_rate · grad")),
                   (np.clip(x0 - grad, 0.0, 1.0), N_("the step is the whole gradient: multiply it by the "
                                                  "learning rate, image − learning_rate · grad")))
    return (_named("loss returned", got, want_loss, loss_slips, N_("return the loss computed before the step"))
            and _named("image after the step", image.numpy(), want_image, image_slips,
                       N_("x ← x − lr·∇loss, then image.assign(tf.clip_by_value(image, 0, 1))")))


def working(**functions):
    """The exercise functions that pass their checks, for ``nst.transfer(..., losses=…)``.

    ``working(style_loss=my_style_loss, total_variation=my_total_variation)`` checks each (quietly)
    and returns ``{name: function}`` for the correct ones; the others fall back to the package's.
    """
    import contextlib
    import io

    checkers = {"gram_matrix": check_gram_matrix, "content_loss": check_content_loss,
                "style_loss": check_style_loss, "total_variation": check_total_variation,
                "gram_change": check_gram_change}
    good = {}
    for name, fn in functions.items():
        with contextlib.redirect_stdout(io.StringIO()):
            passed = checkers[name](fn)
        if passed:
            good[name] = fn
    missing = sorted(set(functions) - set(good))
    if not good:
        print(t("none of yours pass their checks yet ({functions})", functions=_names(missing)))
    else:
        print(t("using your {functions}", functions=_names(sorted(good)))
              + ("" if not missing else t("; the package's {functions} (yours do not pass their checks yet)",
                                          functions=_names(missing))))
    return good


def reference_gram_change(a, b):
    """NumPy: ``‖G(a) − G(b)‖ / ‖G(a)‖`` (Frobenius norms, :func:`reference_gram`)."""
    ga, gb = reference_gram(a), reference_gram(b)
    return float(np.linalg.norm(ga - gb) / np.linalg.norm(ga))


def check_gram_change(fn):
    """Check ``fn(features_a, features_b) -> scalar``: the relative change of the Gram matrix,
    ‖G(a) − G(b)‖ / ‖G(a)‖, on two fixed sets of random activations of the same shape; names the
    usual slips (activations compared instead of Gram matrices, no division, the wrong norm)."""
    a, b = _activations(11), _activations(12)
    ok, got = _call("my_gram_change", fn, a, b)
    if not ok:
        return False
    try:
        got = float(np.asarray(got, np.float64).reshape(()))
    except Exception:  # noqa: BLE001 - _verdict reports an unusable answer
        return _verdict("my_gram_change", got, 0.0, N_("return one number"))
    ga, gb = reference_gram(a), reference_gram(b)
    slips = (
        (np.linalg.norm(a - b) / np.linalg.norm(a),
         N_("that is the change of the activations (the layout): compare the Gram matrices, "
         "my_gram_matrix(a) and my_gram_matrix(b)")),
        (np.linalg.norm(ga - gb), N_("divide by ‖G(a)‖, the size of the painting's own Gram matrix")),
        (np.linalg.norm(ga - gb) / np.linalg.norm(gb), N_("divide by ‖G(a)‖ (the first argument's), not ‖G(b)‖")),
        (np.mean(np.abs(ga - gb)) / np.mean(np.abs(ga)),
         N_("use the Frobenius norm, tf.norm (the square root of the sum of squares), not mean absolute values")),
    )
    want = reference_gram_change(a, b)
    if _rel_error(got, want) >= TOLERANCE:
        for value, hint in slips:
            if _rel_error(got, value) < TOLERANCE:
                return _verdict("my_gram_change", got, want, hint)
    return _verdict("my_gram_change", got, want, N_("tf.norm(G(a) − G(b)) / tf.norm(G(a)), with G = my_gram_matrix"))
