"""nst_helpers.machine.deadline.call_with_deadline: a result in time, an exception passed on, or a timeout."""

import threading

import pytest

from nst_helpers.machine.deadline import call_with_deadline


def test_a_quick_call_returns_its_result():
    assert call_with_deadline(lambda: 6 * 7, 5.0) == 42


def test_its_exception_reaches_the_caller():
    with pytest.raises(KeyError, match="missing"):
        call_with_deadline(lambda: {}["missing"], 5.0)


def test_a_blocked_call_is_abandoned_at_the_deadline():
    release, finished = threading.Event(), threading.Event()

    def blocked():
        release.wait()  # until the test releases it
        finished.set()

    with pytest.raises(TimeoutError, match="no answer within 0.2 s"):
        call_with_deadline(blocked, 0.2)
    assert not finished.is_set()  # the caller went on while the call was still blocked
    release.set()
    assert finished.wait(5)
