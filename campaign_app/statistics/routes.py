"""Statistics pages of a petition and of a campaign: SVG charts with the numbers beside."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial

from babel import dates as babel_dates
from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_percent, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from campaign_app.accounts.access import campaign_or_403, organiser_required, petition_or_403
from campaign_app.countries import country_name
from campaign_app.letters.labels import occasion_name
from campaign_app.petitions.texts import petition_text
from campaign_app.statistics import bp, service
from campaign_app.statistics.charts import (
    NARROW_FONT,
    NARROW_WIDTH,
    Bar,
    bar_chart,
    column_chart,
    integer_format,
    responsive,
)

# On a phone: fewer axis labels, values written on at most a dozen columns, short names.
NARROW_TICKS = 4
NARROW_VALUE_LABELS = 12
NARROW_LABEL_CHARS = 16


class _Formats:
    """The request's locale, looked up once: the page formats several hundred labels."""

    def __init__(self) -> None:
        self.locale = str(get_locale() or "en")
        self.number = integer_format(self.locale)

    def day(self, day: date, pattern: str = "long") -> str:
        return str(babel_dates.format_date(day, pattern, locale=self.locale))

    def hour(self, hour: datetime) -> str:
        # babel directly, in UTC: flask_babel would move it to BABEL_DEFAULT_TIMEZONE.
        text = babel_dates.format_datetime(
            hour, "d MMM yyyy, HH:00", tzinfo=UTC, locale=self.locale
        )
        return f"{text} UTC"

    def hour_tick(self, hour: datetime) -> str:
        return self.day(hour.date(), "d MMM") if hour.hour == 0 else f"{hour:%H}:00"

    def peak(self, bars: list[Bar]) -> str:
        best = max(bars, key=lambda bar: bar.value)
        return str(
            _(
                "%(total)s in all; most: %(label)s with %(value)s.",
                total=self.number(sum(bar.value for bar in bars)),
                label=best.label,
                value=self.number(best.value),
            )
        )


def _time_chart(
    bars: list[Bar],
    f: _Formats,
    *,
    chart_id: str,
    title: str,
    summary: str,
    empty_message: str,
) -> Markup:
    """A column chart over time, for screens and for phones; ``summary`` names the first and
    last bar."""
    draw = partial(
        column_chart,
        bars,
        title=title,
        summary=summary % {"first": bars[0].label, "last": bars[-1].label}
        + (f.peak(bars) if any(bar.value for bar in bars) else ""),
        empty_message=empty_message,
        number=f.number,
    )
    return responsive(
        draw(chart_id=chart_id),
        draw(
            chart_id=f"{chart_id}-narrow",
            width=NARROW_WIDTH,
            font=NARROW_FONT,
            max_ticks=NARROW_TICKS,
            value_labels_up_to=NARROW_VALUE_LABELS,
        ),
    )


def _ranked(
    bars: list[Bar], f: _Formats, *, chart_id: str, title: str, summary: str, empty_message: str
) -> Markup:
    """A horizontal bar chart, for screens and for phones."""
    draw = partial(
        bar_chart, bars, title=title, summary=summary, empty_message=empty_message, number=f.number
    )
    return responsive(
        draw(chart_id=chart_id),
        draw(
            chart_id=f"{chart_id}-narrow",
            width=NARROW_WIDTH,
            font=NARROW_FONT,
            max_label_chars=NARROW_LABEL_CHARS,
        ),
    )


def _day_chart(per_day: list[tuple[date, int]], f: _Formats) -> Markup:
    return _time_chart(
        [Bar(f.day(day), n, f.day(day, "d MMM")) for day, n in per_day],
        f,
        chart_id="per-day",
        title=_("Confirmed signatures per day (UTC)"),
        summary=_("One bar per day from %(first)s to %(last)s: "),
        empty_message=_("No signatures yet."),
    )


