"""The image picker (nst_helpers/explorers/upload.py, shown by ``widgets.ImagePicker``): an upload in
ipywidgets 7's and 8's shapes becomes the picture; a file that is not a picture is explained and the
picture kept."""

import numpy as np
import pytest

from nst_helpers import widgets


def _jpeg_bytes(mode="RGB", size=(120, 80)):
    from io import BytesIO

    from PIL import Image

    buf = BytesIO()
    Image.new(mode, size, (30, 60, 90, 10)[: len(mode)] if mode != "L" else 100).save(buf, format="JPEG")
    return buf.getvalue()


@pytest.mark.parametrize("version", [7, 8])
def test_image_picker_takes_an_upload_in_either_ipywidgets_shape(version):
    picker = widgets.ImagePicker("chelsea", max_dim=64)
    default = picker.image.numpy()
    data = _jpeg_bytes("CMYK")
    value = ({"mine.jpg": {"content": data, "metadata": {"name": "mine.jpg"}}} if version == 7
             else ({"name": "mine.jpg", "type": "image/jpeg", "size": len(data), "content": memoryview(data)},))
    picker._use(widgets.uploaded_files(value))
    assert picker.source == "uploaded: mine.jpg" and tuple(picker.image.shape) == (1, 43, 64, 3)
    assert not np.allclose(picker.image.numpy(), default[:, :43])
    assert "Using <b>mine.jpg</b>" in picker.status.value


def test_a_bad_upload_explains_and_keeps_the_picture(tmp_path):
    picker = widgets.ImagePicker("chelsea", max_dim=64)
    before = picker.image
    picker._use([("notes.jpg", b"this is not a picture")])
    assert picker.image is before and picker.source == "bundled: chelsea"
    assert "notes.jpg" in picker.status.value and "not an image" in picker.status.value
    assert "/tmp" not in picker.status.value  # the student's file name, not our temporary path
    picker._use([("grey.jpg", _jpeg_bytes("L"))])  # grey pictures are fine
    assert picker.source == "uploaded: grey.jpg"
