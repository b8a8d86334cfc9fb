"""Measured run times in the notebooks, the README and the guide, from one file.

`make full-test` and `make demo-test` run every notebook cell under nbval with each cell's
duration. This script turns such a run into ``docs/notebook-times.json`` (seconds per code cell,
keyed by the cell's id, with the machine and the date), and writes from that file alone:

* after each notebook's title, a cell with the whole notebook's time at full quality and in demo
  mode, and after every ``##`` section heading a cell with that section's time (the sum of its
  code cells); these cells carry ``metadata["nst"] = "time"`` and are never edited by hand;
* the times in each ``gallery.expected("NAME")`` call: those of the code cell before it;
* the time column of the README's (and README.ko.md's) notebook table;
* the Korean notebooks' time cells, through ci/translate.py (which asks ``time_texts`` for them).

    python ci/section_times.py record --mode full --log full.log [--commit SHA]
    python ci/section_times.py record --mode demo --executed executed/   # nbconvert --execute output
    python ci/section_times.py apply           # rewrite the time cells and the README column
    python ci/section_times.py apply --check   # exit 1 if anything differs (tests/course/test_times.py)

``record`` maps nbval's "Cell N" (the N-th code cell) to cell ids in the notebooks as they were at
``--commit`` (default: the working tree), so a later edit that adds cells keeps the measurements of
the cells it did not touch. A code cell without a measurement makes ``apply`` fail, naming it:
measure again.
"""

import argparse
import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TIMES = ROOT / "docs" / "notebook-times.json"
README = ROOT / "README.md"
MARK = "time"  # metadata["nst"] of the generated cells
SKIP_SECTIONS = ("## Summary", "## References")
DURATION = re.compile(r"^\s*([\d.]+)s call\s+notebooks/([\w.-]+)\.ipynb::Cell (\d+)\s*$", re.M)


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def code_ids(nb):
    return [c["id"] for c in nb["cells"] if c["cell_type"] == "code"]


def executed_durations(folder):
    """(seconds, notebook name, code cell number) from notebooks executed by nbclient/nbconvert,
    which record each cell's start and end in ``metadata.execution`` (so one run gives both the
    executed notebooks and their times)."""
    found = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        nb = load(path)
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        for index, cell in enumerate(code):
            stamps = cell.get("metadata", {}).get("execution", {})
            start, end = stamps.get("iopub.execute_input"), stamps.get("shell.execute_reply")
            if not (start and end):
                raise SystemExit(f"{path.name}: code cell {index} has no execution times (was it executed?)")
            seconds = (_when(end) - _when(start)).total_seconds()
            found.append((seconds, path.stem, index))
    if not found:
        raise SystemExit(f"{folder}: no executed notebooks")
    return found


