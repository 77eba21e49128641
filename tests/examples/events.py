"""Every event trigger and verb form is run on its example sentence through the real pipeline."""
from ghatna.analyse import analyse_text


def events(example):
    return analyse_text(example, date="2022-01-10", lang="hi").events


def check_trigger(pack, row):
    trigger, actor, recipient = (x.strip() for x in row["expect"].split("|"))
    found = events(row["example"])
    summary = [(e.type, e.trigger.text, e.actor and e.actor.text, e.recipient and e.recipient.text)
               for e in found]
    match = [e for e in found if e.trigger.text == trigger]
    assert match, f"no trigger {trigger!r}: {summary}"
    e = match[0]
    assert e.type == row["type"] and (e.mode or "-") == row["mode"], summary
    assert (e.actor.text if e.actor else "-") == actor, summary
    assert (e.recipient.text if e.recipient else "-") == recipient, summary


def check_verb_form(pack, row):
    found = events(row["example"])
    assert found, f"the {row['class']} example gives no event"
    if row["class"] in ("particle",):
        return
    assert any(w in e.trigger.text.split() for e in found for w in [row["form"]]) or \
        row["form"] not in row["example"].split(), [e.trigger.text for e in found]


CHECKERS = {"events/lexicon.tsv": check_trigger, "events/verbs.tsv": check_verb_form}
