"""The Korean code cells print Korean but run the English code (issue 31): the generator translates
only the strings and comments listed in notebooks/ko/translations/NN_….code.md (ci/translate_code.py).

The proof here is independent of the generator's own check: this file blanks both cells its own way
(every string constant and f-string text → "", comments dropped by the parser, IPython ``%``/``!``
lines kept verbatim) and compares what is left, for every code cell of the six notebooks; and every
string the Korean cell changed must be Korean text (``untranslated_changes``), so that a changed
picture name, layer or key cannot hide behind the blanking. CI relies on this: it runs each notebook
once per environment, in English or in Korean (nst.py's ``ci_notebooks``)."""

import ast
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import load_script

ROOT = Path(__file__).resolve().parents[2]
MAGIC = re.compile(r"^\s*[%!].*$", re.M)


def _parse(code):
    """The cell's syntax tree, each IPython ``%``/``!`` line read as ``pass`` at its indentation."""
    return ast.parse(MAGIC.sub(lambda m: m[0][: len(m[0]) - len(m[0].lstrip())] + "pass", code))


def skeleton(code):
    """The cell with its text taken out: (the AST dump, the f-string fields as a sorted list, the
    IPython lines)."""
    magics = MAGIC.findall(code)
    tree = _parse(code)
    specs = {id(c) for n in ast.walk(tree) if isinstance(n, ast.FormattedValue) and n.format_spec
             for c in ast.walk(n.format_spec)}  # ":.3f" is code
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in specs:
            node.value = ""
    fields = []
    for node in list(ast.walk(tree)):
        if isinstance(node, ast.JoinedStr) and id(node) not in specs:
            fields += [ast.unparse(v) for v in node.values if isinstance(v, ast.FormattedValue)]
            node.values = []
    return ast.dump(tree), sorted(fields), magics


HANGUL = re.compile(r"[\uac00-\ud7a3]")


def texts(code):
    """The cell's strings in a fixed order: each string constant outside f-strings, and each
    f-string's literal text joined (a translation may reorder its fields)."""
    tree = _parse(code)
    inside = {id(c) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for c in ast.walk(n) if c is not n}
    found = []
    for node in ast.walk(tree):
        if id(node) in inside:
            continue
        if isinstance(node, ast.JoinedStr):
            found.append("".join(v.value for v in node.values if isinstance(v, ast.Constant)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append(node.value)
    return found


def untranslated_changes(english, korean):
    """Strings the Korean cell changed into something that is not Korean text: a picture's name, a
    layer, a key, an option. The skeleton blanks every string, so this is what keeps a Korean cell
    from running other code than its English cell with the same skeleton."""
    return [(e, k) for e, k in zip(texts(english), texts(korean), strict=True) if e != k and not HANGUL.search(k)]


def source(cell):
    return "".join(cell["source"])


@pytest.mark.versionless
def test_the_skeleton_sees_code_and_not_text():
    same = [("print(f'loss {x:.3f}')  # the loss", "print(f'손실 {x:.3f}')  # 손실"),
            ("print('a', b)", "print('가', b)"),
            ("print(f'step {i} of {n}')", "print(f'{n}스텝 중 스텝 {i}')"),
            ("%env NST_MODE=demo\nx = 1  # one", "%env NST_MODE=demo\nx = 1  # 하나")]
    for english, korean in same:
        assert skeleton(english) == skeleton(korean), korean
    different = [("print(f'{x:.3f}')", "print(f'{x:.2f}')"), ("print(a)", "print(b)"),
                 ("print(f'{x}')", "print(f'{y}')"), ("d['a']", "d['a'].b"),
                 ("%env NST_MODE=demo", "%env NST_MODE=fast")]
    for english, korean in different:
        assert skeleton(english) != skeleton(korean), korean
    for english, korean in same:
        assert untranslated_changes(english, korean) == [], korean
    assert untranslated_changes("show(load('chelsea'), title='the photo')",
                                "show(load('astronaut'), title='사진')") == [("chelsea", "astronaut")]
    assert untranslated_changes("h['content']", "h['style']") == [("content", "style")]


@pytest.mark.versionless
@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem)
def test_every_korean_code_cell_runs_the_english_code(path):
    english = json.loads(path.read_text(encoding="utf-8"))["cells"]
    korean = json.loads((ROOT / "notebooks" / "ko" / path.name).read_text(encoding="utf-8"))["cells"]
    compared = 0
    for en, ko in zip(english, korean, strict=True):
        if en["cell_type"] != "code" or source(en).startswith("# Setup"):
            continue  # the setup cell: test_korean.py checks its two edits
        assert skeleton(source(ko)) == skeleton(source(en)), f"{path.stem} {en['id']}: the Korean changes code"
        assert untranslated_changes(source(en), source(ko)) == [], f"{path.stem} {en['id']}: not a translation"
        compared += source(ko) != source(en)
    translated = load_script(ROOT / "ci" / "translate.py").load_code_store(path)
    assert compared == len(translated)  # every entry translated something, and nothing else changed


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """The generator pointed at a copy of notebooks/ and ci/, so a test can edit them."""
    tr = load_script(ROOT / "ci" / "translate.py")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    shutil.copytree(ROOT / "ci", tmp_path / "ci", ignore=shutil.ignore_patterns("node_modules"))
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "notebook-times.json", tmp_path / "docs")
    for name, value in {"ROOT": tmp_path, "ENGLISH": tmp_path / "notebooks", "KOREAN": tmp_path / "notebooks" / "ko",
                        "STORE": tmp_path / "notebooks" / "ko" / "translations"}.items():
        monkeypatch.setattr(tr, name, value)
    return tr


