"""Noun-phrase boundaries: each word of phrases/words.tsv shown in its example sentence."""
from ghatna.analyse import analyse_text
from ghatna.extract.phrases import agent_before, clause_subject, phrase_words
from ghatna.text import tokenize


def _analysis(text):
    a = analyse_text(text, lang="hi")
    a.tokens = tokenize(a.text)
    return a


def _agent(pack, text):
    a = _analysis(text)
    span = agent_before(a, pack, len(a.tokens))
    return span.text if span else None


def check_phrase_word(pack, row):
    cls, word, example = row["class"], row["word"], row["example"]
    agent = _agent(pack, example)
    if cls == "stop":
        assert agent is not None and word not in agent.split(), f"{word!r} inside {agent!r}"
    elif cls in ("genitive", "coordinator"):
        first_ne = example.index(" ने ")
        assert agent == example[:first_ne].replace("पिछले हफ्ते ", ""), agent
        assert f" {word} " in f" {agent} "
    elif cls == "determiner":
        assert agent == f"{word} लोगों", agent
    elif cls == "agent_pronoun":
        assert agent == word
    elif cls == "agent_marker":
        assert agent == example.split(f" {word} ")[0], agent
        a = _analysis(example.replace(f" {word} ", " "))
        assert agent_before(a, pack, len(a.tokens)) is None  # without the marker: no agent
    elif cls == "object_marker":
        events = analyse_text(example, lang="hi").events
        pronoun = next(w for w in example.split() if w in phrase_words(pack).object_pronoun)
        assert events and events[0].recipient and events[0].recipient.text == pronoun, events
    elif cls == "postposition":
        a = _analysis(example)
        verb = len(a.tokens) - 2  # the phrase, the postposition, a noun, a verb
        assert clause_subject(a, pack, 0, verb) is None
        plain = _analysis(example.replace(f" {word} ", " "))
        assert clause_subject(plain, pack, 0, len(plain.tokens) - 1) is not None
    elif cls == "genitive_pronoun":
        events = analyse_text(example, lang="hi").events
        assert events and events[0].recipient and events[0].recipient.text == word, events
    elif cls == "object_pronoun":
        from ghatna.analyse import analyse_text as tag
        events = tag(example, lang="hi").events
        assert events and events[0].recipient and events[0].recipient.text == word, events


CHECKERS = {"phrases/words.tsv": check_phrase_word}
