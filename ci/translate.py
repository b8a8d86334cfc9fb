"""The Korean edition, from one source: notebooks/ko/NN_….ipynb are generated from the English
notebooks and the translation store notebooks/ko/translations/NN_….md. Never edit the generated
notebooks; edit the store (docs/TRANSLATING.md says how).

    python ci/translate.py status [NN …]     what needs translating: missing, stale (with a diff), orphaned
    python ci/translate.py skeleton NN …     add a TODO entry (the English text) for every missing cell
    python ci/translate.py accept ID|NN|DOC  record that an entry (or README.ko.md …) translates the current English
    python ci/translate.py build [NN …]      write notebooks/ko/NN_….ipynb (every notebook with a store)
    python ci/translate.py check             exit 1 if a committed Korean notebook differs from `build`

The store is Markdown, one entry per English markdown cell, in the notebook's order:

    <!-- cell 01-03 en=3f2a9c1b0d4e -->
    ## 1.1 네트워크가 보는 사진
    …

``en=`` is the first 12 hex digits of the SHA-256 of the English cell's source when it was
translated: when the English changes, the entry is *stale* until a translator updates it and runs
``accept``. ``TODO`` after the hash marks an entry not translated yet (its text is still English).
Code cells keep their code: only what they print or draw themselves (and some comments) is
translated, from a second store, translations/NN_….code.md (ci/translate_code.py). The setup cell
also sets ``NST_LANG=ko`` and, on Colab, installs the Hangul font. Slide types: ci/slides_metadata.py's
rule on the Korean cell. Standard library and JSON only (written as ci/slides_metadata.py writes).
"""

import argparse
import copy
import difflib
import functools
import hashlib
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "notebooks"
KOREAN = ENGLISH / "ko"
STORE = KOREAN / "translations"
HEADER = re.compile(r"^<!-- cell (?P<id>\S+) en=(?P<sha>[0-9a-f]{12})(?P<todo> TODO)? -->$")
PREAMBLE = ("<!-- Korean text of notebooks/{name}.ipynb, one entry per markdown cell. Edit the text under each "
            "header; keep the headers. How: docs/TRANSLATING.md -->\n\n")
KO_FONT = "koreanize-matplotlib==0.1.1"  # = requirements.txt; NanumGothic for Hangul in figures
KO_BABEL = "babel==2.19.0"  # = requirements.txt; reads the Korean message catalogue (nst_helpers.language)

# The setup cell's Korean changes: (English anchor, Korean replacement). If the English setup cell
# changes an anchor, `build` stops and says so rather than writing a Korean notebook without them.
SETUP_EDITS = [
    ("import os, subprocess, sys\n",
     "import os, subprocess, sys\n\n"
     'os.environ["NST_LANG"] = "ko"  # the Korean edition: checks, explorers and figures in Korean\n'),
    ('"jupyter-ui-poll==1.1.0"]]', f'"jupyter-ui-poll==1.1.0", "{KO_FONT}", "{KO_BABEL}"]]'),
]
# Translated documents (written by hand, not generated): Korean file → its English source. The Korean
# file's first line records the hash of the whole English file it translates, e.g.
# <!-- translates README.md en=3f2a9c1b0d4e -->; when the English file changes it is stale until a
# translator updates it (`status` shows the English diff) and runs `accept README.ko.md`.
DOCS = {"README.ko.md": "README.md", "docs/INSTRUCTOR_GUIDE.ko.md": "docs/INSTRUCTOR_GUIDE.md"}
DOC_HEADER = re.compile(r"^<!-- translates (?P<path>\S+) en=(?P<sha>[0-9a-f]{12}) -->$")
# notebooks/ko is one folder deeper: a Markdown link or image up out of notebooks/ needs one more ../
UP_LINK = re.compile(r"(\]\(|src=[\"'])\.\./")
COLAB_LINK = re.compile(r"(colab\.research\.google\.com/github/[^)\s]+?/blob/[^/\s]+/notebooks/)(\d\d_\w+\.ipynb)")


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def english_notebooks(prefixes=()):
    paths = sorted(ENGLISH.glob("[0-9][0-9]_*.ipynb"))
    if prefixes:
        paths = [p for p in paths if any(p.stem.startswith(prefix) for prefix in prefixes)]
        if not paths:
            raise SystemExit(f"no English notebook starts with {', '.join(prefixes)} (try 01 … 06)")
    return paths


