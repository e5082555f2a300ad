"""A synthetic probe of DATE_TIME: calendar dates in the formats people and
programs write, in the places they write them, next to the number runs
that are not dates.

Dates come in about 30 formats: ISO 8601 (date, date-time, offsets, fractions),
slashed, dotted and dashed day-first and month-first (four- and two-digit
years), year-first dotted (`2024.05.01`, written in Korea, Hungary,
Japan and China), compact `YYYYMMDD` after a date field, month names in
seven languages, CJK `2024年5月1日`, syslog and Apache log stamps. They
sit in 16 contexts: prose in English, German, French, Spanish, Italian,
Dutch, Portuguese, Japanese, Chinese and Korean, JSON, CSV, YAML, logfmt,
form fields and log lines.

One record in four holds hard negatives only (LABELLING.md: versions
including calendar versions after a version word or `==`,
`MM/YY` expiry dates, times of day, durations, epoch integers, order and
ticket numbers, amounts, fractions and scores).

    /tmp/fv/bin/python xtask/scripts/date_probe.py SEED N > dates.jsonl
    target/release/deepsentinel scan --jsonl-input --format jsonl \
        --categories pii,phi < dates.jsonl > dates.pred
    python3 ../shared/eval/score.py dates.jsonl dates.pred
"""
import datetime as dt
import json
import random
import sys

from faker import Faker

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 21
random.seed(SEED)
Faker.seed(SEED)
f = Faker("en_US")

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
}
MONTHS = {k: v.split() for k, v in MONTHS.items()}


# Dates are drawn around a fixed day, so a seed gives the same corpus on
# any day.
REF = dt.date(2026, 11, 1)


def a_date():
    if random.random() < 0.5:
        return f.date_between_dates(REF - dt.timedelta(days=95 * 365), REF - dt.timedelta(days=365))
    return f.date_between_dates(REF - dt.timedelta(days=6 * 365), REF + dt.timedelta(days=2 * 365))


def a_time():
    return dt.time(random.randint(0, 23), random.randint(0, 59), random.randint(0, 59))


def fmt(d, lang="en"):
    """`d` written in one of the formats `lang`'s writers use."""
    t = a_time()
    y2 = f"{d.year % 100:02d}"
    m = MONTHS.get(lang, MONTHS["en"])[d.month - 1]
    if lang == "en":
        choices = [
            d.isoformat(),
            f"{d.isoformat()}T{t.isoformat()}Z",
            f"{d.isoformat()} {t.isoformat()}",
            f"{d.isoformat()}T{t.isoformat()}.{random.randint(0, 999):03d}+02:00",
            f"{d.month:02d}/{d.day:02d}/{d.year}",
            f"{d.month}/{d.day}/{d.year}",
            f"{d.month}/{d.day}/{y2}",
            f"{d.month:02d}/{d.day:02d}/{y2}",
            f"{d.day:02d}/{d.month:02d}/{d.year}",
            f"{d.month:02d}-{d.day:02d}-{d.year}",
            f"{d.year}/{d.month:02d}/{d.day:02d}",
            f"{d.year}.{d.month:02d}.{d.day:02d}",
            f"{m} {d.day}, {d.year}",
            f"{m[:3]} {d.day}, {d.year}",
            f"{d.day} {m} {d.year}",
            f"{d.day:02d}-{m[:3]}-{d.year}",
            f"{d.strftime('%A')}, {m} {d.day}, {d.year}",
            f"{m} {d.day}, {d.year} at {t.hour % 12 or 12}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}",
        ]
    elif lang == "de":
        choices = [f"{d.day:02d}.{d.month:02d}.{d.year}", f"{d.day}.{d.month}.{d.year}",
                   f"{d.day:02d}.{d.month:02d}.{y2}", f"{d.day}. {m} {d.year}",
                   f"{d.day:02d}.{d.month:02d}.{d.year} {t.hour:02d}:{t.minute:02d}"]
    elif lang in ("fr", "es", "it", "pt"):
        de = " de " if lang in ("es", "pt") else " "
        choices = [f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day}{de}{m}{de}{d.year}",
                   f"{d.day:02d}/{d.month:02d}/{y2}", f"{d.day:02d}-{d.month:02d}-{d.year}"]
    elif lang == "nl":
        choices = [f"{d.day:02d}-{d.month:02d}-{d.year}", f"{d.day} {m} {d.year}", f"{d.day:02d}.{d.month:02d}.{d.year}"]
    elif lang in ("ja", "zh"):
        choices = [f"{d.year}年{d.month}月{d.day}日", f"{d.year}/{d.month:02d}/{d.day:02d}", f"{d.year}.{d.month:02d}.{d.day:02d}"]
    else:  # ko
        choices = [f"{d.year}년 {d.month}월 {d.day}일", f"{d.year}.{d.month:02d}.{d.day:02d}", f"{d.year}-{d.month:02d}-{d.day:02d}"]
    return random.choice(choices)


