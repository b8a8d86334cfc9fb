"""Run-time switches read from the environment.

``NST_FAST=1`` (fast mode) shrinks image sizes and step counts so that every notebook runs
end to end in a couple of minutes on a 2-core CPU; CI sets it. ``NST_OFFLINE=1`` forbids any
download (the tests set it).
"""

import os

_TRUE = {"1", "true", "yes", "on"}


def _flag(name):
    return os.environ.get(name, "").strip().lower() in _TRUE


def fast_mode():
    """True when ``NST_FAST`` is set: small images, few steps, same code."""
    return _flag("NST_FAST")


def offline():
    """True when ``NST_OFFLINE`` is set: never try a download."""
    return _flag("NST_OFFLINE")


def pick(full, fast):
    """``full`` normally, ``fast`` in fast mode: ``SIZE = nst.pick(full=384, fast=64)``."""
    return fast if fast_mode() else full
