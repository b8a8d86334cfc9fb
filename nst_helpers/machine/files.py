"""Files that are replaced whole: the one way the package writes a file someone may be reading.

A run's picture that a viewer reloads, the class gallery's page, the precision cache, a
downloaded weights file: each must be, at every moment, either its old content (or absent) or the
complete new one, even if the process is killed mid-write. :func:`replaced` gives that:

    with replaced("out.png") as file:      # a temporary file beside out.png, opened "wb"
        picture.save(file, format="PNG")
    # here out.png is the whole new picture

The data goes to ``.NAME.tmp-PID-XXXX.SUFFIX`` in the same folder, is flushed to disk, then
renamed over ``NAME`` (``os.replace``: atomic within one folder). An error or Ctrl-C inside the
block removes the temporary file and leaves ``NAME`` untouched. A kill can leave a temporary file
behind; the next write of the same name removes those of processes that no longer run.
"""

import contextlib
import os
import secrets
import time
from pathlib import Path


@contextlib.contextmanager
def replaced(path, mode="wb", encoding=None, permissions=0o644):
    """Open a temporary file beside ``path`` for writing; on leaving the block without an error,
    it becomes ``path`` atomically. Yields the open file (``mode`` "wb" or "w"; ``encoding`` for
    text). ``permissions``: the new file's mode bits (the default: readable by everyone, as a
    picture or page is meant to be)."""
    if mode not in ("wb", "w"):
        raise ValueError(f"replaced writes a new file: mode 'wb' or 'w', not {mode!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    temporary = path.with_name(f"{_prefix(path)}{os.getpid()}-{secrets.token_hex(4)}{path.suffix}")
    try:
        with open(temporary, mode, encoding=encoding if mode == "w" else None) as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, permissions)
        os.replace(temporary, path)
    except BaseException:  # Ctrl-C included: never leave our own temporary file behind
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _sync_folder(path.parent)


def _prefix(path):
    return f".{path.name}.tmp-"


def remove_stale_temporaries(path):
    """Delete temporary files of ``path`` left by killed writers (their process is gone)."""
    prefix = _prefix(path)
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:  # not glob: a name may hold [ or *
        if not (name.startswith(prefix) and name.endswith(path.suffix)):
            continue
        leftover = path.parent / name
        pid = name[len(prefix):len(name) - len(path.suffix)].split("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _process_exists(int(pid), leftover):
            with contextlib.suppress(OSError):  # another run removed it first, or read-only
                leftover.unlink()


def _process_exists(pid, leftover):
    if os.name != "posix":
        # No portable liveness check without extra packages (os.kill would terminate the
        # process on Windows): there, a leftover is stale once it is an hour old.
        try:
            return time.time() - leftover.stat().st_mtime < 3600
        except OSError:
            return False  # already gone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return True


def _sync_folder(folder):
    """The rename reaches the disk only with the folder's entry (POSIX); some file systems cannot
    sync a folder, and the file itself is complete either way."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
