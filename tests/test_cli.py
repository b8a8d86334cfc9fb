"""``python -m nst_helpers transfer`` end to end, and its clean failures."""

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from nst_helpers.cli import main

ENV = {**os.environ, "NST_OFFLINE": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}


def cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "nst_helpers", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=ENV)


def test_transfer_end_to_end(tmp_path):
    out = tmp_path / "out.png"
    r = cli("transfer", "chelsea", "starry_night", "-o", out, "--size", 64, "--steps", 4, "--quiet")
    assert r.returncode == 0, r.stderr
    assert "wrote" in r.stdout and "VGG19 weights:" in r.stdout
    img = np.asarray(Image.open(out))
    assert img.shape == (43, 64, 3)
    photo = np.asarray(Image.open(ROOT_IMAGES / "chelsea.png").resize((64, 43), Image.LANCZOS), np.float32)
    assert 1.0 < np.abs(img - photo).mean() < 60  # changed, but still the photo


ROOT_IMAGES = __import__("pathlib").Path(__file__).resolve().parent.parent / "images"


def test_the_command_says_which_rule_ended_the_run(tmp_path):
    # 0.99: ten steps never lower the loss by 99 %, so the progress rule ends the run at step 10
    # of at most 50; with --min-progress 0 all 12 steps run.
    r = cli("transfer", "chelsea", "starry_night", "-o", tmp_path / "a.png", "--size", 48, "--steps", 50,
            "--min-progress", 0.99, "--quiet")
    assert r.returncode == 0, r.stderr
    assert "10 steps" in r.stdout and "ended: the last 10 steps lowered the loss by less than 0.99" in r.stdout
    r = cli("transfer", "chelsea", "starry_night", "-o", tmp_path / "b.png", "--size", 48, "--steps", 12,
            "--min-progress", 0, "--quiet")
    assert r.returncode == 0, r.stderr
    assert "12 steps" in r.stdout and "ended: all steps done" in r.stdout


