"""torch_legacy: PyTorch's legacy format read as hostile input. The files are assembled here opcode
by opcode (no torch, and not the reader's own code): a valid one reads exactly; code in any pickle
never runs; other classes, views outside their storage, absurd sizes and garbage are refused."""

import pickle
import struct

import numpy as np
import pytest

from nst_helpers.errors import WeightsError
from nst_helpers.method import torch_legacy

# ---- hostile files, assembled opcode by opcode (no torch, and not the reader's own code) ----

MAGIC = 0x1950A86A20F9469CFC6C


def _op(value):
    """The protocol-2 opcodes for one plain value (without PROTO and STOP)."""
    return pickle.dumps(value, protocol=2)[2:-1]


def _main_pickle(tensors):
    """A torch legacy state dict: ``{name: (storage key, numel, offset, size, stride)}``."""
    out = b"\x80\x02ccollections\nOrderedDict\n)R("
    for name, (key, numel, offset, size, stride) in tensors.items():
        out += _op(name) + b"ctorch._utils\n_rebuild_tensor_v2\n("
        out += b"(" + _op("storage") + b"ctorch\nFloatStorage\n" + _op(key) + _op("cpu") + _op(numel) + b"tQ"
        out += _op(offset) + _op(tuple(size)) + _op(tuple(stride)) + b"\x89tR"
    return out + b"u."


def _legacy_bytes(tensors, storages, pickles=None, counts=None):
    """The five pickles and the raw storages; ``pickles`` replaces pickle i by other bytes."""
    parts = [pickle.dumps(MAGIC, protocol=2), pickle.dumps(1001, protocol=2),
             pickle.dumps({"protocol_version": 1001, "little_endian": True,
                           "type_sizes": {"short": 2, "int": 4, "long": 4}}, protocol=2),
             _main_pickle(tensors), pickle.dumps(sorted(storages), protocol=2)]
    for i, evil in (pickles or {}).items():
        parts[i] = evil
    blob = b"".join(parts)
    for key in sorted(storages):
        data = np.asarray(storages[key], "<f4")
        blob += struct.pack("<q", (counts or {}).get(key, data.size)) + data.tobytes()
    return blob


def _write(tmp_path, blob):
    path = tmp_path / "weights.bin"
    path.write_bytes(blob)
    return path


GOOD_STORAGE = {"s0": np.arange(12, dtype=np.float32), "s1": np.array([5.0, -1.5], np.float32)}
GOOD_TENSORS = {
    "a": ("s0", 12, 0, (3, 4), (4, 1)),   # contiguous
    "a_t": ("s0", 12, 0, (4, 3), (1, 4)),  # a transposed view of the same storage
    "b": ("s1", 2, 1, (1,), (1,)),         # an offset view
}


@pytest.mark.versionless
def test_a_valid_legacy_file_reads_exactly(tmp_path):
    out = torch_legacy.read_torch_legacy(_write(tmp_path, _legacy_bytes(GOOD_TENSORS, GOOD_STORAGE)))
    np.testing.assert_array_equal(out["a"], np.arange(12).reshape(3, 4))
    np.testing.assert_array_equal(out["a_t"], np.arange(12).reshape(3, 4).T)
    np.testing.assert_array_equal(out["b"], [-1.5])
    assert out["a"].flags.owndata and out["a"].dtype == np.float32


def _evil(marker):
    """A pickle that runs ``touch marker`` through os.system if anything unpickles it."""
    command = f"touch {marker}"
    return b"\x80\x02cos\nsystem\n" + _op(command) + b"\x85R."


@pytest.mark.versionless
@pytest.mark.parametrize("which", [0, 1, 2, 3, 4], ids=["magic", "protocol", "sys_info", "state", "keys"])
def test_code_in_any_of_the_five_pickles_never_runs(tmp_path, which):
    marker = tmp_path / "ran"
    path = _write(tmp_path, _legacy_bytes(GOOD_TENSORS, GOOD_STORAGE, pickles={which: _evil(marker)}))
    with pytest.raises(WeightsError, match="refusing to unpickle os.system") as err:
        torch_legacy.read_torch_legacy(path)
    assert str(path) in str(err.value)
    assert not marker.exists()


