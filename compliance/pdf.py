"""The report as PDF, drawn with matplotlib (already a requirement of the render workers): a summary page with the
timeline chart, then the rules, failing first. Fonts are embedded (TrueType subsets of Noto Sans CJK), so the PDF reads
the same anywhere; no creation date is written, so the same report gives the same bytes."""

from __future__ import annotations

import io
import textwrap
from datetime import datetime
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot-free figure use in worker processes

from matplotlib import dates as mdates
from matplotlib import font_manager, rcParams
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

_A4 = (8.27, 11.69)
_COLOURS = {
    "pass": "#1a7f37",
    "fail": "#cf222e",
    "not_applicable": "#6e7781",
    "not_checkable": "#9a6700",
    "answer": "#8250df",
    "interjection": "#bf8700",
}
_LABELS = {
    "pass": "PASS 通过",
    "fail": "FAIL 未通过",
    "not_applicable": "N/A 不适用",
    "not_checkable": "MANUAL 需人工核对",
}
_ROWS_PER_PAGE = 9


@cache
def _family() -> str:
    """The CJK font family (the same Noto Sans CJK the video label uses), registered with matplotlib once."""
    from render.engine.label import find_cjk_font

    path, _index = find_cjk_font()
    font_manager.fontManager.addfont(path)
    for entry in font_manager.fontManager.ttflist:
        if entry.fname == path and "SC" in entry.name:
            return entry.name
    return font_manager.FontProperties(fname=path).get_name()


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _timeline_chart(figure: Figure, report: dict[str, Any], rect: tuple[float, float, float, float]) -> None:
    axes = figure.add_axes(rect)
    rows = ["events 事件", "interjections 插话", "answers 回答", "consent 同意", "label 标识"]
    axes.set_yticks(range(len(rows)), rows)
    times: list[datetime] = []
    for stream in report["streams"]:
        for entry in stream["labels"]:
            start = _time(entry["at"])
            if start is None:
                continue
            times.append(start)
            axes.barh(
                4,
                (entry.get("duration") or 2) / 86400,
                left=mdates.date2num(start),
                color=_COLOURS["pass" if entry["labelled"] else "fail"],
                height=0.5,
            )
        consent = stream.get("consent")
        if consent and consent["activated_at"]:
            begin = _time(consent["activated_at"])
            end = _time(consent["revoked_at"] or consent["valid_until"])
            if begin and end:
                axes.barh(
                    3,
                    mdates.date2num(end) - mdates.date2num(begin),
                    left=mdates.date2num(begin),
                    color=_COLOURS["fail" if consent["revoked_at"] else "pass"],
                    height=0.5,
                    alpha=0.6,
                )
        for said in stream.get("spoken") or []:
            start = _time(said["at"])
            if start is None:
                continue
            times.append(start)
            axes.barh(
                2 if said["kind"] == "answer" else 1,
                (said.get("duration") or 2) / 86400,
                left=mdates.date2num(start),
                color=_COLOURS[said["kind"]],
                height=0.5,
            )
    for event in report["timeline"]:
        at = _time(event["at"])
        if at is not None:
            times.append(at)
            axes.plot([mdates.date2num(at)], [0], marker="|", color="#0969da", markersize=12)
    if times:
        low, high = min(times), max(times)
        pad = max((high - low).total_seconds() * 0.05, 10) / 86400
        axes.set_xlim(mdates.date2num(low) - pad, mdates.date2num(high) + pad)
    axes.xaxis_date()
    axes.tick_params(axis="x", labelsize=7, rotation=20)
    axes.set_ylim(-0.6, 4.6)
    axes.set_title("Timeline 时间线", fontsize=10, loc="left")


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width)) or "—"


def render_pdf(report: dict[str, Any]) -> bytes:
    family = _family()
    rcParams["pdf.fonttype"] = 42
    rcParams["font.family"] = family
    buffer = io.BytesIO()
    metadata = {
        "Title": f"Compliance report {report['organisation']['slug']}",
        "Creator": "Veracast",
        "Producer": "Veracast",
        "CreationDate": None,
    }
    with PdfPages(buffer, metadata=metadata) as pdf:
        first = Figure(figsize=_A4)
        scope = report["stream_id"] or "whole organisation 全部"
        lines = [
            ("Compliance report 合规报告", 18),
            (f"{report['organisation']['name']} ({report['organisation']['slug']})", 12),
            (f"Scope 范围: {scope}", 9),
            (f"Period 期间: {report['since'] or '…'} – {report['until'] or '…'}", 9),
            (f"Generated 生成时间: {report['generated_at']} · rules 规则版本 {report['catalog_version']}", 9),
        ]
        y = 0.95
        for text, size in lines:
            first.text(0.07, y, text, fontsize=size)
            y -= 0.03 if size < 12 else 0.04
        counts = report["counts"]
        for index, key in enumerate(("fail", "pass", "not_applicable", "not_checkable")):
            first.text(0.07 + index * 0.22, 0.74, f"{counts.get(key, 0)}", fontsize=22, color=_COLOURS[key])
            first.text(0.07 + index * 0.22, 0.72, _LABELS[key], fontsize=8, color=_COLOURS[key])
        _timeline_chart(first, report, (0.2, 0.45, 0.72, 0.2))
        first.text(0.07, 0.38, "Streams 直播", fontsize=11)
        y = 0.355
        for stream in report["streams"][:8]:
            first.text(
                0.07,
                y,
                f"{stream['stream_id']} · {stream['platform']} · {stream['segments']} segments · "
                f"{stream['first_segment_at'] or '—'}",
                fontsize=7.5,
            )
            y -= 0.022
        first.text(0.07, 0.04, report["disclaimer"] + " 本报告为工程检查，非法律意见。", fontsize=7, color="#6e7781")
        pdf.savefig(first)
        results = report["results"]
        for start in range(0, len(results), _ROWS_PER_PAGE):
            page = Figure(figsize=_A4)
            page.text(0.07, 0.96, "Rules 规则 (failing first 未通过在前)", fontsize=12)
            y = 0.92
            for result in results[start : start + _ROWS_PER_PAGE]:
                colour = _COLOURS[result["result"]]
                page.text(0.07, y, _LABELS[result["result"]], fontsize=8, color=colour, weight="bold")
                page.text(0.25, y, f"{result['rule']}  [{result['status']}]", fontsize=9, weight="bold")
                page.text(0.25, y - 0.017, _wrap(result["source"], 95), fontsize=7, color="#57606a")
                page.text(0.25, y - 0.034, _wrap(result["requirement_zh"], 48), fontsize=7.5)
                page.text(0.25, y - 0.051, _wrap(result["requirement_en"], 100), fontsize=7, va="top")
                # Detail sentences are in the report's language: CJK glyphs are twice as wide.
                width = 50 if str(report.get("language", "")).startswith("zh") else 100
                page.text(0.25, y - 0.075, _wrap(result["detail"], width), fontsize=7, color=colour, va="top")
                evidence = ", ".join(result["evidence"][:6]) or "—"
                page.text(
                    0.25, y - 0.092, _wrap("Evidence 证据: " + evidence, 110), fontsize=6.5, color="#57606a", va="top"
                )
                y -= 0.1
            pdf.savefig(page)
    return buffer.getvalue()
