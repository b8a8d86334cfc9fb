"""Loading, saving and resizing images.

Images travel through the package as ``tf.Tensor`` of shape ``[1, H, W, 3]``, float32 in
``[0, 1]``, RGB. Every user mistake (a missing file, a file that is not an image, a truncated
download, a picture too small for VGG19) raises :class:`~nst_helpers.errors.ImageError` with a
message that names the file and the fix.
"""

import hashlib
import math
import os
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ImageError
from .machine.files import replaced

#: VGG19 halves the image five times; below 32 px the deepest blocks have nothing to look at.
MIN_SIDE = 32
#: Larger than this needs more memory than a laptop has for the optimisation (about 1 GB per
#: megapixel of activations and gradients); coarse-to-fine is the way to go bigger.
MAX_DIM = 4096

BUNDLED = {
    "chelsea": "chelsea.png",
    "astronaut": "astronaut.png",
    "coffee": "coffee.png",
    "cincinnati_bridge": "cincinnati_bridge.jpg",
    "starry_night": "opencv_starry_night.jpg",  # not the shared folder's copy: OpenCV's, from Debian
    "hubble": "hubble_deep_field.jpg",
}
#: Crops (left, top, right, bottom) applied when a bundled picture is loaded by name; the files
#: stay byte-for-byte the packaged originals. OpenCV's Starry Night has a black frame (about
#: 10 px, with a dark ramp) that would leak dark borders into every transfer.
BUNDLED_CROPS = {"starry_night": (12, 12, 740, 588)}


def bundled_dir():
    """The repository's ``images/`` folder (the bundled pictures; see its README)."""
    return Path(__file__).resolve().parent.parent / "images"


def bundled_names():
    """Names accepted by :func:`load_image` instead of a path."""
    return sorted(BUNDLED)


def _fetch_url(url):
    from .machine.download import fetch

    name = os.path.basename(url.split("?")[0]) or "image"
    digest = hashlib.sha1(url.encode()).hexdigest()[:12]
    from .machine.config import cache_dir

    target = cache_dir() / f"{digest}_{name}"
    if not target.is_file():
        try:
            fetch(url, target, progress=False)
        except Exception as exc:  # noqa: BLE001
            raise ImageError(f"could not download {url}: {exc}. Fix: check the address, or "
                             "download the picture yourself and pass its path.") from None
    return target


def _resolve(source):
    if isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        if text.startswith(("http://", "https://")):
            return _fetch_url(text)
        if text in BUNDLED:
            return bundled_dir() / BUNDLED[text]
        path = Path(text).expanduser()
        if not path.exists():
            raise ImageError(
                f"{path}: no such file. Fix: check the path (relative paths start at "
                f"{Path.cwd()}), or use a bundled image: {', '.join(bundled_names())}."
            )
        if path.is_dir():
            raise ImageError(f"{path} is a folder, not an image file.")
        return path
    raise ImageError(f"cannot load an image from {type(source).__name__}; pass a path, URL or "
                     f"bundled name ({', '.join(bundled_names())}).")


