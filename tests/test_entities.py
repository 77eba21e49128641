"""Entities: recognition, spelling unification within and across documents, geocoding."""
import json
import subprocess
import sys

import pytest

from ghatna.analyse import analyse_text
from ghatna.resolve.names import is_part_of, name_key, same_name


def ents(text):
    return [(e.text, e.label, e.canonical, e.kb_id) for e in analyse_text(text).entities]


@pytest.mark.parametrize("a,b", [
    ("अल्माटी", "अलमाटी"), ("अल्माटी", "Almaty"), ("कजाकिस्तान", "कज़ाख़स्तान"),
    ("कजाकिस्तान", "कजाखस्तान"), ("टोकायव", "Tokayev"), ("टोकायव", "टोकायेव"),
    ("नज़रबायेव", "नजरबायेव"),
])
def test_spellings_of_one_name_fall_together(a, b):
    assert same_name(name_key(a), name_key(b))


@pytest.mark.parametrize("a,b", [("अल्माटी", "अस्ताना"), ("रूस", "रोम"), ("मिन आंग ह्लाइंग", "विन म्यिंट")])
def test_different_names_stay_apart(a, b):
    assert not same_name(name_key(a), name_key(b))


def test_a_surname_is_part_of_the_full_name():
    assert is_part_of(name_key("टोकायव"), name_key("कसीम-ज़ोमार्ट टोकायव"))
    assert not is_part_of(name_key("पुतिन"), name_key("कसीम-ज़ोमार्ट टोकायव"))


def test_title_is_cut_off_and_surname_links_to_full_name():
    found = ents("राष्ट्रपति कसीम-ज़ोमार्ट टोकायव ने आपातकाल लगाया। बाद में टोकायव ने कहा कि हालात सामान्य हैं।")
    people = [e for e in found if e[1] == "PER"]
    assert [p[0] for p in people] == ["कसीम-ज़ोमार्ट टोकायव", "टोकायव"]
    assert {p[2] for p in people} == {"कसीम-ज़ोमार्ट टोकायव"}


def test_places_are_geocoded_and_spellings_share_the_canonical_name():
    found = ents("कज़ाख़स्तान के अल्माटी में प्रदर्शन हुए। कजाकिस्तान सरकार ने अलमाटी में कर्फ्यू लगाया।")
    places = {e[0]: e for e in found if e[1] == "LOC"}
    assert places["अल्माटी"][3] == places["अलमाटी"][3] == "geonames:1526384"
    assert places["कज़ाख़स्तान"][3] == "geonames:1522867"


def test_organisations_acronyms_and_latin_names():
    found = ents("सीएसटीओ के सैनिक पहुंचे। सामूहिक सुरक्षा संधि संगठन ने कहा कि CSTO ने UN को जानकारी दी।")
    orgs = {e[0]: e[2] for e in found if e[1] == "ORG"}
    assert orgs["सीएसटीओ"] == orgs["CSTO"] == "सामूहिक सुरक्षा संधि संगठन"
    assert "UN" in orgs


def test_entity_ids_unify_spellings_across_documents(tmp_path):
    (tmp_path / "a.txt").write_text("राष्ट्रपति कसीम-जोमार्ट टोकायेव ने अल्माटी में आपातकाल लगाया।", encoding="utf-8")
    (tmp_path / "b.txt").write_text("राष्ट्रपति टोकायव ने कहा कि अलमाटी में हालात सामान्य हैं। Tokayev ने बैठक की।", encoding="utf-8")
    db = tmp_path / "t.db"
    ghatna = [sys.executable, "-m", "ghatna"]
    subprocess.run(ghatna + ["run", "--db", str(db), str(tmp_path / "a.txt")], check=True, capture_output=True)
    subprocess.run(ghatna + ["run", "--db", str(db), str(tmp_path / "b.txt")], check=True, capture_output=True)
    out = subprocess.run(ghatna + ["entities", "--db", str(db), "--json"], check=True, capture_output=True, text=True)
    records = {r["name"]: r for r in json.loads(out.stdout)}
    assert set(records["कसीम-जोमार्ट टोकायेव"]["variants"]) >= {"कसीम-जोमार्ट टोकायेव", "टोकायव", "Tokayev"}
    almaty = records["अल्माटी"]
    assert set(almaty) == {"id", "name", "label", "variants", "kb_id", "lat", "lon", "country_code", "mentions"}
    assert almaty["kb_id"] == "geonames:1526384" and almaty["country_code"] == "KZ"
    assert abs(almaty["lat"] - 43.25) < 0.1 and set(almaty["variants"]) == {"अल्माटी", "अलमाटी"}


def test_police_and_army_are_actors_and_a_government_takes_its_place_name():
    found = ents("पुलिस ने आंसू गैस छोड़ी। हॉन्गकॉन्ग सरकार ने कहा कि सरकार की योजना जारी रहेगी।")
    orgs = [e[0] for e in found if e[1] == "ORG"]
    assert orgs == ["पुलिस", "हॉन्गकॉन्ग सरकार"]  # bare `सरकार` stays a common noun


def test_a_name_found_once_is_found_again_where_the_model_missed_it():
    found = ents("राष्ट्रपति विन म्यिंट को हिरासत में लिया गया। बाद में विन म्यिंट के वकील ने बयान दिया।")
    assert [e[0] for e in found if e[1] == "PER"] == ["विन म्यिंट", "विन म्यिंट"]


def test_batched_tagging_equals_one_sentence_at_a_time():
    from ghatna.extract.ner_model import ner_model
    from ghatna.langs import load_pack

    model = ner_model(load_pack("hi"))
    sentences = [s.split() for s in ("राष्ट्रपति विन म्यिंट को हिरासत में लिया गया ।",
                                     "नई दिल्ली में बैठक हुई", "पुतिन")]
    assert model.tag_sentences(sentences).tags == [model.tag(s) for s in sentences]


def test_initials_keep_their_dot_as_in_the_training_data_and_the_title_stays_outside():
    from ghatna.extract.known_names import hyphen_joined
    from ghatna.text import tokenize

    text = "डॉ. एस. जयशंकर यू.एस. गए, वहाँ है."
    assert [t.text for t in hyphen_joined(tokenize(text), text)] == [
        "डॉ.", "एस.", "जयशंकर", "यू.", "एस.", "गए", ",", "वहाँ", "है", "."]
    found = ents("विदेश मंत्री डॉ. एस. जयशंकर ने संबोधन दिया।")
    assert [e[0] for e in found if e[1] == "PER"] == ["एस. जयशंकर"]
