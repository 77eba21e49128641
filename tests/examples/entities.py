"""Checkers for the entity tables (langs/<code>/entities/*.tsv): each runs the row's example
through the real extractor, or for the large generated gazetteers, through the name lookup."""
from ghatna.analyse import analyse_text
from ghatna.extract.known_names import known_names, name_tokens


def _entities(pack, text):
    return analyse_text(text, lang=pack.code).entities


def check_title(pack, row):
    example, title = row["example"], row["title"]
    assert example.startswith(title)
    label = "LOC" if row["kind"] == "place" else "PER"
    ents = [e for e in _entities(pack, example) if e.label == label]
    assert ents, f"no {label} after the title in {example!r}"
    first = ents[0]
    assert first.start > len(title) - 1 and title not in first.text, (title, first)


def check_organisation(pack, row):
    ents = _entities(pack, row["example"])
    assert any(e.label == "ORG" and e.text == row["name"] for e in ents), (row["name"], ents)


def check_place_extra(pack, row):
    ents = _entities(pack, row["example"])
    hit = [e for e in ents if e.label == "LOC" and e.text == row["name"]]
    assert hit, (row["name"], ents)
    if row["geonameid"]:
        assert hit[0].kb_id == f"geonames:{row['geonameid']}", hit[0]


def check_gazetteer_row(pack, row):
    names = known_names(pack)
    entry = names.entries.get(name_tokens(row["name"]))
    assert entry is not None and entry.label == "LOC", row["name"]
    # places_extra.tsv may say a spelling means another place (`दिल्ली`: Delhi, not New Delhi)
    assert (any(p.geonameid == int(row["geonameid"]) for p in entry.places)
            or name_tokens(row["name"]) in names.hand_written), row
    assert row["name"] in row["example"]


def check_name_boundary(pack, row):
    ents = [e for e in _entities(pack, row["example"]) if e.label == "PER"]
    assert ents, row["example"]
    assert all(row["word"] not in e.text.split() for e in ents), ents


def check_org_head(pack, row):
    # a name ending in the head noun is an organisation, whatever the model said; the head
    # noun alone is no name at all
    assert row["word"] in row["example"]
    ents = _entities(pack, row["example"])
    assert not [e for e in ents if e.text.split()[-1] == row["word"] and e.label != "ORG"], ents
    assert not [e for e in ents if e.text == row["word"]], ents


def check_generic_org(pack, row):
    # alone: the word itself is the organisation; otherwise it joins the place before it
    ents = _entities(pack, row["example"])
    orgs = [e.text for e in ents if e.label == "ORG"]
    if row["alone"] == "yes":
        assert row["name"] in orgs, (row["name"], ents)
    else:
        assert any(o.endswith(" " + row["name"]) for o in orgs), (row["name"], ents)
        assert row["name"] not in orgs, ents


CHECKERS = {
    "entities/generic_orgs.tsv": check_generic_org,
    "entities/titles.tsv": check_title,
    "entities/organisations.tsv": check_organisation,
    "entities/places_extra.tsv": check_place_extra,
    "entities/countries.tsv": check_gazetteer_row,
    "entities/places.tsv": check_gazetteer_row,
    "entities/name_boundaries.tsv": check_name_boundary,
    "entities/org_heads.tsv": check_org_head,
}
