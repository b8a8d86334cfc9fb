"""``precision="auto"``: which compute precision VGG19 runs fastest in on this machine, measured.

A run asks :func:`choose` once, where its image size is known; the modules below this one
(:mod:`~nst_helpers.method.features`, :mod:`~nst_helpers.method.losses`) take a concrete precision only.

The rule, per device:

* a GPU: float32 against float16 (mixed: VGG19 in float16; Gram matrices, losses and the image
  in float32). Many GPUs, Colab's T4 among them, have float16 tensor cores and no native
  bfloat16, and capability checks mislead (some report bfloat16 as supported when it is
  emulated), so it is timed, not assumed. GPU speed: not measured by this project.
* a CPU with bfloat16 dot-product instructions (AVX512-BF16 or AMX): float32 against bfloat16,
  timed: bfloat16 was faster on some such CPUs and slower on others (measured:
  docs/performance.md);
* any other CPU: float32, with nothing to measure.

Timing is one loss-and-gradient evaluation in each precision at the run's size class (its
longest side rounded up to one of :data:`SIZE_CLASSES`), after a warm-up; when the two are within
:data:`DECISIVE` of each other, the best of three samples each. Answers are kept per device,
TensorFlow version and size class, in memory and in :func:`cache_file`, so a machine pays a
few seconds once. :func:`evaluation_seconds` (what ``NST_MODE=auto`` fits figures to) times one
precision the same way and keeps it in the same entry: each reuses the other's numbers.

The file is input like any other: a corrupt, foreign or unwritable cache never stops a run (a bad
entry is measured again; a file that cannot be written is left alone), and runs writing at once
never corrupt it (each writes a temporary file of its own and renames it over the cache, under a
lock, after merging with what is on disk). TensorFlow is imported only to look for a GPU or to
measure.
"""

import contextlib
import functools
import hashlib
import json
import math
import time

from ..errors import ArgumentError
from ..machine import cpu
from ..machine.config import cache_dir
from ..machine.files import replaced
from . import arguments

__all__ = ["choose", "evaluation_seconds", "cache_file", "size_class", "SIZE_CLASSES", "DECISIVE"]

SIZE_CLASSES = (128, 256, 512, 1024, 2048)
#: One sample each decides when one precision is at least this many times faster than the other;
#: closer than that, noise could decide, so each gets the best of three (ratios seen on the CPUs
#: measured: docs/performance.md).
DECISIVE = 1.25
#: How long a run waits for another run's lock on the cache file before writing without it.
LOCK_SECONDS = 5.0


def choose(precision="auto", size=None):
    """The compute precision for a run at ``size``, and why: ``(precision, reason)``.

    Args:
        precision: ``"auto"``, or one of :data:`~nst_helpers.method.defaults.COMPUTE_PRECISIONS`
            (``"float32"``, ``"bfloat16"``, ``"float16"``), returned as it is with the reason
            ``"as asked"``.
        size: the run's ``(height, width)``, or its longest side, in pixels; ``None`` means 256.

    Returns e.g. ``("bfloat16", "auto: bfloat16 measured faster on <CPU> at 256 px (float32 …
    s, bfloat16 … s per evaluation)")``; on a CPU without bfloat16 instructions,
    ``("float32", "auto: float32 (<CPU> has no native bfloat16)")``.
    """
    arguments.check_precision(precision)
    if precision != "auto":
        return precision, "as asked"
    if _gpu():
        rival = "float16"
    elif _cpu_has_bf16():
        rival = "bfloat16"
    else:
        return "float32", f"auto: float32 ({cpu.model()} has no native bfloat16)"
    device = _device()
    side = size_class(size)
    key = _key(device, side)
    candidates = ("float32", rival)
    # Both or neither from the cache: a rival timed now against float32 timed under another load
    # (e.g. by evaluation_seconds) would be an unfair race.
    times = _lookup(key, candidates)
    if times is None:
        times = _measure(candidates, side, size)
        _remember(key, times)
    best = min(candidates, key=times.get)
    return best, (f"auto: {best} measured faster on {device} at {side} px (float32 "
                  f"{times['float32']:.3f} s, {rival} {times[rival]:.3f} s per evaluation)")


