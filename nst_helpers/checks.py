"""Automatic checks for the notebooks' exercises, in the style of CS231n's comparisons.

Each ``check_*`` function calls the student's function on fixed random inputs, compares the
answer with a reference computed here in plain NumPy, prints a friendly verdict with the
relative error, and returns True or False (so a notebook can ``assert`` it).
"""

import numpy as np

from .errors import ArgumentError
from .language import N_, t
from .layers import canonical_layer

TOLERANCE = 1e-4


def _rel_error(x, y):
    x, y = np.asarray(x, np.float64), np.asarray(y, np.float64)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def _verdict(name, got, want, hint):
    try:
        got = np.asarray(got, np.float64)
    except Exception as exc:  # noqa: BLE001 - anything unconvertible is a wrong answer
        print(t("✗ {name}: returned {kind}, which is not a number or array ({error})", name=name,
                kind=type(got).__name__, error=exc))
        return False
    want = np.asarray(want, np.float64)
    if want.shape == () and got.size == 1:
        got = got.reshape(())  # a scalar as () or (1,) (tf.image.total_variation's shape) is fine
    if got.shape != want.shape:
        print(t("✗ {name}: shape {got}, expected {want}. Hint: {hint}", name=name, got=got.shape, want=want.shape,
                hint=t(hint)))
        return False
    err = _rel_error(got, want)
    if err < TOLERANCE:
        print(t("✓ {name} is correct (max relative error {error})", name=name, error=f"{err:.1e}"))
        return True
    print(t("✗ {name}: max relative error {error} (should be below {tolerance}). Hint: {hint}", name=name,
            error=f"{err:.2e}", tolerance=f"{TOLERANCE:g}", hint=t(hint)))
    return False


def _named(name, got, want, slips, hint):
    """:func:`_verdict` with a named mistake: when ``got`` is not ``want`` but matches one of
    ``slips`` (``((value, hint), …)``, the usual wrong answers computed here the wrong way), that
    slip's hint replaces the general ``hint``."""
    try:
        arr, ref = np.asarray(got, np.float64), np.asarray(want, np.float64)
        if ref.shape == () and arr.size == 1:
            arr = arr.reshape(())
        if arr.shape == ref.shape and _rel_error(arr, ref) >= TOLERANCE:
            for value, slip in slips:
                value = np.asarray(value, np.float64)
                if value.shape == arr.shape and _rel_error(arr, value) < TOLERANCE:
                    hint = slip
                    break
    except Exception:  # noqa: BLE001 - _verdict reports an unusable answer
        pass
    return _verdict(name, got, want, hint)


def _call(name, fn, *args, advise=None):
    """``(True, fn(*args))``, or ``(False, None)`` after one line saying what went wrong: not
    written yet, or the exception. ``advise(exc)``: text added after it (the exception then cut to
    300 characters, as a whole loop's can be long)."""
    try:
        return True, fn(*args)
    except NotImplementedError:
        print(t("… {name}: not implemented yet. Replace `raise NotImplementedError` with your code.", name=name))
    except Exception as exc:  # noqa: BLE001 - the student's bug, shown plainly
        if advise is None:
            print(t("✗ {name} raised {kind}: {error}", name=name, kind=type(exc).__name__, error=exc))
        else:
            print(t("✗ {name} raised {kind}: {error}", name=name, kind=type(exc).__name__, error=str(exc)[:300])
                  + advise(exc))
    return False, None


def _activations(seed, shape=(1, 5, 7, 4)):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def reference_gram(x):
    """NumPy Gram matrix: ``[1, H, W, C]`` (an array or a tensor) → ``[1, C, C]`` divided by ``H·W``."""
    x = np.asarray(x)
    _, h, w, c = x.shape
    f = x.reshape(h * w, c).astype(np.float64)
    return (f.T @ f / (h * w))[None]


def check_gram_matrix(fn):
    """Check ``fn([1, H, W, C]) -> [1, C, C]`` (divided by the number of locations H·W)."""
    from ._tf import tf

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
    from ._tf import tf

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
    from ._tf import tf

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
    from ._tf import tf

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
    from ._tf import tf

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


