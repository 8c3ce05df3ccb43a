"""The printed originals of a diff's changes: each changed goal's heading and changed value's row, as small PNGs."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from ..extract.crops import REPORT_DPI, png_bytes, render_boxes, verified_source
from ..extract.where import Where
from ..load.queries import DocumentInfo, document_paths
from ..schemas.errors import MalbildError
from .diff import GoalDiff


@dataclass
class Crops:
    """PNG bytes by (document_id, box), and one line per document whose PDF could not be rendered."""

    images: dict[tuple[str, Where], bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def get(self, document_id: str, where: Where | None) -> bytes | None:
        return self.images.get((document_id, where)) if where is not None else None


def changed_boxes(diff: GoalDiff) -> tuple[list[Where], list[Where]]:
    """The boxes of every changed goal and changed indicator value: FROM's and TO's."""
    old: list[Where] = []
    new: list[Where] = []
    for change in diff.changes:
        if change.status == "unchanged":
            continue
        if change.from_goal and change.from_goal.where:
            old.append(change.from_goal.where)
        if change.to_goal and change.to_goal.where:
            new.append(change.to_goal.where)
    for ind in diff.indicator_changes:
        old += [ind.from_where] if ind.from_where else []
        new += [ind.to_where] if ind.to_where else []
    return old, new


def _render(con: duckdb.DuckDBPyConnection, doc: DocumentInfo, boxes: list[Where], crops: Crops) -> None:
    unique = list(dict.fromkeys(boxes))
    if not unique:
        return
    try:
        path = verified_source(document_paths(con, doc), doc.sha256)
        images = render_boxes(path, unique, dpi=REPORT_DPI)
    except MalbildError as exc:
        crops.problems.append(f"no pictures from {doc.name}: {exc}")
        return
    for where, image in zip(unique, images, strict=True):
        crops.images[(doc.document_id, where)] = png_bytes(image, grey=True)


def diff_crops(con: duckdb.DuckDBPyConnection, diff: GoalDiff) -> Crops:
    """Render the printed heading of each changed goal and the row of each changed value from both PDFs."""
    crops = Crops()
    old, new = changed_boxes(diff)
    _render(con, diff.from_doc, old, crops)
    _render(con, diff.to_doc, new, crops)
    return crops
