"""Give every notebook cell its slide type, by one rule, so `make slides` turns each notebook into
a reveal.js deck with one idea per slide:

* the title cell, every ``##`` section and every ``### Exercise`` start a new slide;
* other text starts a sub-slide under the current one (one idea each);
* code continues the slide of the text above it (the figure stays with its explanation), except
  the first code cell after an exercise's check, which starts a sub-slide (the answer gets its own);
* the setup cell and the hidden solutions are skipped;
* a measured-time cell (``ci/section_times.py``) stays on its heading's slide.

Run ``python ci/slides_metadata.py`` after editing a notebook (``tests/test_notebooks.py`` checks
that every cell follows the rule).
"""

import json
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def slide_type(index, cell, previous=None):
    text = "".join(cell["source"]).lstrip()
    if cell.get("metadata", {}).get("nst") == "time":
        return "-"  # a measured time (ci/section_times.py) stays on the slide of its heading
    if index == 0 or text.startswith(("## ", "### Exercise")):
        return "slide"
    if text.startswith("# Setup") or "<summary><b>Solution</b>" in text:
        return "skip"
    if cell["cell_type"] == "markdown":
        return "subslide"
    before = "".join(previous["source"]) if previous else ""
    if previous is not None and previous["cell_type"] == "code" and "checks.check_" in before:
        return "subslide"
    return "-"


def main(paths):
    for path in paths or sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = json.loads(Path(path).read_text())
        for i, cell in enumerate(nb["cells"]):
            previous = nb["cells"][i - 1] if i else None
            cell.setdefault("metadata", {})["slideshow"] = {"slide_type": slide_type(i, cell, previous)}
        Path(path).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
