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
    """The form is swallowed into the trigger's verb group (`गिरफ्तार कर लिया`, `दर्ज नहीं किया`)."""
    found = events(row["example"])
    assert any(row["form"] in e.trigger.text.split() for e in found), \
        f"{row['class']} {row['form']!r} not in any trigger: {[e.trigger.text for e in found]}"


CHECKERS = {"events/lexicon.tsv": check_trigger, "events/verbs.tsv": check_verb_form}
