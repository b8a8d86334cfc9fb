"""Shared fixtures. The tests never download: NST_OFFLINE=1 is forced here as well as in the Makefile."""

import contextlib
import os
import tempfile
from pathlib import Path

os.environ["NST_OFFLINE"] = "1"
# The measured precision choice is cached here, never in the user's home.
os.environ.setdefault("NST_CACHE_DIR", tempfile.mkdtemp(prefix="nst-test-cache-"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Figures are drawn off screen in every test of this process (set once here, before anything
# imports pyplot). Not through MPLBACKEND: the environment reaches the kernels and Jupyter servers
# the tests start, whose figures must use the notebook's inline backend.
import matplotlib  # noqa: E402

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from browser_support import skip_or_fail  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED_IMAGES = ROOT.parent / "shared" / "images"


def load_script(path, name=None):
    """A Python file that is not part of the package (nst.py, ci/*.py, another test's readers) as
    a fresh module, so a test may monkeypatch it without touching other tests."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name or Path(path).stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def slide_count(path):
    """Slides and sub-slides of a notebook's reveal.js deck (nbconvert, not executed), after checking
    that the deck has exactly the sections the cells' slide types ask for: reveal.js wraps each
    slide and its sub-slides in an outer <section>, one inner each."""
    import json

    from nbconvert import SlidesExporter

    html, _ = SlidesExporter().from_filename(str(path))
    types = [c["metadata"]["slideshow"]["slide_type"] for c in json.loads(Path(path).read_text(encoding="utf-8"))["cells"]]
    horizontal, vertical = types.count("slide"), types.count("subslide")
    assert html[html.find('<div class="slides">'):].count("<section") == 2 * horizontal + vertical
    return horizontal + vertical


def _capped_below_bf16():
    from nst_helpers.machine import cpu

    return cpu.isa_cap() not in ("", *cpu.BF16_ISAS)


#: For tests that run bfloat16 convolutions: oneDNN capped below bfloat16 (ONEDNN_MAX_CPU_ISA=AVX2,
#: how CI approximates a laptop on a newer CPU) cannot build them on a CPU that has bfloat16
#: ("could not create a primitive descriptor"), an artefact of the cap: skipped there, with the reason.
needs_uncapped_bf16 = pytest.mark.skipif(
    _capped_below_bf16(), reason="bfloat16 convolutions under a oneDNN cap below bfloat16 (ONEDNN_MAX_CPU_ISA) "
                                 "fail to build on a CPU that has them: an artefact of the cap")


@pytest.fixture
def shared_images():
    """The course's shared pictures (``../shared/images``, never copied into the repository).

    Missing, the test is skipped with the reason, or fails under ``NST_REQUIRE_SHARED=1`` (CI sets
    it, so a checkout without the folder cannot pass by skipping).
    """
    if not SHARED_IMAGES.is_dir():
        skip_or_fail(f"the course's shared pictures are not beside this checkout ({SHARED_IMAGES})",
                     "NST_REQUIRE_SHARED")
    return SHARED_IMAGES


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """For the precision tests: an empty cache in ``tmp_path``, a CPU named
    ``precision_support.CPU`` with native bf16, no GPU, and no oneDNN cap (CI may run under
    ONEDNN_MAX_CPU_ISA=AVX2, which would name the device differently; the variable itself stays:
    oneDNN reads it at its first convolution)."""
    from precision_support import CPU

    from nst_helpers import cpu, precision

    monkeypatch.setattr(precision, "_MEMORY", {})
    monkeypatch.setattr(cpu, "isa_cap", lambda: "")
    monkeypatch.setenv("NST_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(precision, "_gpu", lambda: None)
    monkeypatch.setattr(precision, "_cpu_has_bf16", lambda: True)
    monkeypatch.setattr(cpu, "model", lambda: CPU)
    return tmp_path


@pytest.fixture(scope="session")
def content64():
    import nst_helpers as nst

    return nst.load_image("chelsea", max_dim=64)


@pytest.fixture(scope="session")
def style64():
    import nst_helpers as nst

    return nst.load_image("starry_night", max_dim=64)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


# ---- a real Jupyter kernel, driven over the kernel protocol ------------------------------------

@contextlib.contextmanager
def running_kernel():
    """A fresh IPython kernel (this environment), offline; yields its client."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", env={**os.environ, "NST_OFFLINE": "1"})
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.fixture
def kernel():
    """A fresh IPython kernel (this environment), offline; yields its client."""
    with running_kernel() as kc:
        yield kc


def execute(kc, code, timeout=300):
    """Run a cell; return every iopub message it produced (up to its idle). Fails on an error."""
    msg_id = kc.execute(code)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "error":
            raise AssertionError("\n".join(msg["content"]["traceback"]))
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return outputs
        outputs.append(msg)


def stdout_of(messages):
    return "".join(m["content"]["text"] for m in messages
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
