"""The run machinery of an explorer, with no user interface: start, stop, wait, hand-over, cache.

``JobQueue(compute)`` runs ``compute(settings, callback)`` — a function that returns a
:class:`~nst_helpers.Result` and calls ``callback(step, image, terms)`` after each step, stopping
when it returns True (as :func:`~nst_helpers.transfer` does) — one run at a time, either in a
background thread or on the caller's thread with a ``poll`` between steps.

Threads: the running thread owns only the run in progress (``step``, ``terms``). The runner's
state — the shown :class:`Outcome`, the cache, ``error`` — is changed only on the caller's thread
(the notebook's): the running thread hands each finished run over through a queue, and every
entry point (``result``, ``error``, ``current``, ``wait``, ``cached``, ``start``) applies what is
waiting first. So a result is always paired with the settings that produced it, and a failed
run never leaves an older result looking new.
"""

import queue
import threading
import time
from typing import NamedTuple


class Outcome(NamedTuple):
    """One finished run: its settings, its result (None if it failed) or error, and what the
    view rendered for it (``rendering``: whatever ``on_finish`` returned, e.g. preview PNGs)."""

    settings: dict
    result: object = None
    error: Exception = None
    rendering: object = None


def settings_key(settings):
    """A hashable key for a settings dict, independent of the order of its items."""
    return tuple(sorted((k, repr(v)) for k, v in settings.items()))


class JobQueue:
    """Runs ``compute(settings, callback)``; see the module docstring.

    ``on_step(step, image, terms)`` (optional) is called on the running thread after each step
    (a live preview); ``on_finish(settings, result, error)`` (optional) is called there when the
    run ends, before the hand-over, and may return a rendering to keep with the outcome.
    """

    def __init__(self, compute, *, on_step=None, on_finish=None):
        self.compute, self.on_step, self.on_finish = compute, on_step, on_finish
        # Caller-thread state (see the module docstring).
        self.cache = {}  # settings_key → Outcome, finished (not interrupted) runs only
        self._current = None  # the Outcome on show
        self._handover = queue.SimpleQueue()
        # The run in progress.
        self._thread = None
        self._here = False  # a run on the caller's thread is in progress
        self._stop = threading.Event()
        self.step = 0  # the last step the run reported
        self.terms = {}  # loss term → values so far, one per reported step
        self.started_at = None  # time.perf_counter() at start
        self.stop_step = None  # ``step`` when stop() was called during the run

    # ---- state (caller's thread) ------------------------------------------------------------
    def _apply_handover(self):
        while True:
            try:
                outcome = self._handover.get_nowait()
            except queue.Empty:
                return
            self._current = outcome
            if outcome.error is None and not outcome.result.interrupted:
                self.cache[settings_key(outcome.settings)] = outcome

    @property
    def current(self):
        """The :class:`Outcome` on show (None before the first run)."""
        self._apply_handover()
        return self._current

    @property
    def result(self):
        """The result on show (None before the first run, and after a failed run)."""
        current = self.current
        return None if current is None else current.result

    @property
    def error(self):
        """The exception of the last run if it failed, else None."""
        current = self.current
        return None if current is None else current.error

    def cached(self, settings):
        """The finished :class:`Outcome` for these settings, or None."""
        self._apply_handover()
        return self.cache.get(settings_key(settings))

    def show(self, outcome):
        """Make ``outcome`` (from the cache) the one on show."""
        self._apply_handover()
        self._current = outcome

    # ---- running ----------------------------------------------------------------------------
    @property
    def running(self):
        return self._here or (self._thread is not None and self._thread.is_alive())

    def start(self, settings, *, here=False, poll=None):
        """Start a run with these settings; False (and nothing starts) while one is running.

        ``here=False``: in a background thread (returns at once). ``here=True``: on this thread,
        returning when the run has ended and been handed over; ``poll()`` is called after every
        step (to process a Stop click meanwhile)."""
        self._apply_handover()
        if self.running:
            return False
        self._stop.clear()
        self.step, self.terms, self.stop_step = 0, {}, None
        self.started_at = time.perf_counter()
        if not here:
            self._thread = threading.Thread(target=self._run, args=(settings, None), daemon=True)
            self._thread.start()
            return True
        self._here = True
        try:
            self._run(settings, poll)
        finally:
            self._here = False
        self._apply_handover()
        return True

    def stop(self):
        """End the run in progress after its current step (its partial image is kept)."""
        if self.running and not self._stop.is_set():
            self.stop_step = self.step
        self._stop.set()

    def wait(self, timeout=None):
        """Block until the run in progress ends; its result, or None when it failed (``error``
        holds the exception) or is still running after ``timeout`` seconds."""
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                return None
        return self.result

    def _callback(self, poll):
        def callback(step, image, terms):
            self.step = step
            for key, value in terms.items():
                self.terms.setdefault(key, []).append(value)
            if self.on_step is not None:
                self.on_step(step, image, terms)
            if poll is not None:
                poll()
            return self._stop.is_set()

        return callback

    def _run(self, settings, poll):
        result = error = rendering = None
        try:
            result = self.compute(settings, self._callback(poll))
        except Exception as exc:  # noqa: BLE001 - handed over and shown, never a lost kernel
            error = exc
        if self.on_finish is not None:
            try:
                rendering = self.on_finish(settings, result, error)
            except Exception as exc:  # noqa: BLE001 - a result that cannot be shown is a failure
                result, error = None, exc
                try:
                    self.on_finish(settings, None, exc)  # so that the failure itself is shown
                except Exception:  # noqa: BLE001 - the outcome below still records the error
                    pass
        self._handover.put(Outcome(settings, result, error, rendering))
