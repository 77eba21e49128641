"""Legacy font encodings: each example, typed in the font, is recognised as that encoding, and
spells the row's word where its Unicode reading has it."""
from ghatna.ingest.legacy_fonts import legacy_font


def check_legacy_font(pack, row):
    example = row["example"]
    assert legacy_font(example) == row["encoding"], example
    assert row["form"] in example.split()
    assert row["word"] in row["reads"].split()
    assert legacy_font(row["reads"]) is None  # the Unicode reading is no legacy text


CHECKERS = {"legacy_fonts.tsv": check_legacy_font}
