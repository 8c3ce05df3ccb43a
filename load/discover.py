"""Find the PDFs a batch is about: files as given, folders searched; nothing is opened that is not a regular file."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..extract.files import file_type
from ..schemas.errors import MalbildError
from ..schemas.records import Failure


class NoSuchPath(MalbildError):
    """A path given to ingest does not exist (a usage error: nothing is done)."""

    stage = "open"


@dataclass
class Found:
    files: list[Path] = field(default_factory=list)  # to inspect and ingest
    refused: list[Failure] = field(default_factory=list)  # named like a PDF but not a regular file


def _refusal(path: Path, reason: str) -> Failure:
    return Failure(source_file=str(path), stage="open", message=f"{path}: {reason}")


def _classify(path: Path) -> str | None:
    """None for a regular file (or a link to one), else why the path cannot be ingested as a file."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if isinstance(exc, FileNotFoundError):
            return "broken symbolic link" if path.is_symlink() else "no such file"
        return f"cannot be read ({exc.strerror or exc})"
    return None if stat.S_ISREG(mode) else f"not a regular file ({file_type(mode)})"


def _walk(folder: Path, found: Found) -> None:
    """Every *.pdf under the folder (links to folders are not followed, so a link loop cannot trap the walk)."""

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        found.refused.append(_refusal(where, f"folder cannot be read ({exc.strerror or exc})"))

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs.sort()
        base = Path(root)
        for name in sorted(names + [d for d in dirs if (base / d).is_symlink()]):
            path = base / name
            if path.suffix.lower() != ".pdf":
                continue
            reason = _classify(path)
            if reason is None:
                found.files.append(path)
            elif not (path.is_dir() and not path.is_symlink()):
                found.refused.append(_refusal(path, reason))


def collect_pdfs(paths: Iterable[str | Path]) -> Found:
    """Files as given, folders searched recursively for *.pdf; a path that does not exist raises NoSuchPath."""
    given = [Path(p) for p in paths]
    missing = [p for p in given if not os.path.lexists(p)]
    if missing:
        raise NoSuchPath(f"{missing[0]}: no such file or folder")
    found = Found()
    for path in given:
        if path.is_dir():
            _walk(path, found)
        elif (reason := _classify(path)) is None:
            found.files.append(path)
        else:
            found.refused.append(_refusal(path, reason))
    found.files = list(dict.fromkeys(found.files))
    return found
