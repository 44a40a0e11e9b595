from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        # EXTENDS 'sale': an online payment confirms the quotation only if the credit rules pass
        # (a paid deposit counts); otherwise the quotation waits for the credit manager
        reviewable = self.filtered(lambda tx: len(tx.sale_order_ids) == 1)
        allowed_orders = reviewable.sale_order_ids._cc_keep_blocked_for_review()
        kept = self.filtered(lambda tx: tx not in reviewable or tx.sale_order_ids <= allowed_orders)
        return super(PaymentTransaction, kept)._check_amount_and_confirm_order()
