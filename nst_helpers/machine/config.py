"""Run-time switches read from the environment.

``NST_MODE`` picks how much each notebook computes:

* ``auto`` — what a class is told to use: each slow figure's size and steps are fitted to about
  30 s on *this* machine, between demo's and full's values (one evaluation is timed the first
  time a figure's settings are fitted; see :mod:`nst_helpers.method.budget`);
* ``fast`` — tiny images, a handful of steps: every cell runs in seconds (CI; ``NST_FAST=1`` too);
* ``demo`` — every effect the text claims is visible, each figure in about 30 s on a 2-core
  laptop CPU (the settings ``auto`` never goes below);
* ``full`` (the default) — the quality the README's gallery shows.

``NST_OFFLINE=1`` forbids any download (the tests set it). ``NST_CACHE_DIR`` moves the cache
(downloaded pictures, measured timings) away from ``~/.cache/nst_helpers``.
"""

import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
MODES = ("auto", "fast", "demo", "full")


def _flag(name):
    return os.environ.get(name, "").strip().lower() in _TRUE


def cache_dir():
    """The folder for downloads and measurements: ``$NST_CACHE_DIR``, else ``~/.cache/nst_helpers``.
    Not created here (writers create it and treat failure as "no cache"); deleting it is always safe."""
    return Path(os.environ.get("NST_CACHE_DIR") or Path.home() / ".cache" / "nst_helpers")


def mode():
    """``"auto"``, ``"fast"``, ``"demo"`` or ``"full"`` from ``NST_MODE`` (``NST_FAST=1`` means fast)."""
    chosen = os.environ.get("NST_MODE", "").strip().lower()
    if chosen:
        if chosen not in MODES:
            from ..errors import ArgumentError

            raise ArgumentError(f"NST_MODE={chosen!r}: use one of {', '.join(MODES)} "
                                "(auto fits each figure to about 30 s on this machine)")
        return chosen
    return "fast" if _flag("NST_FAST") else "full"


def fast_mode():
    """True in fast mode: small images, few steps, same code."""
    return mode() == "fast"


def offline():
    """True when ``NST_OFFLINE`` is set: never try a download."""
    return _flag("NST_OFFLINE")


def pick(full, fast, demo=None):
    """The value for the current mode: ``SIZE = nst.pick(full=384, fast=64, demo=192)``.

    ``demo`` defaults to ``full`` (a setting that is already quick needs no demo value). ``auto``
    takes demo's value: ``pick`` knows nothing of the time a setting costs. Sizes and steps of
    slow figures are fitted to the machine instead, with :func:`nst_helpers.method.budget.fit`.
    """
    demo = full if demo is None else demo
    return {"fast": fast, "demo": demo, "auto": demo, "full": full}[mode()]
