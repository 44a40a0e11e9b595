{
    "name": "Credit Control - Commissions on Cash Collected",
    "summary": "Sales commissions computed on cash collected or collected gross margin, " "not on revenue invoiced",
    "version": "18.0.1.0.0",
    "category": "Sales/Commissions",
    "author": "Credit Control for Odoo contributors",
    "website": "https://github.com/credit-control-odoo/credit-control",
    "maintainers": ["credit-control-odoo"],
    "license": "AGPL-3",
    "depends": ["credit_control"],
    "data": [
        "views/credit_control_commission_menus.xml",
    ],
    "installable": True,
}
