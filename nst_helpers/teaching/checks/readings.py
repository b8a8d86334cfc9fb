"""Exercises where the student computes a number from printed measurements (notebooks 4 and 5).
Each reference is NumPy arithmetic on the numbers the notebook printed; each named mistake is
the same arithmetic done the usual wrong way, with its own hint."""

import numpy as np

from ...language import N_, t

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


def _first_over_each(label, answer, values):
    """``(values, the student's numbers, values[0] ÷ values)`` as float64 vectors, or None when the
    answer is not ``values.size`` numbers (:func:`_numbers` has already said why)."""
    values = np.asarray(values, np.float64).ravel()
    got = _numbers(label, answer, values.size)
    return None if got is None else (values, got, values[0] / values)


def check_content_factors(answer, mean_squares):
    """Check the factor on α per content layer (notebook 5, section 5.1): the first layer's target
    mean square ÷ each layer's, so that every layer's term has the same size relative to its own
    activations (``experiments.content_target_scales`` computes the same; this reference is the
    arithmetic on the printed mean squares)."""
    checked = _first_over_each(N_("α factors"), answer, mean_squares)
    if checked is None:
        return False
    ms, got, want = checked
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
    checked = _first_over_each(N_("β factors"), answer, start_losses)
    if checked is None:
        return False
    starts, got, want = checked
    ends = np.asarray(end_losses, np.float64).ravel()
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
