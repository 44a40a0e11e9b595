"""Score arithmetic without ORM state: band mapping, weighted combination, class thresholds with
hysteresis, the recommended credit limit, SIREN/SIRET helpers and the standard factor bands.

Everything here takes and returns plain Python values so that it is tested without a database."""

import calendar
import datetime
import math
import re

from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

# The score of a customer about whom everything is known and good. Each factor takes points away
# from it in proportion to its weight: ``contribution = weight share x (points - 100)``.
MAX_SCORE = 100.0

# The measured value of the gearing when the equity is zero or negative: worse than any band.
GEARING_NEGATIVE_EQUITY = 999.0
# The measured value of the solvency when the customer has no debts: better than any band.
SOLVENCY_NO_DEBT = 999.0

# Standard factors: default weight and bands [(lower bound, points, score cap)], used to build
# the standard model and to prefill a factor chosen in the form. A value below the lowest bound
# takes the lowest band.
STANDARD_FACTORS = {
    "avg_days_late": (20.0, [(0, 100), (1, 90), (5, 75), (15, 50), (30, 25), (60, 0)]),
    "late_share": (15.0, [(0, 100), (10, 80), (25, 55), (40, 30), (60, 0)]),
    "overdue_share": (10.0, [(0, 100), (10, 75), (30, 40), (50, 10), (75, 0)]),
    "dunning_level": (10.0, [(0, 100), (1, 80), (2, 50), (3, 20), (4, 0)]),
    "disputes": (5.0, [(0, 100), (1, 70), (3, 30), (5, 0)]),
    "broken_promises": (5.0, [(0, 100), (1, 60), (2, 30), (4, 0)]),
    "payment_plans": (5.0, [(0, 100), (1, 60), (2, 30)]),
    "account_age": (5.0, [(0, 30), (6, 50), (12, 70), (36, 90), (60, 100)]),
    "exposure_ratio": (5.0, [(0, 100), (2, 80), (4, 50), (6, 20), (9, 0)]),
    "concentration": (5.0, [(0, 100), (5, 80), (10, 60), (20, 30), (35, 0)]),
    "revenue": (5.0, [(0, 20), (100000, 40), (1000000, 60), (10000000, 80), (50000000, 100)]),
    "gearing": (10.0, [(0, 100), (0.5, 80), (1, 60), (2, 30), (3, 0)]),
    "solvency": (10.0, [(0, 0), (1, 20), (1.2, 50), (1.5, 75), (2, 100)]),
    "net_margin": (5.0, [(-100, 0), (0, 40), (2, 60), (5, 80), (10, 100)]),
    "company_age": (5.0, [(0, 20), (2, 40), (5, 70), (10, 90), (20, 100)]),
    "sector": (5.0, [(1, 100), (2, 80), (3, 60), (4, 35), (5, 10)]),
    "bureau_score": (15.0, [(0, 0), (20, 20), (40, 50), (60, 75), (80, 100)]),
    "insolvency": (10.0, [(0, 100), (1, 0, 0)]),
}

# Standard thresholds: minimum score -> risk class code of credit_control's default classes.
STANDARD_THRESHOLDS = [(75, "A"), (55, "B"), (35, "C"), (0, "D")]


def band_for(bands, value, ordered=False):
    """The band of ``value``: the one with the greatest lower bound at or below it.

    ``bands`` is a list of (lower bound, points, cap), sorted by lower bound when ``ordered``; a
    value below every bound takes the lowest band. Returns None when there is no band."""
    if not bands:
        return None
    if not ordered:
        bands = sorted(bands, key=lambda band: band[0])
    chosen = bands[0]
    for band in bands:
        if value >= band[0]:
            chosen = band
        else:
            break
    return chosen


def combine(factors):
    """Combine measured factors into a score.

    ``factors`` is a list of dicts with ``weight`` (> 0), ``points`` (0-100, None when the factor
    is missing) and ``cap`` (highest total score this factor allows, None for no cap).
    Returns a dict: ``score`` (None when no factor is known), ``confidence`` (share of the weight
    that was measured, 0-100), ``contributions`` (one per factor, None when missing) and ``cap``
    (the cap that lowered the score, or None)."""
    total_weight = sum(f["weight"] for f in factors)
    present = [f for f in factors if f["points"] is not None]
    present_weight = sum(f["weight"] for f in present)
    confidence = 100.0 * present_weight / total_weight if total_weight else 0.0
    contributions = []
    for factor in factors:
        if factor["points"] is None or not present_weight:
            contributions.append(None)
        else:
            contributions.append(factor["weight"] / present_weight * (factor["points"] - MAX_SCORE))
    if not present_weight:
        return {"score": None, "confidence": confidence, "contributions": contributions, "cap": None}
    score = MAX_SCORE + sum(c for c in contributions if c is not None)
    caps = [f["cap"] for f in present if f.get("cap") is not None]
    applied_cap = None
    if caps and min(caps) < score:
        applied_cap = min(caps)
        score = applied_cap
    score = min(max(score, 0.0), MAX_SCORE)
    return {"score": score, "confidence": confidence, "contributions": contributions, "cap": applied_cap}


