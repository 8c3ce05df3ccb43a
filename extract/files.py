"""Checks on a file before any PDF library sees it: a regular, readable, non-empty file with a PDF header."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..schemas.errors import PdfError

PDF_MAGIC = b"%PDF-"
# The header may follow some junk; readers accept it within the first KiB.
HEAD_BYTES = 1024
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class FileFacts:
    """What the checks found: the file's size and content hash."""

    path: Path
    size: int
    sha256: str


def file_type(mode: int) -> str:
    """A file mode's type in words, for the reason a file is refused."""
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _open_error(path: Path, exc: OSError) -> PdfError:
    if exc.errno == errno.ELOOP:
        return PdfError(f"{path}: symbolic link loop")
    if isinstance(exc, FileNotFoundError):
        return PdfError(f"{path}: {'broken symbolic link' if path.is_symlink() else 'no such file'}")
    if isinstance(exc, PermissionError):
        return PdfError(f"{path}: cannot be read (permission denied)")
    if exc.errno == errno.ENXIO:  # a socket, or a device without a driver
        return PdfError(f"{path}: not a regular file")
    return PdfError(f"{path}: cannot be read ({exc.strerror or exc})")


def _open_regular(path: Path) -> int:
    """A descriptor of the file, opened without blocking (a FIFO named x.pdf must not hang) and checked to be a
    regular file on the descriptor itself, so the file cannot be swapped between the check and the read."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _open_error(path, exc) from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise PdfError(f"{path}: not a regular file ({file_type(mode)})")
    return fd


def _hash_rest(fh: BinaryIO, digest: Any) -> int:
    """Feed the rest of an open file to ``digest``; the number of bytes read."""
    size = 0
    while chunk := fh.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    return size


def inspect_pdf_file(path: str | Path) -> FileFacts:
    """Check the file and hash its content; PdfError names the reason a file is refused."""
    path = Path(path)
    fd = _open_regular(path)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "rb") as fh:
            head = fh.read(HEAD_BYTES)
            if not head:
                raise PdfError(f"{path}: empty file")
            if PDF_MAGIC not in head:
                raise PdfError(f"{path}: not a PDF (no %PDF- header)")
            digest.update(head)
            size = len(head) + _hash_rest(fh, digest)
    except OSError as exc:
        raise _open_error(path, exc) from exc
    return FileFacts(path, size, digest.hexdigest())


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        _hash_rest(fh, digest)
    return digest.hexdigest()
