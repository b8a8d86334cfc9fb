"""The class gallery: one page showing every pinned result in a folder, for the projector.

Students pin results (:func:`nst_helpers.teaching.pins.pin` in a notebook, or ``python -m nst_helpers
transfer … -o NAME.png``); the instructor puts the files in one folder and runs
``python -m nst_helpers gallery FOLDER`` (or ``nst.class_gallery(FOLDER)`` in a notebook cell).
That writes ``FOLDER/index.html``: a contact sheet, one card per picture with its settings,
sortable by painting, photo, α, β, α/β, steps or name with a few lines of plain JavaScript.

The page is one small self-contained file: no external assets (the projector may be offline), and
the pictures are referenced by relative path, not embedded, so the page stays a few kilobytes,
the pictures are never decoded here (a crafted one costs nothing to skip), and the browser shows
them at full quality. Keep the page beside the pictures. Every value on the page is escaped
(``html.escape``): a note cannot inject markup. The page is written atomically.

Files that are not pinned results are skipped with one line each naming the file and why;
hidden files (``.DS_Store``, temporary files) and sub-folders are passed over silently.
"""

import html
import os
import sys
import urllib.parse
from pathlib import Path

from ..errors import ArgumentError
from ..language import N_, language, t
from ..machine.files import replaced
from .pins import NotAPin, read_pin

PAGE = "index.html"

#: The cards' rows: (label, how to get the text from a pin's settings).
ROWS = (
    (N_("style (painting)"), "style"), (N_("content (photo)"), "content"),
    (N_("α (content weight)"), "content_weight"), (N_("β (style weight)"), "style_weight"),
    (N_("γ (variation weight)"), "tv_weight"), ("α/β", "ratio"), ("steps", "steps"),
    ("size (px)", "size"), ("optimiser", "optimizer"), (N_("recipe"), "recipe"),
    (N_("rescaled VGG19"), "rescaled"), ("photo's colours", "preserve_colour"), (N_("note"), "note"),
)
#: The sort buttons: (label, data key, "text" or "number").
SORTS = ((N_("file"), "order", "number"), ("style (painting)", "style", "text"),
         ("content (photo)", "content", "text"), ("α (content weight)", "content_weight", "number"),
         ("β (style weight)", "style_weight", "number"), ("α/β", "ratio", "number"),
         ("steps", "steps", "number"), (N_("who"), "who", "text"))


def class_gallery(folder, out=None, title=None, echo=print):
    """Write the class gallery page for ``folder``; returns its path.

    Args:
        folder: the folder holding the class's pinned PNG files.
        out: the page (default ``FOLDER/index.html``); the pictures are linked relative to it.
        title: the page's heading (default "Class gallery", in the notebooks' language).
        echo: where the lines go (one per skipped file, one for the page).

    Raises :class:`~nst_helpers.errors.ArgumentError` when ``folder`` is not a folder or no file
    in it is a pinned result (the message says what to do; nothing is written then).
    """
    folder = Path(folder)
    out = Path(out) if out is not None else folder / PAGE
    pins, skipped = collect(folder, out)
    for path, error in skipped:
        echo(t("skipped {name}: {why}", name=path.name, why=error.shown()))
    if not pins:
        raise ArgumentError(f"no pinned picture in {folder}: nothing written. Put the class's pinned "
                            "PNG files there (nst.pin(result) in a notebook, or python -m nst_helpers "
                            "transfer … -o NAME.png) and run again")
    write_atomic(render(pins, out.parent, title), out)
    echo(t("wrote {page}: {count} picture(s), {skipped} file(s) skipped", page=out, count=len(pins),
           skipped=len(skipped)))
    return out


def collect(folder, out=None):
    """``([(path, settings), …], [(path, NotAPin), …])`` for the files of ``folder``, by name."""
    if not folder.is_dir():
        raise ArgumentError(f"{folder} is not a folder; give the folder that holds the class's pictures")
    pins, skipped = [], []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith(".") or path.is_dir() or (out is not None and _same(path, out)):
            continue
        try:
            pins.append((path, read_pin(path)))
        except NotAPin as error:
            skipped.append((path, error))
    return pins, skipped


def _same(path, other):
    return path.resolve() == Path(other).resolve()


def _number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _values(settings):
    """The text of every row and sort key of one card, from a pin's settings."""
    alpha, beta = _number(settings.get("content_weight")), _number(settings.get("style_weight"))
    values = dict(settings, ratio=alpha / beta if alpha is not None and beta else None)
    return {key: values.get(key) for _, key in ROWS + ((None, "who"),)}