def check_answer(question, answer):
    """Check a multiple-choice answer to one of the notebooks' questions (see ``ANSWERS``)."""
    if question not in ANSWERS:
        raise ArgumentError(f"no question {question!r}: use one of {', '.join(ANSWERS)}")
    right, why = ANSWERS[question]
    reply = str(answer).strip().lower()
    if not reply or "?" in reply:  # still the placeholder: no hint, so nothing is given away
        print(t("Write your answer in the cell first, then run it."))
        return False
    if question == "layout_without_detail":  # "conv5_2" (the paper's name) = "block5_conv2"
        try:
            reply = canonical_layer(reply)
        except ValueError:
            pass
    if reply in right:
        print(t("✓ right: {why}", why=t(why)))
        return True
    hint = next((named for replies, named in WRONG_ANSWERS.get(question, ()) if reply in replies),
                HINTS.get(question, N_("Look at the figure again.")))
    print(t("✗ not quite ({answer}). {hint}", answer=repr(answer), hint=t(hint)))
    return False


# Keys name the question, never its answer; each answer is the set of replies that are right.
ANSWERS = {
    # notebook 02: which layer will give the reconstruction that keeps the layout but loses detail?
    "layout_without_detail": ({"block5_conv2", "block5"}, N_("the deepest layer keeps the arrangement of objects "
                                                "but has thrown away the exact pixel values")),
    # notebook 03: with how many style layers does the texture have the largest structures?
    "texture_scale": ({"4", "5"}, N_("each added layer sees larger patches of the painting (68 px for conv4_1, "
                                  "156 px for conv5_1) and, on the rescaled network, has its say in the loss: "
                                  "1–4's long light bands already cross the picture, 1–5 adds round swirls a "
                                  "third of it across (5 counts too)")),
    # notebook 05: α/β = 1e9 — does the photo or the painting win?
    "ratio_1e9": ({"photo"}, N_("with the style weight a billion times smaller than the content "
                             "weight, the content term wins and the result stays the photo")),
    # notebook 05: α/β = 1e2 from the photo — does the bridge's tower stay or vanish?
    "ratio_1e2": ({"stays", "stay"}, N_("below α/β = 1e4 nothing changes any more: the style term only asks for "
                                     "the painting's texture statistics, not for where things are, so from "
                                     "the photo the optimiser keeps the tower where it was")),
}

#: The plausible wrong answers, each with its own hint (any other wrong reply gets ``HINTS``).
#: Layer names are compared in Keras' spelling (``conv4_2`` is ``block4_conv2``).
WRONG_ANSWERS = {
    "layout_without_detail": (
        ({"block1_conv2", "block2_conv2", "block1", "block2"},
         N_("The shallow layers give the photo back almost exactly, fine detail included: the layer you want "
         "has thrown more away.")),
        ({"block3_conv2", "block3"}, N_("Block 3 still gives the photo back closely, with only coloured fringes: "
                                     "look deeper.")),
        ({"block4_conv2", "block4"}, N_("Block 4 (Gatys et al.'s content layer) still keeps the fur and the eyes: "
                                     "which layer keeps little more than where things are?")),
    ),
    "texture_scale": (
        ({"1"}, N_("conv1_1 alone sees 3 × 3 patches: it fixes which colours sit next to each other, nothing "
                "larger. Which layers see the largest patches of the painting?")),
        ({"2", "3"}, N_("conv2_1 and conv3_1 see patches of only 10 and 24 pixels. Which layers see larger "
                     "patches of the painting?")),
    ),
    "ratio_1e2": (
        ({"vanishes", "vanish", "disappears", "disappear", "gone", "goes"},
         N_("The style loss compares Gram matrices, which forget where things are: nothing in it asks the "
         "tower to go, and the run starts from the photo, where the tower is.")),
        ({"fades", "fade", "partly", "blurred", "blurs", "half"},
         N_("Not even fading: the style term has no reason to move or blur the tower. Answer \"stays\" or "
         "\"vanishes\".")),
    ),
}

