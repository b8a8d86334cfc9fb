"""How every check speaks: a relative error, a verdict with its hint, a named mistake, a
student's function called without letting its exception escape."""

import numpy as np

from ...language import t

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


def _names(names):
    """["a", "b", "c"] → "a, b and c" (in the notebooks' language)."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + t(" and ") + names[-1]


#: The layers :func:`check_extractor` asks for: out of depth order, so a model that sorts them


def _close(name, got, want, hint):
    """Features agree up to float32 rounding, relative to the layer's largest activation (an
    elementwise relative error would flag the many values near zero). ``hint`` comes translated."""
    err = float(np.max(np.abs(got - want)) / max(1e-6, float(np.max(np.abs(want)))))
    if err < TOLERANCE:
        return True
    print(t("✗ {name}: largest difference {error} of the largest feature (should be below {tolerance}). "
            "Hint: {hint}", name=name, error=f"{err:.1e}", tolerance=f"{TOLERANCE:g}", hint=hint))
    return False


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
