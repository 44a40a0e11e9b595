"""The daily action rescores the customers whose scoring data changed since their latest score.

Timestamps are set explicitly: inside one test transaction every write has the same time."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import ScoringCommon
from .test_decisions import PAYMENT_FACTORS


@tagged("post_install", "-at_install")
class TestCron(ScoringCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.model = cls.make_model(PAYMENT_FACTORS, is_default=True)
        cls.late_payer.customer_rank = cls.good_payer.customer_rank = 1
        cls.Score = cls.env["credit.control.score"]

    def scores_of(self, partner):
        return self.Score.search_count([("partner_id", "=", partner.id)])

    def date_scores(self, when):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE credit_control_score SET date = %s WHERE partner_id = ANY(%s)",
                when,
                (self.late_payer | self.good_payer).ids,
            )
        )
        self.Score.invalidate_model(["date"])

    def test_cron_rescores_changed_customers_only(self):
        self.Score.search([("partner_id", "in", (self.late_payer | self.good_payer).ids)]).unlink()
        self.model._cron_score_changed_customers()
        self.assertEqual((self.scores_of(self.late_payer), self.scores_of(self.good_payer)), (1, 1), "never scored")

        # scored after every change of their data: nothing to do
        transaction_time = self.env.cr.now()
        self.date_scores(transaction_time + timedelta(hours=1))
        self.model._cron_score_changed_customers()
        self.assertEqual((self.scores_of(self.late_payer), self.scores_of(self.good_payer)), (1, 1))

        # new financial data for the good payer, dated after its score
        self.env["credit.control.financial.statement"].create({"partner_id": self.good_payer.id, "year": 2025})
        self.good_payer.cc_score_data_date = transaction_time + timedelta(hours=2)
        self.model._cron_score_changed_customers()
        self.assertEqual((self.scores_of(self.late_payer), self.scores_of(self.good_payer)), (1, 2))

        # scored before the invoices and payments were recorded: both rescored
        self.good_payer.cc_score_data_date = False
        self.date_scores(transaction_time - timedelta(hours=1))
        self.model._cron_score_changed_customers()
        self.assertEqual((self.scores_of(self.late_payer), self.scores_of(self.good_payer)), (2, 3))

    @freeze_time(ScoringCommon.TODAY)
    def test_stale_scores_and_installments_falling_due(self):
        quiet = self.env["res.partner"].create({"name": "Quiet customer", "is_company": True})
        self.model._score_partners(quiet | self.late_payer)
        now = fields.Datetime.now()
        self.env.flush_all()
        # the invoices and payments of the late payer were recorded on 2026-02-01
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET write_date = '2026-02-01' WHERE commercial_partner_id = %(id)s;"
                "UPDATE account_partial_reconcile SET create_date = '2026-02-01' WHERE debit_move_id IN "
                "(SELECT id FROM account_move_line WHERE partner_id = %(id)s)",
                id=self.late_payer.id,
            )
        )

        def rescored(score_date):
            self.env.cr.execute(
                SQL(
                    "UPDATE credit_control_score SET date = %s WHERE partner_id = ANY(%s)",
                    score_date,
                    (quiet | self.late_payer).ids,
                )
            )
            return self.model._changed_partner_ids((quiet | self.late_payer).ids)

        # the model rescores every 30 days even without change
        self.assertEqual(rescored(now - timedelta(days=29)), [])
        self.assertEqual(rescored(now - timedelta(days=31)), sorted((quiet | self.late_payer).ids))
        # late payer: INV3 (due 2026-05-01, still open) became overdue on 2026-05-02
        self.model.rescore_days = 3650
        self.assertEqual(rescored(fields.Datetime.to_datetime("2026-05-01 12:00:00")), self.late_payer.ids)
        self.assertEqual(rescored(fields.Datetime.to_datetime("2026-05-02 12:00:00")), [])

    def test_dunning_events_trigger_a_rescore(self):
        partners = self.late_payer | self.good_payer
        self.model._score_partners(partners)
        later = self.env.cr.now() + timedelta(hours=1)
        self.date_scores(later)
        self.assertEqual(self.model._changed_partner_ids(partners.ids), [])
        invoice = self.env["account.move"].search(
            [("partner_id", "=", self.good_payer.id), ("move_type", "=", "out_invoice")], limit=1
        )
        dispute = self.env["credit.control.dispute"].create({"move_id": invoice.id})
        self.env.flush_all()
        # the dispute is recorded after the latest score
        self.env.cr.execute(
            SQL(
                "UPDATE credit_control_dispute SET write_date = %s WHERE id = %s",
                later + timedelta(hours=1),
                dispute.id,
            )
        )
        self.assertEqual(self.model._changed_partner_ids(partners.ids), self.good_payer.ids)
