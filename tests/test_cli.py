"""``python -m nst_helpers transfer`` end to end, and its clean failures."""

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

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


def test_help():
    r = cli("transfer", "--help")
    assert r.returncode == 0 and "--coarse-to-fine" in r.stdout and "bundled" in r.stdout


@pytest.mark.parametrize("args,expect", [
    (["transfer", "missing.jpg", "starry_night", "-o", "{tmp}/o.png"], "missing.jpg: no such file"),
    (["transfer", "chelsea", "starry_night", "-o", "{tmp}/o.xyz"], "unknown image format"),
    (["transfer", "chelsea", "starry_night", "-o", "{tmp}/nofolder/o.png"], "does not exist"),
    (["transfer", "chelsea", "starry_night", "-o", "{tmp}/o.png", "--steps", "0"], "must be at least 1"),
    (["transfer", "chelsea", "starry_night", "-o", "{tmp}/o.png", "--size", "5"], "max_dim=5"),
    (["transfer", "chelsea", "starry_night", "-o", "{tmp}/o.png", "--content-layers", "fc7"], "not a VGG19"),
    (["transfer", "chelsea", "starry_night", "-o", "{tmp}/o.png", "--optimizer", "sgd"], "invalid choice"),
    (["transfer", "chelsea"], "required"),
])
def test_bad_arguments_fail_cleanly(tmp_path, args, expect):
    r = cli(*[a.format(tmp=tmp_path) for a in args])
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert expect in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "o.png").exists()


def test_not_an_image(tmp_path):
    (tmp_path / "fake.jpg").write_text("hello")
    r = cli("transfer", tmp_path / "fake.jpg", "starry_night", "-o", tmp_path / "o.png")
    assert r.returncode == 2 and "not an image" in r.stderr and "Traceback" not in r.stderr
