"""Late-payment penalty arithmetic (French Code de commerce, articles L441-10 and D441-5).

Plain Python, no ORM state: the dunning run and the penalty wizard feed it dates, amounts and
the dated rate table, and get amounts back. Amounts are computed with ``Decimal`` and rounded
half-up at the end, so that 10,000.00 EUR 30 days late at 12.15 % gives exactly 99.86 EUR.

Conventions:

* days late of an installment on ``date``: ``(date - due_date).days``; the due date itself is
  not late, the next day is the first day late;
* interest of a day d = amount still due on d x annual rate applicable on d / days in year;
* the rate applicable on d is the rate of the table row with the latest start date <= d (the
  French rate is the ECB refinancing rate of the half-year + 10 points, so the table has one row
  per half-year);
* a payment made on day p stops the interest on the amount paid from day p + 1.
"""

from datetime import date
from datetime import timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal

ONE_DAY = timedelta(days=1)


class MissingRateError(ValueError):
    """No rate of the table applies on a day for which interest is due."""

    def __init__(self, day):
        super().__init__(day)
        self.day = day


def days_late(due_date, on_date):
    """Days between the due date and ``on_date`` (negative before the due date)."""
    return (on_date - due_date).days


def to_decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def quantize(value, digits=2):
    """Round half-up to ``digits`` decimals (the rounding of amounts on invoices)."""
    return to_decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def rate_on(rates, day):
    """Annual rate (percent) applicable on ``day``: the row with the latest start <= day.

    ``rates`` is a list of ``(date_start, rate_percent)`` sorted by date."""
    applicable = None
    for start, rate in rates:
        if start > day:
            break
        applicable = rate
    if applicable is None:
        raise MissingRateError(day)
    return to_decimal(applicable)


def interest_segments(amount_due, due_date, on_date, rates, payments=()):
    """Split the late days of an installment into segments of constant amount and rate.

    :param amount_due: amount still unpaid on ``on_date``
    :param payments: ``[(date, amount)]`` paid after the due date (by ``on_date`` or later: a
        payment after ``on_date`` was still due on it); earlier payments are ignored
    :returns: list of ``(first_day, last_day, amount, rate_percent)``, empty when not late
    """
    if on_date <= due_date:
        return []
    payments = [(day, to_decimal(amount)) for day, amount in payments if day > due_date]
    first_days = {due_date + ONE_DAY}
    first_days.update(start for start, _rate in rates if due_date + ONE_DAY < start <= on_date)
    first_days.update(day + ONE_DAY for day, _amount in payments if day < on_date)
    first_days = sorted(first_days)
    segments = []
    for index, first in enumerate(first_days):
        last = first_days[index + 1] - ONE_DAY if index + 1 < len(first_days) else on_date
        # still due on the segment: the unpaid amount plus what was paid on or after its first day
        amount = to_decimal(amount_due) + sum((a for day, a in payments if day >= first), Decimal(0))
        if amount > 0:
            segments.append((first, last, amount, rate_on(rates, first)))
    return segments


def late_interest(amount_due, due_date, on_date, rates, payments=(), days_in_year=365, digits=2):
    """Late-payment interest of one installment on ``on_date``, rounded to ``digits``.

    amount x annual rate x days late / ``days_in_year``, segment by segment (see
    :func:`interest_segments`)."""
    total = Decimal(0)
    for first, last, amount, rate in interest_segments(amount_due, due_date, on_date, rates, payments):
        days = (last - first).days + 1
        total += amount * rate / Decimal(100) * days / Decimal(days_in_year)
    return quantize(total, digits)


def recovery_indemnity(is_business, invoice_unpaid, amount=40):
    """Flat recovery indemnity of one invoice (D441-5: 40 EUR, business customers only)."""
    if not is_business or not invoice_unpaid:
        return Decimal(0)
    return to_decimal(amount)


def half_year_start(day):
    """First day of the half-year of ``day`` (the French rate changes on 1 January and 1 July)."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)
