"""A synthetic street-address probe in the labelled-corpus JSONL format.

Faker's `address()` of 18 locales, its line breaks turned into `, `, in
five contexts (prose, a form field, JSON, CSV); each record has one gold
LOCATION span, the whole address (../shared/eval/LABELLING.md):

    python3 -m venv /tmp/fv && /tmp/fv/bin/pip install faker
    /tmp/fv/bin/python xtask/scripts/address_probe.py SEED N > addr.jsonl
    target/release/deepsentinel scan --jsonl-input --format jsonl \\
        --categories pii < addr.jsonl > addr.pred
    python3 ../shared/eval/score.py addr.jsonl addr.pred

Faker invents its street and town names, and some locales' formats are
its own (es_ES puts the postcode after the town, en_GB its US street
suffixes), so the figures show which formats the grammar misses rather
than the recall on real addresses.
"""
import json
import random
import sys

from faker import Faker

LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "pt_BR",
           "pt_PT", "sv_SE", "en_AU", "da_DK", "no_NO", "en_CA", "en_IE", "fi_FI", "cs_CZ"]
CONTEXTS = [
    "Please ship it to {a} by Friday.",
    "Address: {a}\nPhone on file.",
    "My new address is {a}.",
    '{{"customer": {{"address": "{a}"}}}}',
    'address,city\n"{a}",x',
]

def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    per_locale = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    random.seed(seed)
    Faker.seed(seed)
    for loc in LOCALES:
        fake = Faker(loc)
        for i in range(per_locale):
            address = fake.address().replace("\n", ", ")
            text = random.choice(CONTEXTS).format(a=address)
            start = text.index(address)
            print(json.dumps({
                "id": f"{loc}-{i}",
                "text": text,
                "entities": [{"type": "LOCATION", "start": start, "end": start + len(address)}],
                "meta": {"locale": loc},
            }, ensure_ascii=False))

if __name__ == "__main__":
    main()
