"""Calls that must answer within a deadline: a DNS lookup, a front end's poll.

Python cannot stop a blocked call, so the call runs in a daemon thread and is abandoned (left to
finish or hang on its own) when the deadline passes; the caller goes on.
"""

import threading


def call_with_deadline(function, seconds, name="nst-deadline"):
    """``function()``'s result, or its exception re-raised here; TimeoutError when it has not
    returned within ``seconds``."""
    done, box = threading.Event(), {}

    def call():
        try:
            box["result"] = function()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=call, daemon=True, name=name).start()
    if not done.wait(seconds):
        raise TimeoutError(f"no answer within {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box.get("result")
