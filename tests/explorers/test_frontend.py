"""The front-end adapter: when widget messages can be polled during a run, and the fallback when
they cannot (no front end, VS Code, ipykernel 7, a poll that raises or never returns)."""

import threading

import IPython
import pytest

from nst_helpers import frontend


class FakeKernel:
    def do_one_iteration(self):  # what jupyter-ui-poll needs (ipykernel 6)
        pass


class Shell(type("ZMQInteractiveShell", (), {})):
    """Stands for a kernel's shell (Jupyter's ZMQInteractiveShell, or Colab's subclass of it)."""

    def __init__(self, kernel, user_ns):
        self.kernel, self.user_ns = kernel, user_ns


def _fake_shell(monkeypatch, kernel=None, user_ns=None):
    shell = Shell(kernel, user_ns or {})
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    return shell


@pytest.fixture
def no_vscode(monkeypatch):
    monkeypatch.delenv("VSCODE_PID", raising=False)
    monkeypatch.delenv("VSCODE_CWD", raising=False)


def test_polling_needs_a_front_end_and_a_kernel_that_can_iterate(monkeypatch, no_vscode):
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)  # a script, pytest
    assert not frontend.has_frontend() and frontend.cannot_poll_reason() == "no widget front end"
    _fake_shell(monkeypatch, kernel=object())  # ipykernel 7: no do_one_iteration
    assert frontend.has_frontend()
    assert "cannot process widget messages" in frontend.cannot_poll_reason()
    _fake_shell(monkeypatch, kernel=FakeKernel())
    assert frontend.cannot_poll_reason() is None and frontend.can_poll_ui()
    monkeypatch.setattr(IPython, "get_ipython", lambda: object.__new__(type("TerminalInteractiveShell", (), {})))
    assert not frontend.has_frontend()


@pytest.mark.parametrize("how", ["VSCODE_PID", "VSCODE_CWD", "__vsc_ipynb_file__"])
def test_vscode_is_recognised_and_gets_a_poller_that_is_not_live(monkeypatch, no_vscode, how):
    _fake_shell(monkeypatch, kernel=FakeKernel())
    assert not frontend.on_vscode() and frontend.can_poll_ui()
    if how.startswith("VSCODE"):
        monkeypatch.setenv(how, "4242")
    else:
        _fake_shell(monkeypatch, kernel=FakeKernel(), user_ns={how: "/home/me/05_experiments.ipynb"})
    assert frontend.on_vscode() and not frontend.can_poll_ui()
    opened = []
    monkeypatch.setattr(frontend, "_JupyterUiPoll", lambda: opened.append(1))
    poller = frontend.ui_poller()
    assert not poller.live and "VS Code" in poller.why_not
    poller.poll()
    poller.close()
    assert opened == [] and poller.polls == 0  # jupyter-ui-poll was never touched


class FakeBackend:
    def __init__(self, fail_at=None, hang_at=None):
        self.fail_at, self.hang_at = fail_at, hang_at
        self.polls, self.closed = 0, 0
        self.release = threading.Event()

    def poll(self):
        self.polls += 1
        if self.polls == self.fail_at:
            raise RuntimeError("kernel patched by someone else")
        if self.polls == self.hang_at:
            self.release.wait(60)  # "never" returns, as far as the run is concerned

    def close(self):
        self.closed += 1


def test_a_poll_that_raises_turns_polling_off_for_the_rest_of_the_run():
    backend = FakeBackend(fail_at=3)
    poller = frontend.Poller(backend)
    for _ in range(10):
        poller.poll()  # never raises
    assert backend.polls == 3 and poller.polls == 2 and not poller.live
    assert "RuntimeError: kernel patched by someone else" in poller.why_not
    poller.close()
    assert backend.closed == 1


def test_a_poll_that_never_returns_is_abandoned():
    backend = FakeBackend(hang_at=2)
    poller = frontend.Poller(backend, deadline=0.2)
    try:
        for _ in range(5):
            poller.poll()
        assert backend.polls == 2 and poller.polls == 1 and not poller.live
        assert "no answer within 0.2 s" in poller.why_not
        poller.close()
        assert backend.closed == 1
    finally:
        backend.release.set()


def test_a_backend_that_cannot_start_or_close_gives_a_poller_that_is_not_live(monkeypatch):
    monkeypatch.setattr(frontend, "cannot_poll_reason", lambda: None)

    def broken():
        raise AttributeError("'Kernel' object has no attribute 'shell_handlers'")

    monkeypatch.setattr(frontend, "_JupyterUiPoll", broken)
    poller = frontend.ui_poller()
    assert not poller.live and "could not start" in poller.why_not and "shell_handlers" in poller.why_not

    class BadClose(FakeBackend):
        def close(self):
            raise RuntimeError("already closed")

    poller = frontend.Poller(BadClose())
    poller.poll()
    poller.close()  # never raises
    assert not poller.live


def test_colab_shell_counts_as_a_widget_front_end(monkeypatch):
    import IPython
    from ipykernel.zmqshell import ZMQInteractiveShell

    Shell = type("Shell", (ZMQInteractiveShell,), {})  # Colab's google.colab._shell.Shell
    monkeypatch.setattr(IPython, "get_ipython", lambda: object.__new__(Shell))
    assert frontend.has_frontend()
    monkeypatch.setattr(IPython, "get_ipython", lambda: object.__new__(type("TerminalInteractiveShell", (), {})))
    assert not frontend.has_frontend()
