"""The measured precision choice (``precision="auto"``) and float16 (the cache: test_precision_cache.py).

The choice is tested with faked timers and a faked GPU (no TensorFlow work, nothing timed); one
test runs the real timer and checks that it times real evaluations. The float16 tests run the
real network on the CPU, where TensorFlow computes float16 convolutions slowly: tiny pictures.
"""

import json
import math
import time

import numpy as np
import pytest
import tensorflow as tf
from conftest import needs_uncapped_bf16
from precision_support import CPU, fake_timer, key, no_timer, reason

import nst_helpers as nst
from nst_helpers import cpu, features, losses, precision
from nst_helpers.method.defaults import COMPUTE_PRECISIONS

# ---- the decision ------------------------------------------------------------------------------

@pytest.mark.parametrize("timings,want,samples", [
    ({"float32": 0.44, "bfloat16": 0.23}, "bfloat16", 1),   # one sample decides (≥ 1.25× apart)
    ({"float32": 0.564, "bfloat16": 0.588}, "float32", 3),  # close: best of three each
    ({"float32": 1.661, "bfloat16": 2.293}, "float32", 1),  # bf16 clearly slower
], ids=["bf16 faster", "close", "bf16 slower"])
def test_auto_on_a_bf16_cpu_takes_the_measured_faster_one(monkeypatch, fresh, timings, want, samples):
    calls = []

    def timer(p, side, shape=None):
        def sample():
            calls.append((p, side))
            # The first sample of the truly faster one is slow: only the extra samples reveal it.
            first = sum(1 for q, _ in calls if q == p) == 1
            return timings[p] * (1.1 if first and p == want and samples > 1 else 1.0)
        return sample

    monkeypatch.setattr(precision, "_evaluation_timer", timer)
    assert precision.choose("auto", (192, 256)) == (want, reason(want, CPU, 256, timings))
    assert sorted(calls) == [("bfloat16", 256)] * samples + [("float32", 256)] * samples
    # Kept on disk per machine, TensorFlow version and size class: no second measurement.
    monkeypatch.setattr(precision, "_MEMORY", {})
    assert precision.choose("auto", (100, 250))[0] == want and len(calls) == 2 * samples
    saved = json.loads((fresh / "precision.json").read_text())
    assert list(saved.values()) == [{"float32": timings["float32"], "bfloat16": timings["bfloat16"]}]
    precision.choose("auto", (400, 512))  # another size class is measured on its own
    assert len(calls) == 4 * samples and {side for _, side in calls[2 * samples:]} == {512}


def test_auto_on_a_cpu_without_bf16_is_float32_and_measures_nothing(monkeypatch, fresh):
    monkeypatch.setattr(precision, "_cpu_has_bf16", lambda: False)
    no_timer(monkeypatch)
    assert precision.choose("auto", 256) == ("float32", f"auto: float32 ({CPU} has no native bfloat16)")
    assert not (fresh / "precision.json").exists()


@pytest.mark.parametrize("timings,want", [
    ({"float32": 0.30, "float16": 0.12}, "float16"),
    ({"float32": 0.30, "float16": 0.45}, "float32"),
], ids=["float16 faster", "float16 slower"])
@pytest.mark.parametrize("cpu_bf16", [False, True], ids=["cpu without bf16", "cpu with bf16"])
def test_auto_on_a_gpu_times_float32_against_float16(monkeypatch, fresh, timings, want, cpu_bf16):
    monkeypatch.setattr(precision, "_gpu", lambda: "Tesla T4")
    monkeypatch.setattr(precision, "_cpu_has_bf16", lambda: cpu_bf16)
    calls = []
    fake_timer(monkeypatch, timings, calls)
    assert precision.choose("auto", (384, 512)) == (want, reason(want, "GPU Tesla T4", 512, timings))
    assert sorted(calls) == [("float16", 512), ("float32", 512)]  # never bfloat16 on a GPU
    monkeypatch.setattr(precision, "_MEMORY", {})
    assert precision.choose("auto", 500)[0] == want and len(calls) == 2  # cached, per GPU


