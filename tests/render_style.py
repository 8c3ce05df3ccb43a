"""Render styles: the named STYLES and a seeded random style generator over every visual axis.

    from render_style import random_style, describe, axes, with_extras
    style = random_style(7)          # the same style for the same seed, on every run
    print(describe(style))           # one line: the axis values drawn
    spec = with_extras(gold, style)  # the gold plus the style's generated "other" tables (their gold too)

A random style draws fonts (DejaVu Sans/Serif/Mono/Condensed, Liberation if installed, the base-14 fonts) and
sizes, page size and orientation, margins, table column widths (narrow enough to wrap headers over several lines),
header alignment and shading, zebra rows, rules, goal label placement and heading look, page furniture
placement and wording, repeated table headers, row splits at page breaks, one- or two-column tables of contents,
spacing, and extra generic tables (a list of units with addresses and phone numbers over several pages).
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, fields, replace
from pathlib import Path

from reportlab.lib.pagesizes import A3, A4, LETTER

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SYSTEM_FONTS = Path("/usr/share/fonts")
BASE14 = {"Helvetica", "Helvetica-Bold", "Times-Roman", "Times-Bold", "Courier", "Courier-Bold"}


@dataclass(frozen=True)
class RenderStyle:
    """Every visual parameter of a rendering.  Sizes in points, y measured from the page top."""

    name: str = "ruled"
    regular_font: str = "DejaVuSans.ttf"  # a TTF under FONT_DIR, an absolute path, or a base-14 font name
    bold_font: str = "DejaVuSans-Bold.ttf"
    fallback_regular: str = "Helvetica"
    fallback_bold: str = "Helvetica-Bold"
    symbol_font: str | None = "DejaVuSans.ttf"  # for glyphs the main font lacks; None: drop them
    heading_font: str | None = None  # goal headings and level labels; None: the body fonts
    heading_bold_font: str | None = None
    page_width: float = A4[0]
    page_height: float = A4[1]
    margin_left: float = 71.0
    margin_right: float = 60.0
    content_top: float = 84.0
    content_bottom: float = 785.0
    # text sizes
    body_size: float = 11.0
    leading: float = 1.24  # line distance as a multiple of the font size
    para_gap: float = 6.0
    title_size: float = 18.0
    decision_heading_size: float = 14.0
    part_heading_size: float = 14.0  # "Inledning", "Uppföljning av ekonomi", ...
    toc_heading_size: float = 12.0
    label_size: float = 9.0
    goal_sizes: tuple = (("inriktningsmal", 15.0), ("kf_mal", 13.0), ("namndmal", 12.0), ("enhetsmal", 12.0))
    section_size: float = 11.0
    assessment_size: float = 10.0
    indicator_size: float = 8.0
    activity_size: float = 9.0
    table_size: float = 9.0
    table_leading: float = 1.22
    # goal headings
    goal_bold: bool = True
    label_placement: str = "above"  # "above": the level label on its own line; "inline": on the heading's line
    label_bold: bool = True
    goal_gap: float = 26.0  # space before a goal heading
    section_gap: float = 10.0  # space before a section heading
    # tables
    table_rules: bool = True
    table_shading: bool = True  # header cells filled
    shade_cells: bool = True  # True: one filled rect per header cell; False: one band over the whole header
    vertical_rules: bool = True
    outer_rules: bool = True  # with table_rules and not vertical_rules: the table's left and right sides
    row_padding: float = 3.0
    cell_padding: float = 4.0
    rule_gray: float = 0.5
    shade_gray: float = 0.85
    zebra: bool = False  # every second body row filled
    zebra_gray: float = 0.93
    header_valign: str = "top"  # header cell text: "top" | "middle" | "bottom"
    header_halign: str = "left"  # header cell text: "left" | "center" | "right"
    body_halign: str = "left"  # body cells after the first column
    column_cap: float | None = None  # width cap of the narrow columns; None: the table's default
    column_slack: float = 0.0  # extra width of each narrow column over its longest word (with column_cap)
    repeat_header: bool = True  # the header row again on every continuation page
    split_rows: bool = True  # a row that does not fit is split at the page bottom (else moved whole)
    toc_columns: int = 1
    # page furniture
    head_size: float = 9.0
    head_org: str | None = None  # None: derived from the document's organisation/district
    head_second: str | None = "auto"  # "auto": the unit, else "Tjänsteutlåtande"; None: no line
    dnr_in_head: bool = True
    date_in_head: bool = False
    head_pos: str = "top"  # where the running head (organisation, second line, dnr) stands: "top" | "bottom"
    page_label: str = "Sid {n} ({m})"
    page_label_pos: str = "top-right"  # "top-right" | "top-left" | "bottom-right" | "bottom-center" | "bottom-left"
    footer_text: str = "stockholm.se"
    footer_size: float = 8.0
    footer_line: str | None = None  # an extra footer line (bottom left, above footer_text)
    head_top: float = 28.0  # top of the first running-head line
    foot_bottom: float = 36.0  # distance from the page bottom to the top of the last footer line
    # extra generic tables (issue 16.1): a generated list of units, added to the spec by with_extras()
    extra_rows: int = 0  # 0: none
    extra_under_goal: bool = False  # under a goal (the document's middle one) or after the goals
    extra_seed: int = 0
    # the first page
    front_layout: str = "labels"  # "labels": Handläggare/Till/Datum, then the title; "title-first"; "right"
    front_colon: bool = False  # "Till:" rather than "Till"

    def goal_size(self, level: str) -> float:
        return dict(self.goal_sizes).get(level, self.section_size + 1)

    @property
    def content_width(self) -> float:
        return self.page_width - self.margin_left - self.margin_right


_RULED = RenderStyle()
STYLES: dict[str, RenderStyle] = {
    "ruled": _RULED,
    "borderless": replace(
        _RULED, name="borderless", table_rules=False, table_shading=False, vertical_rules=False, row_padding=3.0
    ),
    "borderless-tight": replace(
        _RULED, name="borderless-tight", table_rules=False, table_shading=False, vertical_rules=False, row_padding=0.0
    ),
    "serif": replace(
        _RULED,
        name="serif",
        regular_font="DejaVuSerif.ttf",
        bold_font="DejaVuSerif-Bold.ttf",
        fallback_regular="Times-Roman",
        fallback_bold="Times-Bold",
        margin_left=60.0,
        margin_right=55.0,
        content_top=80.0,
        body_size=10.5,
        title_size=20.0,
        goal_sizes=(("inriktningsmal", 14.0), ("kf_mal", 12.5), ("namndmal", 11.5), ("enhetsmal", 11.0)),
        section_size=10.5,
        indicator_size=8.5,
        activity_size=8.5,
        table_size=8.5,
        vertical_rules=False,
    ),
    "other-furniture": replace(
        _RULED,
        name="other-furniture",
        table_rules=False,
        table_shading=False,
        vertical_rules=False,
        row_padding=2.5,
        head_org="Stadsdelsförvaltningen Norr",
        head_second=None,
        dnr_in_head=False,
        content_top=66.0,
        page_label="Sida {n} av {m}",
        page_label_pos="bottom-right",
        footer_text="",
        footer_line="Verksamhetsplan 2019 – Exempelnämnden",
        goal_sizes=(("inriktningsmal", 14.0), ("kf_mal", 13.0), ("namndmal", 12.0), ("enhetsmal", 12.0)),
    ),
    "mono-narrow": replace(
        _RULED,
        name="mono-narrow",
        regular_font="DejaVuSansMono.ttf",
        bold_font="DejaVuSansMono-Bold.ttf",
        fallback_regular="Courier",
        fallback_bold="Courier-Bold",
        margin_left=45.0,
        margin_right=40.0,
        body_size=10.0,
        indicator_size=7.5,
        activity_size=8.0,
        table_size=8.0,
        goal_sizes=(("inriktningsmal", 14.0), ("kf_mal", 12.0), ("namndmal", 11.0), ("enhetsmal", 11.0)),
        section_size=10.0,
    ),
    "condensed": replace(
        _RULED,
        name="condensed",
        regular_font="DejaVuSansCondensed.ttf",
        bold_font="DejaVuSansCondensed-Bold.ttf",
        body_size=10.0,
        leading=1.3,
        indicator_size=8.0,
        activity_size=8.5,
        section_size=10.0,
        row_padding=2.0,
        goal_sizes=(("inriktningsmal", 14.0), ("kf_mal", 13.0), ("namndmal", 12.0), ("enhetsmal", 11.5)),
    ),
}


def get_style(style: RenderStyle | str) -> RenderStyle:
    if isinstance(style, RenderStyle):
        return style
    try:
        return STYLES[style]
    except KeyError:
        raise ValueError(f"unknown style {style!r}; known: {', '.join(STYLES)}") from None


# --------------------------------------------------------------------------------------------
# the random style generator

# (axis value, regular, bold); Liberation only where installed (it is not everywhere)
_FAMILIES: list[tuple[str, str, str]] = [
    ("DejaVuSans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("DejaVuSerif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ("DejaVuSansMono", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
    ("DejaVuSansCondensed", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    ("DejaVuSerifCondensed", "DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf"),
    ("Helvetica", "Helvetica", "Helvetica-Bold"),
    ("Times", "Times-Roman", "Times-Bold"),
    ("Courier", "Courier", "Courier-Bold"),
]


def _liberation() -> list[tuple[str, str, str]]:
    out = []
    for kind in ("Sans", "Serif", "Mono", "SansNarrow"):
        reg = sorted(SYSTEM_FONTS.rglob(f"Liberation{kind}-Regular.ttf"))
        bold = sorted(SYSTEM_FONTS.rglob(f"Liberation{kind}-Bold.ttf"))
        if reg and bold:
            out.append((f"Liberation{kind}", str(reg[0]), str(bold[0])))
    return out


FAMILIES = _FAMILIES + (_liberation() if SYSTEM_FONTS.is_dir() else [])
PAGE_SIZES = {"A4": A4, "Letter": LETTER, "A3": A3}
PAGE_LABELS = ["Sid {n} ({m})", "Sida {n} av {m}", "{n}/{m}", "{n} ({m})", "Sida {n}"]
LEVELS = ("inriktningsmal", "kf_mal", "namndmal", "enhetsmal")


def _family(name: str) -> tuple[str, str, str]:
    return next(f for f in FAMILIES if f[0] == name)


def _half(rng: random.Random, lo: float, hi: float) -> float:
    """A value in [lo, hi] on a half-point grid."""
    return rng.randint(round(lo * 2), round(hi * 2)) / 2


def _page(rng: random.Random) -> dict:
    size = rng.choice(sorted(PAGE_SIZES))
    w, h = PAGE_SIZES[size]
    if rng.random() < 0.3:
        w, h = h, w
    return {"page_width": w, "page_height": h}


def _fonts(rng: random.Random) -> dict:
    body = rng.choice(FAMILIES)
    head = body if rng.random() < 0.5 else rng.choice(FAMILIES)
    out = {"regular_font": body[1], "bold_font": body[2], "heading_font": head[1], "heading_bold_font": head[2]}
    out["body_size"] = _half(rng, 9, 12)
    out["leading"] = rng.choice([1.15, 1.2, 1.24, 1.3, 1.4])
    out["para_gap"] = float(rng.randint(3, 10))
    out["title_size"] = _half(rng, 16, 24)
    out["part_heading_size"] = _half(rng, 12, 16)
    out["section_size"] = out["body_size"] + rng.choice([0.0, 0.5, 1.0])
    out["assessment_size"] = _half(rng, 9, 11)
    out["indicator_size"] = _half(rng, 7, 9.5)
    out["activity_size"] = _half(rng, 7.5, 10)
    out["table_size"] = _half(rng, 7.5, 10)
    out["table_leading"] = rng.choice([1.12, 1.18, 1.22, 1.3])
    return out


def _goal_look(rng: random.Random, body_size: float) -> dict:
    top = _half(rng, 12, 17)
    step = rng.choice([0.0, 0.5, 1.0, 1.5])
    bold = rng.random() < 0.7
    low = body_size + (0.5 if bold else 1.5)
    sizes = tuple((lv, max(low, top - i * step)) for i, lv in enumerate(LEVELS))
    return {
        "goal_sizes": sizes,
        "goal_bold": bold,
        "label_placement": rng.choice(["above", "inline"]),
        "label_bold": rng.random() < 0.7,
        "label_size": _half(rng, 8, 10),
        "goal_gap": float(rng.randint(14, 34)),
        "section_gap": float(rng.randint(6, 14)),
    }


def _table_look(rng: random.Random) -> dict:
    rules = rng.choice(["none", "horizontal", "frame", "all"])
    shading = rng.choice(["none", "cells", "band"])
    narrow = rng.random() < 0.5
    return {
        "table_rules": rules != "none",
        "vertical_rules": rules == "all",
        "outer_rules": rules in ("frame", "all"),
        "table_shading": shading != "none",
        "shade_cells": shading == "cells",
        "shade_gray": rng.choice([0.75, 0.8, 0.85, 0.9]),
        "rule_gray": rng.choice([0.0, 0.3, 0.5, 0.7]),
        "zebra": rng.random() < 0.35,
        "zebra_gray": rng.choice([0.9, 0.93, 0.96]),
        "header_valign": rng.choice(["top", "middle", "bottom"]),
        "header_halign": rng.choice(["left", "center", "right"]),
        "body_halign": rng.choice(["left", "left", "center", "right"]),
        "row_padding": _half(rng, 0, 5),
        "cell_padding": _half(rng, 2.5, 6),
        "column_cap": 0.0 if narrow else None,
        "column_slack": float(rng.randint(0, 8)) if narrow else 0.0,
        "repeat_header": rng.random() < 0.6,
        "split_rows": rng.random() < 0.6,
        "toc_columns": rng.choice([1, 2]),
    }


def _furniture(rng: random.Random, page_height: float) -> dict:
    place = rng.choice(["top", "bottom", "both"])
    label_pos = {
        "top": ["top-right", "top-left"],
        "bottom": ["bottom-right", "bottom-center", "bottom-left"],
        "both": ["top-right", "bottom-right", "bottom-center"],
    }[place]
    out = {
        "head_pos": "bottom" if place == "bottom" else "top",
        "head_size": _half(rng, 7.5, 10),
        "head_second": rng.choice(["auto", None]),
        "dnr_in_head": rng.random() < 0.5,
        "date_in_head": rng.random() < 0.4,
        "page_label": rng.choice(PAGE_LABELS),
        "page_label_pos": rng.choice(label_pos),
        "footer_size": _half(rng, 7, 9),
        "head_top": float(rng.randint(20, 36)),
        "foot_bottom": float(rng.randint(24, 40)),
    }
    if place == "top":
        out["footer_text"], out["footer_line"] = "", None
    else:
        out["footer_text"] = rng.choice(["stockholm.se", "", "www.stockholm.se"])
        out["footer_line"] = rng.choice([None, "Stockholms stad"])
    n_top, n_bottom = _furniture_lines(out)
    out["content_top"] = out["head_top"] + 12.0 * n_top + float(rng.randint(10, 40))
    out["content_bottom"] = page_height - out["foot_bottom"] - 12.0 * n_bottom - float(rng.randint(10, 40))
    return out


def _furniture_lines(f: dict) -> tuple[int, int]:
    """How many furniture lines stand at the top and at the bottom of a page."""
    head = 1 + (f["head_second"] is not None) + bool(f["dnr_in_head"]) + bool(f["date_in_head"])
    top = head if f["head_pos"] == "top" else 0
    bottom = head if f["head_pos"] == "bottom" else 0
    bottom += bool(f["footer_text"]) + (f["footer_line"] is not None)
    if f["page_label_pos"].startswith("bottom"):
        bottom += 1
    return max(top, 1), max(bottom, 1)


def random_style(seed: int) -> RenderStyle:
    """A style with every axis drawn from ``seed`` (the same style for the same seed)."""
    rng = random.Random(f"malbild-style-{seed}")
    page = _page(rng)
    fonts = _fonts(rng)
    margins = {"margin_left": float(rng.randint(40, 90)), "margin_right": float(rng.randint(35, 80))}
    extra_rows = rng.choice([0, 0, rng.randint(20, 60), rng.randint(90, 130)])
    extras = {"extra_rows": extra_rows, "extra_under_goal": rng.random() < 0.5, "extra_seed": rng.randint(0, 10**6)}
    # drawn last, so that the axes above keep their values for every seed
    front = {"front_layout": rng.choice(["labels", "title-first", "right"]), "front_colon": rng.random() < 0.3}
    head_org = {"head_org": rng.choice([None, None, "Stockholms stad"])}
    return RenderStyle(
        name=f"seed-{seed}",
        **page,
        **fonts,
        **margins,
        **_goal_look(rng, fonts["body_size"]),
        **_table_look(rng),
        **_furniture(rng, page["page_height"]),
        **extras,
        **front,
        **head_org,
    )


def _font_name(path: str | None) -> str:
    if path is None:
        return "body"
    return next((f[0] for f in FAMILIES if f[1] == path), Path(path).stem)


def _page_name(style: RenderStyle) -> str:
    w, h = style.page_width, style.page_height
    for name, (pw, ph) in PAGE_SIZES.items():
        if (round(w), round(h)) == (round(pw), round(ph)):
            return f"{name}-portrait"
        if (round(w), round(h)) == (round(ph), round(pw)):
            return f"{name}-landscape"
    return f"{w:.0f}x{h:.0f}"


def axes(style: RenderStyle) -> dict[str, str]:
    """The style's axis values as short strings (for describe() and for correlating scores with axes)."""
    s = style
    rules = "none" if not s.table_rules else ("all" if s.vertical_rules else ("frame" if s.outer_rules else "horiz"))
    shading = "none" if not s.table_shading else ("cells" if s.shade_cells else "band")
    furniture = s.head_pos if s.page_label_pos.startswith(s.head_pos) else "both"
    if s.head_pos == "top" and (s.footer_text or s.footer_line):
        furniture = "both"
    extra = "none" if not s.extra_rows else ("goal" if s.extra_under_goal else "end")
    return {
        "page": _page_name(s),
        "font": _font_name(s.regular_font),
        "head_font": _font_name(s.heading_font) if s.heading_font != s.regular_font else "body",
        "body_size": f"{s.body_size:g}",
        "columns": "narrow" if s.column_cap is not None else "wide",
        "rules": rules,
        "shading": shading,
        "zebra": "on" if s.zebra else "off",
        "valign": s.header_valign,
        "halign": s.header_halign,
        "body_align": s.body_halign,
        "label": s.label_placement,
        "goal_weight": "bold" if s.goal_bold else "regular",
        "furniture": furniture,
        "page_label": s.page_label.replace("{n}", "N").replace("{m}", "M"),
        "repeat_header": "on" if s.repeat_header else "off",
        "split_rows": "on" if s.split_rows else "off",
        "toc": f"{s.toc_columns}col",
        "extra": extra,
        "row_pad": f"{s.row_padding:g}",
        "front": s.front_layout + (":" if s.front_colon else ""),
        "head_org": "city" if s.head_org == "Stockholms stad" else "derived",
    }