@pytest.mark.versionless
@pytest.mark.parametrize("module,name", [("os", "system"), ("builtins", "eval"),
                                         ("torch.nn", "Module"), ("numpy", "ndarray")])
@pytest.mark.parametrize("which", [0, 3, 4])
def test_reader_refuses_any_other_class(tmp_path, module, name, which):
    evil = b"\x80\x02c" + f"{module}\n{name}\n".encode() + _op("echo") + b"\x85R."
    path = _write(tmp_path, _legacy_bytes(GOOD_TENSORS, GOOD_STORAGE, pickles={which: evil}))
    with pytest.raises(WeightsError, match=f"refusing to unpickle {module}.{name}"):
        torch_legacy.read_torch_legacy(path)


@pytest.mark.versionless
@pytest.mark.parametrize("tensor,expect", [
    (("s0", 12, 10, (3,), (1,)), "reaches element 12 of a storage of 12"),  # past the end
    (("s0", 12, 0, (13,), (1,)), "reaches element 12"),
    (("s0", 12, 0, (3, 4), (4, 2)), "reaches element 14"),  # strides walk out of the storage
    (("s0", 12, 11, (3,), (-1,)), "invalid view"),           # negative stride
    (("s0", 12, -1, (2,), (1,)), "invalid view"),            # negative offset
    (("s0", 12, 0, (1 << 20, 1 << 20), (1, 1)), "claims 1099511627776 elements"),  # 2^40
])
def test_views_outside_their_storage_are_refused(tmp_path, tensor, expect):
    path = _write(tmp_path, _legacy_bytes({"x": tensor}, {"s0": GOOD_STORAGE["s0"]}))
    with pytest.raises(WeightsError, match=expect) as err:
        torch_legacy.read_torch_legacy(path)
    assert str(path) in str(err.value)


@pytest.mark.versionless
def test_absurd_or_inconsistent_storage_sizes_are_refused_before_allocating(tmp_path):
    # A storage declared with 2^40 elements: refused while reading the pickle, nothing allocated.
    huge = _legacy_bytes({"x": ("s0", 1 << 40, 0, (2,), (1,))}, {"s0": GOOD_STORAGE["s0"]},
                         counts={"s0": 1 << 40})
    with pytest.raises(WeightsError, match="bad storage record"):
        torch_legacy.read_torch_legacy(_write(tmp_path, huge))
    # The raw count disagrees with what the tensors declared.
    wrong = _legacy_bytes(GOOD_TENSORS, GOOD_STORAGE, counts={"s0": 11})
    with pytest.raises(WeightsError, match="holds 11 elements"):
        torch_legacy.read_torch_legacy(_write(tmp_path, wrong))
    # A count that agrees but is larger than the bytes left in the file.
    cut = _legacy_bytes({"x": ("s0", 1 << 26, 0, (2,), (1,))}, {"s0": GOOD_STORAGE["s0"]},
                        counts={"s0": 1 << 26})
    with pytest.raises(WeightsError, match="truncated"):
        torch_legacy.read_torch_legacy(_write(tmp_path, cut))


@pytest.mark.versionless
def test_expected_shapes_are_checked_before_reading(tmp_path):
    path = _write(tmp_path, _legacy_bytes(GOOD_TENSORS, GOOD_STORAGE))
    with pytest.raises(WeightsError, match=r"tensor a has shape \(3, 4\), expected \(4, 3\)"):
        torch_legacy.read_torch_legacy(path, expected={"a": (4, 3)})


@pytest.mark.versionless
def test_reader_rejects_garbage(tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"not a pickle at all")
    with pytest.raises(WeightsError, match="bad.bin"):
        torch_legacy.read_torch_legacy(bad)
