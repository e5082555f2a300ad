"""A synthetic PII probe corpus in the labelled-corpus JSONL format.

Faker values (names from 22 locales, phone numbers of the six labelled
countries that libphonenumber calls valid, e-mail addresses, dates of
birth in ten formats) in 14 contexts: prose in seven languages, JSON,
CSV, YAML, XML, Markdown tables, logfmt and key-value forms. Gold spans
follow ../shared/eval/LABELLING.md, so `score.py` scores it:

    python3 -m venv /tmp/fv && /tmp/fv/bin/pip install faker phonenumbers
    /tmp/fv/bin/python xtask/scripts/faker_probe.py SEED N [all] > probe.jsonl
    target/release/deepsentinel scan --jsonl-input --format jsonl \
        --categories pii,phi,pci,secret < probe.jsonl > probe.pred
    python3 ../shared/eval/score.py probe.jsonl probe.pred

It finds gaps in formats and languages; the gazetteer never uses Faker's
name lists (crates/detect/data/README.md).
"""
import json, random, sys
from faker import Faker
import phonenumbers

random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
Faker.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
NAME_LOCALES = ["en_US","en_GB","de_DE","fr_FR","es_ES","it_IT","pt_BR","nl_NL","pl_PL","sv_SE","en_IN","en_AU","da_DK","fi_FI","cs_CZ","tr_TR","ro_RO","hu_HU","no_NO","pt_PT","es_MX","en_IE"]
PHONE = {"en_US":"US","en_GB":"GB","de_DE":"DE","fr_FR":"FR","en_IN":"IN","en_AU":"AU"}
fk = {l: Faker(l) for l in set(NAME_LOCALES) | set(PHONE)}

def phone(loc):
    f = fk[loc]
    for _ in range(200):
        p = f.phone_number()
        try:
            n = phonenumbers.parse(p, PHONE[loc])
            if phonenumbers.is_valid_number(n):
                return p
        except Exception:
            pass
    return None

# The third argument `all` adds the other forms LABELLING.md lists:
# `First M. Last`, `LAST, FIRST`, all lower-case and all capitals.
FORMS = len(sys.argv) > 3 and sys.argv[3] == "all"

def person(loc):
    f = fk[loc]
    r = random.random()
    if r < 0.6: nm = f"{f.first_name()} {f.last_name()}"
    elif r < 0.75: nm = f.last_name() + ", " + f.first_name()
    elif r < 0.85: nm = f.first_name()
    else: nm = f"{f.first_name()} {f.last_name()}"
    if FORMS:
        r = random.random()
        if r < 0.2: nm = f"{f.first_name()} {random.choice('ABCDEFGHJKLMNPRSTW')}. {f.last_name()}"
        elif r < 0.4: nm = nm.lower()
        elif r < 0.55: nm = nm.upper()
    return nm

DATE_FMTS = ["%Y-%m-%d","%d/%m/%Y","%m/%d/%Y","%d.%m.%Y","%B %d, %Y","%d %B %Y","%b %d, %Y","%Y/%m/%d","%d-%b-%Y","%Y-%m-%dT%H:%M:%SZ"]

class Doc:
    def __init__(self): self.parts=[]; self.ents=[]; self.n=0
    def t(self, s): self.parts.append(s); self.n += len(s); return self
    def e(self, typ, s):
        self.ents.append({"type":typ,"start":self.n,"end":self.n+len(s)}); return self.t(s)
    def out(self, i, ctx): return {"id":f"fk-{i:05d}","text":"".join(self.parts),"entities":self.ents,"meta":{"context":ctx}}

