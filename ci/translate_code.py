"""The Korean text of what code cells print and draw themselves (issue 31): their print labels and
figure titles, and where cheap their comments. ci/translate.py applies it when it writes a Korean
notebook; this module is that store and the proof that it changes no code.

The store is notebooks/ko/translations/NN_….code.md, beside the markdown store (a separate file: the
two are edited by different people at different times). One entry per code cell, keyed by the cell's
id, each a list of exact English fragments of that cell and their Korean:

    <!-- code 04-13 en=3f2a9c1b0d4e -->
    en: "roughness {parts[0]:.4f}: brightness "
    ko: "거칠기 {parts[0]:.4f}: 휘도 "

The fragment is everything between the first and the last double quote of its line, verbatim (no
escapes: a ``\\n`` in the code is written ``\\n``, as the cell has it). ``en=`` is the English cell's
hash when the entry was written: a changed English cell makes the entry stale (``status`` lists it;
``accept`` the cell id after checking). A fragment that no longer occurs in the English cell stops
``build`` with a message naming it, so an English edit cannot silently leave English behind.

Every replacement must leave the code itself as it was: :func:`code_shape` (the cell's AST with every
string constant and comment blanked, format specs such as ``:.3f`` kept, IPython ``%``/``!`` lines
verbatim) of the Korean cell must equal the English cell's, or ``build`` stops. Standard library only.
"""

import ast
import re

CODE_HEADER = re.compile(r"^<!-- code (?P<id>\S+) en=(?P<sha>[0-9a-f]{12}) -->$")
PAIR = re.compile(r'^(?P<lang>en|ko): "(?P<text>.*)"$')
PREAMBLE = ("<!-- Korean text of what the code cells of notebooks/{name}.ipynb print and draw: per cell, exact "
            "English fragments (en) and their Korean (ko). The code itself must stay the same. "
            "How: docs/TRANSLATING.md -->\n\n")


def code_store_path(store_folder, english):
    return store_folder / f"{english.stem}.code.md"


def parse_code_store(text, where="the code store"):
    """``{cell id: {"sha", "pairs": [(english, korean), …]}}`` in file order."""
    entries, current, pending = {}, None, None
    for number, line in enumerate(text.splitlines(), 1):
        header = CODE_HEADER.match(line)
        pair = PAIR.match(line)
        if header:
            if header["id"] in entries:
                raise SystemExit(f"{where}: cell {header['id']} has two entries; keep one")
            current = entries[header["id"]] = {"sha": header["sha"], "pairs": []}
        elif pair and current is not None:
            if (pair["lang"] == "en") == (pending is not None):
                raise SystemExit(f"{where} line {number}: expected {'ko' if pending is not None else 'en'}: "
                                 "an en: line, then its ko: line")
            if pair["lang"] == "en":
                pending = pair["text"]
            else:
                current["pairs"].append((pending, pair["text"]))
                pending = None
        elif line.strip() and not (line.startswith("<!--") and current is None):
            raise SystemExit(f"{where} line {number}: not a header, an `en: \"…\"` or a `ko: \"…\"` line: {line!r}")
    if pending is not None:
        raise SystemExit(f"{where}: the last en: line has no ko: line")
    return entries


def format_code_store(name, entries):
    parts = [PREAMBLE.format(name=name)]
    for cell_id, entry in entries.items():
        pairs = "".join(f'en: "{en}"\nko: "{ko}"\n' for en, ko in entry["pairs"])
        parts.append(f"<!-- code {cell_id} en={entry['sha']} -->\n{pairs}\n")
    return "".join(parts).rstrip("\n") + "\n"


class _Blank(ast.NodeTransformer):
    """Every string constant → "", except inside a format spec (``{x:.3f}`` is code: it decides
    what the number looks like). An f-string keeps only its ``{…}`` fields, in a fixed order: a
    translation may drop or add text between them and put them in Korean word order ("step {i} of
    {n}" → "{n}스텝 중 스텝 {i}"), never change one."""

    def visit_Constant(self, node):  # noqa: N802 - ast's name
        return ast.copy_location(ast.Constant(value=""), node) if isinstance(node.value, str) else node

    def visit_FormattedValue(self, node):  # noqa: N802
        node.value = self.visit(node.value)
        return node  # format_spec untouched

    def visit_JoinedStr(self, node):  # noqa: N802
        fields = [self.visit(v) for v in node.values if not isinstance(v, ast.Constant)]
        node.values = sorted(fields, key=ast.dump)
        return node