def _edit(tr, cell_id, change, stem="04_style_transfer"):
    path = tr.ENGLISH / f"{stem}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["id"] == cell_id)
    cell["source"] = change(source(cell)).splitlines(keepends=True)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.mark.versionless
def test_an_english_label_edit_stops_build_naming_the_entry(tree):
    path = _edit(tree, "04-19", lambda s: s.replace('"saved"', '"written to"'))
    with pytest.raises(SystemExit, match=r"04_style_transfer.code.md, cell 04-19: '\"saved\"' no longer occurs"):
        tree.build()
    assert tree.code_status(path)[:2] == (["04-19"], ["04-19"])  # stale and broken


@pytest.mark.versionless
def test_an_english_code_edit_keeping_the_labels_is_stale_until_accepted(tree):
    path = _edit(tree, "04-19", lambda s: s.replace("path.resolve()", "path"))
    tree.build()  # the fragment is still there: the Korean follows the new code
    ko = json.loads((tree.KOREAN / path.name).read_text(encoding="utf-8"))
    assert 'print("저장했습니다:", path)' in source(next(c for c in ko["cells"] if c["id"] == "04-19"))
    assert tree.code_status(path) == (["04-19"], [], [])
    assert tree.main(["accept", "04-19"]) == 0 and tree.code_status(path) == ([], [], [])


@pytest.mark.versionless
def test_a_translation_that_touches_code_stops_build(tree):
    store = tree.STORE / "04_style_transfer.code.md"
    text = store.read_text(encoding="utf-8")
    for english, korean in [('"saved", path', '"저장했습니다:", path.name'),  # a name
                            ("{row['share']:.3%}; roughness", "{row['share']:.1%}; roughness")]:  # a format spec
        cell = "04-19" if "saved" in english else "04-tvsize"
        header = next(line for line in text.splitlines() if line.startswith(f"<!-- code {cell} "))
        store.write_text(text.replace(header, f'{header}\nen: "{english}"\nko: "{korean}"'), encoding="utf-8")
        with pytest.raises(SystemExit, match=f"cell {cell}: the Korean changes the code"):
            tree.build()
    store.write_text(text, encoding="utf-8")
    assert tree.build() == []  # the committed store builds the committed notebooks
