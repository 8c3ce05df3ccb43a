"""Imported once by the local pool's forkserver: what every worker needs, loaded before workers are forked.

The workers then share the PDF readers, the parsers and the spaCy pipelines copy-on-write instead of each
loading them (seconds and hundreds of MB per process). gc.freeze() keeps the collector from touching the
inherited objects, which would copy their pages into every worker.
"""

from __future__ import annotations

import gc
import logging

from . import tasks  # noqa: F401  (the stages, the readers)

log = logging.getLogger(__name__)


def warm() -> None:
    from ..normalize.entities import entity_pipeline
    from ..normalize.lemmas import tokenizer

    try:  # not the lemma table: an open SQLite connection must not cross a fork, and it opens in ~1 ms
        tokenizer()
        entity_pipeline()
    except Exception as exc:  # a worker then loads them itself, or reports what fails there
        log.warning("could not preload the spaCy pipelines: %s", exc)
    gc.collect()
    gc.freeze()


warm()
