"""List filters on dates typed and shown dd/mm/yyyy (Flask-Admin's own date filters take yyyy-mm-dd from a
date picker): a plain text field (`data_type` "vn-date", given its placeholder by
admin/static/js/vn-date-filters.js), read with `admin.i18n.parse_vn_date`."""

from __future__ import annotations

from flask_admin.contrib.sqla import filters

from .i18n import parse_vn_date

VN_DATE = "vn-date"


class _VnDate:
    def __init__(self, column, name, options=None, data_type=None):
        super().__init__(column, name, options)
        self.data_type = VN_DATE  # not Flask-Admin's date picker (yyyy-mm-dd)

    def validate(self, value) -> bool:
        try:
            return parse_vn_date(value) is not None
        except ValueError:
            return False

    def clean(self, value):
        return parse_vn_date(value)


class DateAfter(_VnDate, filters.DateGreaterFilter):
    """Date after (dd/mm/yyyy)."""

    def operation(self):
        return "sau ngày"


class DateBefore(_VnDate, filters.DateSmallerFilter):
    """Date before (dd/mm/yyyy)."""

    def operation(self):
        return "trước ngày"


class DateOn(_VnDate, filters.DateEqualFilter):
    """Date equal to (dd/mm/yyyy)."""

    def operation(self):
        return "vào ngày"