HINTS = {
    "layout_without_detail": N_("Which layer has seen the most processing — and thrown the most away?"),
    "texture_scale": N_("Which layers see the largest patches of the painting?"),
    "ratio_1e9": N_("α multiplies the content loss, β the style loss. Which wins when α/β is huge?"),
    "ratio_1e2": N_("Does the style loss know where the tower is? The run starts from the photo."),
}


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
    from ._tf import tf

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
    from ._tf import tf

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
        print(t("using none of yours yet (the package's {functions} stand in; yours do not pass their "
                "checks yet)", functions=_names(missing)))
    else:
        print(t("using your {functions}", functions=_names(sorted(good)))
              + ("" if not missing else t("; the package's {functions} (yours do not pass their checks yet)",
                                          functions=_names(missing))))
    return good


def _names(names):
    """["a", "b", "c"] → "a, b and c" (in the notebooks' language)."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + t(" and ") + names[-1]


#: The layers :func:`check_extractor` asks for: out of depth order, so a model that sorts them
#: (or returns Keras' layer order) is caught, and block1_conv1 first for the NumPy comparison.
EXTRACTOR_LAYERS = ("block1_conv1", "block3_conv1", "block2_conv2")


def reference_first_layer(x, kernel, bias):
    """NumPy ``block1_conv1``: a 3 × 3 'same' convolution (zero padding, cross-correlation as in
    Keras) of ``x [1, H, W, 3]`` (VGG-preprocessed) with ``kernel [3, 3, 3, 64]``, plus ``bias``,
    then the ReLU. Returns ``[1, H, W, 64]`` float64."""
    x = np.asarray(x, np.float64)[0]
    h, w, _ = x.shape
    padded = np.pad(x, ((1, 1), (1, 1), (0, 0)))
    out = np.zeros((h, w, kernel.shape[-1]))
    for i in range(3):
        for j in range(3):
            out += padded[i:i + h, j:j + w] @ np.asarray(kernel[i, j], np.float64)
    return np.maximum(out + bias, 0.0)[None]


def check_extractor(fn):
    """Check ``fn(layer_names) -> tf.keras.Model`` from VGG-preprocessed images ``[1, H, W, 3]``
    to one output per name, in the order of the names (the TensorFlow tutorial's ``vgg_layers``).

    Its outputs on a fixed random image are compared with the package's ``FeatureExtractor``
    and, for ``block1_conv1``, with a NumPy convolution of the series' own weights
    (:func:`reference_first_layer`), so a bug the package shared would not pass either.
    """
    from ._tf import tf
    from .features import FeatureExtractor, preprocess
    from .weights import resolve_weights

    names = list(EXTRACTOR_LAYERS)
    image = np.random.default_rng(9).uniform(size=(1, 20, 28, 3)).astype(np.float32)
    x = preprocess(tf.constant(image))
    ok, model = _call("my_vgg_layers", fn, names)
    if not ok:
        return False
    if not callable(model):
        print(t("✗ my_vgg_layers returned {kind}: return tf.keras.Model(vgg.input, outputs)",
                kind=type(model).__name__))
        return False
    ok, got = _call(t("your model"), model, x)
    if not ok:
        return False
    got = list(got) if isinstance(got, (list, tuple)) else [got]
    if len(got) != len(names):
        print(t("✗ the model has {outputs} output(s) for {names} layer names. Hint: one output per "
                "name: [vgg.get_layer(name).output for name in layer_names]", outputs=len(got), names=len(names)))
        return False
    got = [np.asarray(g, np.float64) for g in got]
    want = [np.asarray(v, np.float64) for v in FeatureExtractor(names)(tf.constant(image)).values()]
    shapes = [g.shape for g in got]
    if sorted(map(str, shapes)) == sorted(str(w.shape) for w in want) and shapes != [w.shape for w in want]:
        print(t("✗ the outputs come in another order than the names (shapes {shapes}, expected {want}). "
                "Hint: build the list in the order of layer_names", shapes=shapes, want=[w.shape for w in want]))
        return False
    for name, g, w in zip(names, got, want):
        if g.shape != w.shape:
            print(t("✗ {name}: shape {got}, expected {want}. Hint: {hint}", name=name, got=g.shape, want=w.shape,
                    hint=t("use vgg.get_layer({layer}).output", layer=repr(name))))
            return False
    if any(g.min() < 0 for g in got):
        print(t("✗ some features are negative: VGG's features are taken after the ReLU. Hint: take "
                "vgg.get_layer(name).output (Keras' Conv2D applies its ReLU inside the layer)"))
        return False
    kernel, bias = resolve_weights(verbose=False).layers["block1_conv1"]
    numpy_first = reference_first_layer(x, kernel, bias)
    twice = reference_first_layer(preprocess(x), kernel, bias)
    if np.max(np.abs(got[0] - twice)) <= TOLERANCE * np.max(np.abs(twice)):
        print(t("✗ your model preprocesses its input again: it receives nst.preprocess(image) already, "
                "as Keras' VGG19 expects. Hint: tf.keras.Model(vgg.input, outputs), nothing in between"))
        return False
    others = None  # a model built on the right network with a wrong layer: name the layer it took
    for name, g, w in zip(names, got, want):
        if np.max(np.abs(g - w)) <= TOLERANCE * max(1e-6, float(np.max(np.abs(w)))):
            continue
        if others is None:
            from .layers import CONV_LAYERS

            others = FeatureExtractor(list(CONV_LAYERS))(tf.constant(image))
        for other, v in others.items():
            v = np.asarray(v, np.float64)
            if other != name and v.shape == g.shape and np.max(np.abs(g - v)) <= TOLERANCE * max(
                    1e-6, float(np.max(np.abs(v)))):
                print(t("✗ {name}: these are the features of {other}. Hint: {hint}", name=name, other=other,
                        hint=t("use vgg.get_layer({layer}).output", layer=repr(name))))
                return False
    if not _close(t("block1_conv1 against a NumPy convolution"), got[0], numpy_first,
                  t("build on nst.vgg19(), the frozen VGG19 with the series' weights "
                    "(tf.keras.applications.VGG19(weights=None) has random ones)")):
        return False
    for name, g, w in zip(names[1:], got[1:], want[1:]):
        if not _close(name, g, w, t("vgg.get_layer({layer}).output of nst.vgg19()", layer=repr(name))):
            return False
    print(t("✓ my_vgg_layers is correct: {count} outputs, in order, equal to the package's and "
            "(block1_conv1) to a NumPy convolution", count=len(names)))
    return True


def _close(name, got, want, hint):
    """Features agree up to float32 rounding, relative to the layer's largest activation (an
    elementwise relative error would flag the many values near zero). ``hint`` comes translated."""
    err = float(np.max(np.abs(got - want)) / max(1e-6, float(np.max(np.abs(want)))))
    if err < TOLERANCE:
        return True
    print(t("✗ {name}: largest difference {error} of the largest feature (should be below {tolerance}). "
            "Hint: {hint}", name=name, error=f"{err:.1e}", tolerance=f"{TOLERANCE:g}", hint=hint))
    return False

#: The TensorFlow tutorial's Adam settings and loss weights, written here again on purpose: the
#: reference loop below must not share code with the package it checks.
TUTORIAL_ADAM = {"learning_rate": 0.02, "beta_1": 0.99, "beta_2": 0.999, "epsilon": 0.1}
TUTORIAL_WEIGHTS = (1e4, 1e-2, 30.0)

# The common mistakes, as changes to the reference loop, each with the fix it needs. A wrong
# epsilon alone is not among them: the pixels' gradients are far larger than 0.1, so ε = 1e-7
# gives the same picture to within the check's tolerance (tests/test_student_loop.py); Keras'
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
    from ._tf import tf

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
    from . import defaults, features
    from ._tf import tf

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


def check_loop(fn, steps=5, tolerance=2e-3):
    """Check the student's whole loop ``fn(content, style, steps)``: the TensorFlow tutorial's Adam
    (lr 0.02, β₁ 0.99, ε 0.1) on the pixels of ``tf.Variable(content)``, loss α·content +
    β·style + γ·TV with the tutorial's weights and layers, clipped to [0, 1] after every step.

    ``fn`` returns the final image ``[1, H, W, 3]``, or ``(image, losses)`` with the total loss
    before each step. Runs ``steps`` steps on a tiny ``[1, 24, 32, 3]`` pair and compares with
    :func:`reference_loop` (largest pixel difference below ``tolerance``); when they differ,
    names the common mistake that gives the student's picture."""
    from ._tf import tf

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
    want, want_losses = reference_loop(content, style, steps)
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
        if float(np.max(np.abs(got - reference_loop(content, style, steps, **change)[0]))) < tolerance:
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


