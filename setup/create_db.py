"""Create an Odoo database with a company in a given country and language.

Run with the virtualenv's python: create_db.py CONFIG DB [--demo] [--country FR] [--lang fr_FR]
Odoo's own initialization (odoo.service.db) sets the company's country, so that installing
`account` then installs that country's chart of accounts, as the database manager does."""

import argparse

import odoo
from odoo.service import db as db_service


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("database")
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--country")
    parser.add_argument("--lang", default="en_US")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    db_service.exp_create_database(
        args.database, args.demo, args.lang, user_password="admin", login="admin", country_code=args.country
    )


if __name__ == "__main__":
    main()
