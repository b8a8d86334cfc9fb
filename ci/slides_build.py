"""reveal.js decks that work with no network: `make slides` runs this.

nbconvert's slides template loads reveal.js, RequireJS, jQuery and MathJax (and, for notebooks
with widgets, the widgets' HTML manager) from CDNs, so a classroom without a network shows no
slides. Here every one of them comes from the npm packages pinned in ``ci/slides/package.json``
(``npm ci --ignore-scripts --prefix ci/slides`` installs them), is copied into ``vendor/`` beside
the decks, and each deck points at it by a relative URL: the folder works from a USB stick.

    python ci/slides_build.py [--execute] [--output-dir slides] notebooks/01_….ipynb …

The versions are the ones nbconvert's reveal template is written for: reveal.js 4.0.2 (its
default), MathJax 2.7.7 (the template calls MathJax 2's ``MathJax.Hub``), RequireJS 2.3 and
jQuery 3 (the template defaults to 2.1 and 2.0; the newer ones keep the API and fix known
vulnerabilities), html-manager 1.0 (ipywidgets 8's).
"""

import argparse
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "slides" / "node_modules"
TEMPLATE_DIR = HERE / "slides" / "template"
TEMPLATE = "nst_reveal"
VENDOR = "vendor"  # the assets' folder, beside the decks
INSTALL = "npm ci --ignore-scripts --prefix ci/slides"

# What the decks load, per npm package: only these are copied (MathJax alone is 70 MB, most of
# it other fonts and output modes; the decks use its CommonHTML output with the TeX fonts).
ASSETS = {
    "reveal.js": ["dist", "plugin/notes"],
    "requirejs": ["require.js"],
    "jquery": ["dist/jquery.min.js"],
    "mathjax": ["MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions", "jax/input/TeX",
                "jax/element", "jax/output/CommonHTML", "fonts/HTML-CSS/TeX/woff",
                "fonts/HTML-CSS/TeX/otf", "localization"],
    "@jupyter-widgets/html-manager": ["dist/embed-amd.js"] + [f"dist/*.{ext}" for ext in ("woff", "woff2", "ttf", "eot", "svg")],
}

# The widgets' renderer has two copies of the icon font's CSS: one finds the fonts beside the
# renderer, the other (that of the "@jupyter-widgets/base" module) one folder up. Copies there too.
ICON_FONTS = ("@jupyter-widgets/html-manager/dist", ["*.woff2", "*.woff", "*.ttf"], "@jupyter-widgets")

# The exporter's settings: every URL relative to the deck, into vendor/.
URLS = {
    "reveal_url_prefix": f"{VENDOR}/reveal.js",
    "require_js_url": f"{VENDOR}/requirejs/require.js",
    "jquery_url": f"{VENDOR}/jquery/dist/jquery.min.js",
    "mathjax_url": f"{VENDOR}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "widget_renderer_url": f"{VENDOR}/@jupyter-widgets/html-manager/dist/embed-amd.js",
}


def missing_assets(node_modules=NODE_MODULES):
    """The asset paths not installed (empty when `npm ci` has run)."""
    return [f"{package}/{pattern}" for package, patterns in ASSETS.items() for pattern in patterns
            if not list((node_modules / package).glob(pattern))]


def copy_assets(out_dir, node_modules=NODE_MODULES):
    """Copy what the decks load into out_dir/vendor/, keeping each package's own layout (MathJax
    finds its parts relative to MathJax.js)."""
    missing = missing_assets(node_modules)
    if missing:
        raise SystemExit(f"slides: the offline assets are not installed ({missing[0]} missing): run `{INSTALL}`")
    for package, patterns in ASSETS.items():
        for pattern in patterns:
            for source in (node_modules / package).glob(pattern):
                target = Path(out_dir) / VENDOR / package / source.relative_to(node_modules / package)
                target.parent.mkdir(parents=True, exist_ok=True)
                if source.is_dir():
                    shutil.copytree(source, target, dirs_exist_ok=True,
                                    ignore=shutil.ignore_patterns("*.map", "*.esm.js"))
                else:
                    shutil.copy2(source, target)
    fonts, patterns, target = ICON_FONTS
    for pattern in patterns:
        for source in (Path(out_dir) / VENDOR / fonts).glob(pattern):
            shutil.copy2(source, Path(out_dir) / VENDOR / target / source.name)


# A picture in a text cell that comes from the web, e.g. the Colab badge: ![alt](https://…).
REMOTE_IMAGE = re.compile(r"!\[([^\]]*)\]\(https?://[^)]*\)")


def remote_images_as_text(source):
    """Markdown with every remote picture replaced by its alt text: offline it would show as a
    broken image (the Colab badge `[![Open In Colab](badge.svg)](link)` becomes a text link)."""
    return REMOTE_IMAGE.sub(r"\1", source)


def _preprocessor():
    from nbconvert.preprocessors import Preprocessor

    class RemoteImagesAsText(Preprocessor):
        def preprocess_cell(self, cell, resources, index):
            if cell.cell_type == "markdown":
                cell.source = remote_images_as_text(cell.source)
            return cell, resources

    return RemoteImagesAsText


def exporter(execute=False, timeout=1800):
    """nbconvert's SlidesExporter with every asset URL pointing into vendor/ (and, to execute the
    notebooks first, its ExecutePreprocessor with `timeout` seconds per cell)."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.TemplateExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    config.ExecutePreprocessor.enabled = execute
    config.ExecutePreprocessor.timeout = timeout
    for name, url in URLS.items():
        setattr(config.SlidesExporter, name, url)
    # nbconvert's default theme, "simple", imports its fonts from Google; "white" has them in dist/.
    config.SlidesExporter.reveal_theme = "white"
    slides = SlidesExporter(config=config, template_name=TEMPLATE)
    slides.register_preprocessor(_preprocessor(), enabled=True)
    return slides


def build(notebooks, out_dir, execute=False):
    """Write one deck per notebook into out_dir, with its assets; the decks' paths."""
    slides = exporter(execute)
    out_dir = Path(out_dir)
    copy_assets(out_dir)  # first: without the assets, no deck is written
    decks = []
    for notebook in map(Path, notebooks):
        html, _ = slides.from_filename(str(notebook))  # executed in the notebook's folder
        deck = out_dir / f"{notebook.stem}.slides.html"
        deck.write_text(html, encoding="utf-8")
        decks.append(deck)
        print(f"slides: {deck}")
    return decks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--output-dir", type=Path, default=Path("slides"))
    parser.add_argument("--execute", action="store_true", help="run every cell first (NST_MODE picks the mode)")
    args = parser.parse_args(argv)
    build(args.notebooks, args.output_dir, args.execute)
    return 0


if __name__ == "__main__":
    sys.exit(main())
