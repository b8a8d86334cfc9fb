"""What one evaluation costs and what the CPU can do: the FLOPs of one loss-and-gradient evaluation,
counted from the layer shapes, the measured float32 matrix-multiply peak and the theoretical peak
(the ``bench`` section's throughput table puts the achieved GFLOP/s against them)."""

import os
import time

from nst_helpers import cpu, features
from nst_helpers.machine._tf import tf

from .recipe import STYLE_LAYERS


def flops_per_evaluation(height, width):
    """Loss-and-gradient FLOPs: conv forward + backward-to-input (no weight gradients) up to
    block5_conv2, plus the Gram matrices forward and backward. Pooling, ReLU and the
    elementwise terms are below 1 % and left out."""
    conv, gram = 0, 0
    for row in features.layer_table(height, width):
        h, w, c_out = row["output_shape"]
        c_in = (row["params"] - c_out) // (9 * c_out)
        conv += 2 * h * w * 9 * c_in * c_out
        if row["layer"] in STYLE_LAYERS:
            gram += 2 * h * w * c_out * c_out
        if row["layer"] == "block5_conv2":
            break
    return 2 * conv + 3 * gram


def matmul_peak(n=4096, repeats=5):
    a = tf.random.normal((n, n))
    b = tf.random.normal((n, n))
    tf.linalg.matmul(a, b).numpy()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        tf.linalg.matmul(a, b).numpy()
        best = min(best, time.perf_counter() - t0)
    return 2 * n ** 3 / best / 1e9


def theoretical_peak():
    """Cores × clock × FLOP/cycle, when the CPU is one we know (else None)."""
    mhz = [float(cpu.field("cpu MHz"))] if cpu.field("cpu MHz") else []
    flags, family = cpu.flags(), cpu.field("cpu family")
    if not mhz:
        return None, "unknown"
    cores = os.cpu_count()
    if cpu.field("vendor_id") == "AuthenticAMD" and family == "25" and "avx512f" in flags:
        per_cycle, how = 32, "Zen 4: 2 × 256-bit FMA pipes = 32 fp32 FLOP/cycle"
    elif "avx512f" in flags:
        per_cycle, how = 64, "AVX-512 with 2 FMA units = 64 fp32 FLOP/cycle"
    elif "avx2" in flags:
        per_cycle, how = 32, "AVX2 with 2 FMA units = 32 fp32 FLOP/cycle"
    else:
        return None, "unknown"
    return cores * mhz[0] / 1000 * per_cycle, f"{cores} cores × {mhz[0] / 1000:.2f} GHz × {how}"
