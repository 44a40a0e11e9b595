"""Reading a credit bureau's CSV export: columns found by their header, rows checked one by one.

No ORM here: the wizard matches the rows with customers."""

import csv
import io
import re
import unicodedata
from datetime import datetime

from ..models.scoring_rules import compact_registry
from ..models.scoring_rules import compact_vat
from ..models.scoring_rules import registry_kind

# normalised header -> column
HEADER_ALIASES = {
    "siren": "siren",
    "siret": "siret",
    "companyregistry": "registry",
    "companyid": "registry",
    "registry": "registry",
    "vat": "vat",
    "vatnumber": "vat",
    "tva": "vat",
    "numerotva": "vat",
    "ntva": "vat",
    "tvaintracommunautaire": "vat",
    "ref": "ref",
    "reference": "ref",
    "customerref": "ref",
    "customerreference": "ref",
    "codeclient": "ref",
    "score": "score",
    "note": "score",
    "bureauscore": "score",
    "date": "date",
    "scoredate": "date",
    "datescore": "date",
    "datenote": "date",
}
IDENTIFIERS = ("siren", "siret", "vat", "ref")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")


class BureauCsvError(Exception):
    """The file as a whole cannot be read (encoding, no header, no score column...)."""


def _normalise_header(text):
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


def _decode(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BureauCsvError("encoding")


def parse_bureau_csv(data, default_date, today):
    """Rows of a bureau file: a list of dicts with ``row`` (line number in the file, header = 1),
    ``siren``, ``siret``, ``vat``, ``ref``, ``score``, ``date`` and ``errors`` (codes:
    no_identifier, bad_siren, bad_siret, bad_score, bad_date, future_date).

    Raises BureauCsvError("encoding" | "empty" | "no_score_column" | "no_identifier_column")."""
    text = _decode(data)
    if not text.strip():
        raise BureauCsvError("empty")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise BureauCsvError("empty")
    columns = {}
    for index, name in enumerate(header):
        column = HEADER_ALIASES.get(_normalise_header(name))
        if column and column not in columns:
            columns[column] = index
    if "score" not in columns:
        raise BureauCsvError("no_score_column")
    if not any(column in columns for column in (*IDENTIFIERS, "registry")):
        raise BureauCsvError("no_identifier_column")

    rows = []
    for line_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(column, cells=cells):
            index = columns.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        row = {"row": line_number, "errors": [], "raw": ";".join(cells)}
        siren, siret = compact_registry(cell("siren")), compact_registry(cell("siret"))
        registry = compact_registry(cell("registry"))
        if registry and not siren and not siret:
            if len(registry) == 14:
                siret = registry
            else:
                siren = registry
        row["siren"] = siren or False
        row["siret"] = siret or False
        row["vat"] = compact_vat(cell("vat")) or False
        row["ref"] = cell("ref") or False
        if siren and registry_kind(siren) != "siren":
            row["errors"].append("bad_siren")
        if siret and registry_kind(siret) != "siret":
            row["errors"].append("bad_siret")
        if not any(row[key] for key in IDENTIFIERS):
            row["errors"].append("no_identifier")
        try:
            row["score"] = float(cell("score").replace(" ", "").replace("\xa0", "").replace(",", "."))
            if row["score"] < 0:
                raise ValueError
        except ValueError:
            row["score"] = False
            row["errors"].append("bad_score")
        row["date"] = default_date
        raw_date = cell("date")
        if raw_date:
            row["date"] = _parse_date(raw_date)
            if row["date"] is None:
                row["date"] = False
                row["errors"].append("bad_date")
            elif row["date"] > today:
                row["errors"].append("future_date")
        rows.append(row)
    return rows


def _parse_date(text):
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