class Doc:
    def __init__(self):
        self.text = ""
        self.ents = []

    def t(self, s):
        self.text += s
        return self

    def e(self, typ, s):
        b = len(self.text)  # character offsets, as score.py reads gold
        self.text += s
        self.ents.append({"type": typ, "start": b, "end": b + len(s)})
        return self


def negative():
    """A run of digits and separators that is not a calendar date."""
    d = a_date()
    ver = f"{random.randint(0, 12)}.{random.randint(0, 30)}.{random.randint(0, 40)}"
    cal = f"{d.year}.{d.month:02d}.{d.day:02d}"
    return random.choice([
        f"Upgraded the agent to version {ver} last night.",
        f"pip install certifi=={cal}",
        f"Release {cal} fixes the importer.",
        f"Running build {d.year}.{d.month}.{random.randint(100, 999)} on the runner.",
        f"Card expires {random.randint(1, 12):02d}/{random.randint(25, 31)}.",
        f"The call is at {random.randint(1, 12)}:{random.randint(0, 59):02d} pm.",
        f"It took {random.randint(2, 50)} days and {random.randint(1, 23)} hours.",
        f"created_at={random.randint(1500000000, 1800000000)}",
        f"Order {random.randint(1000, 9999)}-{random.randint(10, 99)}-{random.randint(1000, 9999)} shipped.",
        f"Ticket #{random.randint(100000, 999999)} was closed.",
        f"Total: {random.randint(1, 9)},{random.randint(100, 999)}.{random.randint(10, 99)} EUR",
        f"The vote was {random.randint(1, 9)}/{random.randint(1, 9)} with {random.randint(1, 30)} abstaining.",
        f"Score {random.randint(1, 30)}.{random.randint(0, 9)}/{random.randint(31, 50)}",
        f"Section {random.randint(1, 12)}.{random.randint(1, 9)}.{random.randint(1, 20)} of the manual covers it.",
        f"See RFC {random.randint(1000, 9999)}, page {random.randint(2, 90)}.",
        f"The pool holds {random.randint(2, 9)}.{random.randint(0, 99):02d}.{random.randint(10, 99)} units per rack.",
    ])