_MAGIC = re.compile(r"^(\s*)([%!].*)$", re.M)


def code_shape(text):
    """What must not change when a code cell is translated: its AST with string constants blanked
    (comments are not in an AST), plus its IPython ``%``/``!`` lines verbatim. A cell Python cannot
    parse is its own shape (then only a byte-identical cell passes)."""
    magics = [m[2] for m in _MAGIC.finditer(text)]
    try:
        tree = ast.parse(_MAGIC.sub(r"\1pass", text))
    except SyntaxError:
        return ("unparsed", text)
    return (ast.dump(_Blank().visit(tree)), magics)


def load(store_folder, english):
    path = code_store_path(store_folder, english)
    if not path.exists():
        return {}
    return parse_code_store(path.read_text(encoding="utf-8"), f"translations/{path.name}")


def translated_cells(nb, entries, stem):
    """``{cell id: Korean code cell}`` for the cells with an entry; stops on an entry with no cell."""
    cells = {c.get("id"): c for c in nb["cells"] if c["cell_type"] == "code"}
    orphans = sorted(set(entries) - set(cells))
    if orphans:
        raise SystemExit(f"translations/{stem}.code.md: no code cell {', '.join(orphans)} in {stem}.ipynb any more: "
                         "delete the entry (`python ci/translate.py status`)")
    return {i: translate_cell("".join(cells[i]["source"]), e["pairs"], f"translations/{stem}.code.md, cell {i}")
            for i, e in entries.items()}


def accept(store_folder, english, hashes, names):
    """Record the current English hash of the chosen entries (cell ids, or a notebook's number);
    the number recorded."""
    entries = load(store_folder, english)
    chosen = [i for i, e in entries.items() if i in hashes and e["sha"] != hashes[i]
              and any(i == n or english.stem.startswith(n) for n in names)]
    for cell_id in chosen:
        entries[cell_id]["sha"] = hashes[cell_id]
    if chosen:
        code_store_path(store_folder, english).write_text(format_code_store(english.stem, entries), encoding="utf-8")
    return len(chosen)


def translate_cell(text, pairs, where):
    """The Korean code cell: each English fragment replaced (every occurrence) by its Korean. Stops
    when a fragment does not occur or a replacement changed code."""
    korean = text
    for english, replacement in pairs:
        if english not in text:
            raise SystemExit(f"{where}: {english!r} no longer occurs in the English cell. Update the entry "
                             "to the new English (or delete it), then run `python ci/translate.py build`")
        korean = korean.replace(english, replacement)
    if code_shape(korean) != code_shape(text):
        raise SystemExit(f"{where}: the Korean changes the code, not only strings and comments: translate "
                         "only the text inside quotes (never a name, a key or a format spec such as :.3f)")
    return korean


def code_status(cells, entries, sha):
    """(stale, broken, orphans) for one notebook: cell ids. ``cells``: ``{id: English source}``."""
    stale = [i for i, e in entries.items() if i in cells and e["sha"] != sha(cells[i])]
    broken = [i for i, e in entries.items() if i in cells and any(en not in cells[i] for en, _ in e["pairs"])]
    orphans = [i for i in entries if i not in cells]
    return stale, broken, orphans


def report(english, stale, broken, orphans):
    """Print what `status` says about one notebook's code store; the number of problems."""
    for cell_id in stale:
        print(f"\n-- code {cell_id}: the English code cell changed since its strings were translated: check that "
              f"every English label it prints has an entry, then `python ci/translate.py accept {cell_id}`")
    for cell_id in broken:
        print(f"\n-- code {cell_id}: an English fragment of the entry no longer occurs in the cell (`build` stops): "
              f"update it in translations/{english.stem}.code.md")
    for cell_id in orphans:
        print(f"\n-- code {cell_id}: no such code cell in {english.name} any more; delete the entry")
    return len(stale) + len(broken) + len(orphans)
