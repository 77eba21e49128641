"""Attributions: every row of claims/*.tsv run on its example through the real extractors."""
from ghatna.analyse import analyse_text

DATE = "2022-01-10"


def claims(example):
    return [(c.speaker.text if c.speaker else "-", c.text) for c in
            analyse_text(example, date=DATE, lang="hi").claims]


def check_cue(pack, row):
    speaker, _, text = row["expect"].partition(" => ")
    found = claims(row["example"])
    assert (speaker, text) in found, f"{row['cue']}: want {row['expect']!r}, got {found}"


def check_word(pack, row):
    found = claims(row["example"])
    cls, word = row["class"], row["word"]
    if cls == "genitive_pronoun":
        assert found and found[0][0] == word, found
    elif cls == "not_source":
        assert found == [], found
    elif cls == "lead_in":
        assert found and not found[0][0].startswith(word + " "), found
    elif cls == "aux":
        assert found and found[0][1] == "नए चुनाव होंगे", found
    elif cls == "complementizer":
        assert ("पुलिस", "भीड़ कम थी") in found, found
        assert claims(row["example"].replace(f" {word} ", " ")) == [], "no claim without it"
    elif cls == "clause_joint":
        assert ("नेता", "500 लोग आए") in found, found
    elif cls == "passive_aux":
        assert all(sp == "-" for sp, _ in found), found


CHECKERS = {"claims/speech.tsv": check_cue, "claims/words.tsv": check_word}