def evaluation_seconds(precision, side=256):
    """Seconds of one loss-and-gradient evaluation of VGG19 (the transfer's layers) in
    ``precision`` at the size class of ``side`` (a ``size_class(side)`` × 3/4 of it picture).

    Args:
        precision: one of :data:`~nst_helpers.method.defaults.COMPUTE_PRECISIONS`; for ``"auto"`` ask
            :func:`choose` first.
        side: the longest side in pixels, or ``(height, width)``.

    Traced and warmed up, then the best of three. Kept with :func:`choose`'s measurements (same
    entry of :func:`cache_file`), so a number either of them measured is not measured again.
    Raises whatever the measurement raises (no weights, no memory).
    """
    arguments.check_precision(precision, allow_auto=False)
    side = size_class(side)
    key = _key(_device(), side)
    times = _lookup(key, (precision,))
    if times is None:
        times = _measure((precision,), side, None)  # one candidate: always the best of three
        _remember(key, times)
    return times[precision]


def size_class(size):
    """``(height, width)`` or a longest side → the smallest of :data:`SIZE_CLASSES` that holds it
    (the largest for anything bigger); ``None`` → 256."""
    if size is None:
        return 256
    try:
        side = max(int(d) for d in size) if hasattr(size, "__iter__") else int(size)
    except (TypeError, ValueError):
        side = 0
    if side <= 0:
        raise ArgumentError(f"size must be (height, width) or a longest side in pixels, not {size!r}")
    return next((c for c in SIZE_CLASSES if side <= c), SIZE_CLASSES[-1])


def cache_file():
    """Where measured answers are kept: ``precision.json`` in
    :func:`nst_helpers.machine.config.cache_dir`. It only saves time: deleting it is always safe."""
    return cache_dir() / "precision.json"


# ---- what the machine is -------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _gpu():
    """The first GPU's model name (e.g. ``"Tesla T4"``), or None when TensorFlow sees no GPU."""
    from ..machine._tf import tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return None
    try:
        details = tf.config.experimental.get_device_details(gpus[0])
    except Exception:  # noqa: BLE001 - the name only labels the cache entry
        details = {}
    return details.get("device_name") or gpus[0].name


@functools.lru_cache(maxsize=1)
def _cpu_has_bf16():
    return cpu.has_native_bf16()


def _device():
    """What :func:`choose`'s cache entries are labelled with: ``"GPU <name>"`` or the CPU's model."""
    gpu = _gpu()
    cap = cpu.isa_cap()
    return f"GPU {gpu}" if gpu else cpu.model() + (f" (ONEDNN_MAX_CPU_ISA={cap})" if cap else "")


def _tf_version():
    from ..machine._tf import tf

    return tf.__version__


def _key(device, side):
    # The CPU's flags are part of the key: the same model name can come with or without AMX.
    flags = hashlib.sha1(" ".join(sorted(cpu.flags())).encode()).hexdigest()[:10]
    return f"{device}|{flags}|tf{_tf_version()}|{side}"


# ---- measuring -----------------------------------------------------------------------------

def _measure(candidates, side, size):
    """``{precision: seconds per evaluation}`` for each candidate at the size class ``side``."""
    hw = tuple(int(d) for d in size) if hasattr(size, "__iter__") else None
    # At the run's own shape when it is the class's size, so the run reuses the trace made here.
    shape = hw if hw and max(hw) == side else None
    timers = {p: _evaluation_timer(p, side, shape=shape) for p in candidates}
    times = {p: timer() for p, timer in timers.items()}
    if max(times.values()) < DECISIVE * min(times.values()):
        # Close: two more samples each, so that noise does not decide (and get cached).
        times = {p: min(times[p], timer(), timer()) for p, timer in timers.items()}
    return times


