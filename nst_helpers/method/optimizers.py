"""The two optimisers the engine runs: SciPy's L-BFGS-B and the TensorFlow tutorial's Adam.

Each takes the engine's tracker (:class:`nst_helpers.method.engine.Tracker`), calls
``tracker.evaluate(image)`` for every loss-and-gradient and ``tracker.record(image)`` once per
accepted step (the start image first), and returns why it ended (a key of
:data:`nst_helpers.method.engine.STOP_REASONS`). Interruptions and stopping rules arrive as exceptions
raised from those two calls; the engine catches them.
"""

import contextlib

import numpy as np

from ..machine._tf import tf
from . import basis as bases
from .defaults import ADAM_RECIPE


def make_basis(basis, shape):
    """``basis`` (a name of :data:`~nst_helpers.method.defaults.BASIS_CHOICES`, already checked, or a basis
    object) as an object for images of ``shape``."""
    return bases.make_basis(basis, shape) if isinstance(basis, str) else basis


def lbfgs(state, basis, memory=20):
    """SciPy's L-BFGS-B on the coefficients of ``basis`` (see :mod:`nst_helpers.method.basis`).

    The image is ``clip(decode(z), 0, 1)``, minimised without box constraints: on the valid
    images it is the same function, and SciPy's bound handling (the generalised Cauchy point)
    is costly per iteration (measured: docs/performance.md). The gradient is zero for a pixel
    pushed beyond a bound, exactly as the clip makes it.

    ``memory`` (SciPy's ``maxcor``) is a private lever for ``benchmarks/ablation.py``: other
    values lost (measured: docs/performance.md).
    """
    from scipy.optimize import minimize

    cache = {}

    def image_of(z):
        x = basis.decode(z)
        return tf.clip_by_value(x, 0.0, 1.0), x

    def fun(z):
        image, x = image_of(z)
        loss, grad = state.evaluate(image)
        cache["x"], cache["terms"], cache["image"] = z, dict(state.last_terms), image
        # The clip's own gradient: zero for a pixel beyond a bound.
        grad = tf.where((x < 0.0) | (x > 1.0), 0.0, grad)
        return loss, basis.pullback(grad)

    def iteration(intermediate_result):
        # SciPy reports the accepted iterate; its terms are those of the last evaluation at x.
        z = intermediate_result.x
        if cache.get("x") is not z and not np.array_equal(cache.get("x"), z):
            fun(z)
        state.last_terms = cache["terms"]
        state.record(cache["image"])

    z0 = basis.encode(state.init.numpy())
    with single_threaded_blas():
        fun(z0)
        state.record(state.init)
        res = minimize(fun, z0, jac=True, method="L-BFGS-B", callback=iteration,
                       options={"maxiter": state.steps, "maxfun": state.steps * 4, "maxcor": memory,
                                "ftol": 0.0, "gtol": 0.0})
    return lbfgs_reason(res.status, str(res.message))


def single_threaded_blas():
    """A context in which NumPy's and SciPy's BLAS (OpenBLAS) run on one thread.

    L-BFGS-B's own arithmetic is a few vector operations per step, too small to gain from
    threads; but OpenBLAS's threads keep spinning for a while after each call, on the cores
    TensorFlow's next evaluation needs (measured: docs/performance.md); the iterates are the
    same. Uses threadpoolctl, which restores the previous limits on exit (also after Ctrl-C);
    without threadpoolctl installed, nothing changes but the speed.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def lbfgs_reason(status, message):
    """SciPy's L-BFGS-B (status, message) → a key of :data:`~nst_helpers.method.engine.STOP_REASONS`."""
    message = message.upper()
    if status == 0:
        return "converged"
    if status == 1:
        return "evaluations" if "EVALUATIONS" in message else "steps"
    if "LNSRCH" in message or "ABNORMAL" in message or "LINE SEARCH" in message:
        return "line search"
    return message.lower() or "unknown"


def adam(state, recipe=ADAM_RECIPE):
    """The TensorFlow tutorial's Adam on the pixels, clipped to [0, 1] after every step."""
    lr, b1, b2, eps = (recipe[k] for k in ("learning_rate", "beta_1", "beta_2", "epsilon"))
    image = state.init
    m = tf.zeros_like(image)
    v = tf.zeros_like(image)
    loss, grad = state.evaluate(image)
    state.record(image)
    for t in range(1, state.steps + 1):
        image, m, v = _adam_update(image, grad, m, v, tf.constant(float(t)), lr, b1, b2, eps)
        loss, grad = state.evaluate(image)
        state.record(image)
    return "steps"


@tf.function(reduce_retracing=True)
def _adam_update(image, grad, m, v, t, lr, b1, b2, eps):
    # Keras' Adam, written out: bias-corrected step size, epsilon added to sqrt(v).
    m = b1 * m + (1.0 - b1) * grad
    v = b2 * v + (1.0 - b2) * tf.square(grad)
    alpha = lr * tf.sqrt(1.0 - tf.pow(b2, t)) / (1.0 - tf.pow(b1, t))
    image = tf.clip_by_value(image - alpha * m / (tf.sqrt(v) + eps), 0.0, 1.0)
    return image, m, v
