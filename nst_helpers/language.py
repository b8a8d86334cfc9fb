"""The notebooks' language: English, or Korean with ``NST_LANG=ko`` (the Korean notebooks' setup
cell sets it). Every Korean string the package shows (check verdicts and hints, explorer labels and
status lines, the titles and labels of its figures) lives in a gettext catalogue,
``nst_helpers/locale/ko/LC_MESSAGES/nst_helpers.po``, with the English text as ``msgid``.

``t(english, **fields)`` returns the Korean text when ``NST_LANG=ko`` and the catalogue has it,
else the English; ``fields`` fill ``{placeholders}`` in either. The English text is the key, so
the English code stays readable and a missing translation shows English, never a blank.
``N_(english)`` marks a text that is translated later (by ``shown()``, e.g. a label
``experiments`` makes): Babel extracts both (``babel.cfg``: ``pybabel extract -F babel.cfg -k t
-k _t -k N_ …``; ``make messages`` updates the template), and ``tests/test_messages.py`` fails on
any extracted text without a Korean translation.

The runtime reads the ``.po`` itself with Babel's ``read_po`` (pinned in requirements.txt; only
imported under ``NST_LANG=ko``): no compiled ``.mo`` to build, cache or let go stale. Fuzzy and
empty entries count as untranslated (English shows), as with ``msgfmt``.

Error messages (``nst_helpers.errors``) stay English in both editions: they are what a student
pastes into a search engine. The terms follow docs/glossary.ko.md.
"""

import contextlib
import dataclasses
import functools
import importlib.util
import os
import re
import warnings
from pathlib import Path

LANGUAGES = ("en", "ko")
DOMAIN = "nst_helpers"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The call names Babel extracts (babel.cfg, tests/test_messages.py).
KEYWORDS = ("t", "_t", "N_")
_warned = set()


def N_(english):  # noqa: N802 - gettext's name for "mark only"
    """``english`` unchanged: marks a text for extraction that ``shown()`` translates later."""
    return english


def po_path(lang):
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def catalogue(lang):
    """``{english: translation}`` of ``lang``'s catalogue (empty for English), fuzzy and empty
    entries left out."""
    path = po_path(lang)
    if lang == "en" or not path.exists():
        return {}
    try:
        from babel.messages.pofile import read_po
    except ImportError:  # the Korean setup cell installs it; without it English stays readable
        warnings.warn(f"Babel is not installed: messages show in English instead of {lang}. "
                      "Fix: pip install babel==2.19.0", stacklevel=3)
        return {}
    with path.open("rb") as f:
        po = read_po(f, locale=lang, domain=DOMAIN)
    return {m.id: m.string for m in po if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def __getattr__(name):
    if name == "KO":  # the Korean catalogue as a dict (what tests read)
        return catalogue("ko")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def language():
    """``"en"`` or ``"ko"``, from ``NST_LANG`` (read on every call, so a notebook may switch). An
    unknown value falls back to English with one warning naming the choices."""
    value = os.environ.get("NST_LANG", "").strip().lower() or "en"
    if value in LANGUAGES:
        return value
    if value not in _warned:
        _warned.add(value)
        warnings.warn(f"NST_LANG={value!r} is not one of {', '.join(LANGUAGES)}: using English", stacklevel=2)
    return "en"


@contextlib.contextmanager
def speaking(lang):
    """``NST_LANG=lang`` while drawing (the figures' text, the record's words)."""
    old = os.environ.get("NST_LANG")
    os.environ["NST_LANG"] = lang
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("NST_LANG", None)
        else:
            os.environ["NST_LANG"] = old


def t(english, **fields):
    """``english`` in the notebooks' language, with ``fields`` filled in."""
    text = catalogue(language()).get(english, english)
    return text.format(**fields) if fields else text


def pad(text, width, right=False):
    """``text`` padded with spaces to ``width`` columns of a monospaced font, where a Hangul
    syllable takes two (so a translated label lines up with the numbers after it; ``f"{x:<8}"``
    counts a syllable as one column)."""
    import unicodedata

    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))
    space = " " * max(0, width - columns)
    return space + str(text) if right else str(text) + space


