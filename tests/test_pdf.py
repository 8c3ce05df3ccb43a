"""Reading PDFs into the page model: corpus files, and every kind of bad input."""

from __future__ import annotations

import re

import badfiles
import pytest
from conftest import CORPUS_FILES, needs_corpus

from malbild.extract.pdf import read_pdf
from malbild.schemas.errors import PdfError


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_pages_have_text_and_no_running_heads(corpus_docs, name):
    doc = corpus_docs[name]
    assert doc.page_count == len(doc.pages) > 0
    body = [line.text for page in doc.pages[1:] for line in page.lines]  # page 1 may print a letterhead
    assert body
    assert not any(text.startswith("stockholm.se") for text in body)
    assert not any(re.search(r"\bSid \d+ \(\d+\)", text) for text in body)


@needs_corpus
def test_page_furniture_is_kept_apart_not_lost(corpus_docs):
    first = corpus_docs["socialnamnden-vp-2017.pdf"].pages[0]
    assert any(line.text.startswith("Dnr: 1.3.1-585/2016") for line in first.furniture)
    assert any("Sid 1 (18)" in line.text for line in first.furniture)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (badfiles.not_a_pdf, "not a PDF"),
        (badfiles.empty_file, "empty file"),
        (badfiles.truncated_pdf, "truncated"),
        (badfiles.encrypted_pdf, "encrypted"),
        (badfiles.zero_page_pdf, "no pages"),
    ],
    ids=["not-a-pdf", "empty", "truncated", "encrypted", "zero-pages"],
)
def test_bad_input_raises_pdf_error_naming_file_and_reason(tmp_path, make, reason):
    if make is badfiles.truncated_pdf and not CORPUS_FILES:
        pytest.skip("needs the corpus")
    path = make(tmp_path / "dokument.pdf")
    with pytest.raises(PdfError) as exc:
        read_pdf(path)
    message = str(exc.value)
    assert str(path) in message
    assert reason in message
    assert "\n" not in message


def test_image_only_pdf_is_flagged_as_needing_ocr(tmp_path):
    doc = read_pdf(badfiles.image_only_pdf(tmp_path / "skannad.pdf", tmp_path))
    assert doc.page_count == 1
    assert not doc.has_text
    assert doc.needs_ocr


def test_unreadable_file_is_a_pdf_error(tmp_path):
    import os

    path = badfiles.text_pdf(tmp_path / "låst fil.pdf", ["Verksamhetsplan 2019"])
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        with pytest.raises(PdfError, match="permission denied"):
            read_pdf(path)
    finally:
        path.chmod(0o644)
