"""Seeded mutants of real PDFs: truncated, bytes flipped, ranges deleted, ranges duplicated."""

from __future__ import annotations

import random
from pathlib import Path

KINDS = ("truncated", "flipped", "deleted", "duplicated")


def mutate(data: bytes, kind: str, rng: random.Random) -> bytes:
    """One mutant of the bytes; every kind keeps the %PDF- header so that the readers, not the checks, see it."""
    out = bytearray(data)
    body = 16  # leave the header alone
    if kind == "truncated":
        return bytes(out[: rng.randrange(body, len(out))])
    if kind == "flipped":
        for _ in range(rng.randrange(1, 40)):
            out[rng.randrange(body, len(out))] = rng.randrange(256)
        return bytes(out)
    start = rng.randrange(body, len(out))
    end = min(len(out), start + rng.randrange(1, 4096))
    if kind == "deleted":
        return bytes(out[:start] + out[end:])
    return bytes(out[:end] + out[start:end] + out[end:])


def write_mutants(sources: dict[Path, int], folder: Path, seed: int = 15) -> list[Path]:
    """`count` mutants of each source PDF, the four kinds in turn, named after source, number and kind."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written = []
    for source, count in sources.items():
        data = source.read_bytes()
        for n in range(count):
            kind = KINDS[n % len(KINDS)]
            path = folder / f"{source.stem}-{n:03d}-{kind}.pdf"
            path.write_bytes(mutate(data, kind, rng))
            written.append(path)
    return written
