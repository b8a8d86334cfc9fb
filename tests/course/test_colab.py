"""Colab at the kernel-protocol level: a real kernel that believes it is on Colab, driven the way
a browser drives it (comm messages), so that the explorer's main-thread mode is tested where
Colab's limitation bites: updates must be sent while the kernel is busy with the click.

Runs with the project's versions and, in `make colab-test`, with Colab's (ci/colab-constraints.txt).
"""

import json
import os
import time

import pytest
from conftest import execute as run_cell
from conftest import running_kernel, stdout_of

FAKE_COLAB = "import sys, types\nsys.modules['google.colab'] = types.ModuleType('google.colab')\n"


def execute(kc, code, timeout=300):
    """Run a cell; return its stdout. Fails on an error in the cell."""
    return stdout_of(run_cell(kc, code, timeout))


def click(kc, comm_id):
    """What a browser sends when a Button is clicked (ipywidgets 7 and 8 alike)."""
    msg = kc.session.msg("comm_msg", {"comm_id": comm_id,
                                      "data": {"method": "custom", "content": {"event": "click"}}})
    kc.shell_channel.send(msg)
    return msg["header"]["msg_id"]


SETUP = FAKE_COLAB + """
import json
import nst_helpers as nst
from nst_helpers import widgets
ex = widgets.TransferExplorer(nst.load_image("chelsea", max_dim=64), nst.load_image("starry_night", max_dim=64),
                              warm_up=False, preview_every=1)
ex.set(size=64, steps=STEPS, optimizer="adam")
print(json.dumps({"run": ex.run_button.model_id, "stop": ex.stop_button.model_id,
                  "preview": ex.preview.model_id, "mode": ex.mode,
                  "frontend": widgets.has_frontend()}))
"""


@pytest.fixture(scope="module")
def shared_kernel():
    """One kernel for the three click tests below (each builds its own explorer): a kernel's start
    (TensorFlow's import, the first trace) was most of each test's time."""
    with running_kernel() as kc:
        yield kc


@pytest.fixture
def colab_kernel(shared_kernel):
    """The shared kernel, as a test left it except for the VS Code test's variable, which goes. (A
    test that fails with a run still going leaves the kernel busy: the next ones fail too.)"""
    yield shared_kernel
    execute(shared_kernel, "import os\nos.environ.pop('VSCODE_PID', None)", timeout=120)


