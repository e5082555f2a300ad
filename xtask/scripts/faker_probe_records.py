"""A synthetic probe of the identifier and place types in record formats.

The companion of faker_probe.py (names, phones, e-mails): card numbers,
IBANs, SSNs, ITINs, IP and MAC addresses, URLs, bank account, driver's
licence, passport, MRN, NPI, NHS numbers, bitcoin addresses (base58check
and bech32/bech32m, encoded here), dates and US addresses / cities /
countries, one to three per record, in 16 contexts: prose in English,
German, French and Spanish, JSON, CSV, YAML, XML, logfmt, forms, Markdown,
SQL INSERT, Python, an e-mail, a query string and HL7 v2 PID segments.
Gold spans follow ../shared/eval/LABELLING.md:

    /tmp/fv/bin/python xtask/scripts/faker_probe_records.py SEED N > probe.jsonl
    target/release/deepsentinel scan --jsonl-input --format jsonl \
        --categories pii,phi,pci,secret < probe.jsonl > probe.pred
    python3 ../shared/eval/score.py probe.jsonl probe.pred

Known gaps of the generator itself: Faker's JCB numbers use the whole 35
prefix (real JCB IINs are 3528-3589, so the scanner rightly misses the
rest), and its US cities are invented.
"""
import json, random, sys, hashlib, ipaddress, string
from faker import Faker

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 11
random.seed(SEED); Faker.seed(SEED)
f = Faker("en_US")
fi = {l: Faker(l) for l in ["de_DE","fr_FR","es_ES","it_IT","nl_NL","en_GB","pl_PL","pt_PT","sv_SE","no_NO","da_DK","fi_FI","cs_CZ"]}

def luhn_digit(s):
    tot = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9: d -= 9
        tot += d
    return str((10 - tot % 10) % 10)

def npi():
    base = random.choice("12") + "".join(random.choice(string.digits) for _ in range(8))
    return base + luhn_digit("80840" + base)