def _evaluation_timer(precision, side, shape=None):
    """A function that returns the seconds one loss-and-gradient evaluation in ``precision`` takes
    at ``shape`` ``(H, W)``, by default ``3/4·side × side`` (traced and warmed up once, here).
    Measured at the run's own shape, the trace it makes is the one the run then uses (objectives
    on the same layers share their compiled function)."""
    import numpy as np

    from . import losses  # here, not at the top: a cached answer needs no TensorFlow

    rng = np.random.default_rng(0)
    shape = (1, *shape, 3) if shape else (1, max(32, side * 3 // 4), side, 3)
    x = rng.uniform(size=shape).astype(np.float32)
    objective = losses.Objective(x, x[:, ::-1], precision=precision)
    objective.value_and_grad(x)  # trace and warm up

    def seconds():
        t0 = time.perf_counter()
        _, _, grad = objective.value_and_grad(x)
        grad.numpy()  # the evaluation is asynchronous on a GPU: wait for its result
        return time.perf_counter() - t0

    return seconds


# ---- the cache: in memory, and on disk as hostile input ----------------------------------------

_MEMORY = {}  # {key: {precision: seconds}}: what this process measured or read


def _valid(entry, candidates):
    """``{precision: seconds}`` for the candidates, if ``entry`` holds a positive finite number of
    seconds for each of them; else None (a foreign or damaged entry: measure again)."""
    if not isinstance(entry, dict):
        return None
    times = {}
    for p in candidates:
        t = entry.get(p)
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not (math.isfinite(t) and t > 0):
            return None
        times[p] = float(t)
    return times


def _read(path):
    """The file's well-formed entries ``{key: {precision: seconds}}``; ``{}`` when the file is
    missing, unreadable, not JSON, or JSON of another shape. Never raises."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict) and v and _valid(v, tuple(v))}


def _lookup(key, candidates):
    times = _valid(_MEMORY.get(key), candidates)
    if times is None:
        # Another run may have measured it since this process last looked.
        # Per key and precision, this process's numbers win: when the file could not be
        # written, what was measured here must not be replaced by the disk's older entry.
        for k, entry in _read(cache_file()).items():
            _MEMORY[k] = {**entry, **(_MEMORY.get(k) or {})}
        times = _valid(_MEMORY.get(key), candidates)
    return times


def _remember(key, times):
    """Add ``times`` to the entry ``key`` in memory and try to add them to the file; a failure
    only costs a measurement next time. The entry's other precisions are kept (choose's pair
    beside evaluation_seconds's single ones)."""
    _MEMORY[key] = {**(_MEMORY.get(key) or {}), **times}
    path = cache_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(path):
            on_disk = _read(path)
            merged = {**on_disk, key: {**on_disk.get(key, {}), **times}}
            # Atomic: a reader sees the old file or the new one, never half of one.
            with replaced(path, "w", encoding="utf-8") as f:
                json.dump(merged, f, indent=1, sort_keys=True)
    except OSError:
        pass  # a read-only home, a folder where the file should be, a full disk: never an error


@contextlib.contextmanager
def _locked(path):
    """Hold ``<path>.lock`` (a :class:`filelock.FileLock`) while the cache is read, merged and
    replaced, so that two runs writing at once keep both entries. Waits at most
    :data:`LOCK_SECONDS`; when the lock cannot be had (a stuck run holds it, or the folder takes
    no lock file) the file is written without it: the rename alone keeps it whole, and at worst an
    entry is lost and measured again. filelock is pinned in requirements.txt; on a runtime
    without it (Colab preinstalls it, but that is not pinned) the same holds: no lock."""
    try:
        from filelock import FileLock, Timeout
    except ImportError:
        lock = None
    else:
        lock = FileLock(path.with_name(path.name + ".lock"), timeout=LOCK_SECONDS)
        try:
            lock.acquire()
        except (Timeout, OSError):
            lock = None
    try:
        yield
    finally:
        if lock is not None:
            lock.release()
