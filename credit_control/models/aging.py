"""Aging buckets: pure functions, no ORM (tested without a database)."""

DEFAULT_PERIODS = (30, 60, 90)


def check_periods(periods):
    """Return an error message when bucket bounds are not strictly increasing positive days."""
    if any(p is None or p <= 0 for p in periods):
        return "positive"
    if any(a >= b for a, b in zip(periods, periods[1:], strict=False)):
        return "increasing"
    return None


def bucket_of(days_overdue, periods=DEFAULT_PERIODS):
    """Index of the bucket of an item ``days_overdue`` days past due: 0 = not due, 1..4 = periods."""
    if days_overdue <= 0:
        return 0
    for index, bound in enumerate(periods, start=1):
        if days_overdue <= bound:
            return index
    return len(periods) + 1


def bucket_labels(periods, not_due_label, over_label):
    """Labels of the buckets: "Not Due", "1-30", "31-60", "61-90", "Over 90" for (30, 60, 90)."""
    labels = [not_due_label]
    low = 1
    for bound in periods:
        labels.append(f"{low}-{bound}")
        low = bound + 1
    labels.append(over_label)
    return labels
