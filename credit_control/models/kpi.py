"""KPI arithmetic: pure functions, no ORM (tested without a database)."""

import calendar

# Days of sales behind the per-customer DSO of the Customer Credit report.
PARTNER_DSO_DAYS = 90


def dso_simple(receivables, sales, days):
    """Simple DSO: receivables / sales of the last ``days`` days x ``days``. None without sales."""
    if not sales:
        return None
    return receivables / sales * days


def dso_countback(receivables, monthly_sales):
    """Countback DSO: the number of days of the most recent sales that make up the receivables.

    ``monthly_sales`` lists (days_in_month, sales) from the most recent month backwards. Whole
    months are counted while their sales fit in what remains of the receivables; the last one
    counts pro rata. When the sales of every month do not make up the receivables, every day
    is counted (the receivables are older than the history given)."""
    remaining = receivables
    days = 0.0
    if remaining <= 0:
        return 0.0
    for month_days, sales in monthly_sales:
        if sales <= 0:
            days += month_days
            continue
        if remaining <= sales:
            return days + remaining / sales * month_days
        remaining -= sales
        days += month_days
    return days


def month_days(year, month):
    return calendar.monthrange(year, month)[1]


def ratio(part, whole):
    """part / whole, None when whole is 0."""
    return part / whole if whole else None


def sales_to_make_up(overdue, margin_percent):
    """Sales needed to earn back the overdue amount at a margin rate: 4,000 at 5 % is 80,000."""
    if not margin_percent:
        return None
    return overdue / (margin_percent / 100.0)
