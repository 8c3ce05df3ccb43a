"""What an ingest tells its caller: progress events while it runs, and the report at the end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..schemas.records import Failure


@dataclass
class StoredDocument:
    source_file: str
    document_id: str
    pages: int
    goals: int
    indicators: int
    activities: int
    warnings: int


@dataclass
class IngestReport:
    found: int = 0  # PDFs found under the paths given
    stored: list[StoredDocument] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # content already stored under this path
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, the path whose content it repeats)
    failures: list[Failure] = field(default_factory=list)  # files that could not be stored
    warnings: list[Failure] = field(default_factory=list)  # about parts of stored files
    links_updated: int = 0  # documents whose cross-year links were recomputed
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return sum(d.pages for d in self.stored)

    @property
    def ok(self) -> bool:
        return not self.failures


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C during an ingest: what was stored before it (each document whole) is in .report."""

    def __init__(self, report: IngestReport) -> None:
        super().__init__("interrupted")
        self.report = report


ProgressKind = Literal["counted", "pages", "file"]


@dataclass(frozen=True)
class Progress:
    """One event of a running ingest: the page totals counted, a chunk of pages read, or a file done."""

    done: int  # files done
    total: int  # files to do
    source_file: str
    pages: int
    ok: bool
    message: str
    pages_done: int = 0
    pages_total: int = 0
    kind: ProgressKind = "file"


ProgressCallback = Callable[[Progress], None]
