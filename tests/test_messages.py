"""The Korean message catalogue (nst_helpers/locale/ko/LC_MESSAGES/nst_helpers.po) against what
Babel extracts from the package (``t("…")``, ``_t("…")``, ``N_("…")``, as ``babel.cfg`` and
``make messages`` do):

- every extracted text has a Korean translation that is neither empty nor fuzzy (else a Korean
  student would read English);
- a translation has exactly its English text's ``{placeholders}`` (else ``format`` raises or drops
  a number);
- no particle written for both cases (``을(를)``, ``이(가)``, ``은(는)``, …): phrase the Korean so
  that it needs none;
- every entry is extracted (the texts the notebooks pass in are marked in ``notebook_texts.py``),
  and each of those still appears in an English notebook's code.
"""

import json
import re
import string
from pathlib import Path

import pytest

babel = pytest.importorskip("babel")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

from nst_helpers import language  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "nst_helpers"
PARTICLES = re.compile(r"\((?:가|를|은|는|이|을|과|와|으|로|으로)\)")
# a particle, or the copula's "must be" form (이어야 after a consonant, 여야 after a vowel), right after a
# placeholder: "{want}이어야" is wrong for a shape ending in 64 (육십사) or 512 (오백십이)
AFTER_FIELD = re.compile(r"}(?:</b>)?(?:(?:을|를|이|가|은|는|과|와|으로|로)(?![가-힣])|이어야|여야)")


def extracted(folder=PACKAGE):
    """``{english: "file:line"}`` as Babel extracts it with the project's keywords."""
    keywords = {name: None for name in language.KEYWORDS}
    out = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(folder), method_map=[("**.py", "python")], keywords=keywords):
        if isinstance(message, str) and message:
            out.setdefault(message, f"{filename}:{lineno}")
    return out


def po_entries():
    with language.po_path("ko").open("rb") as f:
        return [m for m in read_po(f, locale="ko") if m.id]


def placeholders(text):
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_every_extracted_text_has_a_korean_translation():
    entries = {m.id: m for m in po_entries()}
    missing = [f"{where}: {english!r}" for english, where in extracted().items()
               if english not in entries or not entries[english].string]
    fuzzy = [f"{extracted()[m.id]}: {m.id!r}" for m in entries.values() if m.fuzzy and m.id in extracted()]
    assert not missing, ("texts the package shows with no Korean in nst_helpers/locale/ko/LC_MESSAGES/nst_helpers.po "
                         "(add a msgid/msgstr pair; `make messages` merges the template):\n" + "\n".join(missing))
    assert not fuzzy, "fuzzy translations (check them, then remove the `#, fuzzy` line):\n" + "\n".join(fuzzy)


def test_translations_keep_their_placeholders():
    wrong = [f"{m.id!r}: {placeholders(m.id)} vs {placeholders(m.string)}" for m in po_entries()
             if m.string and placeholders(m.id) != placeholders(m.string)]
    assert not wrong, "a translation's {placeholders} differ from its English text's:\n" + "\n".join(wrong)


def test_no_particle_written_for_both_cases():
    """Korean particles depend on the word before them (을/를, 이/가, 은/는, 과/와, 으로/로): an entry
    is phrased so that none is written for both cases (``을(를)``) and none follows a placeholder."""
    assert AFTER_FIELD.search("형태가 {want}이어야 합니다") and AFTER_FIELD.search("{want}여야")  # the check can fail
    assert not AFTER_FIELD.search("기대한 형태는 {want}입니다") and not AFTER_FIELD.search("{n}이상")
    found = [f"{m.id!r}: {m.string}" for m in po_entries()
             if PARTICLES.search(m.string or "") or AFTER_FIELD.search(m.string or "")]
    assert not found, "particles such as 을(를) read as machine output; rephrase:\n" + "\n".join(found)


def notebook_code():
    code = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        code += ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                 if c["cell_type"] == "code"]
    return "\n".join(code)


def test_every_entry_is_extracted():
    package = extracted()
    unused = [m.id for m in po_entries() if m.id not in package]
    assert not unused, ("catalogue entries Babel does not extract from the package (mark the text with N_(…) "
                        "where it is made, or delete the entry):\n" + "\n".join(map(repr, unused)))


def test_the_texts_notebooks_pass_in_are_still_there():
    """``notebook_texts.TEXTS`` names what the notebooks' code passes in: each still appears there
    (its literal parts, for a template) or in the package, else its entry is dead."""
    from nst_helpers import notebook_texts

    code = notebook_code() + "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py")
                                       if p.name != "notebook_texts.py")
    gone = [text for text in notebook_texts.TEXTS
            if not all(part in code for part in re.split(r"{\w+}", text) if part.strip())]
    assert not gone, "texts no notebook or module uses any more: delete them and their entries:\n" + "\n".join(gone)


def test_the_runtime_reads_the_catalogue(monkeypatch):
    monkeypatch.setenv("NST_LANG", "ko")
    assert language.t("✓ right: {why}", why="x") == "✓ 맞습니다: x"
    assert language.shown("style ×3") == "스타일 층 3개"  # a template matched, its number kept
    monkeypatch.setenv("NST_LANG", "en")
    assert language.t("✓ right: {why}", why="x") == "✓ right: x"


def test_without_babel_the_korean_edition_warns_once_and_shows_english(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_babel(name, *args, **kwargs):
        if name.startswith("babel"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_babel)
    monkeypatch.setenv("NST_LANG", "ko")
    language.catalogue.cache_clear()
    try:
        with pytest.warns(UserWarning, match="pip install babel==2.19.0"):
            assert language.t("✓ right: {why}", why="x") == "✓ right: x"
    finally:
        language.catalogue.cache_clear()
        language._compiled.clear()