def describe(style: RenderStyle) -> str:
    """One line: the style's name and its axis values."""
    return style.name + ": " + " ".join(f"{k}={v}" for k, v in axes(style).items())


def style_fields() -> list[str]:
    return [f.name for f in fields(RenderStyle)]


# --------------------------------------------------------------------------------------------
# extra generic tables (with their gold)

_UNIT_FIRST = ["Björk", "Ek", "Lind", "Tall", "Sjö", "Berg", "Ängs", "Strand", "Hag", "Skogs", "Rönn", "Al", "Mås"]
_UNIT_LAST = ["gården", "backen", "hemmet", "viken", "dalen", "torpet", "huset", "höjden"]
_UNIT_KIND = ["förskola", "fritidsgård", "öppenvård", "gruppboende", "träffpunkt", "mottagning"]
_STREETS = ["Storgatan", "Ringvägen", "Hornsgatan", "Götgatan", "Västbergavägen", "Årstavägen", "Sjöviksvägen"]
_HOURS = ["Mån–fre 8–17", "Mån–tors 9–16", "Dygnet runt", "Tis och tors 13–19", "Efter överenskommelse"]
EXTRA_HEADING = "Verksamheter och kontaktuppgifter"
EXTRA_HEADER = ["Enhet", "Adress", "Postnummer", "Ort", "Telefon", "Öppettider"]


