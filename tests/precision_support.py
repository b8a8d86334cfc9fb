"""What the precision tests share (tests/method/test_precision.py and test_precision_cache.py): the
fake CPU's name and its cache key, a faked timer, and the reason string written out independently of
the code. The empty cache with that CPU is conftest.py's ``fresh`` fixture."""

import pytest

from nst_helpers import precision

CPU = "Test CPU 9000"


def fake_timer(monkeypatch, timings, calls):
    """Replace the real timer: each sample of precision p records ``(p, side)`` and returns timings[p]."""
    def timer(p, side, shape=None):
        def sample():
            calls.append((p, side))
            return timings[p]
        return sample
    monkeypatch.setattr(precision, "_evaluation_timer", timer)


def no_timer(monkeypatch):
    monkeypatch.setattr(precision, "_evaluation_timer",
                        lambda *a, **kw: pytest.fail("nothing should be measured here"))


def reason(best, device, side, times):
    """The reason string, written out independently of the code."""
    rival = "bfloat16" if "bfloat16" in times else "float16"
    return (f"auto: {best} measured faster on {device} at {side} px (float32 {times['float32']:.3f} s, "
            f"{rival} {times[rival]:.3f} s per evaluation)")


def key(side=256):
    """The cache's key for :data:`CPU` at ``side`` px."""
    return precision._key(CPU, side)