def test_a_gpu_entry_is_not_taken_for_a_cpu_one(monkeypatch, fresh):
    calls = []
    fake_timer(monkeypatch, {"float32": 0.3, "float16": 0.1, "bfloat16": 0.2}, calls)
    monkeypatch.setattr(precision, "_gpu", lambda: "Tesla T4")
    assert precision.choose("auto", 256)[0] == "float16"
    monkeypatch.setattr(precision, "_gpu", lambda: None)
    assert precision.choose("auto", 256)[0] == "bfloat16" and len(calls) == 4


def test_concrete_precisions_are_returned_as_asked_and_others_refused(monkeypatch, fresh):
    no_timer(monkeypatch)
    for p in ("float32", "bfloat16", "float16"):
        assert precision.choose(p, (48, 64)) == (p, "as asked")
    for bad in ("float64", "fp16", "AUTO", None):
        with pytest.raises(nst.ArgumentError, match="float16") as e:
            precision.choose(bad, 256)
        assert "auto" in str(e.value)
    for size in (0, -5, "big", (0, 0)):
        with pytest.raises(nst.ArgumentError, match="size"):
            precision.choose("auto", size)


def test_below_the_choice_auto_is_a_clear_error_not_a_silent_256_px_measurement(monkeypatch, content64,
                                                                                 style64):
    no_timer(monkeypatch)
    for make in (lambda: features.FeatureExtractor(["block1_conv1"], precision="auto"),
                 lambda: features.extractor(("block1_conv1",), "imagenet", "auto"),
                 lambda: losses.Objective(content64, style64, precision="auto")):
        with pytest.raises(nst.ArgumentError, match=r"precision\.choose") as e:
            make()
        assert "float16" in str(e.value)
    with pytest.raises(nst.ArgumentError, match="float16"):
        features.FeatureExtractor(["block1_conv1"], precision="float64")
    assert not hasattr(features, "choose_precision") and not hasattr(features, "resolve_precision")


def test_a_run_records_the_choice_and_why(content64, style64, monkeypatch, fresh):
    calls = []
    fake_timer(monkeypatch, {"float32": 1.0, "bfloat16": 2.0}, calls)
    r = nst.transfer(content64, style64, steps=2, progress=False)
    side = max(content64.shape[1:3])
    assert r.settings["precision"] == "float32"
    assert r.settings["precision_reason"] == reason("float32", CPU, 128 if side <= 128 else 256,
                                                    {"float32": 1.0, "bfloat16": 2.0})
    assert len(calls) == 2  # measured once, for the run's own size class


@pytest.mark.parametrize("p", [pytest.param(p, marks=needs_uncapped_bf16) if p == "bfloat16" else p
                               for p in COMPUTE_PRECISIONS])
def test_the_real_timer_times_one_real_evaluation_per_sample(monkeypatch, p):
    seen = []
    real = losses.Objective.value_and_grad

    def counted(self, image):
        seen.append(tuple(image.shape))
        time.sleep(0.02)  # a known floor under what the timer must report
        return real(self, image)

    monkeypatch.setattr(losses.Objective, "value_and_grad", counted)
    timer = precision._evaluation_timer(p, 64, shape=(24, 32))
    assert seen == [(1, 24, 32, 3)]  # traced and warmed up once, at the run's shape
    samples = [timer(), timer()]
    assert seen == [(1, 24, 32, 3)] * 3
    assert all(isinstance(s, float) and math.isfinite(s) and s >= 0.02 for s in samples), samples
    # Without a shape: the size class's 3:4 picture.
    precision._evaluation_timer("float32", 64)
    assert seen[-1] == (1, 48, 64, 3)


# ---- one precision's time, for NST_MODE=auto: the same cache entry as choose's ----------------------

def sequence_timer(monkeypatch, samples, calls):
    """Replace the real timer: precision p's samples are ``samples[p]`` in turn (across timers);
    records ``(p, side)``."""
    streams = {p: iter(values) for p, values in samples.items()}

    def timer(p, side, shape=None):
        def sample():
            calls.append((p, side))
            return next(streams[p])
        return sample
    monkeypatch.setattr(precision, "_evaluation_timer", timer)


