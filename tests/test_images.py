"""Loading every kind of picture, and a clear ImageError for every kind of bad input."""

import numpy as np
import pytest
from PIL import Image

import nst_helpers as nst
from nst_helpers.errors import ImageError, NSTError


def _gradient(w=60, h=40):
    x = np.linspace(0, 255, w, dtype=np.float32)[None, :, None]
    y = np.linspace(0, 255, h, dtype=np.float32)[:, None, None]
    return np.concatenate([np.broadcast_to(x, (h, w, 1)), np.broadcast_to(y, (h, w, 1)),
                           np.full((h, w, 1), 128.0)], axis=2).astype(np.uint8)


def test_rgb_png_round_trip(tmp_path):
    arr = _gradient()
    Image.fromarray(arr).save(tmp_path / "a.png")
    img = nst.load_image(tmp_path / "a.png")
    assert img.shape == (1, 40, 60, 3) and img.dtype.name == "float32"
    np.testing.assert_allclose(img.numpy()[0] * 255, arr, atol=1e-3)
    out = nst.save_image(img, tmp_path / "sub" / "b.png")
    np.testing.assert_array_equal(np.asarray(Image.open(out)), arr)


def test_max_dim_scales_the_longer_side(tmp_path):
    Image.fromarray(_gradient(200, 100)).save(tmp_path / "wide.png")
    assert nst.load_image(tmp_path / "wide.png", max_dim=64).shape == (1, 32, 64, 3)
    assert nst.load_image(tmp_path / "wide.png", max_dim=400).shape == (1, 200, 400, 3)


def test_exif_orientation_is_applied(tmp_path):
    arr = _gradient(60, 40)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    Image.fromarray(arr).save(tmp_path / "rot.jpg", exif=exif, quality=98)
    img = nst.load_image(tmp_path / "rot.jpg")
    assert img.shape == (1, 60, 40, 3)
    # Displayed top-left pixel = stored bottom-left pixel (dark red channel, bright green channel).
    stored_bottom_left = arr[-1, 0] / 255.0
    np.testing.assert_allclose(img.numpy()[0, 0, 0], stored_bottom_left, atol=0.05)


@pytest.mark.parametrize("mode", ["L", "P", "CMYK", "1"])
def test_other_modes_become_rgb(tmp_path, mode):
    src = Image.fromarray(_gradient()).convert(mode)
    ext = "jpg" if mode == "CMYK" else "png"
    src.save(tmp_path / f"m.{ext}")
    img = nst.load_image(tmp_path / f"m.{ext}")
    assert img.shape == (1, 40, 60, 3)
    want = np.asarray(src.convert("RGB"), np.float32) / 255
    np.testing.assert_allclose(img.numpy()[0], want, atol=0.03 if mode == "CMYK" else 1e-6)


def test_transparency_goes_on_white(tmp_path):
    rgba = np.zeros((40, 40, 4), np.uint8)
    rgba[..., 0] = 255  # red
    rgba[:, :20, 3] = 0  # left half fully transparent
    rgba[:, 20:, 3] = 255
    Image.fromarray(rgba, "RGBA").save(tmp_path / "t.png")
    img = nst.load_image(tmp_path / "t.png").numpy()[0]
    np.testing.assert_allclose(img[:, :20], 1.0)  # white
    np.testing.assert_allclose(img[:, 20:], np.broadcast_to([1.0, 0.0, 0.0], (40, 20, 3)))


def test_16_bit_grayscale_is_scaled_not_clipped(tmp_path):
    arr = np.linspace(0, 65535, 40 * 50).reshape(40, 50).astype(np.uint16)
    Image.fromarray(arr).save(tmp_path / "deep.png")
    img = nst.load_image(tmp_path / "deep.png").numpy()[0]
    np.testing.assert_allclose(img[..., 0], arr / 65535.0, atol=1e-4)
    assert img.max() > 0.99 and img[0, 0, 0] == 0.0


def test_bundled_names_load():
    for name in nst.bundled_names():
        img = nst.load_image(name, max_dim=48)
        assert max(img.shape[1:3]) == 48


def _assert_clear(exc_info, *words):
    message = str(exc_info.value)
    assert isinstance(exc_info.value, NSTError)
    for word in words:
        assert word in message, message


def test_missing_file(tmp_path):
    with pytest.raises(ImageError) as e:
        nst.load_image(tmp_path / "nope.jpg")
    _assert_clear(e, "nope.jpg", "no such file", "chelsea")


def test_not_an_image(tmp_path):
    (tmp_path / "notes.jpg").write_text("this is text")
    with pytest.raises(ImageError) as e:
        nst.load_image(tmp_path / "notes.jpg")
    _assert_clear(e, "notes.jpg", "not an image")


def test_empty_file(tmp_path):
    (tmp_path / "empty.png").write_bytes(b"")
    with pytest.raises(ImageError) as e:
        nst.load_image(tmp_path / "empty.png")
    _assert_clear(e, "empty.png", "empty")


def test_truncated_file(tmp_path):
    Image.fromarray(_gradient(300, 200)).save(tmp_path / "full.jpg", quality=95)
    data = (tmp_path / "full.jpg").read_bytes()
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageError) as e:
        nst.load_image(tmp_path / "cut.jpg")
    _assert_clear(e, "cut.jpg", "truncated")


