"""Pictures drawn as SVG text by us: the PRISMA 2020 flow diagram, the evidence map and the
studies-per-year chart.

No network, no fonts to fetch, no external program: plain SVG 1.1 elements whose text is
escaped, laid out with an estimate of text width so that labels wrap instead of overlapping.
Same data → same bytes. The functions take plain data so that they can be used without the
rest of the rendering machinery.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
FONT_SIZE = 13
LINE = 17
INK = "#1a1a1a"
MUTED = "#5a5a5a"
RULE = "#9a9a9a"
BOX_FILL = "#ffffff"
BAND_FILL = "#dbe6f0"
BUBBLE = "#2b6a99"

#: Okabe and Ito's colour-blind-safe palette (yellow left out: too pale on white in print).
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#6b6b6b",
    "#8c5a2b",
    "#332288",
    "#88a83c",
    "#aa4499",
    "#117733",
)
NO_THEME_COLOUR = "#c8c8c8"


#: control characters (not allowed in XML 1.0) become spaces; tab and newline stay
_CONTROLS = str.maketrans({c: " " for c in range(32) if chr(c) not in "\t\n"})


def esc(text: object) -> str:
    """Text for an element's content or an attribute value (quotes escaped too)."""
    return escape(str(text).translate(_CONTROLS), {'"': "&quot;", "'": "&#39;"})


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """A generous estimate of rendered width in a sans-serif face (no font metrics needed)."""
    wide = sum(1 for ch in text if ch.isupper() or ch in "mwMW@%")
    narrow = sum(1 for ch in text if ch in "iljtf.,:;'|! ()\u00a0")
    return size * (0.63 * (len(text) - wide - narrow) + 0.8 * wide + 0.34 * narrow)


_BREAK_AFTER = re.compile(
    r"(?<=[-–—/])(?=\w)"
)  # a long word may break after a hyphen, dash or slash
_COUNT = re.compile(r"\(n = (\d+)\)")
GLUE = "\u00a0"  # a no-break space: wrap() never breaks there and prints a plain space


def glue_counts(text: str) -> str:
    """``(n = 12)`` kept on one line by :func:`wrap`."""
    return _COUNT.sub(lambda m: f"(n{GLUE}={GLUE}{m.group(1)})", text)


def _pieces(text: str) -> list[tuple[str, bool]]:
    """Words split after their hyphens and dashes: (piece, whether a space comes before it)."""
    out: list[tuple[str, bool]] = []
    for word in re.split(r"[ \t\n\r\f\v]+", text.strip()):
        if word:
            out += [(p, i == 0) for i, p in enumerate(_BREAK_AFTER.split(word))]
    return out


def wrap(text: str, width: float, size: float = FONT_SIZE, max_lines: int = 0) -> list[str]:
    """Greedy word wrap to ``width`` pixels, breaking at spaces, then after hyphens and dashes;
    an overlong word is cut; ``max_lines`` adds an ellipsis. No-break spaces hold words together
    and come out as plain spaces."""
    lines: list[str] = []
    current = ""
    for piece, spaced in _pieces(text):
        while text_width(piece, size) > width and len(piece) > 1:
            cut = max(1, int(len(piece) * width / text_width(piece, size)) - 1)
            if current:
                lines.append(current)
                current = ""
            lines.append(piece[:cut] + "-")
            piece = piece[cut:]
            spaced = True
        trial = f"{current} {piece}" if current and spaced else current + piece
        if current and text_width(trial, size) > width:
            lines.append(current)
            current = piece
        else:
            current = trial
    if current or not lines:
        lines.append(current)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return [line.replace(GLUE, " ") for line in lines]


def wrap_label(label: str, count: str, width: float, size: float, max_lines: int) -> list[str]:
    """A label and its count, e.g. ``(4)``: wrapped into ``max_lines`` without ever losing the count."""
    glued = count.replace(" ", GLUE)
    lines = wrap(f"{label} {glued}", width, size)
    if len(lines) <= max_lines:
        return lines
    return [*wrap(label, width, size, max_lines=max_lines - 1), count]


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(
    x: float,
    y: float,
    lines: Sequence[str],
    *,
    size: float = FONT_SIZE,
    anchor: str = "start",
    weight: str = "normal",
    fill: str = INK,
    line: float = LINE,
) -> str:
    attrs = f'x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}" fill="{fill}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if weight != "normal":
        attrs += f' font-weight="{weight}"'
    if len(lines) == 1:
        return f"<text {attrs}>{esc(lines[0])}</text>"
    spans = "".join(
        f'<tspan x="{_num(x)}" dy="{0 if i == 0 else _num(line)}">{esc(t)}</tspan>'
        for i, t in enumerate(lines)
    )
    return f"<text {attrs}>{spans}</text>"


