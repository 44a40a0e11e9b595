{
    "name": "Credit Control - Solvency Scoring",
    "summary": "Score customers from 0 to 100 and set their risk class, credit limit and deposit",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Credit Control for Odoo contributors",
    "website": "https://github.com/credit-control-odoo/credit-control",
    "maintainers": ["credit-control-odoo"],
    "license": "AGPL-3",
    "depends": ["credit_control"],
    "data": [
        "views/credit_control_scoring_menus.xml",
    ],
    "installable": True,
}