# ---------------------------------------------------------------------------------------------
# Exercises where the student computes a number from printed measurements (notebooks 4 and 5).
# Each reference is NumPy arithmetic on the numbers the notebook printed; each named mistake is
# the same arithmetic done the usual wrong way, with its own hint.

#: Relative tolerance for answers computed by hand from printed numbers (3–4 significant digits).
READ_TOLERANCE = 0.03


def _numbers(name, answer, count):
    """The student's answer as ``count`` floats, or None after printing what is wrong with it."""
    name = t(name)
    if answer is None or answer is Ellipsis or (isinstance(answer, str) and "?" in answer):
        print(t("Write your answer in the cell first, then run it."))
        return None
    try:
        values = np.asarray(answer, np.float64).ravel()
    except Exception:  # noqa: BLE001 - anything unconvertible is a wrong answer
        print(t("✗ {name}: returned {kind}, which is not a number or array ({error})", name=name,
                kind=type(answer).__name__, error="float"))
        return None
    if values.size != count:
        print(t("✗ {name}: {got} number(s), expected {want}", name=name, got=values.size, want=count))
        return None
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        print(t("✗ {name}: every value must be a positive number", name=name))
        return None
    return values


def _close_to(got, want, tolerance=READ_TOLERANCE):
    got, want = np.asarray(got, np.float64).ravel(), np.asarray(want, np.float64).ravel()
    return got.shape == want.shape and bool(np.all(np.abs(got - want) <= tolerance * np.abs(want)))