def test_evaluation_seconds_is_the_best_of_three_at_the_size_class(monkeypatch, fresh):
    calls = []
    sequence_timer(monkeypatch, {"float16": [0.5, 0.3, 0.4]}, calls)
    assert precision.evaluation_seconds("float16", 200) == 0.3
    assert calls == [("float16", 256)] * 3
    assert json.loads((fresh / "precision.json").read_text()) == {key(256): {"float16": 0.3}}
    with pytest.raises(nst.ArgumentError, match=r"precision\.choose.*bfloat16"):
        precision.evaluation_seconds("auto", 256)  # says how to resolve "auto" first
    for bad in ("float64", None):
        with pytest.raises(nst.ArgumentError, match=r"one of \('float32', 'bfloat16', 'float16'\)"):
            precision.evaluation_seconds(bad, 256)


def test_choose_and_evaluation_seconds_keep_and_reuse_each_others_numbers(monkeypatch, fresh):
    calls = []
    sequence_timer(monkeypatch, {"float32": [0.5, 0.4, 0.6, 0.45],
                                 "bfloat16": [0.2, 0.9, 0.9], "float16": [3.0, 2.0, 2.5]}, calls)
    path = fresh / "precision.json"
    assert precision.evaluation_seconds("float32", 256) == 0.4
    # bfloat16 is missing: choose times both itself, under the same load (one sample decides).
    assert precision.choose("auto", 256) == ("bfloat16", reason("bfloat16", CPU, 256,
                                                                {"float32": 0.45, "bfloat16": 0.2}))
    assert sorted(calls[3:]) == [("bfloat16", 256), ("float32", 256)]
    assert json.loads(path.read_text()) == {key(): {"float32": 0.45, "bfloat16": 0.2}}
    for memory in ({}, None):  # from this process's memory, then from the file
        if memory is not None:
            monkeypatch.setattr(precision, "_MEMORY", memory)
        assert precision.evaluation_seconds("bfloat16", 256) == 0.2 and len(calls) == 5
    assert precision.evaluation_seconds("float16", 256) == 2.0 and len(calls) == 8
    assert json.loads(path.read_text()) == {key(): {"float32": 0.45, "bfloat16": 0.2, "float16": 2.0}}
    monkeypatch.setattr(precision, "_MEMORY", {})
    assert precision.choose("auto", 256)[0] == "bfloat16" and len(calls) == 8  # its pair kept


# ---- float16: VGG19 in float16, everything else in float32 -----------------------------------------

def test_float16_runs_the_network_in_float16_and_hands_out_float32(content64):
    ex = features.extractor(("block1_conv1", "block3_conv1"), "imagenet", "float16")
    convs = [layer for layer in ex.model.layers if layer.name.startswith("block")]
    assert convs and all(layer.compute_dtype == "float16" for layer in convs)
    assert all(v.dtype == "float32" for v in ex.model.weights)  # the weights themselves stay float32
    raw = ex._network(features.preprocess(content64))
    assert all(r.dtype == tf.float16 for r in raw)
    assert all(a.dtype == tf.float32 for a in ex(content64).values())


def test_float16_losses_and_gradient_agree_with_float32(content64, style64):
    # Measured at 64 px on chelsea + starry_night and two more pairs: totals 0.17-0.26 % below
    # float32's, gradient cosine 0.9998. Tolerances: 1 % and 0.999.
    x = tf.clip_by_value(content64 + 0.05, 0, 1)
    exact = losses.Objective(content64, style64, precision="float32").value_and_grad(x)
    half = losses.Objective(content64, style64, precision="float16").value_and_grad(x)
    for term in ("content", "style", "tv"):
        assert float(half[1][term]) == pytest.approx(float(exact[1][term]), rel=0.01), term
    assert float(half[0]) == pytest.approx(float(exact[0]), rel=0.01)
    ga, gb = exact[2].numpy(), half[2].numpy()
    assert np.isfinite(gb).all()  # the backward pass in float16 overflows without loss scaling
    cosine = float((ga * gb).sum() / (np.linalg.norm(ga) * np.linalg.norm(gb)))
    assert cosine > 0.999, cosine
    assert float(np.linalg.norm(gb) / np.linalg.norm(ga)) == pytest.approx(1.0, abs=0.01)


