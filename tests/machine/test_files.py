"""nst_helpers.machine.files.replaced: a file is its old content or the whole new one, never half."""

import os
import stat

import pytest

from nst_helpers.machine.files import remove_stale_temporaries, replaced


def test_the_new_content_replaces_the_old_only_at_the_end(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("old", encoding="utf-8")
    with replaced(path, "w", encoding="utf-8") as file:
        file.write("new ü")
        file.flush()
        assert path.read_text(encoding="utf-8") == "old"  # not yet: still the old file
    assert path.read_text(encoding="utf-8") == "new ü"
    assert sorted(os.listdir(tmp_path)) == ["page.html"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_an_error_in_the_block_keeps_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "w.bin"
    path.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt):
        with replaced(path) as file:
            file.write(b"half")
            raise KeyboardInterrupt
    assert path.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["w.bin"]


def test_a_missing_folder_is_made(tmp_path):
    path = tmp_path / "a" / "b" / "c.bin"
    with replaced(path) as file:
        file.write(b"x")
    assert path.read_bytes() == b"x"


def test_only_a_new_file_is_written():
    with pytest.raises(ValueError, match="mode 'wb' or 'w'"):
        with replaced("x.bin", "ab"):
            pass


@pytest.mark.skipif(os.name != "posix", reason="process liveness by os.kill is POSIX")
def test_leftovers_of_dead_writers_go_those_of_live_ones_stay(tmp_path):
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    path = tmp_path / "out.png"
    gone = tmp_path / f".out.png.tmp-{dead.pid}-00aa11bb.png"
    alive = tmp_path / f".out.png.tmp-{os.getppid()}-00aa11bb.png"
    other = tmp_path / f".other.png.tmp-{dead.pid}-00aa11bb.png"  # another file's: not ours
    for p in (gone, alive, other):
        p.write_bytes(b"")
    remove_stale_temporaries(path)
    assert sorted(os.listdir(tmp_path)) == sorted([alive.name, other.name])
