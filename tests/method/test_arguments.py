"""arguments: every argument of a run checked once, before any picture loads, with a message that names
it; recipes where a given argument wins; the Settings a Result records."""

import numpy as np
import pytest

import nst_helpers as nst
from nst_helpers import engine, images, losses, tasks


def test_bad_arguments_are_clear(content64, style64):
    with pytest.raises(ValueError, match="optimizer"):
        nst.transfer(content64, style64, steps=2, optimizer="sgd", progress=False)
    with pytest.raises(ValueError, match="steps"):
        nst.transfer(content64, style64, steps=0, progress=False)
    with pytest.raises(nst.LayerError):
        nst.transfer(content64, style64, steps=2, content_layers=["pool5"], progress=False)
    with pytest.raises(nst.ImageError, match="shape"):
        nst.transfer(np.zeros((2, 40, 40, 3), np.float32), style64, steps=2, progress=False)
    with pytest.raises(nst.ImageError):
        nst.transfer("no/such/file.jpg", style64, steps=2, progress=False)


@pytest.mark.parametrize("scale,hint", [(255.0, "divide by 255"), (-1.0, r"values from -0\.\d+ to")],
                         ids=["0-255 values", "negative values"])
def test_images_outside_zero_one_are_refused(content64, style64, scale, hint):
    with pytest.raises(nst.ImageError, match=hint):
        nst.transfer(content64 * scale, style64, steps=2, progress=False)
    with pytest.raises(nst.ImageError, match="init"):
        engine.run(losses.Objective(content64, style64), content64 * scale, steps=2, progress=False)


@pytest.mark.parametrize("kwargs", [dict(min_progress=(1.5, 10)), dict(min_progress=(0.01, 0)),
                                    dict(min_progress=0.01), dict(max_seconds=-2),
                                    dict(max_seconds="ten")])
def test_stopping_rules_are_checked(content64, style64, kwargs):
    with pytest.raises(nst.ArgumentError, match="min_progress|max_seconds"):
        nst.transfer(content64, style64, steps=2, progress=False, **kwargs)


def test_an_argument_given_with_a_recipe_always_wins(content64, style64):
    # init="colour" and content_weight=1e4 are also the tutorial's defaults: a recipe that only
    # replaced arguments "left at their defaults" would silently turn them into noise and 1.
    r = nst.transfer(content64, style64, recipe="gatys2016", init="colour", content_weight=1e4, steps=1,
                     progress=False, precision="float32")
    s = r.settings
    assert s["init"] == "colour" and s["content_weight"] == 1e4
    assert s["style_weight"] == 1e3 and s["tv_weight"] == 0.0 and s["content_layers"] == ("block4_conv2",)
    assert s["rescaled"] is True and s["basis"] == "pixels"
    # The run really started from the colour-matched photo with α = 1e4: its first loss is the
    # paper's objective there (built here by hand, not by the recipe).
    paper = losses.Objective(content64, style64, content_layers=["block4_conv2"], content_weight=1e4,
                             style_weight=1e3, tv_weight=0.0, pooling="avg", normalisation="gatys2016",
                             rescaled=True)
    start = images.match_colours(content64, style64)
    assert r.history["total"][0] == pytest.approx(float(paper.terms(start)["total"]), rel=1e-5)


@pytest.mark.parametrize("kwargs,names", [
    (dict(recipe="gatys2016", content_layers=["conv4_2", "conv5_2"]), r"recipe='gatys2016'.*content_layers"),
    (dict(optimizer="adam", basis="pyramid"), r"basis='pyramid'.*optimizer='adam'"),
    (dict(recipe="gatys2016", optimizer="adam", basis="pyramid"), r"basis='pyramid'.*optimizer='adam'"),
], ids=["paper's normalisation, two content layers", "pyramid with Adam", "pyramid with Adam, paper's recipe"])
def test_a_combination_that_cannot_work_names_both_arguments(style64, kwargs, names):
    # Refused before any picture is loaded: the content here does not even exist.
    with pytest.raises(nst.ArgumentError, match=names):
        nst.transfer("no/such/photo.jpg", style64, steps=1, progress=False, **kwargs)


