"""Noun-phrase boundaries: each word of phrases/words.tsv shown in its example sentence."""
from ghatna.analyse import analyse_text
from ghatna.extract.phrases import agent_before, phrase_before
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
    elif cls == "object_pronoun":
        from ghatna.analyse import analyse_text as tag
        events = tag(example, lang="hi").events
        assert events and events[0].recipient and events[0].recipient.text == word, events


CHECKERS = {"phrases/words.tsv": check_phrase_word}
