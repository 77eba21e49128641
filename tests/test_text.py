"""Sentences, tokens and digits, as a Hindi reader would split them."""
import unicodedata

from hypothesis import given, settings, strategies as st

from ghatna.langs import load_pack
from ghatna.schema import nfc
from ghatna.text import ascii_digits, split_sentences, tokenize

HI = load_pack("hi").abbreviations


def sentences(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split_sentences(text, HI)]


def test_danda_question_and_exclamation_end_sentences():
    text = "पुलिस ने लाठीचार्ज किया। क्या यह सही है? लोग डर गए! सेना पहुंची."
    assert sentences(text) == ["पुलिस ने लाठीचार्ज किया।", "क्या यह सही है?", "लोग डर गए!", "सेना पहुंची."]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "डॉ. एस. जयशंकर ने कहा कि जन. रावत आएंगे। के. चंद्रशेखर राव ने बैठक बुलाई।"
    assert sentences(text) == ["डॉ. एस. जयशंकर ने कहा कि जन. रावत आएंगे।",
                               "के. चंद्रशेखर राव ने बैठक बुलाई।"]


def test_a_sentence_ending_in_a_short_word_and_full_stop_still_ends():
    # machine-translated Hindi often ends sentences with '.'; "है" is not an abbreviation
    assert sentences("सेना तैनात है. लोग घरों में हैं.") == ["सेना तैनात है.", "लोग घरों में हैं."]


def test_decimals_latin_initials_and_closing_quotes():
    text = 'उन्होंने कहा, "3.5 करोड़ लोग प्रभावित हैं।" J. Smith ने पुष्टि की।'
    assert sentences(text) == ['उन्होंने कहा, "3.5 करोड़ लोग प्रभावित हैं।"', "J. Smith ने पुष्टि की।"]


def test_headline_and_paragraph_breaks_are_boundaries():
    text = "अल्माटी में हिंसा\n\nसरकार ने इस्तीफा दिया।\nआपातकाल लागू हुआ।।"
    assert sentences(text) == ["अल्माटी में हिंसा", "सरकार ने इस्तीफा दिया।", "आपातकाल लागू हुआ।।"]


def test_tokens_keep_vowel_signs_and_carry_offsets():
    text = "प्रदर्शनकारियों ने 3,600 वाहन जलाए"
    toks = tokenize(text)
    assert [t.text for t in toks] == ["प्रदर्शनकारियों", "ने", "3,600", "वाहन", "जलाए"]
    assert all(text[t.start:t.end] == t.text for t in toks)


def test_devanagari_digits_normalise_in_token_norm_but_not_in_text():
    toks = tokenize("५ जनवरी २०२२")
    assert [t.norm for t in toks] == ["5", "जनवरी", "2022"]
    assert [t.text for t in toks] == ["५", "जनवरी", "२०२२"]
    assert ascii_digits("१२,५००") == "12,500"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_sentences_are_ordered_non_overlapping_spans_inside_the_text(text):
    spans = split_sentences(text, HI)
    prev_end = 0
    for s in spans:
        assert 0 <= prev_end <= s.start < s.end <= len(text)
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()
        prev_end = s.end
    for t in tokenize(text):
        assert text[t.start:t.end] == t.text


def test_a_spaced_abbreviation_dot_stays_inside_the_sentence():
    from ghatna.langs import load_pack
    abbrs = load_pack("hi").abbreviations
    text = "पूर्व मेयर डॉ . कंवरसैन से मिले। के . एन . काटजू मार्ग पर। वह घर गया . फिर आया।"
    got = [text[s.start:s.end] for s in split_sentences(text, abbrs)]
    assert got == ["पूर्व मेयर डॉ . कंवरसैन से मिले।", "के . एन . काटजू मार्ग पर।", "वह घर गया .", "फिर आया।"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("कि ्‌‍.।५5a\t\n\u00a0\u2003-")), st.integers(0, 8))
def test_tokens_are_the_token_pattern_matches_at_their_offsets(text, start):
    # tokenize finds offsets with str.find after the previous token: the same as the matches' own
    from ghatna.text import _TOKEN_RE
    start = min(start, len(text))
    expected = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text, start, len(text))]
    assert [(t.start, t.end, t.text) for t in tokenize(text, start)] == expected


def test_every_decimal_digit_of_every_script_becomes_its_ascii_digit():
    import sys
    import unicodedata
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        expected = str(unicodedata.digit(c)) if unicodedata.category(c) == "Nd" else c
        if cp >= 0x80 and (expected != c or cp % 97 == 0):  # every digit, and a sample of the rest
            assert ascii_digits("x" + c + "५") == "x" + expected + "5", hex(cp)


def test_a_document_is_analysed_as_nfc_even_when_its_text_is_assigned_after_construction():
    import unicodedata

    from ghatna.analyse import analyse
    from ghatna.schema import Document, content_id
    decomposed = "सेना ने चेन्न\u093cई में प्रदर्शन किया।"  # न + nukta: NFC composes them into ऩ
    nfc = unicodedata.normalize("NFC", decomposed)
    assert nfc != decomposed
    doc = Document(text=decomposed, name="a", source="a")
    assert doc.text == nfc and doc.id == content_id(decomposed) == content_id(nfc)
    assert analyse(doc, "hi").text == nfc
    doc.text = decomposed  # assigned afterwards: analysed as NFC all the same
    assert analyse(doc, "hi").text == nfc


def test_script_profile_counts_letters_per_script_in_the_order_first_used():
    import unicodedata

    from ghatna.text import script_profile

    text = "Almaty में 5 जनवरी को Привет! ﻻ कज़ाख़स्तान abc " * 3
    naive: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            first = unicodedata.name(ch, "").split(" ", 1)[0]
            script = {"DEVANAGARI": "Deva", "LATIN": "Latn", "CYRILLIC": "Cyrl",
                      "ARABIC": "Arab"}.get(first, "Other")
            naive[script] = naive.get(script, 0) + 1
    assert list(script_profile(text).items()) == list(naive.items())
    assert script_profile(text, sample=6) == {"Latn": 6}


# Devanagari letters, signs and the nukta (alone, and the letters it composes with: न र ळ; and the
# precomposed forms NFC takes apart: क़ ख़ …), Latin with combining accents, the Hangul jamo NFC
# joins, spaces, newlines and other blanks
_NFC_ALPHABET = ("नरळकखगजडढफयऩऱऴक़ख़ग़ज़ड़ढ़फ़य़अआइऔ" "\u093c\u094d\u093f\u0940\u0947\u0902\u0901\u0903"
                 "aeoAE\u0300\u0301\u0308\u0323\u1100\u1161\u11a8 \n\t\u00a0\u2000\u2002")


@given(st.text(alphabet=_NFC_ALPHABET, max_size=60))
@settings(max_examples=2000, deadline=None)
def test_nfc_normalises_as_unicodedata_does(text):
    """schema.nfc normalises only the words with a nukta when the rest is NFC already: the
    same result as normalising the whole text."""
    assert nfc(text) == unicodedata.normalize("NFC", text)


def test_nfc_of_a_long_article_with_nuktas_is_unicodedatas():
    text = "फ़ौज ने सड़क पर मार्च किया। " * 200 + "न\u093c" + " ख़बर" * 100
    assert nfc(text) == unicodedata.normalize("NFC", text) != text