def _document(width: float, height: float, title: str, desc: str, body: list[str]) -> str:
    w, h = math.ceil(width), math.ceil(height)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" font-family="{FONT}">\n'
        f"<title>{esc(title)}</title>\n<desc>{esc(desc)}</desc>\n"
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>\n'
    )
    return head + "\n".join(body) + "\n</svg>\n"


# --- PRISMA 2020 flow diagram -------------------------------------------------------------------


@dataclass(frozen=True)
class FlowBox:
    """A box of the flow diagram: a heading line and indented detail lines."""

    heading: str
    details: tuple[str, ...] = ()


HANGING_INDENT = 14.0


def _box_lines(box: FlowBox, width: float) -> list[tuple[str, bool, float]]:
    """(text, bold, indent) per line: a detail's continuation lines hang under its first line so
    that a wrapped reason does not read as a second reason; a count never leaves its ``(n =``."""
    out = [(t, True, 0.0) for t in wrap(glue_counts(box.heading), width / 1.12)]  # bold runs wider
    for d in box.details:
        wrapped = wrap(glue_counts(d), width - HANGING_INDENT)
        out += [(t, False, HANGING_INDENT if i else 0.0) for i, t in enumerate(wrapped)]
    return out


def prisma_svg(
    identified: Sequence[tuple[str, int]],
    duplicates_removed: int,
    screened: int,
    excluded_screening: Sequence[tuple[str, int]],
    assessed: int,
    excluded_full_text: Sequence[tuple[str, int]],
    included: int,
    needs_person: int = 0,
    included_detail: Sequence[tuple[str, int]] = (),
    title: str = "PRISMA 2020 flow diagram",
    automation_ineligible: int = 0,
    sought: int | None = None,
    not_retrieved: int = 0,
    included_reports: int | None = None,
) -> str:
    """The PRISMA 2020 flow diagram for a new review that searched databases and registers.

    Each argument of pairs is (label, count), drawn in the order given. ``sought`` (reports sought
    for retrieval) draws the retrieval row with ``not_retrieved``; None leaves it out.
    ``included_reports``: the reports of the included studies, when some study has more than one.
    """
    left_w, right_w, band_w, gap_x, gap_y, pad = 330.0, 330.0, 34.0, 50.0, 34.0, 10.0
    x_band, x_left = 12.0, 12.0 + band_w + 14.0
    x_right = x_left + left_w + gap_x
    total_ex = sum(n for _, n in excluded_screening)
    total_ft = sum(n for _, n in excluded_full_text)
    rows: list[tuple[str, FlowBox | None, FlowBox | None]] = [
        (
            "Identification",
            FlowBox(
                f"Records identified (n = {sum(n for _, n in identified)}):",
                tuple(f"{name} (n = {n})" for name, n in identified),
            ),
            FlowBox(
                "Records removed before screening:",
                (f"Duplicate records removed (n = {duplicates_removed})",)
                + (
                    (
                        f"Records marked as ineligible by automation tools (n = {automation_ineligible})",
                    )
                    if automation_ineligible
                    else ()
                ),
            ),
        ),
        (
            "Screening",
            FlowBox(f"Records screened (n = {screened})"),
            FlowBox(
                f"Records excluded (n = {total_ex}):",
                tuple(f"{r} (n = {n})" for r, n in excluded_screening),
            ),
        ),
    ]
    if needs_person:
        rows.append(
            (
                "Screening",
                None,
                FlowBox(f"Records awaiting a reviewer's decision (n = {needs_person})"),
            )
        )
    if sought is not None:
        rows.append(
            (
                "Screening",
                FlowBox(f"Reports sought for retrieval (n = {sought})"),
                FlowBox(f"Reports not retrieved (n = {not_retrieved})"),
            )
        )
    rows.append(
        (
            "Screening",
            FlowBox(f"Reports assessed for eligibility (n = {assessed})"),
            FlowBox(
                f"Reports excluded (n = {total_ft}):",
                tuple(f"{r} (n = {n})" for r, n in excluded_full_text),
            ),
        )
    )
    rows.append(
        (
            "Included",
            FlowBox(
                f"Studies included in review (n = {included})",
                tuple(f"{r} (n = {n})" for r, n in included_detail)
                + (
                    (f"Reports of included studies (n = {included_reports})",)
                    if included_reports is not None
                    else ()
                ),
            ),
            None,
        )
    )

    body: list[str] = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker></defs>',
        _text(
            x_left + (left_w + gap_x + right_w) / 2,
            26,
            [title],
            size=16,
            anchor="middle",
            weight="bold",
        ),
    ]
    y = 44.0
    stage_spans: list[tuple[str, float, float]] = []
    left_boxes: list[tuple[float, float]] = []  # (top, bottom) of each main-column box
    for stage, left, right in rows:
        blocks = [
            _box_lines(b, (left_w if b is left else right_w) - 2 * pad) if b else []
            for b in (left, right)
        ]
        h = max(len(lines) for lines in blocks) * LINE + 2 * pad
        if (
            sum(1 for r in rows if r[0] == stage) == 1
        ):  # the stage's rotated label must fit its band
            h = max(h, text_width(stage, 13) + 24)
        for box, lines, x, w in (
            (left, blocks[0], x_left, left_w),
            (right, blocks[1], x_right, right_w),
        ):
            if box is None:
                continue
            bh = len(lines) * LINE + 2 * pad
            body.append(
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{_num(bh)}" rx="4" '
                f'fill="{BOX_FILL}" stroke="{INK}" stroke-width="1.2"/>'
            )
            for i, (t, bold, indent) in enumerate(lines):
                body.append(
                    _text(
                        x + pad + indent,
                        y + pad + 12.5 + i * LINE,
                        [t],
                        weight="bold" if bold else "normal",
                    )
                )
        if left is not None:
            lh = len(blocks[0]) * LINE + 2 * pad
            left_boxes.append((y, y + lh))
            arrow_y = y + min(lh, h) / 2 if right is not None else None
        else:
            arrow_y = y + (len(blocks[1]) * LINE + 2 * pad) / 2
        if right is not None and arrow_y is not None:
            body.append(
                f'<line x1="{_num(x_left + left_w / 2 if left is None else x_left + left_w)}" y1="{_num(arrow_y)}" '
                f'x2="{_num(x_right - 2)}" y2="{_num(arrow_y)}" stroke="{INK}" stroke-width="1.2" '
                'marker-end="url(#arrow)"/>'
            )
        if stage_spans and stage_spans[-1][0] == stage:
            stage_spans[-1] = (stage, stage_spans[-1][1], y + h)
        else:
            stage_spans.append((stage, y, y + h))
        y += h + gap_y
    for (_, b1), (t2, _) in itertools.pairwise(left_boxes):
        body.append(
            f'<line x1="{_num(x_left + left_w / 2)}" y1="{_num(b1)}" x2="{_num(x_left + left_w / 2)}" '
            f'y2="{_num(t2 - 2)}" stroke="{INK}" stroke-width="1.2" marker-end="url(#arrow)"/>'
        )
    for stage, top, bottom in stage_spans:
        body.append(
            f'<rect x="{_num(x_band)}" y="{_num(top)}" width="{_num(band_w)}" height="{_num(bottom - top)}" '
            f'rx="4" fill="{BAND_FILL}" stroke="{RULE}"/>'
        )
        cx, cy = x_band + band_w / 2, (top + bottom) / 2
        body.append(
            f'<text x="{_num(cx)}" y="{_num(cy)}" font-size="13" font-weight="bold" fill="{INK}" '
            f'text-anchor="middle" dominant-baseline="central" transform="rotate(-90 {_num(cx)} {_num(cy)})">'
            f"{esc(stage)}</text>"
        )
    width = x_right + right_w + 12
    desc = (
        f"{sum(n for _, n in identified)} records identified, {duplicates_removed} duplicates removed, "
        + (
            f"{automation_ineligible} marked ineligible by automation tools, "
            if automation_ineligible
            else ""
        )
        + f"{screened} screened, {total_ex} excluded, "
        + (
            f"{sought} reports sought, {not_retrieved} not retrieved, "
            if sought is not None
            else ""
        )
        + f"{assessed} assessed in full text, {total_ft} excluded, "
        f"{included} included."
    )
    return _document(width, y - gap_y + 14, title, desc, body)