def test_tiny_image(tmp_path):
    Image.fromarray(_gradient(20, 10)).save(tmp_path / "tiny.png")
    with pytest.raises(ImageError) as e:
        nst.load_image(tmp_path / "tiny.png")
    _assert_clear(e, "tiny.png", "at least 32 px")


def test_thin_image_after_resize(tmp_path):
    Image.fromarray(_gradient(1000, 40)).save(tmp_path / "thin.png")
    with pytest.raises(ImageError) as e:
        nst.load_image(tmp_path / "thin.png", max_dim=256)
    _assert_clear(e, "256×10", "crop")


@pytest.mark.parametrize("bad", [0, 10, 100_000, 2.5, "big"])
def test_absurd_max_dim(bad):
    with pytest.raises(ImageError, match="max_dim"):
        nst.load_image("chelsea", max_dim=bad)


def _png_header_only(path, width, height):
    """A PNG whose header claims width × height pixels and holds no pixel data at all."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))


def test_decompression_bomb(tmp_path):
    # 57 bytes that claim 30000×30000 pixels: refused from the header, nothing allocated.
    _png_header_only(tmp_path / "bomb.png", 30000, 30000)
    with pytest.raises(ImageError) as e:
        nst.load_image(tmp_path / "bomb.png")
    _assert_clear(e, "bomb.png", "large")


def test_folder_and_wrong_type(tmp_path):
    with pytest.raises(ImageError, match="folder"):
        nst.load_image(tmp_path)
    with pytest.raises(ImageError, match="cannot load an image from int"):
        nst.load_image(42)


def test_save_rejects_unknown_suffix_and_batches(tmp_path):
    img = nst.load_image("chelsea", max_dim=64)
    with pytest.raises(ImageError, match="unknown image format"):
        nst.save_image(img, tmp_path / "x.foo")
    with pytest.raises(ImageError, match="batch"):
        nst.save_image(np.zeros((2, 4, 4, 3)), tmp_path / "x.png")


def test_match_colours_gives_the_reference_mean_and_covariance(rng):
    from nst_helpers.images import match_colours

    src = rng.uniform(0.2, 0.6, size=(1, 40, 50, 3)) * np.array([1.0, 0.5, 0.8])
    ref = np.clip(rng.normal([0.3, 0.4, 0.6], 0.08, size=(1, 30, 30, 3)), 0, 1)
    out = match_colours(src, ref).numpy().reshape(-1, 3).astype(np.float64)
    r = ref.reshape(-1, 3)
    np.testing.assert_allclose(out.mean(0), r.mean(0), atol=2e-3)
    np.testing.assert_allclose(np.cov(out.T), np.cov(r.T), atol=2e-4)


def test_an_image_without_max_dim_is_still_bounded(tmp_path):
    from nst_helpers.images import MAX_DIM

    Image.fromarray(_gradient(MAX_DIM + 904, 100)).save(tmp_path / "wide.png")
    with pytest.warns(UserWarning, match="shrunk to 4096"):
        img = nst.load_image(tmp_path / "wide.png")
    assert tuple(img.shape) == (1, round(100 * MAX_DIM / (MAX_DIM + 904)), MAX_DIM, 3)


def test_broken_exif_loads_as_stored_with_a_warning(tmp_path, monkeypatch):
    import struct

    from PIL import ImageOps

    Image.fromarray(_gradient(60, 40)).save(tmp_path / "exif.jpg")

    def broken(img):
        raise struct.error("unpack requires a buffer of 12 bytes")

    monkeypatch.setattr(ImageOps, "exif_transpose", broken)
    with pytest.warns(UserWarning, match="exif.jpg: unreadable EXIF orientation"):
        img = nst.load_image(tmp_path / "exif.jpg")
    assert tuple(img.shape) == (1, 40, 60, 3)


def test_bundled_starry_night_is_loaded_without_its_black_frame():
    img = np.asarray(nst.load_image("starry_night"))[0]
    assert img.shape == (576, 728, 3)
    # Every border row and column is painting, not frame (the frame's rows average 0–0.1).
    for edge in (img[0], img[-1], img[:, 0], img[:, -1]):
        assert edge.mean() > 0.15, edge.mean()
    raw = np.asarray(Image.open(nst.images.bundled_dir() / "opencv_starry_night.jpg"), np.float32) / 255
    assert raw[:5].mean() < 0.02  # the file itself keeps its frame: it is the packaged original


def test_prepare_checks_and_sizes_a_picture_given_as_an_array():
    from nst_helpers import images as images_module
    from nst_helpers.errors import ImageError

    rng = np.random.default_rng(0)
    picture = rng.random((12, 20, 3)).astype(np.float32)
    same = images_module.prepare(picture)  # [H, W, 3] gets its batch axis, values unchanged
    assert tuple(same.shape) == (1, 12, 20, 3)
    np.testing.assert_array_equal(same.numpy()[0], picture)
    assert tuple(images_module.prepare(picture[None], 40).shape) == (1, 24, 40, 3)  # aspect kept
    with pytest.raises(ImageError, match=r"style 2 .*divide by 255"):
        images_module.prepare(picture * 255, None, "style 2")
    with pytest.raises(ImageError, match=r"content must be \[1, H, W, 3\]"):
        images_module.prepare(picture[..., :2], None, "content")
    with pytest.raises(ImageError, match="NaN"):
        images_module.prepare(np.full((4, 4, 3), np.nan, np.float32))
