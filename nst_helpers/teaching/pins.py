"""Pinned results: a PNG picture that carries the settings that made it.

:func:`pin` writes ``result.image`` as a PNG with one iTXt text chunk, :data:`KEY`, holding JSON of
a flat dict of plain values: ``dict(result.settings)`` (tuples as lists), the names of the photo
and painting when given, who pinned it, a note, the package version and the date. The command
line's ``transfer -o OUT.png`` writes the same chunk. :func:`read_pin` reads it back for the
class gallery (:mod:`nst_helpers.class_gallery`).

Reading is careful, because a class's folder may hold anything: only the file's first bytes, then
Pillow's PNG header and text chunks are read (never the pixels, so a huge or crafted picture costs
nothing), the JSON must be a flat dict of text, numbers, true/false, null and lists of those,
within size limits, and nothing in a file is ever run (no eval, no pickle). Anything else raises
:class:`NotAPin`, whose message names the file and says why.
"""

import datetime
import json
import math
import re
import struct
from pathlib import Path

from ..errors import ArgumentError, ImageError
from ..images import MAX_DIM, save_image_atomic
from ..language import N_, t

#: The PNG text chunk's key.
KEY = "nst-settings"
#: The ``"format"`` entry of every pin; a reader refuses others (a later layout gets a new number).
FORMAT = "nst-pin/1"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Limits of what :func:`read_pin` accepts: a side in pixels, the file, the JSON text, one text
#: value, one list, the number of entries.
MAX_SIDE = MAX_DIM
MAX_FILE_MB = 64
MAX_JSON_CHARS = 65536
MAX_TEXT = 1000
MAX_LIST = 64
MAX_ENTRIES = 100
_SCALARS = (str, int, float, bool, type(None))


class NotAPin(ImageError):
    """A file that is not a readable pinned result. ``reason`` is an English template of
    :mod:`nst_helpers.language` (``fields`` fill it); :meth:`shown` gives it in the notebooks'
    language, ``str(error)`` in English with the file's name first."""

    def __init__(self, path, reason, **fields):
        self.path, self.reason, self.fields = Path(path), reason, fields
        super().__init__(f"{self.path.name}: {reason.format(**fields)}")

    def shown(self):
        return t(self.reason, **self.fields)


def pin(result, path=None, *, name=None, note=None, content=None, style=None):
    """Save a run's picture with its settings inside the PNG, for the class gallery.

    Args:
        result: a :class:`~nst_helpers.method.engine.Result` (``image`` ``[1, H, W, 3]`` in [0, 1],
            ``settings``).
        path: a ``.png`` file or an existing folder; default ``pins/NAME-YYYYMMDD-HHMMSS.png``.
        name: who pinned it (shown on the gallery page); note: a short remark. Text of at most
            :data:`MAX_TEXT` characters each.
        content, style: the photo's and the painting's names or paths, when you want the page
            to show them (a list for several paintings); only the file names are kept.

    Returns the path written (atomically: a reader never sees half a file).
    """
    data = pin_settings(result, name=name, note=note, content=content, style=style)
    path = _pin_path(path, name)
    return save_image_atomic(result.image, path, text={KEY: json.dumps(data, ensure_ascii=False)})


def pin_settings(result, *, name=None, note=None, content=None, style=None):
    """The dict :func:`pin` stores: plain values only, checked as :func:`read_pin` checks them."""
    for label, text in (("name", name), ("note", note)):
        if text is not None and (not isinstance(text, str) or len(text) > MAX_TEXT):
            raise ArgumentError(f"{label} must be text of at most {MAX_TEXT} characters, not {text!r:.60}")
    settings = getattr(result, "settings", None) or {}
    data = {"format": FORMAT, "kind": getattr(settings, "kind", None)}
    data.update({key: _plain(value) for key, value in dict(settings).items()})
    extra = {"content": _file_name(content), "style": _file_name(style), "who": name, "note": note}
    data.update({key: value for key, value in extra.items() if value is not None})
    from .. import __version__

    data.update(nst_helpers=__version__, date=datetime.datetime.now().isoformat(timespec="seconds"))
    check_settings(data, "the pin")
    return data


def _pin_path(path, name):
    if path is None:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        slug = re.sub(r"[^\w-]+", "_", name or "").strip("_")[:40] or "pin"
        path = Path("pins") / f"{slug}-{stamp}.png"
    path = Path(path)
    if path.is_dir():
        return _pin_path(path / _pin_path(None, name).name, name)
    if path.suffix.lower() != ".png":
        raise ArgumentError(f"{path}: a pin is a PNG file (settings are kept only in PNG); "
                            f"use a name ending in .png, e.g. {path.with_suffix('.png').name}")
    return path