# --- evidence map ---------------------------------------------------------------------------------


_TRAILING_COUNT = re.compile(r"^(.*\S) (\(\d+\))$")


def _label_lines(label: str, width: float, size: float, max_lines: int) -> list[str]:
    """A row or column label; a trailing count such as ``(4)`` always stays visible."""
    m = _TRAILING_COUNT.match(label)
    if m is None:
        return wrap(label, width, size, max_lines=max_lines)
    return wrap_label(m.group(1), m.group(2), width, size, max_lines)


def evidence_map_svg(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Mapping[tuple[str, str], Sequence[str]],
    title: str,
    column_heading: str,
    row_heading: str = "Theme",
) -> str:
    """Rows × columns with a bubble per non-empty cell, its area proportional to the number of
    studies; each bubble's ``<title>`` lists the studies' citations. Empty cells show a dash so
    that a gap reads as a gap."""
    cell_w, cell_h = 94.0, 64.0
    label_w = 180.0
    col_lines = [_label_lines(c, cell_w - 4, 12, 4) for c in columns]
    head_h = max((len(lines) for lines in col_lines), default=1) * 15 + 16
    row_lines = [_label_lines(r, label_w - 16, FONT_SIZE, 3) for r in rows]
    top = 44.0 + 20 + head_h
    left = 12.0 + label_w
    biggest = max((len(v) for v in cells.values()), default=1) or 1
    r_max = min(cell_w, cell_h) / 2 - 5
    body: list[str] = [
        _text(12, 26, [title], size=16, weight="bold"),
        _text(left, 48, [column_heading], size=12, fill=MUTED, weight="bold"),
        _text(12, top - 8, [row_heading], size=12, fill=MUTED, weight="bold"),
    ]
    for j, lines in enumerate(col_lines):
        cx = left + j * cell_w + cell_w / 2
        body.append(
            _text(cx, top - 8 - (len(lines) - 1) * 15, lines, size=12, anchor="middle", line=15)
        )
    for i, (row, lines) in enumerate(zip(rows, row_lines, strict=True)):
        y0 = top + i * cell_h
        if i % 2 == 0:
            body.append(
                f'<rect x="12" y="{_num(y0)}" width="{_num(label_w + len(columns) * cell_w)}" '
                f'height="{_num(cell_h)}" fill="#f2f5f8"/>'
            )
        ty = y0 + cell_h / 2 - (len(lines) - 1) * LINE / 2 + 4.5
        body.append(_text(20, ty, lines))
        for j, col in enumerate(columns):
            cx, cy = left + j * cell_w + cell_w / 2, y0 + cell_h / 2
            studies = list(cells.get((row, col), ()))
            if not studies:
                body.append(_text(cx, cy + 4.5, ["–"], anchor="middle", fill="#b0b0b0"))
                continue
            n = len(studies)
            radius = max(11.0, r_max * math.sqrt(n / biggest))
            tip = f"{row} × {col}: {n} {'study' if n == 1 else 'studies'}\n" + "; ".join(studies)
            label_fill = "#ffffff"  # the smallest bubble (r = 11) still holds a white 12px number
            body.append(
                f"<g><title>{esc(tip)}</title>"
                f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(radius)}" fill="{BUBBLE}" '
                f'fill-opacity="0.85" stroke="#123a57" stroke-width="1"/>'
                + _text(
                    cx, cy + 4.5, [str(n)], size=12, anchor="middle", weight="bold", fill=label_fill
                )
                + "</g>"
            )
    grid_bottom = top + len(rows) * cell_h
    for j in range(len(columns) + 1):
        x = left + j * cell_w
        body.append(
            f'<line x1="{_num(x)}" y1="{_num(top)}" x2="{_num(x)}" y2="{_num(grid_bottom)}" '
            'stroke="#d5d5d5" stroke-width="1"/>'
        )
    note = "Bubble area is proportional to the number of studies; hover a bubble for the citations."
    if not rows or not columns:
        note = "No included studies to map."
    body.append(_text(12, grid_bottom + 24, [note], size=11, fill=MUTED))
    width = max(
        left + len(columns) * cell_w + 12,
        12 + text_width(note, 11) + 12,
        12 + text_width(title, 16) * 1.12 + 12,  # bold runs wider
        left + text_width(column_heading, 12) * 1.12 + 12,
    )
    desc = f"{title}: {len(rows)} rows by {len(columns)} columns."
    return _document(width, grid_bottom + 40, title, desc, body)


