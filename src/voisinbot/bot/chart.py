"""A small PNG of the last weeks' helping hands (matplotlib, imported only when needed)."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from voisinbot.domain.digest import DigestData
from voisinbot.i18n import Translator

log = logging.getLogger(__name__)


def chart_available() -> bool:
    """Whether this installation can draw charts (the optional ``chart`` extra)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def weekly_chart(t: Translator, data: DigestData, tz: ZoneInfo) -> bytes | None:
    """The PNG, or None when matplotlib is not installed (the digest goes without it)."""
    if not chart_available():
        log.warning("the digest chart needs the optional 'chart' extra (matplotlib)")
        return None
    import matplotlib

    matplotlib.use("Agg")  # no screen on a server
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    weeks = len(data.weekly_helps)
    end = data.week.end.astimezone(tz).date()
    labels = [t.date(end - timedelta(weeks=weeks - 1 - i), "d MMM") for i in range(weeks)]
    figure, axis = plt.subplots(figsize=(6, 2.6), dpi=100)
    try:
        axis.bar(labels, data.weekly_helps, color="#4c9a5b")
        axis.set_title(t.gettext("Helping hands, last 8 weeks"))
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
        axis.spines[["top", "right"]].set_visible(False)
        axis.tick_params(axis="x", labelsize=8)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