def shown(text):
    """A text made elsewhere, already filled in (a label from ``experiments``, a title from a
    notebook's code cell), in the notebooks' language: the whole text, else line by line; each is looked up,
    else matched against the catalogue's templates (``"α/β = {ratio}"`` matches ``"α/β = 1e+06"``
    and keeps the number). A line nothing matches stays as it is."""
    if text is None or language() == "en":
        return text
    whole = _shown_line(str(text))
    if whole != text:
        return whole
    return "\n".join(_shown_line(line) for line in str(text).split("\n"))


def shown_parts(text, separator):
    """:func:`shown` of a text made of parts joined by ``separator`` (a gallery figure's "how":
    ``"…, 300 Adam steps …; the photo (step 0) and five frames"``): the whole, else part by part,
    a later part looked up with its separator in front (as the package's text has it)."""
    whole = shown(text)
    if whole != text or text is None or language() == "en":
        return whole
    first, *rest = str(text).split(separator)
    return _shown_line(first) + "".join(_shown_line(separator + part) for part in rest)


def _shown_line(line):
    entries = catalogue(language())
    if line in entries:
        return entries[line]
    for english, pattern in _templates(language()):
        match = pattern.fullmatch(line)
        if match:
            # the values are looked up too: "coarse: {coarse}, fine: {fine}" with a painting's name
            return entries[english].format(**{k: entries.get(v, v) for k, v in match.groupdict().items()})
    return line


_compiled = {}


def _templates(lang):
    """The catalogue's entries with ``{placeholders}`` as regular expressions, longest first (the
    most specific template wins)."""
    if lang not in _compiled:
        out = []
        for english in sorted(catalogue(lang), key=len, reverse=True):
            parts = re.split(r"{(\w+)}", english)
            if len(parts) == 1 or len(set(parts[1::2])) != len(parts[1::2]):
                continue
            regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
            out.append((english, re.compile(regex)))  # a placeholder never spans lines
        _compiled[lang] = out
    return _compiled[lang]


def hangul_font():
    """The NanumGothic file that PyPI's koreanize-matplotlib ships (MIT; the font is under the SIL
    Open Font License), or None. Found without importing the package: its import does more than
    register a font (it imports ``distutils``, gone from Python 3.12 unless setuptools shims it)."""
    importlib.invalidate_caches()  # on Colab the setup cell pip-installs it into the running kernel
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / "NanumGothic.ttf"
    return path if path.exists() else None


def use_hangul_font():
    """With ``NST_LANG=ko``, let matplotlib draw Hangul: NanumGothic after DejaVu Sans in the font
    list, so Latin text and the minus sign look as in English and Hangul falls back to Nanum.
    Returns True when the font is in use; warns once (English stays readable) when it is missing."""
    if language() != "ko":
        return False
    import matplotlib
    from matplotlib import font_manager

    path = hangul_font()
    if path is None:
        if "font" not in _warned:
            _warned.add("font")
            warnings.warn("no Hangul font: Korean figure text shows as empty boxes. "
                          "Fix: pip install koreanize-matplotlib==0.1.1", stacklevel=2)
        return False
    manager = font_manager.fontManager
    if "NanumGothic" not in {f.name for f in manager.ttflist}:
        manager.addfont(str(path))
        # The bold face shipped beside it, so bold Hangul is bold. Its file declares weight 600, and
        # matplotlib warns ("findfont: Failed to find font weight bold …") under the first bold
        # title unless a face of weight 700 exists: registered as 700.
        bold = path.with_name("NanumGothicBold.ttf")
        if bold.exists():
            manager.addfont(str(bold))
            manager.ttflist = [dataclasses.replace(f, weight=700) if f.fname == str(bold) else f
                               for f in manager.ttflist]
            manager._findfont_cached.cache_clear()  # noqa: SLF001 - addfont clears it the same way
    # An explicit list: matplotlib falls back glyph by glyph along font.family (not along a generic
    # family's list).
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
    return True