def _to_rgb_array(img, path):
    """Any PIL mode → float32 [H, W, 3] in [0, 1]; transparency is put on white."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I;16") or arr.max() > 255 else 255.0
        if img.mode == "F":
            top = max(float(arr.max()), 1.0)
        arr = np.clip(arr / top, 0.0, 1.0)
        return np.repeat(arr[..., None], 3, axis=2).astype(np.float32)
    if img.mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        img = img.convert("RGBA")
        background = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, img)
    if img.mode != "RGB":
        img = img.convert("RGB")  # L, 1, P, CMYK, YCbCr, LAB, HSV
    return np.asarray(img, dtype=np.float32) / 255.0


def load_image(source, max_dim=None):
    """Load a picture as ``[1, H, W, 3]`` float32 in ``[0, 1]`` (a ``tf.Tensor``).

    Args:
        source: a file path, an ``http(s)://`` URL (downloaded once into :func:`nst_helpers.machine.config.cache_dir`)
            or the name of a bundled image (see :func:`bundled_names`).
        max_dim: when given, the image is resized (high-quality Lanczos) so that its longer
            side is exactly ``max_dim`` pixels, keeping the aspect ratio. Without it, a picture
            larger than :data:`MAX_DIM` is still shrunk to that size (with a warning).

    Handles EXIF orientation, grayscale, palette, transparency (composited on white), CMYK and
    16-bit files. Raises :class:`ImageError` for anything that cannot be used.
    """
    from .machine._tf import tf

    if max_dim is not None:
        if not isinstance(max_dim, (int, np.integer)) or isinstance(max_dim, bool):
            raise ImageError(f"max_dim must be a whole number of pixels, got {max_dim!r}")
        if not MIN_SIDE <= max_dim <= MAX_DIM:
            raise ImageError(f"max_dim={max_dim} is outside {MIN_SIDE}…{MAX_DIM} pixels. Fix: "
                             "use e.g. 256 on a CPU or 512 on a GPU.")
    path = _resolve(source)
    crop = BUNDLED_CROPS.get(source) if isinstance(source, str) else None
    if path.stat().st_size == 0:
        raise ImageError(f"{path} is empty (0 bytes). Fix: download or copy it again.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(path)
            img.load()
            img = _exif_upright(img, path)
            if crop is not None:
                img = img.crop(crop)
    except UnidentifiedImageError:
        raise ImageError(f"{path} is not an image Pillow can read (JPEG, PNG, WebP, TIFF, …). "
                         "Fix: check that the file really is a picture.") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"{path} is absurdly large ({exc}). Fix: shrink it first.") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"{path} could not be decoded ({exc}); it is probably truncated or "
                         "corrupt. Fix: download or export it again.") from None
    width, height = img.size
    if min(width, height) < 1:
        raise ImageError(f"{path} has zero size ({width}×{height}).")
    if max_dim is None and max(width, height) > MAX_DIM:
        warnings.warn(f"{path} is {width}×{height} px; shrunk to {MAX_DIM} px on the longer side "
                      "(pass max_dim=… to choose the size)", stacklevel=2)
        max_dim = MAX_DIM
    if max_dim is not None:
        scale = max_dim / max(width, height)
        width, height = max(1, round(width * scale)), max(1, round(height * scale))
        if img.mode not in ("RGB", "RGBA", "L", "LA"):
            img = Image.fromarray((_to_rgb_array(img, path) * 255).round().astype(np.uint8))
        img = img.resize((width, height), Image.LANCZOS)
    if min(width, height) < MIN_SIDE:
        raise ImageError(
            f"{path} gives a {width}×{height} image; VGG19 needs at least {MIN_SIDE} px on each "
            "side. Fix: use a larger picture, a larger max_dim, or crop a very thin one."
        )
    arr = _to_rgb_array(img, path)
    return tf.constant(arr[None])


def _exif_upright(img, path):
    """The picture turned as its EXIF orientation says; as stored (with a warning) when the EXIF
    block is unreadable, since a broken camera tag should not make a photo unusable."""
    try:
        return ImageOps.exif_transpose(img)
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types for malformed EXIF
        warnings.warn(f"{path}: unreadable EXIF orientation ({type(exc).__name__}: {exc}); "
                      "loaded as stored", stacklevel=3)
        return img


def to_uint8(image):
    """``[1, H, W, 3]`` or ``[H, W, 3]`` floats in [0, 1] → ``[H, W, 3]`` uint8 NumPy array."""
    arr = np.asarray(image, dtype=np.float32)
    if arr.ndim == 4:
        if arr.shape[0] != 1:
            raise ImageError(f"expected one image, got a batch of {arr.shape[0]}")
        arr = arr[0]
    if arr.ndim != 3 or arr.shape[-1] != 3:
        raise ImageError(f"expected an image of shape [1, H, W, 3] or [H, W, 3], got {arr.shape}")
    return (np.clip(arr, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def check_output_path(path):
    """``path`` as a :class:`pathlib.Path` if Pillow can write its suffix's format, else an
    :class:`~nst_helpers.errors.ImageError` that says which suffixes to use."""
    path = Path(path)
    if path.suffix.lower() not in Image.registered_extensions():
        raise ImageError(f"{path}: unknown image format {path.suffix!r}; use .png or .jpg")
    return path


def save_image(image, path, quality=95):
    """Write ``[1, H, W, 3]`` floats in [0, 1] to ``path`` (format from the suffix; folders made).

    Returns the path as a :class:`pathlib.Path`.
    """
    path = check_output_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(to_uint8(image)).save(path, quality=quality)
    return path


def save_image_atomic(image, path, quality=95, text=None):
    """:func:`save_image`, but ``path`` is at every moment either its old file (or absent) or the
    complete new picture, even if the process is killed mid-write: for a file that a viewer
    reloads while a run keeps rewriting it.

    How: :func:`nst_helpers.machine.files.replaced` (a temporary file beside ``path``, renamed over it).
    Returns the path as a :class:`pathlib.Path`.

    ``text``: optional ``{key: str}`` written as PNG iTXt chunks (UTF-8) before the pixels, so a
    reader finds them without decoding the picture; other formats have no such chunks and ignore it
    (:func:`nst_helpers.teaching.pins.pin` keeps a run's settings this way).
    """
    path = check_output_path(path)
    extensions = Image.registered_extensions()
    extra = {}
    if text and extensions[path.suffix.lower()] == "PNG":
        from PIL.PngImagePlugin import PngInfo

        extra["pnginfo"] = PngInfo()
        for key, value in text.items():
            extra["pnginfo"].add_itxt(key, value)
    with replaced(path) as file:
        Image.fromarray(to_uint8(image)).save(file, format=extensions[path.suffix.lower()],
                                              quality=quality, **extra)
    return path


def check_image(image, name):
    """``image`` as a float32 ``[1, H, W, 3]`` tensor clipped to [0, 1], after checking that its
    values are finite and lie in [0, 1] (an :class:`ImageError` naming ``name`` and the fix)."""
    from .machine._tf import tf

    image = tf.convert_to_tensor(image, tf.float32)
    lo, hi = float(tf.reduce_min(image)), float(tf.reduce_max(image))
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ImageError(f"{name} contains NaN or infinite values")
    if lo < -1e-3 or hi > 1 + 1e-3:
        hint = " It looks like 0–255 values: divide by 255." if hi > 2 else ""
        raise ImageError(f"{name} has values from {lo:.4g} to {hi:.4g}; images here are "
                         f"floats in [0, 1].{hint}")
    return tf.clip_by_value(image, 0.0, 1.0)


def prepare(image, size=None, name="image"):
    """A picture as the transfer uses it: ``[1, H, W, 3]`` float32 in [0, 1], its longest side
    ``size`` px (``None``: as it is).

    ``image``: a bundled name, a path or URL (loaded by :func:`load_image`), or an array/tensor
    ``[1, H, W, 3]`` or ``[H, W, 3]`` in [0, 1]. ``name`` ("content", "style 2") names it in errors.
    Raises :class:`~nst_helpers.errors.ImageError` for another shape, NaN or 0–255 values.
    """
    if isinstance(image, str) or hasattr(image, "__fspath__"):
        return load_image(image, max_dim=size)
    from .machine._tf import tf

    image = tf.convert_to_tensor(image, tf.float32)
    if image.shape.rank == 3:
        image = image[None]
    if image.shape.rank != 4 or image.shape[0] != 1 or image.shape[-1] != 3:
        raise ImageError(f"{name} must be [1, H, W, 3] floats in [0, 1], got shape {image.shape}")
    image = check_image(image, name)
    if size is not None and max(image.shape[1:3]) != size:
        image = fit(image, size)
    return image


def resize(image, height, width):
    """Resize ``[1, H, W, 3]`` to ``[1, height, width, 3]`` (bicubic, antialiased, clipped)."""
    from .machine._tf import tf

    out = tf.image.resize(image, (int(height), int(width)), method="bicubic", antialias=True)
    return tf.clip_by_value(out, 0.0, 1.0)


def fit(image, max_dim):
    """Resize so that the longer side is ``max_dim``, keeping the aspect ratio."""
    _, h, w, _ = image.shape
    scale = max_dim / max(h, w)
    return resize(image, max(1, round(h * scale)), max(1, round(w * scale)))


def match_colours(image, reference):
    """Give ``image`` the mean and covariance of ``reference``'s RGB colours (both ``[1, H, W, 3]``).

    A linear map per pixel, ``x ↦ A (x − μ_x) + μ_r`` with ``A = Σ_r^½ Σ_x^−½``: the colour
    transfer of Gatys et al. (2017), and the package's default start for style transfer: it
    starts at a lower style loss than the photo (notebook 4 measures how much).
    """
    from .machine._tf import tf

    x = np.asarray(image, np.float64).reshape(-1, 3)
    y = np.asarray(reference, np.float64).reshape(-1, 3)
    mx, my = x.mean(0), y.mean(0)

    def sqrtm(cov, power):
        w, v = np.linalg.eigh(cov + 1e-5 * np.eye(3))
        return (v * np.maximum(w, 1e-8) ** power) @ v.T

    a = sqrtm(np.cov((y - my).T), 0.5) @ sqrtm(np.cov((x - mx).T), -0.5)
    out = np.clip((x - mx) @ a.T + my, 0.0, 1.0)
    return tf.constant(out.reshape(np.shape(image)).astype(np.float32))
