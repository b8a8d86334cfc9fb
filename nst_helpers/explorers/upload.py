"""The student's own picture: an upload button with the bundled picture as the default.

:class:`ImagePicker` works with ipywidgets 7 (Colab) and 8, and on Colab can open Colab's own upload
dialog instead; :func:`uploaded_files` reads either version's ``FileUpload.value``.
"""

import ipywidgets as W

from ..language import N_, shown, t
from ..teaching.plotting import png_bytes
from .frontend import on_colab


def uploaded_files(value):
    """``FileUpload.value`` → ``[(name, bytes)]`` for ipywidgets 7 (a dict ``{name: {"content":
    bytes, "metadata": …}}``) and 8 (a tuple of dicts with ``"name"`` and ``"content"``, a
    memoryview)."""
    if isinstance(value, dict):  # ipywidgets 7
        return [(name, bytes(item["content"])) for name, item in value.items()]
    return [(item["name"], bytes(item["content"])) for item in value or ()]


class ImagePicker:
    """An upload button for your own picture, with the bundled one as the default.

    ``picker = ImagePicker("cincinnati_bridge", max_dim=256)``; display it, upload a file, and
    ``picker.image`` is your picture (``[1, H, W, 3]`` in [0, 1]); until then, and whenever an
    upload cannot be used (not a picture, truncated, absurdly large, …: the status line says why),
    it is the bundled one, so notebooks run unattended. On Colab, ``picker.from_colab()`` opens
    Colab's own upload dialog instead.
    """

    def __init__(self, default, *, max_dim=None, label=None):
        from ..images import load_image

        label = t(label or "your picture")  # a label passed in English reads in the notebooks' language too
        self.max_dim = max_dim
        self.default_name = default
        self.image = load_image(default, max_dim=max_dim)
        self.source = N_("bundled: {name}").format(name=default)
        self.upload = W.FileUpload(accept="image/*", multiple=False, description=t("Upload {label}", label=label))
        self.preview = W.Image(value=png_bytes(self.image, min_width=192), format="png",
                               layout=W.Layout(width="192px"))
        self.status = W.HTML(t("Using the bundled <b>{default}</b>; upload {label} to use it instead.",
                               default=default, label=label))
        self.upload.observe(lambda change: self._use(uploaded_files(change["new"])), names="value")
        self.widget = W.HBox([self.preview, W.VBox([self.upload, self.status])])

    def _use(self, files):
        if not files:
            return
        import tempfile
        from pathlib import Path

        from ..errors import NSTError
        from ..images import load_image

        name, data = files[-1]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(name).name
            path.write_bytes(data)
            try:
                image = load_image(path, max_dim=self.max_dim)
            except NSTError as exc:
                self.status.value = (f"<span style='color:#b00'>{name}: {str(exc).replace(str(path), name)}</span>"
                                     "<br>" + t("Still using <b>{source}</b>.", source=shown(self.source)))
                return
        self.image, self.source = image, N_("uploaded: {name}").format(name=name)
        self.preview.value = png_bytes(image, min_width=192)
        self.status.value = t("Using <b>{name}</b> ({width}×{height} px). Run the cells below again to use it.",
                              name=name, width=image.shape[2], height=image.shape[1])

    def from_colab(self):
        """Colab's upload dialog (blocks until you choose a file); elsewhere, says to use the button."""
        if not on_colab():
            print(t("Not on Colab: use the Upload button above."))
            return self.image
        from google.colab import files

        self._use(list(files.upload().items()))
        return self.image

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
