"""The shared matching helpers: phrase lookup by word, and where a pattern's matches may start."""
import regex

from ghatna.extract.patterns import PhraseTable, word_starts


def test_phrase_table_finds_the_longest_phrase_at_and_before_a_position():
    table = PhraseTable([(("से",), "a"), (("से", "अधिक"), "b"), (("कम", "से", "कम"), "c")])
    words = ["कम", "से", "कम", "200", "से", "अधिक", "लोग"]
    assert table.at(words, 4) == (("से", "अधिक"), "b")
    assert table.at(words, 4, hi=5) == (("से",), "a")  # the longer one would cross `hi`
    assert table.at(words, 0) == (("कम", "से", "कम"), "c")
    assert table.at(words, 6) is None and table.at(words, 99) is None
    assert table.ending_at(words, 3) == (("कम", "से", "कम"), "c")
    assert table.ending_at(words, 3, lo=1) is None
    assert table.ending_at(words, 6) == (("से", "अधिक"), "b")


def test_word_starts_are_the_words_every_match_begins_with():
    assert word_starts("(?:विरोध[- ])?(?:प्रदर्शन|प्रदर्शनों) X") == {"विरोध", "प्रदर्शन", "प्रदर्शनों"}
    assert word_starts("(?<=से )(?:मिले|गए)") == {"मिले", "गए"}  # a lookbehind consumes nothing
    assert word_starts("मारपीट \\d|पीट-पीटकर") == {"मारपीट", "पीट"}  # cut where letters end
    for anything in (r"\w+ हुआ", "(?:ab)*c", "a?b*c", r"\p{L}x"):  # a match may start elsewhere
        assert word_starts(anything) is None


def test_word_starts_never_miss_a_match():
    texts = ["पुलिस ने विरोध-प्रदर्शन रोका", "कई प्रदर्शनों में", "वे मिले से मिले", "ab abab c ababc"]
    for pattern in ("(?:विरोध[- ])?(?:प्रदर्शन|प्रदर्शनों)", "(?<=से )(?:मिले|मिला)", "(?:ab)?c|ab"):
        starts = word_starts(pattern)
        for text in texts:
            for m in regex.finditer(pattern, text, overlapped=True):
                assert any(text.startswith(s, m.start()) for s in starts), (pattern, text, m)


def test_starts_pick_the_tokens_a_match_may_begin_at():
    from ghatna.extract.patterns import ANY_DIGIT, Starts, by_first_letter
    starts = word_starts(r"(?:सुबह )?(?:\p{Nd}{1,2}|दो)\s+बजे")
    assert starts == {"सुबह", "दो", ANY_DIGIT}
    words = ["वह", "सुबह", "10", "बजे", "दोपहर", "दो", "बजे"]
    assert Starts(starts).among(words, by_first_letter(words)) == [1, 2, 4, 5]