def nhs():
    while True:
        d = [random.randint(0, 9) for _ in range(9)]
        s = sum(x * (10 - i) for i, x in enumerate(d))
        c = 11 - s % 11
        if c == 11: c = 0
        if c == 10: continue
        n = "".join(map(str, d)) + str(c)
        return random.choice([n, f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}"])

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
def b58check(payload):
    chk = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    data = payload + chk
    n = int.from_bytes(data, "big"); s = ""
    while n: n, r = divmod(n, 58); s = B58[r] + s
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + s

CH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
def polymod(values):
    gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = (chk & 0x1ffffff) << 5 ^ v
        for i in range(5): chk ^= gen[i] if ((b >> i) & 1) else 0
    return chk
def convertbits(data, frm, to):
    acc = 0; bits = 0; ret = []
    for v in data:
        acc = (acc << frm) | v; bits += frm
        while bits >= to: bits -= to; ret.append((acc >> bits) & ((1 << to) - 1))
    if bits: ret.append((acc << (to - bits)) & ((1 << to) - 1))
    return ret
def segwit(ver, prog):
    hrp = "bc"; data = [ver] + convertbits(prog, 8, 5)
    const = 1 if ver == 0 else 0x2bc830a3
    values = [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp] + data
    pm = polymod(values + [0] * 6) ^ const
    chk = [(pm >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(CH[d] for d in data + chk)
def crypto():
    r = random.random()
    if r < 0.3: return b58check(b"\x00" + random.randbytes(20))
    if r < 0.5: return b58check(b"\x05" + random.randbytes(20))
    if r < 0.7: return segwit(0, random.randbytes(20))
    if r < 0.85: return segwit(0, random.randbytes(32))
    return segwit(1, random.randbytes(32))

def card():
    t = random.choice(["visa16", "mastercard", "amex", "discover", "jcb", "diners", "visa16", "mastercard"])
    n = f.credit_card_number(card_type=t)
    r = random.random()
    if r < 0.35: return n
    sep = " " if r < 0.7 else "-"
    if len(n) == 15: return n[:4] + sep + n[4:10] + sep + n[10:]
    if len(n) == 14: return n[:4] + sep + n[4:10] + sep + n[10:]
    return sep.join(n[i:i+4] for i in range(0, len(n), 4))

def iban():
    loc = random.choice(list(fi))
    try:
        v = fi[loc].iban()
    except Exception:
        v = f.iban()
    if random.random() < 0.5:
        v = " ".join(v[i:i+4] for i in range(0, len(v), 4))
    return v

def ssn():
    while True:
        a = random.randint(1, 899)
        if a != 666: break
    v = f"{a:03d}{random.randint(1,99):02d}{random.randint(1,9999):04d}"
    r = random.random()
    if r < 0.6: return f"{v[:3]}-{v[3:5]}-{v[5:]}"
    if r < 0.8: return f"{v[:3]} {v[3:5]} {v[5:]}"
    return v

def itin():
    g = random.choice(list(range(50, 66)) + list(range(70, 89)) + [90, 91, 92] + list(range(94, 100)))
    v = f"9{random.randint(0,99):02d}{g:02d}{random.randint(0,9999):04d}"
    return f"{v[:3]}-{v[3:5]}-{v[5:]}" if random.random() < 0.8 else v

def ip():
    r = random.random()
    if r < 0.4: return f.ipv4_public()
    if r < 0.7: return f.ipv4_private()
    a = ipaddress.IPv6Address(f.ipv6())
    return str(a) if random.random() < 0.6 else a.exploded

def mac():
    m = f.mac_address()
    r = random.random()
    if r < 0.4: return m
    if r < 0.55: return m.upper()
    if r < 0.8: return m.replace(":", "-").upper()
    h = m.replace(":", "")
    return f"{h[:4]}.{h[4:8]}.{h[8:]}"

def url():
    r = random.random()
    if r < 0.4: return f.url()
    if r < 0.8: return f.uri()
    return f.url().rstrip("/") + "/" + f.uri_path() + "?" + f.word() + "=" + str(random.randint(1, 9999))

def bank():
    return "".join(random.choice(string.digits) for _ in range(random.randint(8, 17)))

def aba():
    while True:
        d = [random.randint(0, 9) for _ in range(8)]
        d[0] = random.choice([0, 1, 2, 3])
        for c in range(10):
            dd = d + [c]
            if (3 * (dd[0] + dd[3] + dd[6]) + 7 * (dd[1] + dd[4] + dd[7]) + (dd[2] + dd[5] + dd[8])) % 10 == 0:
                return "".join(map(str, dd))

def dig(n): return "".join(random.choice(string.digits) for _ in range(n))
def L(): return random.choice(string.ascii_uppercase)
def dl():
    st = random.choice(["CA","NY","FL","TX","IL","PA","WA","MI","NJ","OH","AZ"])
    v = {"CA": lambda: L() + dig(7), "NY": lambda: dig(9), "FL": lambda: L() + dig(12), "TX": lambda: dig(8),
         "IL": lambda: L() + dig(11), "PA": lambda: dig(8), "WA": lambda: "WDL" + "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(9)),
         "MI": lambda: L() + dig(12), "NJ": lambda: L() + dig(14), "OH": lambda: L() + L() + dig(6), "AZ": lambda: L() + dig(8)}[st]()
    if st == "FL" and random.random() < 0.5: v = f"{v[:4]}-{v[4:7]}-{v[7:9]}-{v[9:12]}-{v[12:]}"
    if st == "IL" and random.random() < 0.5: v = f"{v[:4]}-{v[4:8]}-{v[8:]}"
    return v, st

def passport(): return dig(9) if random.random() < 0.5 else L() + dig(8)
def mrn():
    return random.choice([lambda: dig(random.randint(7, 9)), lambda: f"MR-{random.randint(1990,2025)}-{dig(6)}", lambda: L() + dig(8),
                          lambda: f"{dig(3)}-{dig(2)}-{dig(3)}", lambda: "E" + dig(7), lambda: "MRN" + dig(9)])()

DATE_FMTS = ["%Y-%m-%d","%d/%m/%Y","%m/%d/%Y","%d.%m.%Y","%B %d, %Y","%d %B %Y","%b %d, %Y","%Y/%m/%d","%d-%b-%Y","%Y-%m-%dT%H:%M:%SZ","%Y-%m-%d %H:%M:%S","%b %d %Y","%A, %B %d, %Y","%m-%d-%Y"]
def date(): return f.date_time_between("-60y", "+1y").strftime(random.choice(DATE_FMTS))

def location():
    r = random.random()
    if r < 0.45:
        sa = f.street_address()
        return f"{sa}, {f.city()}, {f.state_abbr()} {f.zipcode()}"
    if r < 0.6: return f"{f.city()}, {f.state_abbr()}"
    if r < 0.8: return f.city()
    return random.choice(["Germany","France","Canada","Mexico","Brazil","Japan","India","Australia","Spain","Italy","Netherlands","Sweden","Poland","Ireland","Portugal","United Kingdom","Switzerland","Austria","Norway","Denmark"])

# type -> (generator, keys for records, english labels, prose templates)
T = {
 "CREDIT_CARD": (card, ["card_number","cc","pan","cardNumber"], ["Card number","Credit card","Card","CC#"], ["please charge my card {}", "the card ending in nothing, full number {}, was declined", "I paid with {} yesterday"]),
 "IBAN_CODE": (iban, ["iban","IBAN","bank_iban"], ["IBAN","Bank account (IBAN)"], ["please wire it to IBAN {}", "my IBAN is {} thanks", "refund to {} please"]),
 "US_SSN": (ssn, ["ssn","social_security_number","SSN"], ["SSN","Social Security No.","SSN#"], ["my social security number is {}", "SSN {} is on the form", "his ssn: {}"]),
 "US_ITIN": (itin, ["itin","tax_id","ITIN"], ["ITIN","Taxpayer ID (ITIN)"], ["my ITIN is {}", "file it under ITIN {} please"]),
 "IP_ADDRESS": (ip, ["ip","client_ip","remote_addr","src"], ["IP","Client IP","Source address"], ["the request came from {} again", "we blocked {} at the firewall", "ssh into {} and restart it"]),
 "MAC_ADDRESS": (mac, ["mac","mac_address","hwaddr"], ["MAC","MAC address","Hardware address"], ["the device {} keeps dropping off wifi", "whitelist MAC {} please"]),
 "URL": (url, ["url","homepage","callback_url","link"], ["URL","Website","Link"], ["see {} for the details", "the page {} returns 500"]),
 "US_BANK_NUMBER": (bank, ["account_number","acct_no","bank_account"], ["Account number","Acct #","Bank account no."], ["my checking account number is {}", "deposit to account {} please", "acct no {} at the credit union"]),
 "US_DRIVER_LICENSE": (None, ["drivers_license","dl_number","license_no"], ["Driver's license","DL #","License number"], ["my driver's license number is {}", "DL {} was scanned at the desk"]),
 "US_PASSPORT": (passport, ["passport","passport_number","passportNo"], ["Passport","Passport No.","Passport number"], ["my passport number is {}", "US passport {} expires soon"]),
 "MEDICAL_RECORD_NUMBER": (mrn, ["mrn","medical_record_number","patient_mrn"], ["MRN","Medical record #","Med Rec No"], ["patient MRN {} was readmitted", "chart for medical record number {} is incomplete"]),
 "NPI": (npi, ["npi","provider_npi","NPI"], ["NPI","Provider NPI","NPI #"], ["the referring provider's NPI is {}", "bill under NPI {}"]),
 "UK_NHS": (nhs, ["nhs_number","nhs","NHSNumber"], ["NHS number","NHS No.","NHS #"], ["my NHS number is {}", "patient NHS no {} has an appointment"]),
 "CRYPTO": (crypto, ["btc_address","wallet","address"], ["BTC address","Wallet","Bitcoin"], ["send 0.1 BTC to {} please", "my wallet is {}"]),
 "DATE_TIME": (date, ["dob","created_at","date_of_birth","appointment"], ["DOB","Date","Appointment","Date of birth"], ["my appointment is on {}", "she was born on {}", "it happened {} around noon"]),
 "LOCATION": (location, ["address","city","location","home_address"], ["Address","City","Location","Home address"], ["I live at {}", "ship it to {} please", "we moved to {} last year"]),
}
LANG = {
 "de": {"CREDIT_CARD": "Kreditkartennummer", "IBAN_CODE": "IBAN", "US_SSN": "Sozialversicherungsnummer (SSN)", "IP_ADDRESS": "IP-Adresse", "MAC_ADDRESS": "MAC-Adresse", "URL": "Webseite", "DATE_TIME": "Geburtsdatum", "LOCATION": "Adresse", "US_PASSPORT": "Reisepassnummer", "US_BANK_NUMBER": "Kontonummer", "CRYPTO": "Bitcoin-Adresse", "UK_NHS": "NHS-Nummer", "NPI": "NPI", "MEDICAL_RECORD_NUMBER": "Patientennummer (MRN)", "US_ITIN": "ITIN", "US_DRIVER_LICENSE": "Führerscheinnummer"},
 "fr": {"CREDIT_CARD": "numéro de carte", "IBAN_CODE": "IBAN", "US_SSN": "numéro de sécurité sociale (SSN)", "IP_ADDRESS": "adresse IP", "MAC_ADDRESS": "adresse MAC", "URL": "site", "DATE_TIME": "date de naissance", "LOCATION": "adresse", "US_PASSPORT": "numéro de passeport", "US_BANK_NUMBER": "numéro de compte", "CRYPTO": "adresse bitcoin", "UK_NHS": "numéro NHS", "NPI": "NPI", "MEDICAL_RECORD_NUMBER": "numéro de dossier médical (MRN)", "US_ITIN": "ITIN", "US_DRIVER_LICENSE": "numéro de permis de conduire"},
 "es": {"CREDIT_CARD": "número de tarjeta", "IBAN_CODE": "IBAN", "US_SSN": "número de seguro social (SSN)", "IP_ADDRESS": "dirección IP", "MAC_ADDRESS": "dirección MAC", "URL": "sitio web", "DATE_TIME": "fecha de nacimiento", "LOCATION": "dirección", "US_PASSPORT": "número de pasaporte", "US_BANK_NUMBER": "número de cuenta", "CRYPTO": "dirección de bitcoin", "UK_NHS": "número NHS", "NPI": "NPI", "MEDICAL_RECORD_NUMBER": "número de historia clínica (MRN)", "US_ITIN": "ITIN", "US_DRIVER_LICENSE": "número de licencia de conducir"},
}
LANG_FRAME = {"de": ("Hallo, hier meine Daten. ", "Meine {l} ist {v}. ", "Danke!"), "fr": ("Bonjour, voici mes informations. ", "Mon {l} est {v}. ", "Merci !"), "es": ("Hola, aquí están mis datos. ", "Mi {l} es {v}. ", "¡Gracias!")}

class Doc:
    def __init__(self): self.parts = []; self.ents = []; self.n = 0
    def t(self, s): self.parts.append(s); self.n += len(s); return self
    def e(self, typ, s): self.ents.append({"type": typ, "start": self.n, "end": self.n + len(s)}); return self.t(s)
    def out(self, i, ctx, types): return {"id": f"p2-{i:05d}", "text": "".join(self.parts), "entities": self.ents, "meta": {"context": ctx, "types": types}}

def value(typ):
    if typ == "US_DRIVER_LICENSE":
        v, st = dl(); return v
    return T[typ][0]()

def gen(i):
    types = random.sample(list(T), random.randint(1, 3))
    vals = [(t, value(t)) for t in types]
    kind = random.choice(["chat", "json", "csv", "yaml", "xml", "logfmt", "form", "md", "sql", "py", "de", "fr", "es", "email", "query", "hl7ish"])
    d = Doc()
    if kind == "chat":
        d.t(random.choice(["Hi team, ", "Hello, ", "Quick question: ", ""]))
        for j, (t, v) in enumerate(vals):
            tpl = random.choice(T[t][3]); a, b = tpl.split("{}")
            d.t(a).e(t, v).t(b + (". " if j + 1 < len(vals) else "."))
    elif kind == "json":
        d.t("{")
        for j, (t, v) in enumerate(vals):
            d.t(('"%s": "' % random.choice(T[t][1]))).e(t, v).t('"' + (", " if j + 1 < len(vals) else ""))
        d.t("}")
    elif kind == "csv":
        keys = [random.choice(T[t][1]) for t, _ in vals]
        d.t("id," + ",".join(keys) + "\n" + str(random.randint(1, 999)) + ",")
        for j, (t, v) in enumerate(vals):
            d.e(t, v.replace(",", "")) if "," not in v else d.t('"').e(t, v).t('"')
            d.t("," if j + 1 < len(vals) else "\n")
    elif kind == "yaml":
        d.t("record:\n")
        for t, v in vals: d.t(f"  {random.choice(T[t][1])}: ").e(t, v).t("\n")
    elif kind == "xml":
        d.t("<record>")
        for t, v in vals:
            k = random.choice(T[t][1]); d.t(f"<{k}>").e(t, v).t(f"</{k}>")
        d.t("</record>")
    elif kind == "logfmt":
        d.t("ts=").e("DATE_TIME", f.iso8601() + "Z").t(" level=warn msg=\"lookup\" ")
        for t, v in vals:
            k = random.choice(T[t][1]); q = '"' if " " in v else ""
            d.t(f"{k}={q}").e(t, v).t(q + " ")
    elif kind == "form":
        for t, v in vals: d.t(random.choice(T[t][2]) + ": ").e(t, v).t("\n")
    elif kind == "md":
        d.t("| Field | Value |\n|---|---|\n")
        for t, v in vals: d.t("| " + random.choice(T[t][2]) + " | ").e(t, v).t(" |\n")
    elif kind == "sql":
        keys = [random.choice(T[t][1]) for t, _ in vals]
        d.t("INSERT INTO customers (" + ", ".join(keys) + ") VALUES (")
        for j, (t, v) in enumerate(vals): d.t("'").e(t, v).t("'" + (", " if j + 1 < len(vals) else ");"))
    elif kind == "py":
        d.t("record = dict(")
        for j, (t, v) in enumerate(vals): d.t(random.choice(T[t][1]).lower() + "='").e(t, v).t("'" + (", " if j + 1 < len(vals) else ")"))
    elif kind in LANG:
        a, mid, z = LANG_FRAME[kind]; d.t(a)
        for t, v in vals:
            pre, post = mid.split("{v}"); d.t(pre.replace("{l}", LANG[kind][t])).e(t, v).t(post)
        d.t(z)
    elif kind == "email":
        d.t("From: ").e("EMAIL_ADDRESS", f.company_email()).t("\nSubject: account update\n\nHello,\n\nPlease update the following:\n")
        for t, v in vals: d.t("  - " + random.choice(T[t][2]) + " -> ").e(t, v).t("\n")
        d.t("\nRegards\n")
    elif kind == "query":
        d.t("GET /api/v1/update?")
        for j, (t, v) in enumerate(vals):
            if " " in v or "/" in v or "?" in v or "," in v: v = v.replace(" ", "")
            if "/" in v or "?" in v or "," in v: continue
            d.t(random.choice(T[t][1]) + "=").e(t, v).t("&")
        d.t("v=2 HTTP/1.1")
    elif kind == "hl7ish":
        pos = {"MEDICAL_RECORD_NUMBER": 3, "DATE_TIME": 7, "US_SSN": 19, "US_DRIVER_LICENSE": 20}
        fields = {}
        for t, v in vals:
            if t in pos:
                if t == "DATE_TIME": v = f.date_time_between("-80y", "-1y").strftime(random.choice(["%Y%m%d", "%Y%m%d%H%M"]))
                if t == "US_SSN": v = v.replace(" ", "-")
                fields[pos[t]] = (t, v)
        d.t("MSH|^~\\&|EPIC|HOSP|||").e("DATE_TIME", f.date_time_between("-2y").strftime("%Y%m%d%H%M%S")).t("||ADT^A01|123|P|2.5\rPID|1")
        for k in range(2, 21):
            d.t("|")
            if k in fields:
                t, v = fields[k]; d.e(t, v)
                if t == "MEDICAL_RECORD_NUMBER" and random.random() < 0.5: d.t("^^^HOSP^MR")
                if t == "US_DRIVER_LICENSE": d.t("^" + random.choice(["CA", "NY", "TX"]))
            elif k == 5: d.e("PERSON", f.last_name().upper() + "^" + f.first_name().upper())
        d.t("|\r")
        types = [t for t, _ in fields.values()]
    return d.out(i, kind, types)

n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
for i in range(n): print(json.dumps(gen(i), ensure_ascii=False))