def _judge(name, got, want, slips, fallback, shown):
    """Right (within READ_TOLERANCE), one of the named ``slips`` ({hint: value}), or wrong with
    ``fallback``. ``shown`` formats a value for the message."""
    name = t(name)
    if _close_to(got, want):
        print(t("✓ {name} is correct: {value}", name=name, value=shown(got)))
        return True
    for hint, value in slips.items():
        if _close_to(got, value):
            print(t("✗ {name}: {value}. Hint: {hint}", name=name, value=shown(got), hint=t(hint)))
            return False
    print(t("✗ {name}: {value}. Hint: {hint}", name=name, value=shown(got), hint=t(fallback)))
    return False


def reference_tv_weight(rows, gamma=30.0):
    """The γ at the smallest size in ``rows`` (``experiments.tv_by_size``'s: ``size``, ``tv`` = γ·TV,
    ``style`` = β·style at the photo) that gives TV the same share of the starting loss as ``gamma``
    at the largest: the shares are γ·TV / β·style (content is 0 at the photo), so
    γ' = γ · (TV_L / style_L) / (TV_S / style_S)."""
    small, large = min(rows, key=lambda r: r["size"]), max(rows, key=lambda r: r["size"])
    return gamma * (large["tv"] / large["style"]) / (small["tv"] / small["style"])


