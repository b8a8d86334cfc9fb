"""The notebooks' measured times: one file (docs/notebook-times.json), written into the notebooks'
time cells and the README's table by ci/section_times.py, so they cannot disagree."""

import json
from pathlib import Path

import pytest
from conftest import load_script

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.versionless


@pytest.fixture(scope="module")
def times():
    return load_script(ROOT / "ci" / "section_times.py")


def test_notebooks_and_readme_show_the_recorded_times(times, capsys):
    assert times.apply(check=True) == 0, capsys.readouterr().out


@pytest.mark.parametrize("seconds, text", [(0.4, "≈ 1 s"), (7.4, "≈ 7 s"), (43, "≈ 45 s"), (89, "≈ 90 s"),
                                           (90, "≈ 1½ min"), (272, "≈ 4½ min"), (301, "≈ 5 min"),
                                           (870, "≈ 14½ min")])
def test_durations_read_as_a_person_says_them(times, seconds, text):
    assert times.duration(seconds) == text


def test_record_maps_nbval_cell_numbers_to_code_cell_ids_and_sections_add_up(times, tmp_path, monkeypatch):
    nb = {"cells": [
        {"cell_type": "markdown", "id": "t", "metadata": {}, "source": "# 9 · Title"},
        {"cell_type": "code", "id": "a", "metadata": {}, "source": "1"},
        {"cell_type": "markdown", "id": "s1", "metadata": {}, "source": "## 9.1 One"},
        {"cell_type": "code", "id": "b", "metadata": {}, "source": "2"},
        {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "text"},
        {"cell_type": "code", "id": "c", "metadata": {}, "source": "3"},
        {"cell_type": "markdown", "id": "m2", "metadata": {}, "source": "look"},
        {"cell_type": "code", "id": "e", "metadata": {}, "source": 'gallery.expected("09_fig");  # what'},
        {"cell_type": "markdown", "id": "s2", "metadata": {}, "source": "## Summary"},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "09_x.ipynb").write_text(json.dumps(nb))
    monkeypatch.setattr(times, "NOTEBOOKS", tmp_path / "nb")
    monkeypatch.setattr(times, "TIMES", tmp_path / "times.json")
    for mode, scale in (("full", 10), ("demo", 1)):
        log = tmp_path / f"{mode}.log"
        log.write_text(f"{3.0 * scale:.2f}s call     notebooks/09_x.ipynb::Cell 2\n"
                       f"{1.0 * scale:.2f}s call     notebooks/09_x.ipynb::Cell 0\n"
                       f"{2.0 * scale:.2f}s call     notebooks/09_x.ipynb::Cell 1\n"
                       f"{0.1 * scale:.2f}s call     notebooks/09_x.ipynb::Cell 3\n")
        times.record(mode, log, machine="Test CPU, 2 cores")
    recorded = json.loads((tmp_path / "times.json").read_text())
    assert recorded["full"]["cells"]["09_x"] == {"a": 10.0, "b": 20.0, "c": 30.0, "e": 1.0}
    out = times.with_times(nb, "09_x", recorded)
    ids = [c["id"] for c in out["cells"]]
    assert ids == ["t", "t-time", "a", "s1", "s1-time", "b", "m", "c", "m2", "e", "s2"]
    whole, section = ("".join(out["cells"][i]["source"]) for i in (1, 4))
    assert "≈ 60 s at full quality, ≈ 6 s in demo mode" in whole and "Test CPU, 2 cores" in whole
    assert section == "⏱ *This section: ≈ 50 s at full quality, ≈ 5 s in demo mode.*"
    # the expected-output call carries the times of the code cell before it ("c": 30 s and 3 s)
    assert "".join(out["cells"][9]["source"]) == 'gallery.expected("09_fig", full="≈ 30 s", demo="≈ 3 s");  # what'
    # Applying twice changes nothing; a new code cell without a time is left out of its section's
    # and the notebook's times, which say so (a new cell never fails the suite for lack of a
    # timing run); a cell with no measured time at all reads "not measured yet".
    assert times.with_times(out, "09_x", recorded) == out
    nb["cells"].insert(6, {"cell_type": "code", "id": "new", "metadata": {}, "source": "4"})  # section 9.1
    new = times.with_times(nb, "09_x", recorded)
    texts = ["".join(c["source"]) for c in new["cells"] if c["id"].endswith("-time")]
    assert ("≈ 60 s (+ 1 new cell(s) not measured yet) at full quality, "
            "≈ 6 s (+ 1 new cell(s) not measured yet) in demo mode") in texts[0]
    assert texts[1] == ("⏱ *This section: ≈ 50 s (+ 1 new cell(s) not measured yet) at full quality, "
                        "≈ 5 s (+ 1 new cell(s) not measured yet) in demo mode.*")
    assert times.shown((0, 2)) == "not measured yet" and times.shown((7.4, 0)) == "≈ 7 s"


def test_record_reads_cell_times_from_notebooks_executed_by_nbconvert(times, tmp_path, monkeypatch):
    def code(cell_id, start, end):
        return {"cell_type": "code", "id": cell_id, "source": "1", "outputs": [], "execution_count": 1,
                "metadata": {"execution": {"iopub.execute_input": start, "shell.execute_reply": end}}}
    nb = {"cells": [{"cell_type": "markdown", "id": "t", "metadata": {}, "source": "# 9 · T"},
                    code("a", "2026-11-30T08:00:00.000000Z", "2026-11-30T08:00:01.500000Z"),
                    code("b", "2026-11-30T08:00:02.000000Z", "2026-11-30T08:01:04.250000Z")],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "09_x.ipynb").write_text(json.dumps(nb))
    monkeypatch.setattr(times, "TIMES", tmp_path / "times.json")
    times.record("demo", executed=tmp_path / "run", machine="Test CPU")
    assert json.loads((tmp_path / "times.json").read_text())["demo"]["cells"]["09_x"] == {"a": 1.5, "b": 62.25}
    del nb["cells"][2]["metadata"]["execution"]
    (tmp_path / "run" / "09_x.ipynb").write_text(json.dumps(nb))
    with pytest.raises(SystemExit, match="code cell 1 has no execution times"):
        times.record("demo", executed=tmp_path / "run")


def test_cells_pytest_hides_as_too_short_count_as_no_time(times, tmp_path, monkeypatch):
    """pytest lists no duration under 5 ms ("… durations < 0.005s hidden"): those cells took ~0 s;
    without that line a cell missing from the log stays missing (apply then names it)."""
    nb = {"cells": [{"cell_type": "code", "id": i, "metadata": {}, "source": "1"} for i in ("a", "b")],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "09_x.ipynb").write_text(json.dumps(nb))
    monkeypatch.setattr(times, "NOTEBOOKS", tmp_path / "nb")
    monkeypatch.setattr(times, "TIMES", tmp_path / "times.json")
    log = tmp_path / "full.log"
    log.write_text("2.50s call     notebooks/09_x.ipynb::Cell 1\n")
    times.record("full", log, machine="m")
    assert json.loads((tmp_path / "times.json").read_text())["full"]["cells"]["09_x"] == {"b": 2.5}
    log.write_text("2.50s call     notebooks/09_x.ipynb::Cell 1\n\n(3 durations < 0.005s hidden.  Use -vv to show these durations.)\n")
    times.record("full", log, machine="m")
    assert json.loads((tmp_path / "times.json").read_text())["full"]["cells"]["09_x"] == {"a": 0.0, "b": 2.5}


def test_a_notebook_says_where_each_mode_was_measured(times):
    # Demo mode measured with the CPU capped to AVX2 can take longer than full quality (notebook 1: 12 s
    # against 9 s, issue 31 F6): the line names both set-ups; one set-up is named once.
    cells = {"a": 9.0}
    same = {"full": {"machine": "CPU X", "date": "d1", "cells": {"nb": cells}},
            "demo": {"machine": "CPU X", "date": "d2", "cells": {"nb": {"a": 12.0}}}}
    text = times.time_text(same, "nb", ["a"], whole=True)
    assert "measured on a CPU X CPU (d1;" in text and "demo mode on" not in text
    capped = {**same, "demo": {**same["demo"], "machine": "CPU X capped to AVX2"}}
    text = times.time_text(capped, "nb", ["a"], whole=True)
    assert "at full quality on a CPU X CPU (d1, `make full-test`)" in text
    assert "in demo mode on a CPU X capped to AVX2 (d2, `make demo-test`)" in text
    ko = times.time_text(capped, "nb", ["a"], lang="ko", whole=True)
    assert "데모 모드는 CPU X capped to AVX2에서 d2에" in ko and "전체 품질은 CPU X CPU에서 d1에" in ko