def test_help(capsys):
    assert main(["transfer", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--coarse-to-fine" in out and "bundled" in out and "--save-every" in out


# ---- argument errors, in this process: the same checks and messages as transfer(), exit 2 ----------

def _mask_file(path, width, height, left=255, right=0):
    """A greyscale mask picture: ``left`` on the left half, ``right`` on the right half."""
    m = np.full((height, width), right, np.uint8)
    m[:, : width // 2] = left
    Image.fromarray(m).save(path)
    return path


@pytest.fixture
def mask_files(tmp_path):
    # chelsea is 451×300; at --size 64 the photo is 64×43. Masks may have any size of that shape.
    return {"left": _mask_file(tmp_path / "left.png", 90, 60),
            "square": _mask_file(tmp_path / "square.png", 60, 60),
            "black": _mask_file(tmp_path / "black.png", 90, 60, left=0, right=0),
            "folder": _make_folder(tmp_path / "folder.png")}


def _make_folder(path):
    path.mkdir()
    return path


TWO = ["--style", "starry_night", "--style", "hubble"]


@pytest.mark.parametrize("args,expect", [
    (["missing.jpg", "starry_night"], "missing.jpg: no such file"),
    (["chelsea", "starry_night", "-o", "{tmp}/o.xyz"], "unknown image format"),
    (["chelsea", "starry_night", "-o", "{tmp}/nofolder/o.png"], "does not exist"),
    (["chelsea", "starry_night", "-o", "{folder}"], "is a folder"),
    (["chelsea", "starry_night", "--steps", "0"], "must be at least 1"),
    (["chelsea", "starry_night", "--size", "5"], "max_dim=5"),
    (["chelsea", "starry_night", "--content-layers", "fc7"], "not a VGG19"),
    (["chelsea", "starry_night", "--optimizer", "sgd"], "invalid choice"),
    (["chelsea", "starry_night", "--min-progress", "1.5"], "must be below 1"),
    (["chelsea", "starry_night", "--max-seconds", "-3"], "must not be negative"),
    (["chelsea", "starry_night", "--save-every", "0"], "must be at least 1"),
    (["chelsea", "starry_night", "--preserve-colour", "rgb"], "invalid choice"),
    (["chelsea", "starry_night", "--recipe", "gatys2015"], "invalid choice"),
    # measured and lost (issue 21 §5): no longer offered
    (["chelsea", "starry_night", "--basis", "pyramid+colour"], "invalid choice"),
    (["chelsea", "starry_night", "--lbfgs-memory", "5"], "unrecognized arguments"),
    (["chelsea"], "no painting given"),
    (["chelsea", *TWO, "--blend", "0.7,0.2,0.1"], "--blend has 3 weight(s) for 2 painting(s)"),
    (["chelsea", *TWO, "--blend", "0.7,x"], "'x' is not a number"),
    (["chelsea", *TWO, "--blend", "0.7,-0.3"], "must not be negative"),
    (["chelsea", *TWO, "--blend", "0,0"], "all zero"),
    # from transfer() itself, after the pictures are loaded and before any network work
    (["chelsea", *TWO, "--mask", "{left}"], "masks: 1 given for 2 style(s); give one mask per style"),
    (["chelsea", "starry_night", "--mask", "{square}"], "must have the content's aspect ratio"),
    (["chelsea", "starry_night", "--mask", "{black}"], "zero everywhere"),
    (["chelsea", "starry_night", "--mask", "{tmp}/nomask.png"], "nomask.png: no such file"),
])
def test_bad_arguments_fail_cleanly(tmp_path, mask_files, capsys, args, expect):
    names = {"tmp": tmp_path, **mask_files}
    argv = ["transfer", "--size", "64", *[a.format(**names) for a in args]]  # a later --size wins
    if "-o" not in argv:
        argv += ["-o", str(tmp_path / "o.png")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expect in err, err
    assert len([line for line in err.splitlines() if "error" in line]) == 1, err
    assert not (tmp_path / "o.png").exists()


def test_not_an_image(tmp_path, capsys):
    (tmp_path / "fake.jpg").write_text("hello")
    assert main(["transfer", str(tmp_path / "fake.jpg"), "starry_night", "-o", str(tmp_path / "o.png")]) == 2
    assert "not an image" in capsys.readouterr().err


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


def _python(code, timeout=120):
    """Run ``code`` in a fresh interpreter (imports are part of what is tested)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV,
                          timeout=timeout)


def test_help_does_not_import_tensorflow():
    code = ("import sys, contextlib, io\nfrom nst_helpers.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main(['transfer', '--help'])\n    except SystemExit:\n        pass\n"
            "print('tensorflow' in sys.modules)")
    r = _python(code)
    assert r.stdout.strip() == "False", r.stderr


def test_import_leaves_device_configuration_possible():
    # Changing thread pools raises RuntimeError once TensorFlow's runtime exists, like
    # set_memory_growth / set_visible_devices do on a GPU.
    code = ("import nst_helpers as nst\nimport tensorflow as tf\n"
            "assert nst.transfer and nst.load_image\n"
            "tf.config.threading.set_intra_op_parallelism_threads(1)\n"
            "tf.config.set_logical_device_configuration(tf.config.list_physical_devices('CPU')[0],"
            " [tf.config.LogicalDeviceConfiguration()] * 2)\nprint('configurable')")
    r = _python(code)
    assert r.stdout.strip() == "configurable", r.stderr[-2000:]


def test_known_start_up_noise_is_filtered_and_real_messages_kept():
    code = ("import os\nfrom nst_helpers._tf import filtered_stderr\nwith filtered_stderr():\n"
            "    os.write(2, b'I0000 port.cc:153] oneDNN custom operations are on. You may see\\n')\n"
            "    os.write(2, b'E0000 cuda_platform.cc:52] failed call to cuInit: UNKNOWN ERROR\\n')\n"
            "    os.write(2, b'F0000 something real broke\\n')\n")
    r = _python(code)
    assert r.stderr == "F0000 something real broke\n"