# --- studies per year, stacked by theme -----------------------------------------------------------


def year_chart_svg(
    years: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    totals: Sequence[int],
    title: str = "Included studies by year of publication",
) -> str:
    """Stacked bars: for each year (label) one segment per series (theme) in series order.

    ``totals`` is the number of studies per year. A study tagged with two themes adds to two
    segments, so a bar can be taller than the number of studies: the totals go in a row of
    their own under the years, labelled, rather than on top of bars whose height they do not
    match.
    """
    plot_h, pitch = 260.0, max(16.0, min(44.0, 900.0 / max(1, len(years))))
    left, top = 64.0, 50.0
    bar_w = pitch * 0.72
    stack = [sum(s[1][i] for s in series) for i in range(len(years))]
    peak = max([*stack, 1])
    step = _nice_step(peak)
    y_max = step * math.ceil(peak / step)
    scale = plot_h / y_max
    base = top + plot_h
    body: list[str] = [_text(12, 26, [title], size=16, weight="bold")]
    for k in range(int(y_max / step) + 1):
        v = k * step
        yy = base - v * scale
        body.append(
            f'<line x1="{_num(left)}" y1="{_num(yy)}" x2="{_num(left + pitch * len(years))}" y2="{_num(yy)}" '
            f'stroke="{"#bdbdbd" if v else INK}" stroke-width="1"/>'
        )
        body.append(_text(left - 6, yy + 4, [str(v)], size=11, anchor="end", fill=MUTED))
    label_every = max(1, math.ceil(34.0 / pitch))
    show_totals = bool(years) and text_width(str(max(totals, default=0)), 10) <= pitch - 2
    for i, year in enumerate(years):
        x = left + i * pitch + (pitch - bar_w) / 2
        y = base
        for s_index, (name, counts) in enumerate(series):
            n = counts[i]
            if not n:
                continue
            h = n * scale
            y -= h
            colour = NO_THEME_COLOUR if name == NO_THEME else PALETTE[s_index % len(PALETTE)]
            tip = f"{year}, {name}: {n} {'study' if n == 1 else 'studies'}"
            body.append(
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar_w)}" height="{_num(h)}" fill="{colour}" '
                f'stroke="#ffffff" stroke-width="0.8"><title>{esc(tip)}</title></rect>'
            )
        if i % label_every == 0 or (i == len(years) - 1 and (i % label_every) * pitch >= 34):
            body.append(_text(x + bar_w / 2, base + 16, [year], size=11, anchor="middle", fill=INK))
        if show_totals:
            body.append(
                _text(
                    x + bar_w / 2,
                    base + 34,
                    [str(totals[i])],
                    size=10,
                    anchor="middle",
                    fill=INK if totals[i] else MUTED,
                )
            )
    if show_totals:
        body.append(
            _text(left - 6, base + 34, ["Studies"], size=10, anchor="end", weight="bold", fill=INK)
        )
    if not years:
        body.append(
            _text(
                left + 240,
                top + plot_h / 2,
                ["No included studies to chart."],
                size=13,
                anchor="middle",
                fill=MUTED,
            )
        )
    body.append(
        f'<text x="14" y="{_num(top + plot_h / 2)}" font-size="11" fill="{MUTED}" text-anchor="middle" '
        f'transform="rotate(-90 14 {_num(top + plot_h / 2)})">Studies per theme</text>'
    )
    width = max(left + pitch * len(years) + 20, 560.0)
    # legend, wrapped into rows
    ly, lx = base + (64 if show_totals else 42), left
    for s_index, (name, _) in enumerate(series):
        label = wrap(name, 220, 12, max_lines=1)[0]
        w = 18 + text_width(label, 12) + 18
        if lx + w > width - 10 and lx > left:
            lx, ly = left, ly + 20
        colour = NO_THEME_COLOUR if name == NO_THEME else PALETTE[s_index % len(PALETTE)]
        body.append(
            f'<rect x="{_num(lx)}" y="{_num(ly - 10)}" width="12" height="12" fill="{colour}"/>'
        )
        body.append(_text(lx + 17, ly, [label], size=12))
        lx += w
    note = (
        "Each bar stacks, for one year, the studies tagged with each theme: a study with several themes "
        "is in several segments. "
        + (
            "The row “Studies” counts each study once."
            if show_totals
            else "Hover a segment for its count."
        )
    )
    note_lines = wrap(note, width - left - 10, 11)
    body.append(_text(left, ly + 24, note_lines, size=11, fill=MUTED, line=14))
    height = ly + 24 + len(note_lines) * 14 + 8
    desc = f"{title}: {sum(totals)} studies over {len(years)} years."
    return _document(width, height, title, desc, body)


NO_THEME = "No theme"


def _nice_step(peak: int) -> int:
    raw = max(1.0, peak / 5)
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * magnitude >= raw:
            return int(m * magnitude)
    return int(10 * magnitude)