def _month_chart(per_month: list[tuple[date, int]], f: _Formats) -> Markup:
    return _time_chart(
        [Bar(f.day(month, "LLLL yyyy"), n, f.day(month, "MMM yy")) for month, n in per_month],
        f,
        chart_id="per-month",
        title=_("Confirmed signatures per month (UTC)"),
        summary=_("One bar per month from %(first)s to %(last)s: "),
        empty_message=_("No signatures yet."),
    )


def _ranked_chart(
    bars: list[Bar], f: _Formats, *, chart_id: str, title: str, empty_message: str
) -> Markup:
    """A horizontal bar chart of named totals, with the largest one named in its summary."""
    return _ranked(
        bars,
        f,
        chart_id=chart_id,
        title=title,
        summary=f.peak(bars) if bars else "",
        empty_message=empty_message,
    )


def _hour_chart(per_hour: list[tuple[datetime, int]], f: _Formats) -> Markup:
    return _time_chart(
        [Bar(f.hour(hour), n, f.hour_tick(hour)) for hour, n in per_hour],
        f,
        chart_id="per-hour",
        title=_("Confirmed signatures per hour (UTC)"),
        summary=_("One bar per hour from %(first)s to %(last)s: "),
        empty_message=_("No signatures in these hours."),
    )


def _country_chart(by_country: list[tuple[str, int]], f: _Formats) -> Markup:
    bars = [Bar(country_name(code), n) for code, n in by_country]
    return _ranked(
        bars,
        f,
        chart_id="by-country",
        title=_("Confirmed signatures by country"),
        summary=(
            _("%(count)s countries, most signatures first: ", count=len(bars)) + f.peak(bars)
            if bars
            else ""
        ),
        empty_message=_("No signatures yet."),
    )


@bp.get("/petitions/<int:petition_id>/statistics")
@organiser_required
def petition(petition_id: int) -> ResponseReturnValue:
    petition = petition_or_403(petition_id)
    day_text = request.args.get("day", "").strip()
    day_error, status = None, 200
    try:
        stats = service.petition_statistics(petition, day_text or None)
    except service.BadDay as error:
        day_error = _(
            "Enter a day as YYYY-MM-DD, from %(first)s to %(last)s.",
            first=error.first.isoformat(),
            last=error.last.isoformat(),
        )
        stats, status = service.petition_statistics(petition), 400
    rate = stats.confirmation_rate
    f = _Formats()
    page = render_template(
        "statistics/petition.html",
        num=f.number,
        petition=petition,
        stats=stats,
        rate=None if rate is None else format_percent(rate, "#,##0.0%"),
        day_text=day_text,
        day_error=day_error,
        day_chart=_day_chart(stats.per_day, f),
        month_chart=_month_chart(stats.per_month, f) if len(stats.per_month) > 3 else None,
        hour_chart=_hour_chart(stats.per_hour, f),
        country_chart=_country_chart(stats.by_country, f),
    )
    return page, status


@bp.get("/campaigns/<int:campaign_id>/statistics")
@organiser_required
def campaign(campaign_id: int) -> ResponseReturnValue:
    campaign = campaign_or_403(campaign_id)
    stats = service.campaign_statistics(campaign)
    f = _Formats()
    occasion_label = _("No occasion given")
    return render_template(
        "statistics/campaign.html",
        num=f.number,
        campaign=campaign,
        stats=stats,
        petition_chart=_ranked_chart(
            [Bar(petition_text(p, str(get_locale())).title, n) for p, n in stats.petitions],
            f,
            chart_id="petitions",
            title=_("Confirmed signatures per petition"),
            empty_message=_("No signatures yet."),
        ),
        prisoner_chart=_ranked_chart(
            [Bar(p.name_in(str(get_locale())), n) for p, n in stats.top_prisoners],
            f,
            chart_id="cards-per-prisoner",
            title=_("Cards reported sent, per prisoner"),
            empty_message=_("No cards reported sent yet."),
        ),
        occasion_chart=_ranked_chart(
            [Bar(occasion_name(o) if o else occasion_label, n) for o, n in stats.per_occasion],
            f,
            chart_id="cards-per-occasion",
            title=_("Cards reported sent, per occasion"),
            empty_message=_("No cards reported sent yet."),
        ),
    )
