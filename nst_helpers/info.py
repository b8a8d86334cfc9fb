"""What a notebook's first cell prints: versions, device, weights, fast mode."""

from . import config


def describe(weights=True):
    """Print TensorFlow's version, the device (CPU/GPU), which VGG19 weights are in use, and
    whether fast mode is on. Returns the same facts as a dict."""
    from ._tf import tf

    gpus = tf.config.list_physical_devices("GPU")
    facts = {
        "tensorflow": tf.__version__,
        "device": f"GPU ({', '.join(g.name for g in gpus)})" if gpus else "CPU",
        "fast_mode": config.fast_mode(),
    }
    if weights:
        from .weights import resolve_weights

        facts["weights"] = resolve_weights(verbose=False).source
    print(f"TensorFlow {facts['tensorflow']} on {facts['device']}")
    if weights:
        print(f"VGG19 weights: {facts['weights']}")
    print("fast mode (NST_FAST=1): small images, few steps" if facts["fast_mode"]
          else "full quality (set NST_FAST=1 for a quick run)")
    return facts