def check_tv_weight(answer, rows, gamma=30.0):
    """Check the γ that, at the table's smallest size, weighs TV as ``gamma`` does at its largest
    (notebook 4, section 4.5). Names four slips: the ratio upside down, the pixel count alone,
    the TV ratio alone (the style term changed too), and forgetting that the printed TV is γ·TV."""
    got = _numbers("γ", answer, 1)
    if got is None:
        return False
    small, large = min(rows, key=lambda r: r["size"]), max(rows, key=lambda r: r["size"])
    want = reference_tv_weight(rows, gamma)
    slips = {
        N_("the other way round: at the smaller size TV is a smaller part of the loss, so γ must grow"):
            gamma * (small["tv"] / small["style"]) / (large["tv"] / large["style"]),
        N_("the pixel count alone is not enough: TV grew less than the pixels (a downscaled photo has larger "
        "jumps per pixel) and the style term changed too; use the printed γ·TV and β·style"):
            gamma * large["pixels"] / small["pixels"],
        N_("the style term changed with the size too: TV's share is γ·TV ÷ β·style, so use the ratio of "
        "the two at each size"):
            gamma * large["tv"] / small["tv"],
        N_("the printed TV is already γ·TV with γ = 30: multiply your ratio by 30"):
            want / gamma,
    }
    return _judge("γ", got[0], want, slips,
                  N_("make γ·TV ÷ β·style at the smallest size equal to the same ratio at the largest"),
                  lambda v: f"{float(np.ravel(v)[0]):.3g}")


def check_content_factors(answer, mean_squares):
    """Check the factor on α per content layer (notebook 5, section 5.1): the first layer's target
    mean square ÷ each layer's, so that every layer's term has the same size relative to its own
    activations (``experiments.content_target_scales`` computes the same; this reference is the
    arithmetic on the printed mean squares)."""
    ms = np.asarray(mean_squares, np.float64).ravel()
    got = _numbers(N_("α factors"), answer, ms.size)
    if got is None:
        return False
    want = ms[0] / ms
    slips = {
        N_("the other way round: a layer with larger activations pulls harder, so it needs a smaller α "
        "(its factor below 1)"): ms / ms[0],
        N_("relative to block5_conv2's mean square: multiply by it, so that block5_conv2's own factor is 1"):
            1.0 / ms,
        N_("the factor on α, not α itself: leave out the 1e4"): 1e4 * want,
    }
    return _judge("α factors", got, want, slips,
                  N_("each factor is block5_conv2's mean square ÷ the layer's"),
                  lambda v: ", ".join(f"{x:.3g}" for x in np.ravel(v)))


def check_beta_factors(answer, start_losses, end_losses):
    """Check the factor on β per style depth that gives every run the first run's style loss at the
    start (notebook 5, section 5.2; ``style_depth_comparison(equal_start=True)`` uses the same
    rule): start loss of the first ÷ each run's. Names the slips: upside down, the losses at the
    end instead of the start, relative to the last run instead of the first."""
    starts = np.asarray(start_losses, np.float64).ravel()
    ends = np.asarray(end_losses, np.float64).ravel()
    got = _numbers(N_("β factors"), answer, starts.size)
    if got is None:
        return False
    want = starts[0] / starts
    slips = {
        N_("the other way round: a run whose style loss starts smaller needs a larger β"): starts / starts[0],
        N_("use the losses at the start (the photo), not at the end: the rule makes the runs begin equal"):
            ends[0] / ends,
        N_("relative to the 1–5 run, the first: its own factor is 1"): starts[-1] / starts,
    }
    return _judge("β factors", got, want, slips,
                  N_("each factor is the 1–5 run's start loss ÷ the run's own start loss"),
                  lambda v: ", ".join(f"{x:.3g}" for x in np.ravel(v)))


#: Exercise 14 (notebook 5): panel letter → index into ``experiments.ratio_grid``'s default ratios
#: (1e4, 1e6, 1e7, 1e8). Fixed, so the instructor guide can give the answer.
RATIO_SHUFFLE = {"A": 2, "B": 0, "C": 3, "D": 1}


def shuffled_panels(grid):
    """``[(letter, image)]`` of the ratio grid's panels in the order of :data:`RATIO_SHUFFLE`,
    without their ratios (for Exercise 14)."""
    return [(letter, grid[index][1].image if hasattr(grid[index][1], "image") else grid[index][1])
            for letter, index in RATIO_SHUFFLE.items()]


