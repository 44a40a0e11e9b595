import base64
import binascii
from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.scoring_rules import compact_registry
from ..models.scoring_rules import compact_vat
from .bureau_csv import BureauCsvError
from .bureau_csv import parse_bureau_csv

LINE_STATUS = [
    ("matched", "Matched"),
    ("unmatched", "Unknown Customer"),
    ("ambiguous", "Ambiguous"),
    ("invalid", "Invalid Row"),
]


class CreditControlBureauImport(models.TransientModel):
    """Import bureau scores from a CSV file: preview what matches, then import all rows or none."""

    _name = "credit.control.bureau.import"
    _description = "Import Bureau Scores"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    file = fields.Binary(string="CSV File", required=True, attachment=False)
    filename = fields.Char()
    provider = fields.Char(string="Bureau", required=True, help="Name of the credit bureau the scores come from.")
    default_date = fields.Date(
        string="Score Date",
        required=True,
        default=fields.Date.context_today,
        help="Date given to the rows of the file that have no date column or an empty date.",
    )
    state = fields.Selection([("upload", "Upload"), ("preview", "Preview")], default="upload", required=True)
    line_ids = fields.One2many("credit.control.bureau.import.line", "wizard_id", string="Rows")
    matched_count = fields.Integer(compute="_compute_counts")
    problem_count = fields.Integer(compute="_compute_counts")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("line_ids.status")
    def _compute_counts(self):
        for wizard in self:
            wizard.matched_count = len(wizard.line_ids.filtered(lambda line: line.status == "matched"))
            wizard.problem_count = len(wizard.line_ids) - wizard.matched_count

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_preview(self):
        self.ensure_one()
        self._check_manager()
        self._analyse()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Bureau Scores"),
        }

    def action_back(self):
        self.ensure_one()
        self.line_ids.unlink()
        self.state = "upload"
        return self.action_preview_form()

    def action_preview_form(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Bureau Scores"),
        }

    def action_import(self):
        """Write the scores of every row on its customer, or nothing when a row is not matched."""
        self.ensure_one()
        self._check_manager()
        self._analyse()
        problems = self.line_ids.filtered(lambda line: line.status != "matched")
        if problems:
            details = "\n".join(
                self.env._("Row %(row)s: %(message)s", row=line.row, message=line.message)
                for line in problems.sorted("row")[:20]
            )
            raise UserError(
                self.env._(
                    "Nothing was imported: %(count)s of %(total)s rows are not matched with exactly one customer. "
                    "Correct the file (or the customers) and import it again.\n%(details)s",
                    count=len(problems),
                    total=len(self.line_ids),
                    details=details,
                )
            )
        if not self.line_ids:
            raise UserError(self.env._("The file has no row to import."))
        groups = defaultdict(list)
        for line in self.line_ids:
            groups[(line.score, line.date)].append(line.partner_id.id)
        Partner = self.env["res.partner"]
        for (score, scored_on), partner_ids in groups.items():
            Partner.browse(partner_ids).write(
                {"cc_bureau_score": score, "cc_bureau_date": scored_on, "cc_bureau_provider": self.provider}
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._(
                    "%(count)s bureau scores imported from %(provider)s.",
                    count=len(self.line_ids),
                    provider=self.provider,
                ),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_manager(self):
        if not self.env.user.has_group("credit_control.group_credit_control_manager"):
            raise AccessError(self.env._("Only credit managers can import bureau scores."))

    def _file_errors(self):
        _ = self.env._
        return {
            "encoding": _("The file is neither UTF-8 nor Windows-1252 text."),
            "empty": _("The file is empty."),
            "no_score_column": _("The file has no score column (header 'score' or 'note')."),
            "no_identifier_column": _(
                "The file has no column to find the customer: 'siren', 'siret', 'vat' (or 'tva') or 'ref'."
            ),
        }

    def _row_errors(self):
        _ = self.env._
        return {
            "no_identifier": _("no SIREN, SIRET, VAT number or reference"),
            "bad_siren": _("invalid SIREN (9 digits with a valid check digit)"),
            "bad_siret": _("invalid SIRET (14 digits with a valid check digit)"),
            "bad_score": _("the score is not a positive number"),
            "bad_date": _("the date is not a date (YYYY-MM-DD or DD/MM/YYYY)"),
            "future_date": _("the date is in the future"),
        }

    def _analyse(self):
        """Parse the file and match each row with customers; replace the preview lines."""
        self.ensure_one()
        try:
            data = base64.b64decode(self.file or b"", validate=False)
        except (binascii.Error, ValueError):
            raise UserError(self.env._("The file could not be read."))
        try:
            rows = parse_bureau_csv(data, self.default_date, fields.Date.context_today(self))
        except BureauCsvError as error:
            raise UserError(self._file_errors()[error.args[0]])
        candidates = self._match_rows(rows)
        row_errors = self._row_errors()
        line_vals = []
        for row, partners in zip(rows, candidates, strict=True):
            vals = {
                "row": row["row"],
                "siren": row["siren"],
                "siret": row["siret"],
                "vat": row["vat"],
                "ref": row["ref"],
                "score": row["score"] or 0.0,
                "date": row["date"],
            }
            if row["errors"]:
                vals.update(status="invalid", message="; ".join(row_errors[code] for code in row["errors"]))
            elif not partners:
                vals.update(status="unmatched", message=self.env._("no customer has these identifiers"))
            elif len(partners) > 1:
                vals.update(
                    status="ambiguous",
                    message=self.env._(
                        "several customers match: %(names)s", names=", ".join(partners[:5].mapped("display_name"))
                    ),
                )
            else:
                vals.update(status="matched", partner_id=partners.id, message=partners.display_name)
            line_vals.append(vals)
        # a customer matched by two rows: which score is right is not ours to guess
        rows_by_partner = defaultdict(list)
        for vals in line_vals:
            if vals["status"] == "matched":
                rows_by_partner[vals["partner_id"]].append(vals)
        for same in rows_by_partner.values():
            if len(same) > 1:
                for vals in same:
                    vals.update(
                        status="ambiguous",
                        message=self.env._(
                            "the customer %(partner)s appears on rows %(rows)s",
                            partner=self.env["res.partner"].browse(vals["partner_id"]).display_name,
                            rows=", ".join(str(v["row"]) for v in same),
                        ),
                    )
        self.line_ids.unlink()
        self.write({"state": "preview", "line_ids": [fields.Command.create(vals) for vals in line_vals]})

    def _match_rows(self, rows):
        """For each row, the commercial partners its identifiers point to. A few queries in all:
        one per kind of identifier."""
        Partner = self.env["res.partner"]
        sirens = {row["siren"] for row in rows if row["siren"]} | {row["siret"][:9] for row in rows if row["siret"]}
        vats = {row["vat"] for row in rows if row["vat"]}
        refs = {row["ref"] for row in rows if row["ref"]}
        by_siren, by_siret, by_vat, by_ref = (defaultdict(lambda: Partner) for _ in range(4))
        if sirens:
            for partner in Partner.search([("cc_siren", "in", list(sirens))]):
                by_siren[partner.cc_siren] |= partner.commercial_partner_id
                registry = compact_registry(partner.company_registry)
                if len(registry) == 14:
                    by_siret[registry] |= partner.commercial_partner_id
        if vats:
            Partner.flush_model(["vat"])
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM res_partner WHERE upper(regexp_replace(vat, '[\\s.\\-]', '', 'g')) = ANY(%s)",
                    list(vats),
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            for partner in Partner.search([("id", "in", ids)]):
                by_vat[compact_vat(partner.vat)] |= partner.commercial_partner_id
        if refs:
            for partner in Partner.search([("ref", "in", list(refs))]):
                by_ref[partner.ref] |= partner.commercial_partner_id
        result = []
        for row in rows:
            found = Partner
            if row["siret"]:
                found |= by_siret.get(row["siret"]) or by_siren.get(row["siret"][:9], Partner)
            if row["siren"]:
                found |= by_siren.get(row["siren"], Partner)
            if row["vat"]:
                found |= by_vat.get(row["vat"], Partner)
            if row["ref"]:
                found |= by_ref.get(row["ref"], Partner)
            result.append(found)
        return result


class CreditControlBureauImportLine(models.TransientModel):
    """One row of the bureau file and what it matched."""

    _name = "credit.control.bureau.import.line"
    _description = "Bureau Score Import Row"
    _order = "status_sequence, row"

    wizard_id = fields.Many2one("credit.control.bureau.import", required=True, ondelete="cascade")
    row = fields.Integer()
    siren = fields.Char(string="SIREN")
    siret = fields.Char(string="SIRET")
    vat = fields.Char(string="VAT")
    ref = fields.Char(string="Reference")
    score = fields.Float()
    date = fields.Date()
    partner_id = fields.Many2one("res.partner", string="Customer")
    status = fields.Selection(LINE_STATUS, required=True)
    status_sequence = fields.Integer(compute="_compute_status_sequence", store=True)
    message = fields.Char()

    @api.depends("status")
    def _compute_status_sequence(self):
        order = {"invalid": 1, "ambiguous": 2, "unmatched": 3, "matched": 4}
        for line in self:
            line.status_sequence = order.get(line.status, 9)
