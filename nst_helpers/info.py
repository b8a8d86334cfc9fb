"""What a notebook's first cell prints (versions, device, weights, mode), and the repository's
commit that every artefact (gallery, benchmark results) is stamped with."""

import subprocess
from pathlib import Path

from .language import N_, shown, t
from .machine import config
from .machine._tf import filtered_stderr

#: The mode line describe() prints (Korean entries in nst_helpers/locale/ko/LC_MESSAGES/nst_helpers.po).
MODE_LINES = {"auto": N_("mode: auto (NST_MODE=auto): each figure's size and steps fitted to about 30 s here"),
              "fast": N_("mode: fast (NST_MODE=fast): tiny images, a few steps"),
              "demo": N_("mode: demo (NST_MODE=demo): small pictures and few steps for a live class (each notebook says its times)"),
              "full": N_("mode: full quality (NST_MODE=auto for a class, NST_MODE=fast for a quick check)")}


def describe(weights=True):
    """Print TensorFlow's version, the device (CPU/GPU), which VGG19 weights are in use, and the
    mode (auto, fast, demo, full); in auto mode also times this machine once (the number every
    figure's fit reuses) and prints it. Returns the same facts as a dict."""
    from .machine._tf import tf

    with filtered_stderr():
        gpus = tf.config.list_physical_devices("GPU")
    facts = {
        "tensorflow": tf.__version__,
        "device": f"GPU ({', '.join(g.name for g in gpus)})" if gpus else "CPU",
        "mode": config.mode(),
    }
    if weights:
        from .method.weights import resolve_weights

        facts["weights"] = resolve_weights(verbose=False).source
    print(t("TensorFlow {version} on {device}", version=facts["tensorflow"], device=facts["device"]))
    if weights:
        print(t("VGG19 weights: {source}", source=shown(facts["weights"])))
    print(t(MODE_LINES[facts["mode"]]))
    if facts["mode"] == "auto":
        from .method import budget

        facts["machine"] = budget.machine_line()
        print(facts["machine"])
    return facts


def commit():
    """The repository's short commit, with ``+changes`` when tracked files differ from it; None
    outside a git checkout (an installed copy) or without git."""
    root = Path(__file__).resolve().parent.parent
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return sha + ("+changes" if dirty else "")