def test_a_short_float16_transfer_looks_like_the_float32_one():
    # Measured (3 L-BFGS steps, 48 px, Colab's versions, AVX2-capped Zen 4), on five pairs (chelsea
    # and The Starry Night here; four pairs of ../shared/images too): mean |difference| 0.0006-0.0017,
    # 2-3 % of how far the transfer moved the picture from the photo (0.03-0.05); final losses within
    # 0.5 %. Tolerances: 0.02 and a quarter (bfloat16 was not measured at this size). Without
    # AVX-512, TensorFlow 2.20 runs float16 convolutions in Eigen, about 2 CPU s an evaluation at
    # this size (4 at 64 px): 48 px and 3 steps keep the test near 10 s there.
    content, style = nst.load_image("chelsea", max_dim=48), nst.load_image("starry_night", max_dim=48)
    kw = dict(steps=3, progress=False, init="content")
    a = nst.transfer(content, style, precision="float32", **kw)
    b = nst.transfer(content, style, precision="float16", **kw)
    assert b.settings["precision"] == "float16"
    diff = float(np.abs(a.image.numpy() - b.image.numpy()).mean())
    moved = float(np.abs(a.image.numpy() - np.asarray(content)).mean())
    assert diff < 0.02 and diff < moved / 4, (diff, moved)
    assert b.history["total"][-1] == pytest.approx(a.history["total"][-1], rel=0.05)


def checkerboard(size, square):
    """A 0/1 black-and-white checkerboard ``[1, size, size, 3]``: the most saturated input there is."""
    yy, xx = np.mgrid[:size, :size]
    board = ((yy // square + xx // square) % 2).astype(np.float32)
    return np.repeat(board[None, :, :, None], 3, axis=-1)


def test_float16_survives_the_largest_activations(style64):
    # Of the 0/1 checkerboards (squares of 1-16 px), a white picture and the nine paintings in
    # ../shared/images/styles at 256 px, 2-px squares drive VGG19 hardest: block4_conv2 reaches
    # about 32 300, half of float16's largest number (65504). The checkerboard's peak is the same
    # at 64, 128 and 256 px (the pattern repeats), so 64 px suffices.
    board = checkerboard(64, 2)
    layers = ("block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block4_conv2", "block5_conv1")
    half = features.extractor(layers, "imagenet", "float16")
    exact = features.extractor(layers, "imagenet", "float32")
    raw = half._network(features.preprocess(tf.constant(board)))
    peak = max(float(tf.reduce_max(tf.cast(r, tf.float32))) for r in raw)
    assert 16384 < peak < 65504, peak  # the test really probes float16's top end
    a16, a32 = half(board), exact(board)
    for k in layers:
        g16, g32 = losses.gram_matrix(a16[k]), losses.gram_matrix(a32[k])
        assert g16.dtype == tf.float32 and bool(tf.reduce_all(tf.math.is_finite(g16))), k
        assert float(tf.reduce_max(tf.abs(g16 - g32)) / tf.reduce_max(g32)) < 0.01, k
    # The same Gram matrix computed in float16 overflows: why activations leave the network as float32.
    assert not bool(tf.reduce_all(tf.math.is_finite(losses.gram_matrix(tf.cast(a32["block4_conv2"], tf.float16)))))
    # A style loss against the checkerboard: finite, with a finite gradient, close to float32's.
    x = tf.image.resize(style64, (64, 64))
    style32, style16 = (losses.Objective(None, board, style_layers=layers, precision=p, tv_weight=0.0)
                        for p in ("float32", "float16"))
    total16, _, grad16 = style16.value_and_grad(x)
    assert math.isfinite(float(total16)) and bool(tf.reduce_all(tf.math.is_finite(grad16)))
    assert float(total16) == pytest.approx(float(style32.terms(x)["total"]), rel=0.01)


def test_a_cpu_capped_below_bfloat16_by_onednn_counts_as_one_without_it(monkeypatch):
    """ONEDNN_MAX_CPU_ISA=AVX2 (a laptop CPU approximated on a newer one) makes oneDNN's bfloat16
    convolutions fail to build; "auto" must then not pick bfloat16, and its cached choice for the
    uncapped CPU must not be reused."""
    monkeypatch.setattr(cpu, "flags", lambda: frozenset({"avx2", "avx512f", "avx512_bf16"}))
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    assert cpu.has_native_bf16()
    uncapped = precision._device()
    for cap, native in (("AVX2", False), ("avx512_core", False), ("AVX512_CORE_BF16", True), ("ALL", True)):
        monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", cap)
        assert cpu.has_native_bf16() is native, cap
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    monkeypatch.setattr(precision, "_gpu", lambda: None)
    assert precision._device() != uncapped and "AVX2" in precision._device()
