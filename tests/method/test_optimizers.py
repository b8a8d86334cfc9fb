"""optimizers: L-BFGS and Adam as the engine runs them (evaluations in range, stop reasons, one BLAS
thread, the default basis per optimiser), on the real VGG19 weights at 64 px."""

import sys

import numpy as np
import pytest

import nst_helpers as nst
from nst_helpers import engine, losses, optimizers


class _Counting:
    """An objective that counts its loss-and-gradient evaluations and logs each loss."""

    def __init__(self, objective):
        self.objective, self.extractor, self.losses = objective, objective.extractor, []

    def value_and_grad(self, image):
        total, terms, grad = self.objective.value_and_grad(image)
        self.losses.append(float(total))
        return total, terms, grad


class _Recording:
    """An objective that records every image the optimiser evaluates."""

    def __init__(self, objective):
        self.objective, self.extractor, self.seen = objective, objective.extractor, []

    def value_and_grad(self, image):
        self.seen.append(np.asarray(image))
        return self.objective.value_and_grad(image)


def test_lbfgs_beats_adam_at_equal_evaluations(content64, style64):
    # Wall-clock races belong in the benchmark; here both get the same number of loss-and-gradient
    # evaluations (the unit of work), which no busy machine can change. L-BFGS's line search
    # takes several evaluations per step, so its run is cut at Adam's count of evaluations.
    objective = losses.Objective(content64, style64, precision="float32")
    adam, lbfgs = _Counting(objective), _Counting(objective)
    adam_run = engine.run(adam, content64, steps=30, optimizer="adam", progress=False)
    engine.run(lbfgs, content64, steps=30, optimizer="lbfgs", progress=False)
    budget = len(adam.losses)
    assert budget == adam_run.evaluations == 31  # the start and one per step
    assert len(lbfgs.losses) > budget, "L-BFGS must have used more evaluations than Adam to be cut"
    # Every value L-BFGS evaluated within the budget counts, as every one of Adam's does. Seen:
    # 0.51 of Adam's loss; an L-BFGS that evaluated every accepted iterate twice reached 0.83.
    assert min(lbfgs.losses[:budget]) < 0.7 * min(adam.losses), (min(lbfgs.losses[:budget]), min(adam.losses))


def test_lbfgs_evaluates_only_images_in_range(content64, style64):
    # A large style weight pushes pixels hard against 0 and 1: every image the optimiser itself
    # evaluates (not the Result, which is clipped anyway) must stay inside [0, 1].
    obj = _Recording(losses.Objective(content64, style64, style_weight=10.0))
    r = engine.run(obj, content64, steps=8, progress=False, basis="pixels")
    seen = np.stack(obj.seen)
    assert seen.min() >= 0.0 and seen.max() <= 1.0
    assert (seen == 0.0).any() or (seen == 1.0).any()  # the bounds were actually reached
    assert r.history["total"][-1] < r.history["total"][0] / 2


def test_stop_reason_says_why_lbfgs_ended(content64, style64, monkeypatch):
    done = nst.transfer(content64, style64, steps=3, progress=False)
    assert done.stop_reason == "steps" and "all steps" in repr(done)

    # A gradient pointing uphill: no step along it lowers the loss, so the line search fails.
    original = losses.Objective.value_and_grad
    monkeypatch.setattr(losses.Objective, "value_and_grad",
                        lambda obj, image: (lambda t, terms, g: (t, terms, -g))(*original(obj, image)))
    r = nst.transfer(content64, style64, steps=20, progress=False, init="content", precision="float32")
    # SciPy ends this either as ABNORMAL (line search) or as no relative reduction (converged).
    assert r.stop_reason in ("line search", "converged") and not r.interrupted and r.steps < 20
    assert r.why in repr(r)
    assert optimizers.lbfgs_reason(2, "ABNORMAL_TERMINATION_IN_LNSRCH") == "line search"
    assert optimizers.lbfgs_reason(1, "STOP: TOTAL NO. OF F,G EVALUATIONS EXCEEDS LIMIT") == "evaluations"
    assert optimizers.lbfgs_reason(0, "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL") == "converged"


def test_pyramid_basis_runs_every_step_downhill(content64, style64):
    # A wrong pullback would hand L-BFGS a direction that is not downhill: its line search
    # would fail within a few steps. Accepted L-BFGS iterates satisfy the Wolfe conditions, so
    # the recorded loss can only fall.
    r = nst.transfer(content64, style64, steps=12, progress=False, precision="float32", basis="pyramid")
    assert r.settings["basis"] == "pyramid" and r.stop_reason == "steps" and r.steps == 12
    total = np.asarray(r.history["total"])
    assert np.all(np.diff(total) < 0) and total[-1] < 0.5 * total[0]


def test_default_basis_per_optimiser_and_bad_ones(content64, style64):
    assert nst.transfer(content64, style64, steps=1, progress=False).settings["basis"] == "pyramid"
    assert nst.transfer(content64, style64, steps=1, progress=False,
                        optimizer="adam").settings["basis"] == "pixels"
    with pytest.raises(nst.ArgumentError, match="Adam .* pixels"):
        nst.transfer(content64, style64, steps=1, progress=False, optimizer="adam", basis="pyramid")
    for gone in ("wavelets", "pyramid+colour"):  # the colour pyramid was measured and lost
        with pytest.raises(nst.ArgumentError, match="basis must be one of"):
            nst.transfer(content64, style64, steps=1, progress=False, basis=gone)


@pytest.mark.parametrize("stop", [False, True])
def test_lbfgs_runs_blas_on_one_thread_and_restores_it(content64, style64, stop):
    # OpenBLAS's idle threads spin on the cores TensorFlow's next evaluation needs (README,
    # Performance): inside an L-BFGS run every BLAS library must be limited to one thread, and
    # afterwards (also when a callback stops the run) the user's limits must be back.
    threadpoolctl = pytest.importorskip("threadpoolctl")
    import scipy.optimize  # noqa: F401 - loads SciPy's own OpenBLAS before the limits are read

    def blas_threads():
        return sorted(i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas")

    before, during = blas_threads(), []
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        outside = blas_threads()
        if not outside or any(n != 2 for n in outside):
            pytest.skip(f"needs a BLAS that can run two threads (here: {outside}), e.g. on one core")
        r = nst.transfer(content64, style64, steps=3, every=1, progress=False,
                         callback=lambda s, im, t: during.append(blas_threads()) or (stop and s >= 2))
        assert blas_threads() == outside
    assert blas_threads() == before
    # With a stop, the last call is the one after the run, with the best image: limits restored.
    in_run = during[:-1] if stop else during
    assert len(in_run) == (2 if stop else 3)
    assert all(d == [1] * len(outside) for d in in_run)
    assert r.stop_reason == ("stopped" if stop else "steps")


def test_lbfgs_without_threadpoolctl_runs_the_same(content64, style64, monkeypatch):
    # Colab's runtime may lack threadpoolctl: the limit is then skipped, nothing else changes.
    ref = nst.transfer(content64, style64, steps=3, progress=False, precision="float32")
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)  # `import threadpoolctl` now fails
    with pytest.raises(ImportError):
        import threadpoolctl  # noqa: F401
    r = nst.transfer(content64, style64, steps=3, progress=False, precision="float32")
    assert r.stop_reason == "steps" and r.steps == 3
    np.testing.assert_allclose(r.image.numpy(), ref.image.numpy(), atol=1e-3)
