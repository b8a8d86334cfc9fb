"""``python -m nst_helpers transfer`` as a real process, interrupted: Ctrl-C (SIGINT) before and
during the run writes the best picture so far and exits 130; SIGKILL at any moment leaves the old
picture or a complete new one, never half of one."""

import os
import re
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

ENV = {**os.environ, "NST_OFFLINE": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}


def _interrupt_when(marker, out, size=96):
    """Start the command, send SIGINT once ``marker`` appears on its stderr; return (rc, stderr)."""
    import signal
    import threading
    import time

    # A child inherits an ignored SIGINT (a suite started as a background job of a script, where
    # the shell ignores it), and Python then never raises KeyboardInterrupt. A user's Ctrl-C
    # reaches a foreground command with the default handling: give the child that. A Python
    # handler in the parent is reset to the default at exec, so it is enough to hold one here.
    held = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen([sys.executable, "-u", "-m", "nst_helpers", "transfer", "chelsea",
                                 "starry_night", "-o", str(out), "--size", str(size), "--steps", "300"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    finally:
        signal.signal(signal.SIGINT, held)
    chunks = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: proc.stderr.read(1), b"")),
                              daemon=True)
    reader.start()
    import re

    deadline = time.monotonic() + 240
    while not re.search(marker.encode(), b"".join(chunks)) and time.monotonic() < deadline \
            and proc.poll() is None:
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    rc = proc.wait(120)
    reader.join(10)
    return rc, b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("marker", [r" 0%", r"\b([3-9]|[1-9]\d)/300"],
                         ids=["during the first evaluation", "mid-run"])
def test_sigint_writes_a_picture_and_exits_130(tmp_path, marker):
    # The progress bar appears just before the first evaluation (which traces the loss for
    # seconds on 2 cores); "3/300" or more is after three finished steps (tqdm skips redraws).
    out = tmp_path / "out.png"
    rc, err = _interrupt_when(marker, out)
    assert rc == 130, err[-2000:]
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == f"interrupted: wrote {out} (the best image so far)"
    assert Image.open(out).size == (96, 64)  # the content's size


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGKILL"), reason="SIGKILL is POSIX")
def test_sigkill_mid_run_leaves_the_old_or_a_complete_picture(tmp_path):
    import signal
    import time

    out = tmp_path / "out.png"
    Image.new("RGB", (10, 10), (90, 90, 90)).save(out)  # the previous run's picture
    with open(tmp_path / "stderr.txt", "w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "nst_helpers", "transfer", "chelsea",
                                 "starry_night", "-o", str(out), "--size", "64", "--steps", "300",
                                 "--min-progress", "0", "--save-every", "1", "--precision", "float32"],
                                stdout=subprocess.PIPE, stderr=err, text=True, env=ENV)
        saves = 0
        for line in proc.stdout:
            saves += ": saved " in line
            if saves == 3:
                break
        time.sleep(0.05)  # somewhere in the next steps, maybe mid-write
        proc.send_signal(signal.SIGKILL)
        proc.wait(60)
    assert saves == 3, (tmp_path / "stderr.txt").read_text()[-3000:]
    with Image.open(out) as img:
        img.load()  # raises on a truncated file
        assert img.size == (64, 43)
    left = [p.name for p in tmp_path.iterdir() if p.name not in ("out.png", "stderr.txt")]
    assert len(left) <= 1 and all(_temporary_of(name, proc.pid) for name in left), left


def _temporary_of(name, pid):
    """Whether ``name`` is the temporary file a writer with process id ``pid`` makes for out.png."""
    return re.fullmatch(rf"\.out\.png\.tmp-{pid}-[0-9a-f]{{8}}\.png", name) is not None


WRITER = """
import sys
import numpy as np
from nst_helpers.images import save_image_atomic
pictures = [np.random.default_rng(seed).integers(0, 256, (1, 384, 384, 3)) / 255 for seed in (1, 2)]
save_image_atomic(pictures[0], sys.argv[1])
print("ready", flush=True)
i = 1
while True:
    save_image_atomic(pictures[i % 2], sys.argv[1])
    i += 1
"""


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGKILL"), reason="SIGKILL is POSIX")
def test_a_writer_killed_at_any_moment_never_leaves_a_partial_picture(tmp_path):
    # A process rewrites a 384 px noise picture (slow to encode) in a loop and is killed with
    # SIGKILL at many moments: the file is always one of the two complete pictures.
    import signal
    import time

    from nst_helpers.images import save_image_atomic

    expected = [np.random.default_rng(seed).integers(0, 256, (1, 384, 384, 3))[0] for seed in (1, 2)]
    out = tmp_path / "out.png"
    delays = np.random.default_rng(0).uniform(0.0, 0.3, 15)
    mid_write = 0
    for delay in delays:
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(out)], stdout=subprocess.PIPE,
                                text=True, env=ENV)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        with Image.open(out) as img:
            picture = np.asarray(img)  # decodes the whole file: raises if truncated
        assert any(np.array_equal(picture, e) for e in expected)
        others = sorted(p.name for p in tmp_path.iterdir() if p != out)
        # earlier ones cleaned
        assert len(others) <= 1 and all(_temporary_of(name, proc.pid) for name in others), others
        mid_write += bool(others)
    assert mid_write >= 3, f"only {mid_write} of {len(delays)} kills landed during a write"
    # The next write removes the dead writer's leftover, not the file of a process still running.
    alive = tmp_path / f".out.png.tmp-{os.getppid()}-0123abcd.png"
    alive.write_bytes(b"")
    save_image_atomic(expected[0][None] / 255.0, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, "out.png"])
