"""The gallery's computed arrays, kept so that one computation is drawn in every language: a
figure's runs, features and statistics, in the order its drawing asks for them, in
``cache_dir()/gallery/NAME-KEY.pickle`` (``KEY``: the figure's settings and :data:`CACHE_VERSION`)."""

import dataclasses
import hashlib
import json
import pickle
from pathlib import Path

from ..machine.files import replaced
from ..method import tasks

#: Bump when a figure's computation changes without a change of its settings: old caches are ignored.
CACHE_VERSION = 1


def _arrays(value):
    """``value`` with every TensorFlow tensor made a NumPy array (runs, dicts, lists, pairs), so it
    can be kept on disk and drawn again."""
    if hasattr(value, "numpy") and callable(value.numpy):
        return value.numpy()
    if isinstance(value, tasks.Result):
        return dataclasses.replace(value, image=_arrays(value.image), luminance=_arrays(value.luminance))
    if isinstance(value, dict):
        return {k: _arrays(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_arrays(v) for v in value)
    return value


class Memo:
    """The computed values of one figure, in the order its drawing asks for them: computed on the
    first drawing (or read from the cache folder), handed out again for the next language."""

    def __init__(self, folder, name, settings, *, recompute=False):
        key = hashlib.sha256(json.dumps([CACHE_VERSION, name, settings]).encode()).hexdigest()[:16]
        self.path = Path(folder) / f"{name}-{key}.pickle"
        self.values, self.index, self.computed = [], 0, False
        if self.path.is_file() and not recompute:
            # our own file in the user's cache folder, written by save() below
            self.values = pickle.loads(self.path.read_bytes())  # noqa: S301

    def __call__(self, compute):
        if self.index == len(self.values):
            self.values.append(_arrays(compute()))
            self.computed = True
        self.index += 1
        return self.values[self.index - 1]

    def rewind(self):
        self.index = 0

    def save(self):
        if self.computed:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with replaced(self.path) as f:
                f.write(pickle.dumps(self.values))
