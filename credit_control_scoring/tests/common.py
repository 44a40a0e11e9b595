from odoo import Command

from odoo.addons.credit_control.tests.common import CreditControlCommon


class ScoringCommon(CreditControlCommon):
    """Four risk classes, and two customers with a hand-built payment history seen on 2026-06-30:

    Late Payer (window 2025-06-30 to 2026-06-30):
    - INV1 1,000 invoiced 2026-01-01, due 2026-01-31, paid 2026-02-20 (20 days late);
    - INV2 3,000 invoiced 2026-02-01, due 2026-03-03, paid 2026-03-01 (on time);
    - INV3 2,000 invoiced 2026-04-01, due 2026-05-01, 500 paid 2026-05-11 (10 days late), 1,500 open
      (60 days late on 2026-06-30);
    - INV4 4,000 invoiced 2026-06-15, due 2026-07-15 (not due).
    Good Payer:
    - INV5 2,000 invoiced 2026-03-01, due 2026-03-31, paid 2026-03-25;
    - INV6 4,500 invoiced 2026-06-01, due 2026-07-01 (not due).
    """

    TODAY = "2026-06-30"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        RiskClass = cls.env["credit.control.risk.class"]
        cls.class_sa, cls.class_sb, cls.class_sc, cls.class_sd = RiskClass.create(
            [
                {"code": "SA", "name": "Scoring Trusted", "credit_limit": 50000.0, "deposit_percent": 0.0},
                {"code": "SB", "name": "Scoring Standard", "credit_limit": 20000.0, "deposit_percent": 0.0},
                {"code": "SC", "name": "Scoring Watch", "credit_limit": 5000.0, "deposit_percent": 30.0},
                {"code": "SD", "name": "Scoring Cash", "credit_limit": 0.0, "deposit_percent": 100.0},
            ]
        )
        Partner = cls.env["res.partner"]
        cls.late_payer = Partner.create({"name": "Late Payer SARL", "is_company": True})
        cls.good_payer = Partner.create({"name": "Good Payer SA", "is_company": True})
        inv1 = cls.make_invoice(cls.late_payer, 1000.0, "2026-01-01", "2026-01-31")
        inv2 = cls.make_invoice(cls.late_payer, 3000.0, "2026-02-01", "2026-03-03")
        inv3 = cls.make_invoice(cls.late_payer, 2000.0, "2026-04-01", "2026-05-01")
        cls.make_invoice(cls.late_payer, 4000.0, "2026-06-15", "2026-07-15")
        inv5 = cls.make_invoice(cls.good_payer, 2000.0, "2026-03-01", "2026-03-31")
        cls.make_invoice(cls.good_payer, 4500.0, "2026-06-01", "2026-07-01")
        cls.pay(inv1, 1000.0, "2026-02-20")
        cls.pay(inv2, 3000.0, "2026-03-01")
        cls.pay(inv3, 500.0, "2026-05-11")
        cls.pay(inv5, 2000.0, "2026-03-25")

    @classmethod
    def make_model(cls, factors, thresholds=None, **vals):
        """A scoring model of the test company. ``factors``: {code: weight} for standard bands,
        or {code: (weight, [(lower bound, points[, cap])])}."""
        factor_cmds = []
        for sequence, (code, spec) in enumerate(factors.items()):
            factor_vals = {"factor": code, "sequence": sequence}
            if isinstance(spec, tuple):
                weight, bands = spec
                factor_vals["weight"] = weight
                factor_vals["band_ids"] = [
                    Command.create(
                        {"lower_bound": band[0], "points": band[1], "max_score": band[2] if len(band) > 2 else 100}
                    )
                    for band in bands
                ]
            else:
                factor_vals["weight"] = spec
            factor_cmds.append(Command.create(factor_vals))
        if thresholds is None:
            thresholds = [(75, cls.class_sa), (55, cls.class_sb), (35, cls.class_sc), (0, cls.class_sd)]
        return cls.env["credit.control.scoring.model"].create(
            {
                "name": "Test model",
                "company_id": cls.company.id,
                "factor_ids": factor_cmds,
                "threshold_ids": [
                    Command.create({"min_score": minimum, "risk_class_id": rclass.id}) for minimum, rclass in thresholds
                ],
                **vals,
            }
        )

    @classmethod
    def line_of(cls, score, code):
        return score.line_ids.filtered(lambda line: line.factor == code)
