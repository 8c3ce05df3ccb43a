"""Errors that name bad input, one class per pipeline stage; anything else is a bug."""

from __future__ import annotations

from .terms import Stage


class MalbildError(Exception):
    """Base of every error caused by the input rather than by malbild itself."""

    stage: Stage = "unknown"


class PdfError(MalbildError):
    """The file cannot be read as a PDF (not a PDF, encrypted, truncated, empty, no text)."""

    stage: Stage = "open"


class RecordInvalid(MalbildError):
    """A record failed validation; keeps the page so the failure can be reported."""

    stage: Stage = "validate"

    def __init__(self, message: str, page: int | None = None, record_type: str | None = None):
        super().__init__(message)
        self.page = page
        self.record_type = record_type


class StoreError(MalbildError):
    stage: Stage = "load"


class DatabaseInUse(StoreError):
    """Another process holds the database's write lock."""