def months_between(start, end):
    """Whole months from ``start`` to ``end`` (dates), as ``relativedelta(end, start)`` counts them
    (years x 12 + months; a month from the 31st ends on the last day of a shorter month), without
    building a relativedelta: this runs once per customer in a scoring run."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0:
        years, month = divmod(start.month - 1 + months, 12)
        year = start.year + years
        day = min(start.day, calendar.monthrange(year, month + 1)[1])
        if datetime.date(year, month + 1, day) > end:
            months -= 1
    return months


def class_for_score(thresholds, score, current=None, margin=0.0):
    """The risk class of ``score``, and whether the current class was kept by the margin.

    ``thresholds`` is a list of (minimum score, class key). A customer already in a class of the
    list keeps it while its score stays within ``margin`` points of that class's band, so that a
    score oscillating around a boundary does not flip the class every day.
    Returns (class key or None, kept_by_margin)."""
    ordered = sorted(thresholds, key=lambda t: t[0], reverse=True)
    raw = next((key for minimum, key in ordered if score >= minimum), None)
    if current is None or current == raw or margin <= 0:
        return raw, False
    for index, (minimum, key) in enumerate(ordered):
        if key != current:
            continue
        upper = ordered[index - 1][0] if index else None
        if score >= minimum - margin and (upper is None or score < upper + margin):
            return current, True
        break
    return raw, False


def recommended_limit(
    revenue=None,
    revenue_percent=0.0,
    monthly_purchases=None,
    term_days=0,
    purchase_factor=1.0,
    class_limit=None,
    cap_by_class=False,
    rounding=0.0,
):
    """The recommended credit limit: a share of the customer's revenue, capped by its average
    monthly purchases x its payment term (in months) x a factor; either alone when the other is
    unknown; None when neither is known (the risk class default then applies).

    The result is capped by the class default limit when ``cap_by_class`` and rounded down to a
    multiple of ``rounding``."""
    parts = []
    if revenue is not None and revenue > 0 and revenue_percent > 0:
        parts.append(revenue * revenue_percent / 100.0)
    if monthly_purchases is not None and monthly_purchases > 0 and term_days > 0:
        parts.append(monthly_purchases * term_days / 30.0 * purchase_factor)
    if not parts:
        return None
    limit = min(parts)
    if cap_by_class and class_limit is not None:
        limit = min(limit, class_limit)
    if rounding > 0:
        limit = math.floor(limit / rounding + 1e-9) * rounding
    return max(limit, 0.0)


def compact_registry(value):
    """Digits of a SIREN/SIRET as typed (spaces, dots and dashes removed)."""
    return re.sub(r"[\s.\-]", "", value or "")


def registry_kind(value):
    """'siren' or 'siret' when ``value`` is a valid one, else None."""
    number = compact_registry(value)
    if len(number) == 9 and stdnum_siren.is_valid(number):
        return "siren"
    if len(number) == 14 and stdnum_siret.is_valid(number):
        return "siret"
    return None


def siren_of(registry=None, vat=None):
    """The SIREN of a French company from its SIREN/SIRET or, failing that, its French VAT number
    (FR + 2-character key + SIREN). None when neither gives a valid SIREN."""
    if registry_kind(registry):
        return compact_registry(registry)[:9]
    number = re.sub(r"[\s.\-]", "", vat or "").upper()
    if number.startswith("FR") and len(number) == 13 and stdnum_siren.is_valid(number[4:]):
        return number[4:]
    return None


def compact_vat(value):
    """A VAT number without spaces, dots or dashes, in upper case."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def financial_ratios(revenue=None, equity=None, total_assets=None, total_debts=None, net_debt=None, net_result=None):
    """Ratios derived from a financial statement; None when the figures needed are not given.

    - gearing = net debt / equity (``GEARING_NEGATIVE_EQUITY`` when the equity is zero or
      negative while there is a net debt or a negative equity);
    - solvency = total assets / total debts (``SOLVENCY_NO_DEBT`` without debts);
    - net margin = net result / revenue, in %."""
    gearing = solvency = net_margin = None
    if equity is not None and (equity or net_debt):
        gearing = round((net_debt or 0.0) / equity, 2) if equity > 0 else GEARING_NEGATIVE_EQUITY
    if total_assets:
        solvency = round(total_assets / total_debts, 2) if total_debts and total_debts > 0 else SOLVENCY_NO_DEBT
    if revenue and revenue > 0 and net_result is not None:
        net_margin = round(100.0 * net_result / revenue, 1)
    return {"gearing": gearing, "solvency": solvency, "net_margin": net_margin}