def store_path(english):
    return STORE / f"{english.stem}.md"


def read_json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def dumps(nb):
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"  # as ci/slides_metadata.py writes


# ----- the store ------------------------------------------------------------------------------

def parse_store(text):
    """{cell id: {"sha", "todo", "text"}} in file order. Text before the first header is ignored."""
    entries, current = {}, None
    for line in text.splitlines():
        match = HEADER.match(line)
        if match:
            if match["id"] in entries:
                raise SystemExit(f"cell {match['id']} has two entries in the store: keep one")
            current = entries[match["id"]] = {"sha": match["sha"], "todo": bool(match["todo"]), "lines": []}
        elif current is not None:
            current["lines"].append(line)
    for entry in entries.values():
        entry["text"] = "\n".join(entry.pop("lines")).strip("\n")
    return entries


def format_store(name, entries):
    parts = [PREAMBLE.format(name=name)]
    for cell_id, entry in entries.items():
        parts.append(f"<!-- cell {cell_id} en={entry['sha']}{' TODO' if entry['todo'] else ''} -->\n"
                     f"{entry['text']}\n\n")
    return "".join(parts).rstrip("\n") + "\n"


def code_store():
    return _ci_module(ROOT / "ci" / "translate_code.py")


def load_code_store(english):  # {cell id: {"sha", "pairs"}}
    return code_store().load(STORE, english)


def load_store(english):
    path = store_path(english)
    return parse_store(path.read_text(encoding="utf-8")) if path.exists() else {}


def markdown_cells(nb):
    """The cells a translator translates: markdown, except the measured-time cells, which
    ci/section_times.py writes in both languages."""
    return [c for c in nb["cells"] if c["cell_type"] == "markdown" and c.get("metadata", {}).get("nst") != "time"]


