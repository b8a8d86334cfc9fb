"""engine: the run loop's Ctrl-C (the best image so far, also mid-evaluation), callbacks, a non-finite
loss, and the stopping rules (progress, time budget)."""

import numpy as np
import pytest

import nst_helpers as nst
from nst_helpers import losses, tasks


class _InterruptAt:
    """Raises KeyboardInterrupt at the n-th evaluation, as Ctrl-C would arrive mid-computation."""

    def __init__(self, n):
        self.n, self.calls = n, 0

    def __call__(self, original):
        def wrapped(obj, image):
            self.calls += 1
            if self.calls == self.n:
                raise KeyboardInterrupt
            return original(obj, image)
        return wrapped


def test_interrupt_returns_the_best_image_so_far(content64, style64):
    """Ctrl-C mid-run (here raised by a callback, as Jupyter's interrupt would arrive)."""
    seen = []

    def callback(step, image, terms):
        seen.append(step)
        if step >= 3:
            raise KeyboardInterrupt

    r = nst.transfer(content64, style64, steps=50, callback=callback, every=1, progress=False)
    assert r.interrupted and r.stop_reason == "interrupted" and r.steps <= 4 and seen[:3] == [1, 2, 3]
    assert r.loss < r.history["total"][0]
    obj = losses.Objective(content64, style64, precision=r.settings["precision"])
    assert float(obj.terms(r.image)["total"]) == pytest.approx(r.loss, rel=1e-3)


def test_callback_returning_true_stops(content64, style64):
    r = nst.transfer(content64, style64, steps=50, callback=lambda s, im, t: s >= 2, every=1,
                     progress=False, optimizer="adam")
    assert r.interrupted and r.steps == 2 and r.stop_reason == "stopped" and "Stop" in r.why


def test_callback_every_k_steps_sees_images(content64, style64):
    frames = []
    nst.transfer(content64, style64, steps=6, every=2, progress=False,
                 callback=lambda s, im, t: frames.append((s, im.shape, sorted(t))))
    assert [f[0] for f in frames] == [2, 4, 6]
    assert frames[0][1] == content64.shape and frames[0][2] == ["content", "style", "total", "tv"]


def test_interrupt_during_the_first_evaluation_gives_the_start_image(content64, style64, monkeypatch):
    trap = _InterruptAt(1)
    monkeypatch.setattr(losses.Objective, "value_and_grad", trap(losses.Objective.value_and_grad))
    r = nst.transfer(content64, style64, steps=10, init="content", progress=False)
    assert r.interrupted and r.stop_reason == "interrupted" and r.steps == 0
    assert r.history["total"] == [] and np.isnan(r.loss) and "no step finished" in repr(r)
    np.testing.assert_array_equal(r.image.numpy(), content64.numpy())


def test_interrupt_while_the_targets_are_computed_gives_the_start_image(content64, style64, monkeypatch):
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(tasks, "Objective", interrupted)
    r = nst.transfer(content64, style64, steps=10, init="content", progress=False)
    assert r.interrupted and r.image.shape == content64.shape
    np.testing.assert_array_equal(r.image.numpy(), content64.numpy())


def test_non_finite_loss_is_a_package_error(content64, style64):
    with pytest.raises(nst.LossNotFinite, match="NaN or infinite") as err:
        nst.transfer(content64, style64, steps=3, style_weight=float("inf"), progress=False)
    assert isinstance(err.value, nst.NSTError) and isinstance(err.value, FloatingPointError)


@pytest.mark.parametrize("optimizer", ["lbfgs", "adam"])
def test_progress_rule_stops_at_the_first_step_it_allows(content64, style64, optimizer):
    # Checked against the rule applied by hand to the run's own loss history: the run stops at
    # the first step k ≥ window where min(loss[:k-window+1]) − min(loss[:k+1]) < fraction × the latter.
    fraction, window = 0.05, 4
    r = nst.transfer(content64, style64, steps=200, optimizer=optimizer, progress=False,
                     precision="float32", min_progress=(fraction, window))
    best = np.minimum.accumulate(r.history["total"])
    allowed = [k for k in range(window, len(best)) if best[k - window] - best[k] < fraction * best[k]]
    assert allowed, "the rule should have been met within 200 steps"
    assert r.stop_reason == "progress" and not r.interrupted
    assert r.steps == allowed[0] and len(best) == allowed[0] + 1
    assert "lowered the loss by less than 0.05" in r.why


def test_progress_rule_leaves_fast_progress_alone(content64, style64):
    # Adam from the photo lowers the loss by far more than 0.1 % every 3 steps at first.
    r = nst.transfer(content64, style64, steps=6, optimizer="adam", progress=False,
                     precision="float32", min_progress=(0.001, 3))
    assert r.stop_reason == "steps" and r.steps == 6


def test_time_budget_ends_the_run_and_says_so(content64, style64):
    seen = []
    r = nst.transfer(content64, style64, steps=50, progress=False, max_seconds=1e-9, every=100,
                     callback=lambda step, image, terms: seen.append(step))
    assert r.stop_reason == "time" and r.steps == 1 and not r.interrupted
    assert "time budget of 1e-09 s" in r.why
    assert seen == [1]  # the last step reaches the callback even between its `every`s
