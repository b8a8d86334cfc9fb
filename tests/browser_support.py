"""What every browser test needs, in one place: Chromium and Playwright for Python; and the one
skip-or-fail rule for anything a test needs from outside the repository (``skip_or_fail``).

A test without them is skipped with the reason, except under ``NST_REQUIRE_BROWSER=1`` (CI sets
it), where that is a failure: a CI machine that lost its browser must not pass by skipping.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def skip_or_fail(message, variable):
    """Skip the test with ``message``, or fail it when the environment variable ``variable`` is
    ``"1"`` (CI sets NST_REQUIRE_BROWSER and NST_REQUIRE_SHARED, so it cannot pass by skipping)."""
    if os.environ.get(variable) == "1":
        pytest.fail(f"{message}, and {variable}=1 requires it")
    pytest.skip(message)


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
        skip_or_fail(f"{test} needs " + " and ".join(missing), "NST_REQUIRE_BROWSER")
