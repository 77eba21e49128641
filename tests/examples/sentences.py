from ghatna.text import split_sentences


def check_abbreviation(pack, row):
    example = row["example"]
    spans = split_sentences(example, pack.abbreviations)
    assert len(spans) == 1, f"split inside the example: {[example[s.start:s.end] for s in spans]}"
    assert row["abbreviation"] + "." in example


CHECKERS = {"abbreviations.tsv": check_abbreviation}