def _text(value):
    if value is None or value == []:
        return "–"
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _card(index, path, settings, page_folder):
    values = _values(settings)
    source = urllib.parse.quote(Path(os.path.relpath(path, page_folder)).as_posix())
    data = " ".join(f'data-{key.replace("_", "-")}="{html.escape(_sort_value(values[key]))}"'
                    for _, key, _ in SORTS[1:])
    rows = "".join(f"<dt>{html.escape(t(label))}</dt><dd>{html.escape(_text(values[key]))}</dd>"
                   for label, key in ROWS if key != "note" or values["note"])
    who = html.escape(_text(values["who"])) if values["who"] else ""
    return (f'<figure data-order="{index}" {data}>\n'
            f'<img src="{html.escape(source)}" alt="{html.escape(path.name)}" loading="lazy">\n'
            f'<figcaption><div class="who">{who}</div><dl>{rows}</dl>'
            f'<div class="file">{html.escape(path.name)}</div></figcaption>\n</figure>')


def _sort_value(value):
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


STYLE = """
body{font-family:system-ui,'Noto Sans KR','Malgun Gothic',sans-serif;margin:1.5rem;background:#f4f4f4;
color:#111;font-size:20px}
h1{font-size:2.2rem;margin:0 0 .3rem}
.bar button{font:inherit;margin:.2rem;padding:.35rem .9rem;border:2px solid #333;border-radius:.4rem;
background:#fff;cursor:pointer}
.bar button[aria-pressed=true]{background:#222;color:#fff}
.sheet{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:1.5rem;margin-top:1rem}
figure{margin:0;background:#fff;border:1px solid #bbb;border-radius:.5rem;padding:.75rem}
figure img{display:block;width:100%;height:auto;max-height:75vh;object-fit:contain;background:#ddd}
.who{font-size:1.4rem;font-weight:700;margin-top:.4rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.1rem .8rem;margin:.3rem 0}
dt{color:#555}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.file{color:#666;font-size:.85rem;overflow-wrap:anywhere}
"""

SCRIPT = """
(function () {
  var sheet = document.getElementById("sheet");
  var buttons = document.querySelectorAll(".bar button");
  function value(card, key, type) {  // null when the card has no such setting: always sorted last
    var text = card.getAttribute("data-" + key) || "";
    if (type === "number") { var x = parseFloat(text); return isNaN(x) ? null : x; }
    return text === "" ? null : text;
  }
  function compare(key, type, sign) {
    return function (a, b) {
      var x = value(a, key, type), y = value(b, key, type), c;
      if (x === null || y === null) { c = (x === null) - (y === null); }
      else { c = sign * (type === "number" ? x - y : x.localeCompare(y)); }
      return c || value(a, "order", "number") - value(b, "order", "number");
    };
  }
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {  // a second click on the same button reverses
      var sign = button.getAttribute("aria-pressed") === "true" && button.dataset.sign !== "-1" ? -1 : 1;
      button.dataset.sign = String(sign);
      var cards = Array.prototype.slice.call(sheet.children);
      cards.sort(compare(button.dataset.key, button.dataset.type, sign));
      cards.forEach(function (card) { sheet.appendChild(card); });
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
    });
  });
})();
"""


def render(pins, page_folder, title=None):
    """The page's HTML text for ``[(path, settings), …]``; pictures linked relative to ``page_folder``."""
    title = html.escape(title if title is not None else t("Class gallery"))
    buttons = "".join(f'<button type="button" data-key="{key.replace("_", "-")}" data-type="{kind}" '
                      f'aria-pressed="{str(key == "order").lower()}">{html.escape(t(label))}</button>'
                      for label, key, kind in SORTS)
    cards = "\n".join(_card(i, path, settings, page_folder) for i, (path, settings) in enumerate(pins))
    count, sort_by = t("{count} picture(s)", count=len(pins)), t("sort by:")
    return (f'<!DOCTYPE html>\n<html lang="{language()}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
            f"<p>{html.escape(count)}</p>\n"
            f'<div class="bar">{html.escape(sort_by)} {buttons}</div>\n'
            f'<main class="sheet" id="sheet">\n{cards}\n</main>\n'
            f"<script>{SCRIPT}</script>\n</body>\n</html>\n")


def write_atomic(text, path):
    """Write ``text`` (UTF-8) to ``path`` so that ``path`` is always its old file or the whole new
    one (:func:`nst_helpers.machine.files.replaced`)."""
    with replaced(path, "w", encoding="utf-8") as file:
        file.write(text)
    return Path(path)


def main(folder, out=None, title=None):
    """The command ``python -m nst_helpers gallery``: 0 when the page was written, else 1 with
    one line that says what to do (in the notebooks' language)."""
    try:
        class_gallery(folder, out, title)
    except ArgumentError:
        folder_missing = not Path(folder).is_dir()
        print(t("{folder} is not a folder: give the folder that holds the class's pictures", folder=folder)
              if folder_missing else
              t("no pinned picture in {folder}: nothing written. Put the class's pinned PNG files there "
                "(nst.pin(result) in a notebook, or python -m nst_helpers transfer … -o NAME.png) and "
                "run again", folder=folder), file=sys.stderr)
        return 1
    except OSError as error:
        print(t("could not write the page: {error}", error=error), file=sys.stderr)
        return 1
    return 0