def _plain(value):
    """A setting as JSON's plain values: tuples → lists, a dict → ``["key=value", …]``, NumPy
    numbers → Python's, anything else (a basis object, a non-finite float) → its text."""
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict)):
        value = value.item()  # NumPy scalars
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, dict):
        return [f"{k}={v}" for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [v if isinstance(v, _SCALARS) else str(v) for v in map(_plain, value)]
    return str(value)


def _file_name(source):
    """``"photos/cat.jpg"`` → ``"cat.jpg"``; a list → a list; a picture (not a name) → None."""
    if isinstance(source, (list, tuple)):
        names = [_file_name(s) for s in source]
        return names if all(names) else None
    return Path(source).name[:200] if isinstance(source, (str, Path)) else None


def read_pin(path):
    """The settings dict a pinned PNG carries (as :func:`pin` wrote it), or :class:`NotAPin`.

    Checks, in order, each without decoding the pixels: a PNG signature and a header of at most
    :data:`MAX_SIDE` × :data:`MAX_SIDE` px, a file of at most :data:`MAX_FILE_MB` MB, Pillow's
    reading of the header and chunks (its decompression-bomb guard on), the chunk :data:`KEY`,
    valid JSON of at most :data:`MAX_JSON_CHARS` characters, then :func:`check_settings`.
    """
    path = Path(path)
    width, height = _png_header(path)
    if width > MAX_SIDE or height > MAX_SIDE:
        raise NotAPin(path, N_("{width}×{height} px is larger than {side}×{side} px"), width=width,
                      height=height, side=MAX_SIDE)
    text = _text_chunk(path)
    if text is None:
        raise NotAPin(path, N_("no pinned settings (not saved by nst.pin or the command line)"))
    if len(text) > MAX_JSON_CHARS:
        raise NotAPin(path, N_("its settings are {count} characters long, more than {limit}"),
                      count=len(text), limit=MAX_JSON_CHARS)
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise NotAPin(path, N_("its settings are not valid JSON")) from None
    check_settings(data, path)
    return data


def _png_header(path):
    """``(width, height)`` from the first 24 bytes, or NotAPin (not a file, not a PNG, too big)."""
    if not path.is_file():  # a folder, a named pipe, a broken link: nothing to read
        raise NotAPin(path, N_("not a readable file"))
    try:
        size = path.stat().st_size
        with open(path, "rb") as file:
            head = file.read(24)
    except OSError:
        raise NotAPin(path, N_("not a readable file")) from None
    if head[:8] != PNG_SIGNATURE:
        raise NotAPin(path, N_("not a PNG picture"))
    if len(head) < 24 or head[12:16] != b"IHDR":
        raise NotAPin(path, N_("a damaged PNG ({error})"), error="no IHDR header")
    if size > MAX_FILE_MB * 2**20:
        raise NotAPin(path, N_("{size} MB is more than the {limit} MB a pinned picture may have"),
                      size=round(size / 2**20), limit=MAX_FILE_MB)
    return struct.unpack(">II", head[16:24])


def _text_chunk(path):
    """The :data:`KEY` text of the PNG (the chunks before the pixels), or None; Pillow reads the
    header and text chunks only, and ``verify`` checks every chunk's checksum without decoding."""
    from PIL import Image

    try:
        with Image.open(path, formats=["PNG"]) as img:
            if img.format != "PNG":
                raise NotAPin(path, N_("not a PNG picture"))
            text = img.info.get(KEY)
            img.verify()
    except NotAPin:
        raise
    except Image.UnidentifiedImageError:
        raise NotAPin(path, N_("not a PNG picture")) from None
    except (OSError, SyntaxError, ValueError, struct.error, Image.DecompressionBombError) as error:
        raise NotAPin(path, N_("a damaged PNG ({error})"), error=str(error)[:80]) from None
    return text if isinstance(text, str) else None


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def check_settings(data, where):
    """Raise NotAPin unless ``data`` is a dict of at most :data:`MAX_ENTRIES` entries, named by
    short text, whose values are text (≤ :data:`MAX_TEXT` characters), numbers, true/false, null
    or lists (≤ :data:`MAX_LIST` items) of those, with ``"format"`` = :data:`FORMAT`."""
    if not isinstance(data, dict):
        raise NotAPin(where, N_("its settings are not a set of named values"))
    if len(data) > MAX_ENTRIES:
        raise NotAPin(where, N_("its settings have {count} entries, more than {limit}"), count=len(data),
                      limit=MAX_ENTRIES)
    for key, value in data.items():
        if len(key) > 64:
            raise NotAPin(where, N_("its settings are not a set of named values"))
        items = value if isinstance(value, list) else [value]
        if isinstance(value, list) and len(value) > MAX_LIST:
            raise NotAPin(where, N_("its setting {key} is a list of {count} items, more than {limit}"),
                          key=key[:64], count=len(value), limit=MAX_LIST)
        for item in items:
            if not isinstance(item, _SCALARS):
                raise NotAPin(where, N_("its setting {key} holds a nested value; a pin holds only "
                              "text, numbers, true/false and lists of those"), key=key)
            if isinstance(item, str) and len(item) > MAX_TEXT:
                raise NotAPin(where, N_("its setting {key} is {count} characters long, more than {limit}"),
                              key=key, count=len(item), limit=MAX_TEXT)
    if data.get("format") != FORMAT:
        raise NotAPin(where, N_("its settings are of format {found}; this version reads {expected}"),
                      found=str(data.get("format"))[:40], expected=FORMAT)