def _updates_until_idle(kc, parent, preview, on_update=None, timeout=300):
    """Preview 'update' messages sent between the click's busy and idle, with their times."""
    busy, updates, deadline = False, [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != parent:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status":
            if content["execution_state"] == "busy":
                busy = True
            elif content["execution_state"] == "idle":
                return busy, updates, time.monotonic()
        elif kind == "comm_msg" and content["comm_id"] == preview \
                and content["data"].get("method") == "update" and busy:
            updates.append(time.monotonic())
            if on_update is not None:
                on_update(len(updates))
        elif kind == "error":
            raise AssertionError("\n".join(content["traceback"]))
    raise AssertionError("the click never finished")


def test_run_click_streams_previews_while_busy(colab_kernel):
    kernel = colab_kernel
    ids = json.loads(execute(kernel, SETUP.replace("STEPS", "12")))
    assert ids["mode"] == "main" and ids["frontend"], ids
    parent = click(kernel, ids["run"])
    busy, updates, _ = _updates_until_idle(kernel, parent, ids["preview"])
    # One preview per step (preview_every=1) plus the final one, all before the kernel went idle.
    assert busy and len(updates) >= 3, len(updates)
    assert updates[-1] - updates[0] > 0  # spread over the run, not one burst at the end
    state = execute(kernel, "print(ex.result.steps, ex.result.stop_reason, ex.running)")
    assert state.split() == ["12", "steps", "False"]


def test_stop_click_ends_a_main_thread_run_with_the_partial_image(colab_kernel):
    kernel = colab_kernel
    polls = execute(kernel, "from nst_helpers import widgets\nprint(widgets.can_poll_ui())").strip()
    if polls != "True":
        import ipykernel

        pytest.skip(f"ipykernel {ipykernel.__version__} has no do_one_iteration, so no library can "
                    "process a Stop click while a handler blocks the kernel; the explorer says so and "
                    "points to the interrupt button. Colab's ipykernel 6.17 can: `make colab-test`.")
    ids = json.loads(execute(kernel, SETUP.replace("STEPS", "2000")))
    parent = click(kernel, ids["run"])
    sent = {}

    def stop_after_three(n):
        if n == 3 and not sent:
            sent["at"] = time.monotonic()
            click(kernel, ids["stop"])

    busy, updates, _ = _updates_until_idle(kernel, parent, ids["preview"], stop_after_three)
    assert sent, "Stop was never sent"
    # No clock: the page was polled after every step, and the run ended at the step under way
    # when the poll delivered Stop (so Stop is as quick as one step plus the message's trip).
    state = execute(kernel, "r = ex.result\nprint(r.interrupted, r.stop_reason, 3 <= r.steps < 2000, "
                            "'stopped early' in ex.status.value, ex.poller.polls >= r.steps, "
                            "r.steps - ex.runner.stop_step)")
    assert state.split() == ["True", "stopped", "True", "True", "True", "0"], state
    # The kernel takes cells again afterwards (jupyter-ui-poll handed execute_request back).
    assert execute(kernel, "print(6 * 7)", timeout=60).strip() == "42"


def test_in_vscode_a_main_thread_run_finishes_and_shows_its_result(colab_kernel):
    """VS Code's notebooks do not deliver widget clicks to a busy kernel (microsoft/vscode-jupyter
    #17360): the explorer must not rely on polling there, yet finish the run and show it."""
    kernel = colab_kernel
    ids = json.loads(execute(kernel, "import os\nos.environ['VSCODE_PID'] = '4242'\n"
                                     + SETUP.replace("STEPS", "12")))
    assert ids["mode"] == "main" and ids["frontend"], ids
    parent = click(kernel, ids["run"])
    busy, updates, _ = _updates_until_idle(kernel, parent, ids["preview"])
    assert busy and len(updates) >= 3, len(updates)  # previews reached the page during the run
    state = execute(kernel, "r = ex.result\nprint(r.steps, r.stop_reason, ex.running, "
                            "'final loss' in ex.status.value, ex.poller.live, ex.poller.polls, "
                            "'VS Code' in ex.poller.why_not, ex.stop_button.disabled)")
    assert state.split() == ["12", "steps", "False", "True", "False", "0", "True", "True"], state
    assert execute(kernel, "print(6 * 7)", timeout=60).strip() == "42"  # the kernel takes cells


# ---- the notebooks' setup cell, on "Colab", against a local stand-in for the repository ----------

def _setup_cell():
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parents[2] / "notebooks" / "01_vgg19_classification.ipynb").read_text())
    return next("".join(c["source"]) for c in nb["cells"] if "".join(c["source"]).startswith("# Setup"))


@pytest.fixture
def stand_in_repository(tmp_path):
    """A bare copy of this checkout whose ``REPO_REF`` branch is this checkout's HEAD, and a git
    config that points the public URL at it (``url.<base>.insteadOf``), as if GitHub were reachable."""
    import subprocess
    from pathlib import Path

    import nst_helpers as nst

    root = Path(__file__).resolve().parents[2]
    bare = tmp_path / "repo.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(root), str(bare)], check=True)
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    subprocess.run(["git", "-C", str(bare), "update-ref", f"refs/heads/{nst.REPO_REF}", head], check=True)
    config = tmp_path / "gitconfig"
    config.write_text(f'[url "{bare}"]\n\tinsteadOf = {nst.REPO_URL}\n')
    return {"GIT_CONFIG_GLOBAL": str(config), "NST_COLAB_DIR": str(tmp_path / "content" / "nst-notebooks"),
            "bare": str(bare)}


def _kernel_with(env):
    from jupyter_client.manager import start_new_kernel

    return start_new_kernel(kernel_name="python3", env={**os.environ, "NST_OFFLINE": "1", **env})


def _run_cell(kc, code, timeout=300):
    """(stdout+stderr text, error or None) of one cell."""
    msg_id = kc.execute(code)
    text, error = [], None
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            text.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            error = msg["content"]
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return "".join(text), error


def _git(*args):
    import subprocess

    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout.strip()


