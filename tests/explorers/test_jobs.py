"""The explorers' run machinery without widgets or TensorFlow: start, stop, wait, hand-over,
cache and errors, driven by a fake compute function that keeps transfer()'s contract
(``callback(step, image, terms)`` after each step; True from it ends the run, interrupted)."""

import threading
from dataclasses import dataclass, field

import numpy as np
import pytest

from nst_helpers.explorers.jobs import JobQueue, settings_key


@dataclass
class FakeResult:
    steps: int
    interrupted: bool
    settings: dict = field(default_factory=dict)


class FakeCompute:
    """``steps`` steps; before step ``hold_at`` it waits until the test calls ``release()``."""

    def __init__(self, steps=5, hold_at=None, fail=None):
        self.steps, self.hold_at, self.fail = steps, hold_at, fail
        self.calls = []
        self.holding, self._released = threading.Event(), threading.Event()

    def release(self):
        self._released.set()

    def __call__(self, settings, callback):
        self.calls.append(dict(settings))
        if self.fail:
            raise self.fail
        for step in range(1, self.steps + 1):
            if step == self.hold_at:
                self.holding.set()
                assert self._released.wait(60), "the test never released the run"
            image = np.full((1, 4, 4, 3), step / self.steps, np.float32)
            if callback(step, image, {"total": 1.0 / step}):
                return FakeResult(step, True, dict(settings))
        return FakeResult(self.steps, False, dict(settings))


def test_a_background_run_is_handed_over_with_its_own_settings():
    compute = FakeCompute(steps=4, hold_at=2)
    finished_on = []
    runner = JobQueue(compute, on_finish=lambda s, r, e: finished_on.append(threading.current_thread()))
    assert runner.start({"beta": 1.0, "size": 64}) is True
    assert compute.holding.wait(60)
    assert runner.running and runner.result is None
    assert runner.start({"beta": 2.0}) is False  # one run at a time
    compute.release()
    runner._thread.join(60)
    # Finished, but the caller's thread has not looked yet: its state is untouched.
    assert runner._current is None and runner.cache == {}
    result = runner.wait()
    assert result.steps == 4 and not result.interrupted
    assert runner.current.settings == {"beta": 1.0, "size": 64} and runner.error is None
    assert runner.cached({"size": 64, "beta": 1.0}).result is result  # key ignores item order
    assert compute.calls == [{"beta": 1.0, "size": 64}]
    assert finished_on == [runner._thread] and finished_on[0] is not threading.main_thread()
    assert runner.terms["total"] == [1.0, 0.5, 1 / 3, 0.25] and runner.step == 4


@pytest.mark.parametrize("here", [False, True])
def test_stop_ends_the_run_after_the_current_step(here):
    runner = None

    def stop_at_three(step, image, terms):
        if step == 3:
            runner.stop()

    runner = JobQueue(FakeCompute(steps=1000), on_step=stop_at_three)
    runner.start({"beta": 1.0}, here=here)
    result = runner.wait(60)
    assert result.interrupted and result.steps == 3 and runner.stop_step == 3
    assert runner.cached({"beta": 1.0}) is None  # a partial run is not mistaken for a result
    assert runner.result is result and not runner.running
    # The next run starts afresh (the Stop of the last one does not carry over).
    runner.on_step = None
    runner.start({"beta": 1.0}, here=here)
    assert runner.wait(60).steps == 1000 and runner.stop_step is None


def test_a_run_here_polls_after_every_step_on_this_thread():
    polls = []
    runner = JobQueue(FakeCompute(steps=50))

    def poll():
        polls.append((runner.step, threading.current_thread()))
        if runner.step == 4:
            runner.stop()  # as a Stop click processed by the poll would

    assert runner.start({"n": 1}, here=True, poll=poll) is True
    assert not runner.running  # returned after the run, already handed over
    assert [step for step, _ in polls] == [1, 2, 3, 4]
    assert all(thread is threading.main_thread() for _, thread in polls)
    assert runner.result.steps == 4 and runner.result.interrupted


def test_a_failed_run_keeps_its_error_and_never_returns_the_previous_result():
    good = JobQueue(FakeCompute(steps=2))
    good.start({"beta": 1.0})
    first = good.wait(60)
    good.compute = FakeCompute(fail=RuntimeError("the machine caught fire"))
    good.start({"beta": 3.0})
    assert good.wait(60) is None and good.result is None
    assert isinstance(good.error, RuntimeError) and good.current.settings == {"beta": 3.0}
    assert good.cached({"beta": 3.0}) is None and good.cached({"beta": 1.0}).result is first
    good.compute = FakeCompute(steps=2)
    good.start({"beta": 5.0})
    assert good.wait(60) is not None and good.error is None


def test_a_result_that_cannot_be_shown_is_a_failed_run():
    calls = []

    def on_finish(settings, result, error):
        calls.append(error)
        if error is None:
            raise ValueError("cannot draw this")

    runner = JobQueue(FakeCompute(steps=2), on_finish=on_finish)
    runner.start({"a": 1}, here=True)
    assert runner.result is None and isinstance(runner.error, ValueError)
    assert calls[0] is None and isinstance(calls[1], ValueError)  # the failure itself was shown
    assert runner.cached({"a": 1}) is None


def test_the_rendering_is_kept_with_the_outcome_and_show_brings_a_cached_one_back():
    runner = JobQueue(FakeCompute(steps=2), on_finish=lambda s, r, e: f"png of {s['beta']}")
    runner.start({"beta": 1.0}, here=True)
    runner.start({"beta": 2.0}, here=True)
    assert runner.current.rendering == "png of 2.0"
    cached = runner.cached({"beta": 1.0})
    runner.show(cached)
    assert runner.current is cached and cached.rendering == "png of 1.0"
    assert not hasattr(cached.result, "_pngs") and vars(cached.result).keys() == {"steps", "interrupted",
                                                                                   "settings"}


def test_settings_key_ignores_order_and_tells_values_apart():
    assert settings_key({"a": 1, "b": (1, 2)}) == settings_key({"b": (1, 2), "a": 1})
    assert settings_key({"a": 1}) != settings_key({"a": 1.5})
    assert settings_key({"a": "1"}) != settings_key({"a": 1})