@functools.cache
def _ci_module(path):
    """A script of ci/ as a module, loaded once per path (ROOT moves in the tests' temporary copies)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def section_times():
    return _ci_module(ROOT / "ci" / "section_times.py")


def english_text(rel):
    """What a translated document translates: the English file, without generated parts (the
    README's measured-time column, written by ci/section_times.py in both languages)."""
    text = (ROOT / rel).read_text(encoding="utf-8")
    return section_times().without_times(text) if rel == "README.md" else text


def status(english):
    """(missing, stale, orphans, todo) for one notebook: lists of cell ids."""
    nb, entries = read_json(english), load_store(english)
    ids = [c["id"] for c in markdown_cells(nb)]
    missing = [i for i in ids if i not in entries]
    todo = [i for i in ids if i in entries and entries[i]["todo"]]
    stale = [c["id"] for c in markdown_cells(nb)
             if c["id"] in entries and not entries[c["id"]]["todo"] and entries[c["id"]]["sha"] != sha(source(c))]
    orphans = [i for i in entries if i not in ids]
    return missing, stale, orphans, todo


def old_version(rel, want, cell_id=None):
    """The English text (a file, or one cell of a notebook) whose hash was ``want``, from git history."""
    log = subprocess.run(["git", "log", "--format=%H", "-n", "300", "--", rel], cwd=ROOT, capture_output=True, text=True)
    for commit in log.stdout.split():
        shown = subprocess.run(["git", "show", f"{commit}:{rel}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode:
            continue
        plain = section_times().without_times(shown.stdout) if rel == "README.md" else shown.stdout
        texts = ([source(c) for c in json.loads(shown.stdout)["cells"] if c.get("id") == cell_id]
                 if cell_id else [plain])
        for text in texts:
            if sha(text) == want:
                return text
    return None


def doc_status():
    """{Korean doc: "stale" | "no header"} for the translated documents that exist."""
    problems = {}
    for korean, english in DOCS.items():
        path = ROOT / korean
        if not path.exists():
            continue
        match = DOC_HEADER.match(path.read_text(encoding="utf-8").partition("\n")[0])
        if not match or match["path"] != english:
            problems[korean] = "no header"
        elif match["sha"] != sha(english_text(english)):
            problems[korean] = "stale"
    return problems


# ----- the Korean notebook --------------------------------------------------------------------

def korean_setup(text):
    for anchor, replacement in SETUP_EDITS:
        if text.count(anchor) != 1:
            raise SystemExit(f"the English setup cell no longer contains {anchor!r} once: update SETUP_EDITS "
                             "in ci/translate.py to the new setup cell, then run `python ci/translate.py build`")
        text = text.replace(anchor, replacement)
    return text


def slide_rule():
    return _ci_module(ROOT / "ci" / "slides_metadata.py").slide_type


def korean_notebook(english):
    """The Korean notebook as a dict: code cells as in English, markdown from the store (the English
    text where an entry is missing, so a partial translation still runs; `status` lists those)."""
    nb = read_json(english)
    entries, code = load_store(english), code_store().translated_cells(nb, load_code_store(english), english.stem)
    ko = copy.deepcopy(nb)
    timed = any(c.get("metadata", {}).get("nst") == "time" for c in nb["cells"])
    times = section_times()
    korean_times = times.time_texts(nb, english.stem, times.load(times.TIMES), "ko") if timed else {}
    for cell in ko["cells"]:
        text = source(cell)
        if cell.get("metadata", {}).get("nst") == "time":
            cell["source"] = korean_times[cell["id"]].splitlines(keepends=True)
        elif cell["cell_type"] == "markdown":
            text = entries[cell["id"]]["text"] if cell["id"] in entries else text
            text = UP_LINK.sub(r"\1../../", COLAB_LINK.sub(r"\1ko/\2", text))
            cell["source"] = text.splitlines(keepends=True)
        elif cell["cell_type"] == "code" and (text.lstrip().startswith("# Setup") or cell["id"] in code):
            text = code.get(cell["id"], text)  # its strings in Korean (translations/NN_….code.md)
            text = korean_setup(text) if text.lstrip().startswith("# Setup") else text
            cell["source"] = text.splitlines(keepends=True)
        # any other cell keeps the English JSON untouched
    rule = slide_rule()
    for i, cell in enumerate(ko["cells"]):
        cell.setdefault("metadata", {})["slideshow"] = {"slide_type": rule(i, cell, ko["cells"][i - 1] if i else None)}
    ko["metadata"]["nst_generated"] = (f"by `python ci/translate.py build` from ../{english.name} and "
                                       f"translations/{english.stem}.md: edit those, not this file")
    return ko


def build(prefixes=()):
    written = []
    for english in english_notebooks(prefixes):
        if not store_path(english).exists():
            continue
        path = KOREAN / english.name
        text = dumps(korean_notebook(english))
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def out_of_date():
    """Committed Korean notebooks that differ from what `build` writes, and ones without a store."""
    wrong = [(KOREAN / e.name) for e in english_notebooks() if store_path(e).exists()
             and (not (KOREAN / e.name).exists() or (KOREAN / e.name).read_text(encoding="utf-8") != dumps(korean_notebook(e)))]
    stores = {p.stem for p in STORE.glob("*.md")} if STORE.exists() else set()
    wrong += [p for p in sorted(KOREAN.glob("*.ipynb")) if p.stem not in stores]
    return wrong


def diff(before, after, old_name, new_name):
    lines = [text.rstrip("\n").split("\n") for text in (before, after)]
    return "\n".join(difflib.unified_diff(*lines, old_name, new_name, lineterm=""))


# ----- commands --------------------------------------------------------------------------------

def cmd_status(prefixes):
    pending = 0
    for english in english_notebooks(prefixes):
        nb = read_json(english)
        by_id = {c["id"]: source(c) for c in markdown_cells(nb)}
        entries = load_store(english)
        missing, stale, orphans, todo = status(english)
        pending += len(missing) + len(stale) + len(orphans) + len(todo)
        print(f"== {english.stem}: {len(by_id)} markdown cells, {len(missing)} missing, {len(todo)} TODO, "
              f"{len(stale)} stale, {len(orphans)} orphaned")
        for cell_id in missing:
            print(f"\n-- missing {cell_id} (English):\n{by_id[cell_id]}")
        for cell_id in todo:
            print(f"\n-- TODO {cell_id} (English):\n{by_id[cell_id]}")
        for cell_id in stale:
            before = old_version(english.relative_to(ROOT).as_posix(), entries[cell_id]["sha"], cell_id)
            print(f"\n-- stale {cell_id}: the English changed since it was translated")
            if before is None:
                print(f"(the translated English version is not in git history; the English now:)\n{by_id[cell_id]}")
            else:
                print(diff(before, by_id[cell_id], "English then", "English now"))
            print(f"Then: update the Korean, run `python ci/translate.py accept {cell_id}`")
        for cell_id in orphans:
            print(f"\n-- orphaned {cell_id}: no such markdown cell in {english.name} any more; delete the entry")
        pending += code_store().report(english, *code_status(english, nb))
    if not prefixes:
        pending += cmd_doc_status()
    return 1 if pending else 0


def code_status(english, nb=None):
    """(stale, broken, orphans) of the notebook's code-string store (ci/translate_code.py)."""
    cells = {c["id"]: source(c) for c in (nb or read_json(english))["cells"] if c["cell_type"] == "code"}
    return code_store().code_status(cells, load_code_store(english), sha)


def cmd_doc_status():
    problems = doc_status()
    for korean, problem in problems.items():
        english = DOCS[korean]
        if problem == "no header":
            print(f"\n-- {korean}: its first line must be <!-- translates {english} en=… -->; "
                  f"run `python ci/translate.py accept {korean}` once it translates the current {english}")
            continue
        recorded = DOC_HEADER.match((ROOT / korean).read_text(encoding="utf-8").partition("\n")[0])["sha"]
        before, now = old_version(english, recorded), english_text(english)
        print(f"\n-- stale {korean}: {english} changed since it was translated")
        if before is not None:
            print(diff(before, now, f"{english} then", f"{english} now"))
        print(f"Then: update {korean}, run `python ci/translate.py accept {korean}`")
    return len(problems)


def cmd_skeleton(prefixes):
    for english in english_notebooks(prefixes):
        nb, entries = read_json(english), load_store(english)
        ordered, added = {}, 0
        for cell in markdown_cells(nb):
            if cell["id"] in entries:
                ordered[cell["id"]] = entries[cell["id"]]
            else:
                ordered[cell["id"]] = {"sha": sha(source(cell)), "todo": True, "text": source(cell)}
                added += 1
        ordered.update((k, v) for k, v in entries.items() if k not in ordered)  # orphans last
        STORE.mkdir(parents=True, exist_ok=True)
        store_path(english).write_text(format_store(english.stem, ordered), encoding="utf-8")
        print(f"{store_path(english).relative_to(ROOT)}: {added} TODO entries added")
    return 0


def cmd_accept(names):
    done = 0
    for english in english_notebooks():
        nb, entries = read_json(english), load_store(english)
        changed = False
        for cell in markdown_cells(nb):
            if cell["id"] in entries and any(cell["id"] == n or english.stem.startswith(n) for n in names):
                entry = entries[cell["id"]]
                if entry["todo"] or entry["sha"] != sha(source(cell)):
                    entry.update(sha=sha(source(cell)), todo=False)
                    changed, done = True, done + 1
        if changed:
            store_path(english).write_text(format_store(english.stem, entries), encoding="utf-8")
        done += code_store().accept(STORE, english, {c["id"]: sha(source(c)) for c in nb["cells"]}, names)
    for korean, english in DOCS.items():
        path = ROOT / korean
        if korean in names and path.exists():
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            header = f"<!-- translates {english} en={sha(english_text(english))} -->\n"
            lines = [header] + (lines[1:] if lines and DOC_HEADER.match(lines[0].rstrip("\n")) else lines)
            path.write_text("".join(lines), encoding="utf-8")
            done += 1
    print(f"{done} entries now translate the current English (run `python ci/translate.py build`)")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["status", "skeleton", "accept", "build", "check"])
    parser.add_argument("names", nargs="*", help="notebook prefixes (01 …) or, for accept, cell ids")
    args = parser.parse_args(argv)
    if args.command == "status":
        return cmd_status(args.names)
    if args.command == "skeleton":
        if not args.names:
            parser.error("skeleton needs notebook numbers, e.g. `skeleton 02`")
        return cmd_skeleton(args.names)
    if args.command == "accept":
        if not args.names:
            parser.error("accept needs cell ids (01-03) or notebook numbers (01)")
        return cmd_accept(args.names)
    if args.command == "build":
        for path in build(args.names):
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    wrong = out_of_date()
    for path in wrong:
        print(f"{path.relative_to(ROOT)} differs from what `python ci/translate.py build` writes")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
