"""What the notebook's front end lets an explorer do while a run keeps the kernel busy.

The one module that touches a kernel's internals (``jupyter-ui-poll``, its private
``KernelWrapper`` and ``_post_run_cell``). The explorers ask it:

* :func:`has_frontend` — is there a widget front end at all (Jupyter, Colab, VS Code), or a
  terminal or nbval?
* :func:`on_colab`, :func:`on_vscode` — which front end.
* :func:`ui_poller` — a :class:`Poller` whose ``poll()`` processes pending widget messages (a
  Stop click) between the steps of a run on the kernel's main thread.

Where polling cannot work the poller is *not live*: ``poll()`` does nothing, the run goes to its
end and shows its result, and ``why_not`` says why (for the status line). That is the case
without a front end, in a kernel without ``do_one_iteration`` (ipykernel 7), in VS Code's
notebooks (``jupyter-ui-poll`` processes no widget events there: microsoft/vscode-jupyter#17360),
and — found during a run — when a poll raises or does not return within ``deadline`` seconds:
then the poller gives up for the rest of the run rather than hang the cell. The kernel's
interrupt button (■) still ends any run, keeping its partial image.
"""

import os
import sys

from ..machine.deadline import call_with_deadline

#: Seconds a poll (or closing the poller) may take before the poller gives up. A poll handles a
#: few widget messages (a click, a slider), each far quicker than this.
POLL_DEADLINE = 10.0
#: Widget messages processed per poll at most.
MESSAGES_PER_POLL = 20


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def has_frontend():
    """True inside a Jupyter kernel (a front end can show widgets); False in a terminal or script."""
    shell = _shell()
    # Jupyter's shell is ZMQInteractiveShell; Colab's is a subclass with another name.
    return shell is not None and any(c.__name__ == "ZMQInteractiveShell" for c in type(shell).__mro__)


def on_colab():
    """True inside a Google Colab runtime."""
    return "google.colab" in sys.modules


def on_vscode():
    """True when the kernel was started by VS Code (its environment variables; panel and tqdm use
    the same test) or runs a VS Code notebook (VS Code defines ``__vsc_ipynb_file__`` there, also
    in remote kernels)."""
    if os.environ.get("VSCODE_PID") or os.environ.get("VSCODE_CWD"):
        return True
    shell = _shell()
    return "__vsc_ipynb_file__" in (getattr(shell, "user_ns", None) or {})


def cannot_poll_reason():
    """None when widget messages can be processed during a run; else the reason, in words."""
    if not has_frontend():
        return "no widget front end"
    if on_vscode():
        return "VS Code's notebooks do not deliver widget clicks to a busy kernel"
    try:
        import jupyter_ui_poll  # noqa: F401
    except ImportError:
        return "jupyter-ui-poll is not installed"
    kernel = getattr(_shell(), "kernel", None)
    if kernel is None or not hasattr(kernel, "do_one_iteration"):
        # ipykernel 7 dropped it; Colab's ipykernel 6.17 has it.
        return "this kernel cannot process widget messages while it is busy"
    return None


def can_poll_ui():
    """True when a Stop click can reach a run on the kernel's main thread (see the module docstring)."""
    return cannot_poll_reason() is None


class Poller:
    """``poll()`` between steps, ``close()`` after the run; ``live`` tells whether polls still work.

    ``backend`` has ``poll()`` and ``close()`` (None: not live from the start, for ``why_not``).
    Each backend call runs in a helper thread and is abandoned after ``deadline`` seconds, so a
    poll that never returns cannot hang the run; a failure or a timeout makes the poller not live
    for the rest of the run.
    """

    def __init__(self, backend=None, *, why_not="", deadline=POLL_DEADLINE):
        self._backend = backend
        self.live = backend is not None
        self.why_not = "" if self.live else why_not
        self.deadline = deadline
        self.polls = 0  # polls that returned normally

    def poll(self):
        """Process pending widget messages (a Stop click); never raises, never hangs."""
        if not self.live:
            return
        problem = _call_with_deadline(self._backend.poll, self.deadline)
        if problem:
            self.live, self.why_not = False, f"polling the page stopped working ({problem})"
        else:
            self.polls += 1

    def close(self):
        """Hand the kernel back (never raises)."""
        backend, self._backend = self._backend, None
        self.live = False
        if backend is not None:
            try:
                backend.close()
            except Exception:  # noqa: BLE001 - the run is over; nothing is lost by ignoring it
                pass


def _call_with_deadline(function, deadline):
    """Run ``function()`` with a deadline; None when it returned in time, else what went wrong."""
    try:
        call_with_deadline(function, deadline, "nst-ui-poll")
    except TimeoutError as exc:
        return str(exc)
    except BaseException as exc:  # noqa: BLE001 - reported to the caller, never lost
        return f"{type(exc).__name__}: {exc}"
    return None


class _JupyterUiPoll:
    """jupyter-ui-poll's ``ui_events()``, entered now, plus the hand-back a click handler needs."""

    def __init__(self):
        from jupyter_ui_poll import ui_events

        self._events = ui_events()
        self._poll = self._events.__enter__()

    def poll(self):
        self._poll(MESSAGES_PER_POLL)

    def close(self):
        # Hand back first, on this thread (it only restores the kernel's handlers): jupyter-ui-poll
        # holds back cell executions that arrive meanwhile and replays them when a *cell* ends
        # (post_run_cell); a click handler is not a cell. Then stop its helper thread, which waits
        # for a poll in progress: bounded, so a stuck poll cannot hang the cell.
        from jupyter_ui_poll._poll import KernelWrapper

        if KernelWrapper._current is self._events:
            self._events._post_run_cell()
        _call_with_deadline(lambda: self._events.__exit__(None, None, None), POLL_DEADLINE)


def ui_poller(deadline=None):
    """A :class:`Poller` for a run on this thread: live where :func:`can_poll_ui`, else not live.
    ``deadline``: seconds a poll may take (default :data:`POLL_DEADLINE`).

    Call it on the kernel's main thread (inside a cell or a click handler), as jupyter-ui-poll
    needs."""
    why = cannot_poll_reason()
    if why:
        return Poller(why_not=why)
    try:
        backend = _JupyterUiPoll()
    except Exception as exc:  # noqa: BLE001 - any failure here means: run without polling
        return Poller(why_not=f"jupyter-ui-poll could not start ({type(exc).__name__}: {exc})")
    return Poller(backend, deadline=POLL_DEADLINE if deadline is None else deadline)
