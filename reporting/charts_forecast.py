"""The forecast chart of one account: followers and daily views side by side, each with its known
history (complete days), the point forecast and the 80 % (dark) and 95 % (light) prediction bands.

A series without a forecast shows its history and the words "no forecast" (the reason is printed
under the chart); a series with neither is said in words — never drawn as 0.
"""

from __future__ import annotations

from datetime import date

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from reporting.charts import png

LABELS = {"followers": "followers (end of day)", "views": "views per day"}


def compact(value: float, _position=None) -> str:
    """Axis labels: 1.2k, 3.4M (the table under the chart prints the exact values)."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def _panel(ax, metric: str, history: list[tuple], forecast: list[dict], period: tuple[date, date],
           colors: tuple[str, str]) -> None:
    ax.set_title(LABELS.get(metric, metric), fontsize=8.5, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=7)
    if not history and not forecast:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no known history\nand no forecast", ha="center", va="center", fontsize=8,
                color="#777777", transform=ax.transAxes)
        return
    ax.axvspan(period[0], period[1], color="#DDDDDD", alpha=0.5, linewidth=0, label="report period")
    if history:
        ax.plot([d for d, _ in history], [v for _, v in history], color=colors[0], linewidth=1.3,
                label="observed")
    if forecast:
        days = [r["target_date"] for r in forecast]
        ax.fill_between(days, [r["lower_95"] for r in forecast], [r["upper_95"] for r in forecast],
                        color=colors[1], alpha=0.18, linewidth=0, label="95 % interval")
        ax.fill_between(days, [r["lower_80"] for r in forecast], [r["upper_80"] for r in forecast],
                        color=colors[1], alpha=0.45, linewidth=0, label="80 % interval")
        ax.plot(days, [r["point"] for r in forecast], color=colors[1], linewidth=1.2, linestyle="--",
                label="forecast")
    else:
        ax.text(0.98, 0.98, "no forecast (see note)", ha="right", va="top", fontsize=7.5, color="#555555",
                transform=ax.transAxes, bbox={"facecolor": "white", "edgecolor": "#CCCCCC", "alpha": 0.9})
    locator = AutoDateLocator(maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.yaxis.set_major_formatter(FuncFormatter(compact))


def account_chart(series: dict[str, tuple[list[tuple], list[dict]]], period: tuple[date, date],
                  colors: tuple[str, str]) -> bytes | None:
    """`series`: metric → (history [(day, value)], forecast rows by target date). None when nothing is known."""
    if not any(history or forecast for history, forecast in series.values()):
        return None
    fig = Figure(figsize=(7.2, 2.3))  # the account is named by the heading above the chart
    axes = fig.subplots(1, len(series))
    axes = axes if len(series) > 1 else [axes]
    for ax, (metric, (history, forecast)) in zip(axes, series.items(), strict=True):
        _panel(ax, metric, history, forecast, period, colors)
    handles = {label: handle for ax in axes for handle, label in zip(*ax.get_legend_handles_labels(), strict=True)}
    if handles:
        fig.legend(handles.values(), handles.keys(), loc="lower center", ncol=len(handles), fontsize=7,
                   frameon=False, bbox_to_anchor=(0.5, -0.06))
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return png(fig)