def test_setup_cell_runs_twice_cleanly_on_colab(stand_in_repository):
    """The second run, on a runtime that already cloned, must move to the branch's newest commit."""
    import nst_helpers as nst

    bare, clone = stand_in_repository.pop("bare"), stand_in_repository["NST_COLAB_DIR"]
    km, kc = _kernel_with(stand_in_repository)
    try:
        cell = FAKE_COLAB + _setup_cell()
        for attempt in (1, 2):
            if attempt == 2:  # main moves on between the two runs: a new commit with the same tree
                newer = _git("-C", bare, "-c", "user.name=t", "-c", "user.email=t@nst.invalid", "commit-tree",
                             f"{nst.REPO_REF}^{{tree}}", "-p", nst.REPO_REF, "-m", "newer")
                _git("-C", bare, "update-ref", f"refs/heads/{nst.REPO_REF}", newer)
            text, error = _run_cell(kc, cell)
            assert error is None, (attempt, error)
            assert "fatal" not in text.lower() and "error" not in text.lower(), (attempt, text)
            assert "VGG19 weights:" in text and "TensorFlow" in text
            assert _git("-C", clone, "rev-parse", "HEAD") == _git("-C", bare, "rev-parse", nst.REPO_REF), attempt
        where, _ = _run_cell(kc, "import nst_helpers\nprint(nst_helpers.__file__)")
        assert where.strip() == os.path.join(clone, "nst_helpers", "__init__.py")
        assert _git("-C", clone, "rev-parse", "--abbrev-ref", "HEAD") == nst.REPO_REF
        assert _git("-C", clone, "status", "--porcelain") == ""
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_setup_cell_says_what_failed_and_the_fix(tmp_path):
    import nst_helpers as nst

    config = tmp_path / "gitconfig"
    config.write_text(f'[url "{tmp_path / "renamed.git"}"]\n\tinsteadOf = {nst.REPO_URL}\n')
    km, kc = _kernel_with({"GIT_CONFIG_GLOBAL": str(config), "NST_COLAB_DIR": str(tmp_path / "clone")})
    try:
        _, error = _run_cell(kc, FAKE_COLAB + _setup_cell())
        assert error is not None and error["ename"] == "SystemExit"
        assert "Setup failed at `git clone" in error["evalue"] and "Fix:" in error["evalue"]
        assert "ModuleNotFoundError" not in error["evalue"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_korean_setup_cell_on_colab_gives_korean_checks_and_hangul_figures(stand_in_repository):
    """The Korean notebooks' setup cell on "Colab": it sets NST_LANG=ko and installs the Hangul
    font (koreanize-matplotlib, the pinned version); afterwards a check speaks Korean and a Korean
    figure title draws with no missing glyph (matplotlib warns "Glyph … missing" otherwise)."""
    from pathlib import Path

    ko = Path(__file__).resolve().parents[2] / "notebooks" / "ko" / "01_vgg19_classification.ipynb"
    setup = next("".join(c["source"]) for c in json.loads(ko.read_text(encoding="utf-8"))["cells"]
                 if "".join(c["source"]).startswith("# Setup"))
    stand_in_repository.pop("bare")
    km, kc = _kernel_with(stand_in_repository)
    try:
        text, error = _run_cell(kc, FAKE_COLAB + setup, timeout=600)
        assert error is None, error
        probe = (
            "import os, warnings\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
            "from nst_helpers import checks, plotting\n"
            "checks.check_answer('ratio_1e9', 'painting')\n"
            "with warnings.catch_warnings(record=True) as caught:\n"
            "    warnings.simplefilter('always')\n"
            "    plotting.grids._plt()\n"
            "    fig, ax = plt.subplots()\n"
            "    ax.set_title('그람 행렬과 스타일 손실')\n"
            "    fig.canvas.draw()\n"
            "print('LANG', os.environ.get('NST_LANG'))\n"
            "print('GLYPHS', sum('Glyph' in str(w.message) for w in caught))\n")
        out, error = _run_cell(kc, probe)
        assert error is None, error
        assert "LANG ko" in out and "GLYPHS 0" in out, out
        assert "아쉽습니다" in out, out  # the check's verdict, in Korean
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
