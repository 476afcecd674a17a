"""Vietnamese everywhere: Flask-Babel selects `vi` (Flask-Admin's own strings use its `vi` catalog),
and on screen dates read dd/mm/yyyy and decimals take a comma (`1.234,5`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import Babel

from app.services.assessments.report_data import period_label

babel = Babel()
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vn_date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):  # stored in UTC without a zone; shown in Vietnam's time
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def parse_vn_date(text: str) -> dt.date | None:
    """A date as users type it: dd/mm/yyyy (d/m/yyyy too; yyyy-mm-dd accepted); None when empty,
    ValueError when unreadable."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f'ngày "{text}" không hợp lệ; viết dạng dd/mm/yyyy, ví dụ 01/07/2026')


def vn_number(value, places: int | None = None) -> str:
    """1234.5 -> "1.234,5"; trailing zeros of a Decimal dropped (2.500000 -> "2,5")."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if places is not None:
            value = value.quantize(Decimal(1).scaleb(-places))
        text = format(value.normalize() if places is None else value, "f")
    else:
        text = str(value)
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")


def vn_exact(value) -> str:
    """An exact score or criterion value as the explanations write it (dsl.engine.values.format_exact):
    97,5 stays 97,5; 1/3 reads 0,333333…; stored text ("97.5", "2923/30") is read exactly first."""
    if value is None or value == "":
        return ""
    from dsl.engine.values import format_exact

    if isinstance(value, str | Decimal):
        value = Fraction(str(value))
    return format_exact(value)


def vn_bool(value) -> str:
    return "có" if value else "không"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "vi")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh")
    babel.init_app(app, locale_selector=lambda: "vi")
    app.jinja_env.filters["vn_date"] = vn_date
    app.jinja_env.filters["vn_number"] = vn_number
    app.jinja_env.filters["vn_bool"] = vn_bool
    app.jinja_env.filters["vn_exact"] = vn_exact
    app.jinja_env.filters["vn_period"] = period_label  # "2026-04" -> "tháng 04/2026", as the reports say it