def gen(i):
    doc = Doc()
    if random.random() < 0.25:
        doc.t(negative())
        if random.random() < 0.5:
            doc.t(" " + negative())
        return {"id": f"dt-{SEED}-{i:05d}", "text": doc.text, "entities": doc.ents,
                "meta": {"context": "negative", "types": []}}
    ctx = random.choice(["en", "en_lead", "de", "fr", "es", "it", "nl", "pt", "ja", "zh", "ko",
                         "json", "csv", "yaml", "logfmt", "form", "log"])
    d = a_date()
    lang = ctx if ctx in MONTHS or ctx in ("ja", "zh", "ko") else "en"
    v = fmt(d, lang)
    if ctx == "en":
        doc.t(random.choice(["She was born on ", "Date of birth: ", "The appointment is on ", "Admitted ",
                             "The contract is dated ", "Payment was due ", "Last seen ", "Signed on "]))
        doc.e("DATE_TIME", v).t(random.choice([".", " by the clinic.", ", per the file.", ""]))
    elif ctx == "en_lead":
        doc.e("DATE_TIME", v).t(random.choice([": kickoff call with the vendor.", " - invoice sent.", " was the last visit."]))
    elif ctx == "de":
        doc.t(random.choice(["Geburtsdatum: ", "Der Termin ist am ", "Geboren am ", "Rechnung vom ", "Aufgenommen am "]))
        doc.e("DATE_TIME", v)
        if random.random() < 0.3:
            doc.t(" in ").e("LOCATION", random.choice(["Berlin", "München", "Hamburg", "Köln"])).t(".")
        else:
            doc.t(random.choice([".", " um 10 Uhr."]))
    elif ctx == "fr":
        doc.t(random.choice(["Né le ", "Date de naissance : ", "Le rendez-vous est fixé au ", "Facture du "]))
        doc.e("DATE_TIME", v).t(".")
    elif ctx == "es":
        doc.t(random.choice(["Fecha de nacimiento: ", "La cita es el ", "Nació el ", "Factura del "]))
        doc.e("DATE_TIME", v).t(".")
    elif ctx == "it":
        doc.t(random.choice(["Data di nascita: ", "L'appuntamento è il ", "Nato il ", "Fattura del "]))
        doc.e("DATE_TIME", v).t(".")
    elif ctx == "nl":
        doc.t(random.choice(["Geboortedatum: ", "De afspraak is op ", "Geboren op "]))
        doc.e("DATE_TIME", v).t(".")
    elif ctx == "pt":
        doc.t(random.choice(["Data de nascimento: ", "A consulta é em ", "Nasceu em "]))
        doc.e("DATE_TIME", v).t(".")
    elif ctx == "ja":
        doc.t(random.choice(["生年月日：", "予約日は", "私は"]))
        doc.e("DATE_TIME", v).t(random.choice(["です。", "に生まれました。", "に来院しました。"]))
    elif ctx == "zh":
        doc.t(random.choice(["出生日期：", "预约时间是", "他于"]))
        doc.e("DATE_TIME", v).t(random.choice(["。", "出生。", "入院。"]))
    elif ctx == "ko":
        doc.t(random.choice(["생년월일: ", "예약일은 ", "방문일: "]))
        doc.e("DATE_TIME", v).t(random.choice([" 입니다.", "", "."]))
    elif ctx == "json":
        k = random.choice(["dob", "birth_date", "created", "visit_date", "date", "admitted_at", "dateOfBirth"])
        doc.t(f'{{"id": {random.randint(1, 9999)}, "{k}": "').e("DATE_TIME", v).t('"}')
    elif ctx == "csv":
        doc.t("id,name,dob,status\n").t(f"{random.randint(1, 999)},").e("PERSON", f.last_name()).t(",")
        doc.e("DATE_TIME", v.replace(",", "")).t(",active\n")
    elif ctx == "yaml":
        k = random.choice(["date_of_birth", "visit", "created", "date", "due"])
        doc.t(f"patient:\n  id: {random.randint(1, 9999)}\n  {k}: ").e("DATE_TIME", v).t("\n")
    elif ctx == "logfmt":
        k = random.choice(["dob", "date", "visit", "created"])
        q = '"' if " " in v else ""
        doc.t(f"level=info msg=\"record\" {k}={q}").e("DATE_TIME", v).t(f"{q} status=ok")
    elif ctx == "form":
        k = random.choice(["Date", "DOB", "Visit date", "Date of service", "Admission", "Discharge date", "Due date"])
        doc.t(f"{k}: ").e("DATE_TIME", v).t("\n")
    else:  # log line
        stamp = f"{d.isoformat()} {a_time().isoformat()},{random.randint(0, 999):03d}"
        doc.e("DATE_TIME", stamp).t(" INFO worker: job finished for record dated ").e("DATE_TIME", v)
    if random.random() < 0.2:
        doc.t(" " + negative())
    return {"id": f"dt-{SEED}-{i:05d}", "text": doc.text, "entities": doc.ents,
            "meta": {"context": ctx, "types": ["DATE_TIME"]}}


n = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
for i in range(n):
    print(json.dumps(gen(i), ensure_ascii=False))
