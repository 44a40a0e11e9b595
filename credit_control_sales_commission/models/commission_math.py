"""Commission arithmetic: pure functions, no ORM (tested without a database).

A seller's commission in a period is ``C(T, F) = cap(tiers(T) + F)`` where ``T`` is the collected
base priced by the progressive tiers and ``F`` the commission of the lines priced at a flat rate.
Each collection (or reversal) moves ``T`` and ``F``; the line it creates carries
``C(after) - C(before)``, so that whatever the order of the payments and reversals, the lines of a
period always add up to ``C`` of the period's totals."""

import datetime

from dateutil.relativedelta import relativedelta

PERIOD_MONTHS = {"month": 1, "quarter": 3, "semester": 6, "year": 12}


def period_start(day, period="month"):
    """First day of the settlement period (month, quarter, semester or year) holding ``day``."""
    months = PERIOD_MONTHS[period]
    first_month = (day.month - 1) // months * months + 1
    return datetime.date(day.year, first_month, 1)


def next_period_start(start, period="month"):
    return start + relativedelta(months=PERIOD_MONTHS[period])


def period_end(start, period="month"):
    return next_period_start(start, period) - relativedelta(days=1)


def tiered_commission(base, tiers):
    """Progressive commission on ``base``: ``tiers`` lists (threshold, rate in %) by increasing
    threshold; each rate applies to the part of the base between its threshold and the next one,
    nothing below the first threshold. A negative base (more reversed than collected) gives back
    at the same rates."""
    if base < 0:
        return -tiered_commission(-base, tiers)
    total = 0.0
    for index, (threshold, rate) in enumerate(tiers):
        if base <= threshold:
            break
        upper = tiers[index + 1][0] if index + 1 < len(tiers) else None
        part = (base if upper is None else min(base, upper)) - threshold
        total += part * rate / 100.0
    return total


def marginal_rate(base, tiers):
    """Rate (%) of the tier the next unit of base falls in."""
    rate = 0.0
    for threshold, tier_rate in tiers:
        if base >= threshold:
            rate = tier_rate
    return rate


def seller_commission(tier_base, flat_amount, tiers, cap=0.0):
    """``C(T, F)``: tiered commission plus flat commission, limited to ``cap`` when there is one."""
    amount = tiered_commission(tier_base, tiers) + flat_amount
    if cap and amount > cap:
        return cap
    return amount


def allocate(total, weights):
    """Split ``total`` in proportion to ``weights`` (floats, not rounded); all zero when the weights
    add up to zero."""
    weight_sum = sum(weights)
    if not weight_sum:
        return [0.0] * len(weights)
    return [total * weight / weight_sum for weight in weights]


def check_tiers(tiers):
    """Error key of a tier scale, None when valid: thresholds positive and all different."""
    thresholds = [threshold for threshold, _rate in tiers]
    if any(threshold < 0 for threshold in thresholds):
        return "negative"
    if len(set(thresholds)) != len(thresholds):
        return "duplicate"
    return None
