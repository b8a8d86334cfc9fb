"""plotting.diagrams: the pipeline diagram's boxes and arrows are the method's data flow, and it saves
to a file."""

import pytest  # noqa: E402

from nst_helpers import plotting  # noqa: E402


@pytest.fixture(scope="module")
def diagram():
    import matplotlib.pyplot as plt

    fig = plotting.pipeline_diagram()
    fig.canvas.draw()
    yield fig
    plt.close(fig)


def _patches(fig, kind):
    return {p.get_gid(): p for ax in fig.axes for p in ax.patches if type(p).__name__ == kind}


def _box_bounds(box):
    return box.get_x(), box.get_y(), box.get_x() + box.get_width(), box.get_y() + box.get_height()


def test_every_step_is_a_box_and_every_arrow_is_drawn(diagram):
    boxes = _patches(diagram, "FancyBboxPatch")
    arrows = _patches(diagram, "FancyArrowPatch")
    assert set(boxes) == {"image", "vgg", "content", "style", "gram", "loss", "gradient", "update", "photo", "painting"}
    # The method's data flow, written out here independently of the module's table.
    assert set(arrows) == {"image->vgg", "vgg->content", "vgg->style", "style->gram", "content->loss",
                           "gram->loss", "photo->loss", "painting->loss", "loss->gradient",
                           "gradient->update", "update->image"}


def test_the_loop_arrow_goes_from_the_update_back_to_the_image(diagram):
    boxes = _patches(diagram, "FancyBboxPatch")
    loop = _patches(diagram, "FancyArrowPatch")["update->image"]
    # The drawn path (data coordinates; the last vertex only closes the arrow head's polygon).
    vertices = loop.get_path().vertices[:-1]

    def near(point, name):
        x0, y0, x1, y1 = _box_bounds(boxes[name])
        return x0 - 0.3 <= point[0] <= x1 + 0.3 and y0 - 0.3 <= point[1] <= y1 + 0.3

    assert near(vertices[0], "update"), vertices[0]
    assert any(near(v, "image") for v in vertices[1:]), vertices
    # It goes round below the other boxes, not through them.
    assert vertices[:, 1].min() < min(b.get_y() for b in boxes.values())


def test_the_diagram_is_written_to_a_file(tmp_path):
    import matplotlib.pyplot as plt

    path = tmp_path / "pipeline.png"
    plt.close(plotting.pipeline_diagram(path=path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
