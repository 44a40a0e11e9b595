"""Refresh an addon's i18n/<addon>.pot and merge it into i18n/fr.po, keeping existing translations.

    setup/i18n.sh credit_control [more addons]

The template is exported by Odoo itself (odoo-bin --i18n-export) from a database where the
addon is installed; entries whose source disappeared are dropped, new ones come with an empty
translation (reported, so that they get translated)."""

import sys

import polib


def merge(pot_path, po_path, lang="fr"):
    pot = polib.pofile(pot_path)
    if not len(pot):
        sys.exit(f"{pot_path} is empty: is the addon installed in the scratch database? {po_path} left as it was")
    try:
        old = polib.pofile(po_path)
    except (OSError, ValueError):
        old = polib.POFile()
    known = {(e.msgctxt, e.msgid): e for e in old}
    known_by_id = {e.msgid: e for e in old if e.msgstr}
    po = polib.POFile()
    po.metadata = dict(pot.metadata)
    po.metadata.update({"Language": lang, "Content-Type": "text/plain; charset=UTF-8"})
    po.metadata.pop("Plural-Forms", None)
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n > 1);"
    missing = []
    for entry in pot:
        previous = known.get((entry.msgctxt, entry.msgid)) or known_by_id.get(entry.msgid)
        new = polib.POEntry(
            msgid=entry.msgid,
            msgstr=previous.msgstr if previous else "",
            msgctxt=entry.msgctxt,
            occurrences=entry.occurrences,
            comment=entry.comment,
            tcomment=entry.tcomment,
            flags=entry.flags,
        )
        if not new.msgstr:
            missing.append(entry.msgid)
        po.append(new)
    po.save(po_path)
    return missing


if __name__ == "__main__":
    missing = merge(sys.argv[1], sys.argv[2])
    print(f"    {sys.argv[2]}: {len(missing)} untranslated")
    for msgid in missing[:2000]:
        print("      - " + msgid.replace("\n", "\\n")[:150])
