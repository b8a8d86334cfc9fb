"""TensorFlow, imported once with its known start-up noise filtered out (and nothing else).

TF 2.21 writes absl start-up lines ("oneDNN custom operations are on", "Could not find cuda
drivers", "failed call to cuInit") straight to file descriptor 2, whatever TF_CPP_MIN_LOG_LEVEL
says, and Jupyter shows them in red under the first cell. While TensorFlow is imported and its
physical devices are listed, fd 2 goes to a temporary file; afterwards every line that is not
one of those known notices is written back to the real fd 2, so a genuine error message still
shows. ``NST_TF_LOGS=1`` keeps every line.

A message that kills the process during the import would never be written back, so nothing is
filtered where TensorFlow may abort: on an x86 CPU without AVX (PyPI's TensorFlow needs it, and
its import aborts with "The TensorFlow library was compiled to use AVX instructions, but these
aren't available on your machine"), fd 2 is left alone and a line saying why comes first.

Listing *physical* devices does not create TensorFlow's runtime, so a student can still call
``tf.config.experimental.set_memory_growth`` or ``set_visible_devices`` after importing the package.
"""

import contextlib
import os
import re
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

#: Lines TensorFlow prints on every start on machines like ours and Colab's; nothing else is hidden.
NOISE = re.compile(
    r"All log messages before absl::InitializeLog\(\) is called"
    r"|oneDNN custom operations are on"
    r"|Could not find cuda drivers on your machine"
    r"|failed call to cuInit"
    r"|This TensorFlow binary is optimized to use available CPU instructions"
    r"|rebuild TensorFlow with the appropriate compiler flags"
    r"|Unable to register cu(DNN|FFT|BLAS) factory"
    r"|computation placer already registered"
    r"|TF-TRT Warning: Could not find TensorRT"
)


@contextlib.contextmanager
def filtered_stderr(pattern=NOISE):
    """Send fd 2 to a temporary file inside the block; replay the lines ``pattern`` does not match."""
    if os.environ.get("NST_TF_LOGS") == "1":
        yield
        return
    try:
        saved = os.dup(2)
        capture = tempfile.TemporaryFile()
    except OSError:
        yield
        return
    try:
        sys.stderr.flush()
        os.dup2(capture.fileno(), 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        capture.seek(0)
        kept = [line for line in capture.read().decode("utf-8", "replace").splitlines(keepends=True)
                if not pattern.search(line)]
        capture.close()
        if kept:
            os.write(2, "".join(kept).encode())


def may_abort():
    """True where importing TensorFlow may kill the process: an x86 CPU whose flags lack AVX."""
    import platform

    from . import cpu

    flags = cpu.flags()
    return platform.machine().lower() in ("x86_64", "amd64", "i686") and bool(flags) and "avx" not in flags


def _import():
    if "tensorflow" in sys.modules:
        import tensorflow

        return tensorflow
    if may_abort():
        print("nst_helpers: this CPU has no AVX instructions, which TensorFlow's PyPI builds need; if "
              "the import below stops the kernel, run the notebooks on Colab or another computer.",
              file=sys.stderr, flush=True)
        import tensorflow

        return tensorflow
    with filtered_stderr():
        import tensorflow

        tensorflow.config.list_physical_devices()  # the CUDA probe prints here; no runtime yet
    return tensorflow


tf = _import()
