from odoo import fields
from odoo import models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    cc_commission_free = fields.Boolean(
        string="No Sales Commission",
        help="Collecting the sale of this product earns no commission (e.g. shipping costs, deposits).",
    )