def gen(i):
    loc = random.choice(NAME_LOCALES)
    f = fk[loc]
    ploc = random.choice(list(PHONE))
    ph = phone(ploc)
    nm = person(loc)
    em = f.email()
    dob = f.date_of_birth().strftime(random.choice(DATE_FMTS))
    kind = random.choice(["chat","json","csv","kv","log","yaml","xml","de","fr","es","it","nl","pt","md"])
    d = Doc()
    if kind == "chat":
        d.t("Hi, this is ").e("PERSON", nm).t(". You can reach me on ").e("PHONE_NUMBER", ph).t(" or ").e("EMAIL_ADDRESS", em).t(". I was born ").e("DATE_TIME", dob).t(".")
    elif kind == "json":
        d.t('{"customer": {"name": "').e("PERSON", nm).t('", "phone": "').e("PHONE_NUMBER", ph).t('", "email": "').e("EMAIL_ADDRESS", em).t('", "dob": "').e("DATE_TIME", dob).t('"}}')
    elif kind == "csv":
        d.t("name,phone,email,dob\n").e("PERSON", nm.replace(",", ""))
        d.t(",").e("PHONE_NUMBER", ph).t(",").e("EMAIL_ADDRESS", em).t(",").e("DATE_TIME", dob.replace(",", "")).t("\n")
    elif kind == "kv":
        d.t("Patient: ").e("PERSON", nm).t("\nTel: ").e("PHONE_NUMBER", ph).t("\nE-mail: ").e("EMAIL_ADDRESS", em).t("\nDOB: ").e("DATE_TIME", dob).t("\n")
    elif kind == "log":
        d.t("level=info msg=\"profile updated\" user=").e("EMAIL_ADDRESS", em).t(" phone=\"").e("PHONE_NUMBER", ph).t("\" name=\"").e("PERSON", nm).t("\"")
    elif kind == "yaml":
        d.t("contact:\n  name: ").e("PERSON", nm).t("\n  phone: \"").e("PHONE_NUMBER", ph).t("\"\n  email: ").e("EMAIL_ADDRESS", em).t("\n")
    elif kind == "xml":
        d.t("<contact><name>").e("PERSON", nm).t("</name><phone>").e("PHONE_NUMBER", ph).t("</phone><email>").e("EMAIL_ADDRESS", em).t("</email></contact>")
    elif kind == "md":
        d.t("| Name | Phone | Email |\n|---|---|---|\n| ").e("PERSON", nm).t(" | ").e("PHONE_NUMBER", ph).t(" | ").e("EMAIL_ADDRESS", em).t(" |\n")
    elif kind == "de":
        d.t("Hallo, mein Name ist ").e("PERSON", nm).t(". Sie erreichen mich unter ").e("PHONE_NUMBER", ph).t(" oder per E-Mail an ").e("EMAIL_ADDRESS", em).t(".")
    elif kind == "fr":
        d.t("Bonjour, je m'appelle ").e("PERSON", nm).t(". Vous pouvez me joindre au ").e("PHONE_NUMBER", ph).t(" ou par courriel à ").e("EMAIL_ADDRESS", em).t(".")
    elif kind == "es":
        d.t("Hola, me llamo ").e("PERSON", nm).t(". Mi teléfono es ").e("PHONE_NUMBER", ph).t(" y mi correo ").e("EMAIL_ADDRESS", em).t(".")
    elif kind == "it":
        d.t("Buongiorno, sono ").e("PERSON", nm).t(". Il mio numero è ").e("PHONE_NUMBER", ph).t(", email ").e("EMAIL_ADDRESS", em).t(".")
    elif kind == "nl":
        d.t("Hoi, ik ben ").e("PERSON", nm).t(". Bel me op ").e("PHONE_NUMBER", ph).t(" of mail naar ").e("EMAIL_ADDRESS", em).t(".")
    elif kind == "pt":
        d.t("Olá, meu nome é ").e("PERSON", nm).t(". Meu telefone é ").e("PHONE_NUMBER", ph).t(" e meu e-mail é ").e("EMAIL_ADDRESS", em).t(".")
    o = d.out(i, kind); o["meta"]["locale"] = loc; o["meta"]["ploc"] = ploc
    return o

n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
for i in range(n):
    print(json.dumps(gen(i), ensure_ascii=False))