def extra_table(rows: int, seed: int, goal: str | None = None) -> dict:
    """A 6-column list of units with addresses and phone numbers (a gold ``tables`` entry)."""
    rng = random.Random(f"malbild-extra-{seed}")
    seen: set[str] = set()
    body = []
    for _ in range(rows):
        name = f"{rng.choice(_UNIT_FIRST)}{rng.choice(_UNIT_LAST)}s {rng.choice(_UNIT_KIND)}"
        while name in seen:
            name += f" {rng.randint(2, 9)}"
        seen.add(name)
        phone = f"08-508 {rng.randint(10, 99)} {rng.randint(100, 999)}"
        body.append(
            [
                name,
                f"{rng.choice(_STREETS)} {rng.randint(1, 140)}",
                f"1{rng.randint(0, 2)}{rng.randint(0, 9)} {rng.randint(10, 99)}",
                rng.choice(["Stockholm", "Hägersten", "Bandhagen", "Skärholmen", "Spånga"]),
                phone,
                rng.choice(_HOURS),
            ]
        )
    return {
        "kind": "other",
        "goal": goal,
        "header": list(EXTRA_HEADER),
        "rows": body,
        "heading": EXTRA_HEADING,
    }


def with_extras(spec: dict, style: RenderStyle) -> dict:
    """``spec`` plus the style's extra tables: what the rendering shows, so also the gold to score it against."""
    if not style.extra_rows:
        return spec
    out = copy.deepcopy(spec)
    goals = [g for g in out.get("goals") or [] if isinstance(g, dict) and g.get("id") is not None]
    goal = goals[len(goals) // 2]["id"] if (goals and style.extra_under_goal) else None
    out.setdefault("tables", [])
    out["tables"] = list(out["tables"]) + [extra_table(style.extra_rows, style.extra_seed, goal)]
    return out
