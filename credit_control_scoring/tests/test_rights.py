"""Only credit managers change scoring models, import bureau scores and apply decisions."""

import base64

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import ScoringCommon
from .test_decisions import PAYMENT_FACTORS


@tagged("post_install", "-at_install")
@freeze_time(ScoringCommon.TODAY)
class TestRights(ScoringCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.model = cls.make_model(PAYMENT_FACTORS, is_default=True)
        common = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.credit_user = new_test_user(
            cls.env,
            login="scoring_credit_user",
            groups="base.group_user,base.group_partner_manager,credit_control.group_credit_control_user",
            **common,
        )
        cls.credit_manager = new_test_user(
            cls.env,
            login="scoring_credit_manager",
            groups="base.group_user,credit_control.group_credit_control_manager",
            **common,
        )

    def test_credit_user_cannot_change_models(self):
        model = self.model.with_user(self.credit_user)
        self.assertEqual(model.name, "Test model", "credit users read the models")
        with self.assertRaises(AccessError):
            model.write({"hysteresis_margin": 0.0})
        with self.assertRaises(AccessError):
            model.factor_ids[0].weight = 99.0
        with self.assertRaises(AccessError):
            model.factor_ids[0].band_ids[0].points = 1.0
        with self.assertRaises(AccessError):
            model.threshold_ids[0].min_score = 1.0
        with self.assertRaises(AccessError):
            self.env["credit.control.scoring.model"].with_user(self.credit_user).create({"name": "Mine"})
        # the manager can
        self.model.with_user(self.credit_manager).write({"hysteresis_margin": 0.0})
        self.assertEqual(self.model.hysteresis_margin, 0.0)

    def test_credit_user_scores_but_cannot_decide(self):
        partner = self.late_payer.with_user(self.credit_user)
        partner.action_cc_score_now()
        score = partner.cc_score_id
        self.assertEqual(score.state, "to_review")
        with self.assertRaises(AccessError):
            score.action_accept()
        with self.assertRaises(AccessError):
            score.action_reject()
        self.assertEqual(score.state, "to_review")
        with self.assertRaises(AccessError):
            self.model.with_user(self.credit_user).action_score_customers()
        score.with_user(self.credit_manager).action_accept()
        self.assertEqual(score.state, "applied")
        self.assertEqual(self.late_payer.with_company(self.company).cc_risk_class_id, self.class_sc)

    def test_auto_model_applies_when_a_credit_user_scores(self):
        """The decision belongs to the model a manager set to apply automatically."""
        self.model.decision_mode = "auto"
        self.late_payer.with_user(self.credit_user).action_cc_score_now()
        self.assertEqual(self.late_payer.with_company(self.company).cc_risk_class_id, self.class_sc)

    def test_only_managers_import_bureau_scores_or_set_scoring_fields(self):
        vals = {"file": base64.b64encode(b"ref,score\nX,1\n"), "provider": "Bureau"}
        with self.assertRaises(AccessError):
            self.env["credit.control.bureau.import"].with_user(self.credit_user).create(vals)
        self.env["credit.control.bureau.import"].with_user(self.credit_manager).create(vals)
        partner = self.late_payer.with_user(self.credit_user)
        with self.assertRaisesRegex(AccessError, "Only credit managers can change scoring models and bureau scores"):
            partner.write({"cc_bureau_score": 50.0, "cc_bureau_date": "2026-06-01"})
        with self.assertRaisesRegex(AccessError, "Scoring Model"):
            partner.cc_scoring_model_id = self.model
        partner.cc_founding_date = "2001-01-01"
        self.late_payer.with_user(self.credit_manager).write({"cc_bureau_score": 50.0, "cc_bureau_date": "2026-06-01"})
        self.assertEqual(self.late_payer.cc_bureau_score, 50.0)
