"""Downloads that fail fast and never leave half a file behind."""

import hashlib
import urllib.request
from pathlib import Path

from .deadline import call_with_deadline
from .files import replaced

CONNECT_TIMEOUT_S = 4.0


def md5sum(path, chunk=1 << 20):
    """Hex MD5 of a file (Keras publishes its weights' hashes as MD5)."""
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()


def _open_url(url, timeout):
    """urlopen with a deadline that also covers the DNS lookup (``timeout=`` does not)."""
    try:
        return call_with_deadline(lambda: urllib.request.urlopen(url, timeout=timeout), timeout, "nst-download")
    except TimeoutError:
        raise TimeoutError(f"no answer from {url.split('/')[2]} within {timeout:.0f} s") from None


def fetch(url, target, *, md5=None, timeout=CONNECT_TIMEOUT_S, progress=True):
    """Download ``url`` to ``target``; check ``md5`` when given. Returns ``target`` as a Path.

    Raises ``OSError``/``ValueError`` on failure; the target appears only once complete and
    verified (the data goes to a temporary file that is renamed at the end).
    """
    from tqdm.auto import tqdm

    target = Path(target)
    response = _open_url(url, timeout)
    target.parent.mkdir(parents=True, exist_ok=True)
    total = int(response.headers.get("Content-Length") or 0) or None
    with replaced(target) as out, response, tqdm(
        total=total, unit="B", unit_scale=True, desc=target.name, disable=not progress
    ) as bar:
        digest = hashlib.md5()
        for block in iter(lambda: response.read(1 << 20), b""):
            out.write(block)
            digest.update(block)
            bar.update(len(block))
        if md5 is not None and digest.hexdigest() != md5:  # raised inside: the file is not kept
            raise ValueError(f"{target.name} has MD5 {digest.hexdigest()}, expected {md5}: not saved")
    return target
