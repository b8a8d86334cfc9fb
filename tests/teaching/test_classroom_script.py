"""The class gallery page's sort buttons (``classroom.SCRIPT``), run in Node.js against a stand-in for
the page's DOM: numbers ascending then descending, a card without the value last, ties in file order
(in a real browser: test_classroom_browser.py)."""

import json
import shutil
import subprocess

import pytest

from nst_helpers import classroom

NODE = shutil.which("node")
DOM = """
function card(attrs) {
  return { attrs: attrs, getAttribute: function (k) { return k in this.attrs ? this.attrs[k] : null; } };
}
var sheet = { children: CARDS.map(card), appendChild: function (c) {
  this.children.splice(this.children.indexOf(c), 1); this.children.push(c); } };
var buttons = BUTTONS.map(function (b) { return { dataset: b, attrs: {}, handlers: [],
  getAttribute: function (k) { return this.attrs[k] || null; },
  setAttribute: function (k, v) { this.attrs[k] = v; },
  addEventListener: function (e, f) { this.handlers.push(f); } }; });
var document = { getElementById: function () { return sheet; }, querySelectorAll: function () { return buttons; } };
"""


@pytest.mark.skipif(NODE is None, reason="sorting the page's cards runs its script in Node.js (apt-get install nodejs)")
def test_the_pages_script_sorts_the_cards(tmp_path):
    cards = [{"data-order": "0", "data-style": "starry_night", "data-style-weight": "0.01"},
             {"data-order": "1", "data-style": "hubble", "data-style-weight": "1"},
             {"data-order": "2", "data-style": "the_scream", "data-style-weight": ""},
             {"data-order": "3", "data-style": "hubble", "data-style-weight": "0.001"}]
    buttons = [{"key": "style-weight", "type": "number"}, {"key": "style", "type": "text"}]
    script = (f"var CARDS = {json.dumps(cards)}, BUTTONS = {json.dumps(buttons)};" + DOM + classroom.SCRIPT
              + """
function order() { return sheet.children.map(function (c) { return c.attrs["data-order"]; }).join(""); }
var out = [];
buttons[0].handlers[0](); out.push(order());
buttons[0].handlers[0](); out.push(order());
buttons[1].handlers[0](); out.push(order());
console.log(out.join(" "));
""")
    (tmp_path / "sort.js").write_text(script)
    r = subprocess.run([NODE, tmp_path / "sort.js"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    # β ascending, then descending on a second click, a card without β last both times; by
    # painting, ties in file order
    assert r.stdout.split() == ["3012", "1032", "1302"]