def _when(stamp):
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def record(mode, log=None, commit=None, machine=None, executed=None):
    """Durations from an nbval ``log`` (or a folder of ``executed`` notebooks) into TIMES[mode]
    (cells keyed by notebook and id)."""
    if executed:
        found = executed_durations(executed)
    else:
        text = Path(log).read_text(encoding="utf-8", errors="replace")
        found = DURATION.findall(text)
    if not found:
        raise SystemExit(f"{log}: no nbval durations (run with --durations=0, e.g. make {mode}-test)")
    cells = {}
    for seconds, name, index in found:
        if name not in cells:
            if executed:
                nb = load(Path(executed) / f"{name}.ipynb")
            elif commit:
                nb = json.loads(subprocess.run(["git", "show", f"{commit}:notebooks/{name}.ipynb"], cwd=ROOT,
                                               check=True, capture_output=True, text=True).stdout)
            else:
                nb = load(NOTEBOOKS / f"{name}.ipynb")
            cells[name] = {"ids": code_ids(nb), "seconds": {}}
        ids = cells[name]["ids"]
        cells[name]["seconds"][ids[int(index)]] = round(float(seconds), 2)
    if not executed and "durations < 0.005s hidden" in text:
        for c in cells.values():  # pytest hides durations under 5 ms: those cells took no time
            for cell_id in c["ids"]:
                c["seconds"].setdefault(cell_id, 0.0)
    times = load(TIMES) if TIMES.is_file() else {}
    times[mode] = {"date": datetime.date.today().isoformat(), "machine": machine or _machine(),
                   "command": f"make {mode}-test", "commit": commit or "working tree",
                   "cells": {name: c["seconds"] for name, c in sorted(cells.items())}}
    TIMES.write_text(json.dumps(times, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {sum(len(c['seconds']) for c in cells.values())} cells of {len(cells)} notebooks ({mode})")


def _machine():
    sys.path.insert(0, str(ROOT))
    import os

    from nst_helpers import cpu

    return f"{cpu.model()}, {os.cpu_count()} cores"


# -- rendering ------------------------------------------------------------------------------

WORDS = {
    "en": {"section": "⏱ *This section: {full} at full quality, {demo} in demo mode.*",
           "notebook": ("**Run time:** {full} at full quality, {demo} in demo mode (`NST_MODE=demo`), "
                        "measured {where}; fast mode (`NST_FAST=1`) runs it in under a minute. On a Colab GPU: not measured."),
           "one machine": "on a {machine} CPU ({date}; `make full-test`, `make demo-test`)",
           # two set-ups (the demo run capped to AVX2): said, or a demo slower than full quality puzzles (issue 31 F6)
           "two machines": ("at full quality on a {machine} CPU ({date}, `make full-test`) and in demo mode on a "
                            "{demo_machine} ({demo_date}, `make demo-test`)"),
           "seconds": "≈ {n} s", "minutes": "≈ {n} min", "half": "½", "unmeasured": "not measured yet",
           "plus": " (+ {n} new cell(s) not measured yet)"},
    "ko": {"section": "⏱ *이 절: 전체 품질에서 {full}, 데모 모드에서 {demo}.*",
           "notebook": ("**실행 시간:** 전체 품질에서 {full}, 데모 모드(`NST_MODE=demo`)에서 {demo}입니다. "
                        "{where} 빠른 모드(`NST_FAST=1`)에서는 1분이 채 걸리지 않습니다. Colab GPU에서는 측정하지 않았습니다."),
           "one machine": "{machine} CPU에서 측정했습니다({date}; `make full-test`, `make demo-test`).",
           "two machines": ("전체 품질은 {machine} CPU에서 {date}에 `make full-test`로, 데모 모드는 {demo_machine}에서 "
                            "{demo_date}에 `make demo-test`로 측정했습니다."),
           "seconds": "약 {n}초", "minutes": "약 {n}분", "half": "½", "unmeasured": "아직 측정하지 않음",
           "plus": " (아직 측정하지 않은 새 셀 {n}개 제외)"},
}


# The demo run's machine as `make demo-test` records it, in Korean words.
CAPPED = (" capped to AVX2 (ONEDNN_MAX_CPU_ISA=AVX2, float32), approximating a laptop CPU without AVX-512",
          "를 AVX2로 제한한 CPU(ONEDNN_MAX_CPU_ISA=AVX2, float32. AVX-512가 없는 노트북 컴퓨터 CPU에 가깝습니다)")


def machine_words(machine, lang="en"):
    """A recorded machine as the text says it; in Korean "2-core" → "2코어" (as README.ko.md says it)."""
    if lang != "ko":
        return machine
    return re.sub(r"\b(\d+)-core\b", r"\1코어", machine).replace(*CAPPED)


def duration(seconds, lang="en"):
    """Seconds as a reader wants them: 7 → "≈ 7 s", 43 → "≈ 45 s", 272 → "≈ 4½ min"."""
    w = WORDS[lang]
    if seconds < 15:
        return w["seconds"].format(n=max(1, round(seconds)))
    if seconds < 90:
        return w["seconds"].format(n=5 * round(seconds / 5))
    halves = round(seconds / 30)
    n = f"{halves // 2}{w['half'] if halves % 2 else ''}"
    return w["minutes"].format(n=n)


def sections(nb):
    """[(heading cell index or None for the whole notebook, [code cell ids])]."""
    out, whole, current = [], [], None
    for i, cell in enumerate(nb["cells"]):
        text = source(cell).lstrip()
        if cell["cell_type"] == "markdown" and text.startswith("## "):
            current = None if text.startswith(SKIP_SECTIONS) else (i, [])
            if current:
                out.append(current)
        elif cell["cell_type"] == "code":
            whole.append(cell["id"])
            if current:
                current[1].append(cell["id"])
    return [(None, whole)] + out


def seconds_of(times, mode, name, ids):
    """``(seconds, unmeasured)``: the measured seconds of code cells ``ids`` in ``mode`` and how
    many of them have no measurement yet (cells added since the last timing run: the text says
    so, nothing fails)."""
    cells = times.get(mode, {}).get("cells", {}).get(name, {})
    missing = [i for i in ids if i not in cells]
    return sum(cells[i] for i in ids if i in cells), len(missing)


def shown(measured, lang="en"):
    """A measured ``(seconds, unmeasured)`` as text: the duration, with how many cells it leaves
    out; "not measured yet" when nothing was measured."""
    seconds, unmeasured = measured
    w = WORDS[lang]
    if unmeasured and not seconds:
        return w["unmeasured"]
    text = duration(seconds, lang)
    return text + w["plus"].format(n=unmeasured) if unmeasured else text


def time_text(times, name, ids, lang="en", whole=False):
    full, demo = (shown(seconds_of(times, m, name, ids), lang) for m in ("full", "demo"))
    w = WORDS[lang]
    if whole:
        machine, demo_machine = (machine_words(times.get(m, {}).get("machine", ""), lang) for m in ("full", "demo"))
        two = demo_machine and demo_machine != machine
        where = w["two machines" if two else "one machine"].format(
            machine=machine, date=times["full"]["date"], demo_machine=demo_machine,
            demo_date=times.get("demo", {}).get("date", ""))
        return w["notebook"].format(full=full, demo=demo, where=where)
    return w["section"].format(full=full, demo=demo)


def time_texts(nb, name, times, lang):
    """{time cell id: its text in ``lang``} for the time cells of an English notebook (the Korean
    generator, ci/translate.py, writes these instead of translating them)."""
    plain = without_time_cells(nb["cells"])
    texts = {}
    for heading, ids in sections({**nb, "cells": plain}):
        at = 0 if heading is None else heading
        texts[f"{plain[at]['id']}-time"] = time_text(times, name, ids, lang, whole=heading is None)
    return texts


def without_time_cells(cells):
    """The cells, without the generated time cells (which are rewritten, never edited)."""
    return [c for c in cells if c.get("metadata", {}).get("nst") != MARK]


def without_times(text):
    """The README with its generated time column blanked: what a translation of it translates."""
    return re.sub(r"^(\| \d \| \[[^]]+\]\(notebooks/[\w-]+\.ipynb\) \|[^|]*\| )[^|]*\|$", r"\1|", text, flags=re.M)


def time_cell(cell_id, text):
    # The slide type is ci/slides_metadata.py's rule for a time cell: it stays on its heading's slide.
    return {"cell_type": "markdown", "id": cell_id, "metadata": {"nst": MARK, "slideshow": {"slide_type": "-"}},
            "source": text.splitlines(keepends=True)}


EXPECTED = re.compile(r'gallery\.expected\("(\w+)"(?:, full="[^"]*", demo="[^"]*")?\)')


def with_expected_times(cells, name, times):
    """Each ``gallery.expected("NAME")`` call with the measured times of the code cell before it."""
    out, before = [], None
    for cell in cells:
        if cell["cell_type"] == "code" and EXPECTED.search(source(cell)):
            if before is None:
                raise SystemExit(f"{name}: gallery.expected(...) in cell {cell['id']} has no code cell before it")
            full, demo = (shown(seconds_of(times, m, name, [before])) for m in ("full", "demo"))
            times_args = f'full="{full}", demo="{demo}"'
            text = EXPECTED.sub(lambda m, a=times_args: f'gallery.expected("{m.group(1)}", {a})', source(cell))
            cell = {**cell, "source": text.splitlines(keepends=True)}
        elif cell["cell_type"] == "code":
            before = cell["id"]
        out.append(cell)
    return out


def with_times(nb, name, times, lang="en"):
    """The notebook with its generated time cells (old ones removed, new ones written) and its
    ``gallery.expected`` calls carrying the times of the cell each one follows."""
    cells = without_time_cells(nb["cells"])
    cells = with_expected_times(cells, name, times)
    nb = {**nb, "cells": cells}
    inserts = []
    for heading, ids in sections(nb):
        at = 0 if heading is None else heading
        cell_id = f"{cells[at]['id']}-time"
        inserts.append((at + 1, time_cell(cell_id, time_text(times, name, ids, lang, whole=heading is None))))
    for at, cell in sorted(inserts, key=lambda x: -x[0]):
        cells.insert(at, cell)
    return nb


def readme_rows(text, times, lang="en"):
    """The README (or README.ko.md) with the last column of its notebook table rows rewritten from
    ``times``."""
    demo_word = {"en": "demo", "ko": "데모"}[lang]

    def row(match):
        name = match.group(2)
        nb = load(NOTEBOOKS / f"{name}.ipynb")
        ids = code_ids(nb)
        (full, n), (demo, _) = (seconds_of(times, m, name, ids) for m in ("full", "demo"))
        text = f"{duration(full, lang)} · {demo_word} {duration(demo, lang)}"
        return f"{match.group(1)}{text}{WORDS[lang]['plus'].format(n=n) if n else ''} |"
    return re.sub(r"^(\| \d \| \[[^]]+\]\(notebooks/(?:ko/)?([\w-]+)\.ipynb\) \|[^|]*\| )[^|]*\|$", row, text,
                  flags=re.M)


def apply(check=False):
    times = load(TIMES)
    changed = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = load(path)
        new = with_times(nb, path.stem, times)
        if new != nb:
            changed.append(str(path.relative_to(ROOT)))
            if not check:
                _write(path, new)
    for readme, lang in ((README, "en"), (README.with_name("README.ko.md"), "ko")):
        if not readme.is_file():
            continue
        text = readme.read_text(encoding="utf-8")
        new_text = readme_rows(text, times, lang)
        if new_text != text:
            changed.append(readme.name)
            if not check:
                readme.write_text(new_text, encoding="utf-8")
    if check and changed:
        print("out of date: " + ", ".join(changed) + " (run `python ci/section_times.py apply`)")
        return 1
    if changed and not check:
        subprocess.run([sys.executable, str(ROOT / "ci" / "slides_metadata.py")], check=True)
        subprocess.run([sys.executable, str(ROOT / "ci" / "translate.py"), "build"], check=True)
        print("rewrote " + ", ".join(changed) + " (and the Korean notebooks)")
    return 0


def _write(path, nb):
    Path(path).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python ci/section_times.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help="durations from an nbval log into docs/notebook-times.json")
    rec.add_argument("--mode", choices=("full", "demo"), required=True)
    source = rec.add_mutually_exclusive_group(required=True)
    source.add_argument("--log", help="the output of `make full-test` / `make demo-test` (nbval --durations=0)")
    source.add_argument("--executed", help="a folder of the notebooks executed by nbconvert (their cell times)")
    rec.add_argument("--commit", help="the commit the notebooks were run at (default: working tree)")
    rec.add_argument("--machine", help="CPU and cores (default: this machine's)")
    app = sub.add_parser("apply", help="rewrite the time cells and the README's time column")
    app.add_argument("--check", action="store_true", help="only say whether anything is out of date")
    args = parser.parse_args(argv)
    if args.command == "record":
        record(args.mode, args.log, args.commit, args.machine, args.executed)
        return 0
    return apply(args.check)


if __name__ == "__main__":
    sys.exit(main())
