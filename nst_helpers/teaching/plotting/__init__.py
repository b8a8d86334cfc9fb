"""Figures: labelled image grids, film strips, loss curves, Gram-matrix heat maps.

Every ``show_*``/``plot_*`` function returns the matplotlib ``Figure`` (so it can be saved) and
shows it when run in a notebook. Sizes are chosen to read from the back of a classroom. For
widgets (the explorers): :func:`loss_png` and :func:`png_bytes` return PNG bytes and never touch
pyplot; :func:`draw_losses` is the one drawing of loss curves that both kinds use.

One module per kind of figure: ``grids`` (images, Gram matrices, feature maps), ``curves`` (loss
curves), ``measurements`` (layer shares, Gram statistics, detail crops) and ``diagrams`` (field
map, pipeline). Notebooks use them as ``plotting.…``.
"""

from .curves import LOSS_TERMS, draw_losses, loss_png, loss_series, optimizer_race, plot_losses
from .diagrams import PIPELINE_ARROWS, PIPELINE_BOXES, field_map, pipeline_diagram
from .grids import film_strip, png_bytes, show_feature_maps, show_gram, show_images
from .measurements import DETAIL_GAIN, detail, gram_statistics, high_pass, layer_shares

__all__ = [
    "show_images",
    "film_strip",
    "png_bytes",
    "show_gram",
    "show_feature_maps",
    "LOSS_TERMS",
    "loss_series",
    "draw_losses",
    "plot_losses",
    "loss_png",
    "optimizer_race",
    "layer_shares",
    "gram_statistics",
    "high_pass",
    "DETAIL_GAIN",
    "detail",
    "field_map",
    "PIPELINE_BOXES",
    "PIPELINE_ARROWS",
    "pipeline_diagram",
]
