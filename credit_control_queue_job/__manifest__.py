{
    "name": "Credit Control - Dunning Jobs (queue_job)",
    "summary": "The chunks of a dunning run become queue_job jobs shared by the workers of every server",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Credit Control for Odoo contributors",
    "website": "https://github.com/credit-control-odoo/credit-control",
    "maintainers": ["credit-control-odoo"],
    "license": "AGPL-3",
    "depends": ["credit_control", "queue_job"],
    "data": ["data/queue_job_data.xml"],
    "auto_install": True,
    "installable": True,
}