def check_ratio_order(answer):
    """Check the letters of the shuffled ratio panels sorted from the smallest α/β to the largest."""
    if answer is None or answer is Ellipsis or "?" in str(answer) or not str(answer).strip():
        print(t("Write your answer in the cell first, then run it."))
        return False
    letters = [c for c in str(answer).upper() if c.isalpha()]
    want = sorted(RATIO_SHUFFLE, key=RATIO_SHUFFLE.get)
    if sorted(letters) != sorted(RATIO_SHUFFLE):
        print(t("✗ order: {answer}. Hint: write the four letters A, B, C and D, each once, e.g. \"DCBA\"",
                answer=repr(answer)))
        return False
    if letters == want:
        print(t("✓ order is correct: {order} (α/β = 1e4, 1e6, 1e7, 1e8)", order="".join(letters)))
        return True
    if letters == want[::-1]:
        print(t("✗ order: {order}. Hint: the other way round: start with the panel that is most painting "
                "(the smallest α/β gives the style the most weight)", order="".join(letters)))
        return False
    first = next(i for i, (a, b) in enumerate(zip(letters, want)) if a != b)
    if letters[0] != want[0]:
        hint = (N_("the first panel should be the one with the least of the photo: no cable shows through "
                "the swirls"))
    elif letters[-1] != want[-1]:
        hint = N_("the last panel should be the one with the photo's own colours back (the orange lights, the dark sky)")
    else:
        hint = N_("the two middle panels: in which one is the bridge clearer?")
    print(t("✗ order: {order} (the first {count} in place). Hint: {hint}", order="".join(letters),
            count=first, hint=t(hint)))
    return False


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
    from ._tf import tf

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
    """The start both loops take, ``optimize.initial_image("noise", picture)``: Gatys et al.'s
    white noise (the package's, seeded), the input the student's loop and the reference share."""
    from .optimize import initial_image

    return np.asarray(initial_image("noise", picture), np.float32)


def reference_content_loop(photo, layer, steps, **bugs):
    """Notebook 2's loop: from the grey start, Adam on the mean squared difference between the
    image's and the photo's ``layer`` activations (:func:`reference_adam`)."""
    from . import features
    from ._tf import tf

    extract = features.extractor((layer,), "imagenet")
    target = extract(tf.constant(photo))[layer]
    return reference_adam(_grey_noise(photo), lambda x: tf.reduce_mean(tf.square(extract(x)[layer] - target)),
                          steps, **bugs)


def reference_texture_loss(painting, layers, only=None):
    """The style loss of notebook 3's loop as a function of the image: the mean over ``layers`` of
    mean((G(image) − G(painting))²), G divided by h·w (the targets in NumPy,
    :func:`reference_gram`). ``only``: the index of a single layer (a mistake)."""
    from . import features
    from ._tf import tf

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


def _gradient_advice(exc):
    """The usual fix when a student's loop fails because the gradient was None."""
    if "gradient" in str(exc).lower() or "None" in str(exc):
        return " " + t("Hint: the gradient is None when the tape did not see the variable: take "
                       "tape.gradient(loss, image) of the tf.Variable you optimise, and keep it a "
                       "Variable (image.assign(...), not image = ...).")
    return ""


def _run_student_loop(name, fn, *args):
    """:func:`_call` for a student's whole loop, with the usual fix when the gradient was None."""
    return _call(name, fn, *args, advise=_gradient_advice)


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
    ``optimize.initial_image("noise", photo)``, the tutorial's Adam (lr 0.02, β₁ 0.99, ε 0.1) on
    the content loss of ``layer``, clipped to [0, 1] after every step. Runs ``steps`` steps on a
    tiny ``[1, 24, 32, 3]`` photo and compares with :func:`reference_content_loop` (mean absolute
    pixel difference below ``tolerance``: Adam's normalised steps amplify float rounding into a
    few pixels, so the largest difference is no measure); when they differ, names the mistake that gives the picture."""
    photo, _ = _loop_pictures()
    return _check_pixel_loop("my_reconstruct_content", fn, (photo, CONTENT_LOOP_LAYER, steps),
                             lambda steps=steps, **bugs: reference_content_loop(photo, CONTENT_LOOP_LAYER, steps, **bugs),
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
                             lambda steps=steps, **bugs: reference_texture_loop(painting, layers, steps, **bugs),
                             TEXTURE_LOOP_BUGS, tolerance)


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