def test_result_settings_are_one_frozen_record_that_reads_like_a_dict(content64, style64):
    import dataclasses

    from nst_helpers.method.arguments import Settings

    r = nst.transfer(content64, style64, steps=4, scales=(0.5, 1.0), progress=False, precision="float32",
                     min_progress=(0.01, 3))
    s = r.settings
    assert isinstance(s, Settings) and s["steps"] == 4 and s.stage_steps == (2, 2)
    assert s["min_progress"] == (0.01, 3) and s.get("layer") is None and "layer" not in s
    assert dict(s)["basis"] == "pyramid" and s["scales"] == (0.5, 1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.steps = 5
    c = nst.reconstruct_content(content64, "conv2_2", steps=1, progress=False).settings
    assert c["layer"] == "block2_conv2" and "content_layers" not in c and c["precision"] == "float32"


def test_steps_that_disagree_with_scale_steps_are_refused(content64, style64):
    """scale_steps used to override an explicitly given steps silently (review 1.4)."""
    with pytest.raises(nst.ArgumentError, match=r"steps=10 but scale_steps=\(2, 3\) sums to 5"):
        nst.transfer(content64, style64, steps=10, scales=(0.5, 1.0), scale_steps=(2, 3), progress=False)


@pytest.mark.parametrize("size", [8, 5000, 64.5, True])
def test_a_bad_size_is_an_argument_error_for_tensors_and_paths_alike(content64, style64, size):
    """size=8 with a tensor input used to reach TensorFlow (review 1.5)."""
    for content in (content64, "no/such/file.jpg"):
        with pytest.raises(nst.ArgumentError, match="size"):
            nst.transfer(content, style64, size=size, steps=2, progress=False)
    with pytest.raises(nst.ArgumentError, match="size"):
        nst.reconstruct_content(content64, "block1_conv1", size=size, steps=2, progress=False)
    with pytest.raises(nst.ArgumentError, match="size"):
        nst.reconstruct_style(content64, ["block1_conv1"], size=size, steps=2, progress=False)


@pytest.mark.parametrize("bad,match", [
    (dict(precision="float64"), "precision must be one of"),
    (dict(style_blend=[1.0]), "style_blend needs 2"),
    (dict(style_layer_weights={"block2_conv2": 2.0}), "block2_conv2"),
    (dict(style_layer_weights="equal"), "style_layer_weights must be"),
    (dict(losses={"gram": None}), "losses: unknown"),
    (dict(steps=3, scales=(1.0,), scale_steps=(2,)), "scale_steps"),
], ids=["precision", "style_blend", "layer weight key", "layer weights word", "losses", "scale_steps"])
def test_arguments_that_need_no_picture_fail_before_any_picture_loads(monkeypatch, content64, style64,
                                                                      bad, match):
    """Review 1.6: these used to fail only after loading (and after timing precision='auto')."""
    def no_work(*args, **kwargs):
        raise AssertionError("a picture was loaded or the precision timed before the check")
    monkeypatch.setattr(tasks.images, "prepare", no_work)
    monkeypatch.setattr(tasks.precision_choice, "choose", no_work)
    with pytest.raises(nst.ArgumentError, match=match):
        nst.transfer(content64, [style64, style64], **{"steps": 2, "progress": False, **bad})


def test_an_unknown_init_is_refused_in_one_place_with_the_choices(content64, style64):
    for call in (lambda: nst.transfer(content64, style64, init="photo", steps=2, progress=False),
                 lambda: tasks.initial_image("photo", content64)):
        with pytest.raises(nst.ArgumentError, match=r"init must be one of \('colour', 'content', 'noise', 'uniform'\)"):
            call()


def test_the_papers_normalisation_with_two_content_layers_fails_before_the_network_is_built(
        monkeypatch, content64, style64):
    """One rule (arguments.check_normalisation) for transfer and Objective (review 2.3)."""
    monkeypatch.setattr(losses.features, "extractor", lambda *a, **k: pytest.fail("network built"))
    for call in (lambda: losses.Objective(content64, style64, normalisation="gatys2016",
                                          content_layers=["block4_conv2", "block5_conv2"]),
                 lambda: nst.transfer(content64, style64, recipe="gatys2016", steps=2, progress=False,
                                      content_layers=["block4_conv2", "block5_conv2"])):
        with pytest.raises(nst.ArgumentError, match="defined for one content layer"):
            call()
