"""What every browser test needs, in one place: Chromium and Playwright for Python.

A test without them is skipped with the reason, except under ``NST_REQUIRE_BROWSER=1`` (CI sets
it), where that is a failure: a CI machine that lost its browser must not pass by skipping.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def require_browser(test, missing=()):
    """Skip ``test`` (its name in the message, e.g. ``"the slides test"``) when Chromium or
    Playwright is missing, or fail under ``NST_REQUIRE_BROWSER=1``. ``missing``: what else the
    test itself found missing, each with how to install it."""
    missing = list(missing)
    if CHROMIUM is None:
        missing.append("Chromium (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("Playwright for Python (pip install -r requirements-dev.txt)")
    if missing:
        message = f"{test} needs " + " and ".join(missing)
        if os.environ.get("NST_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
