//! Street-address grammar (LOCATION as one span): US/UK `12 Oak St Apt 4,
//! Denver, CO 80211`, `228 Victoria Road, Sheffield S1 2HE`, and continental
//! `Hauptstraße 5, 10115 Berlin` / `Via Roma 12, 00184 Roma` /
//! `ul. Długa 5, 00-238 Warszawa`.

/// Street suffixes (English).
const SUFFIX: &str = "Street|St|Avenue|Ave|Av|Boulevard|Blvd|Road|Rd|Drive|Dr|Lane|Ln|Way|Place|Pl|Court|Ct|Circle|Cir|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Plaza|Plz|Crescent|Cres|Close|Grove|Gardens|Row|Mews|Alley|Loop|Pike|Path|Walk|Crossing|Hill|Green|Parade|Embankment";

/// Unit designators.
const UNIT: &str = r"(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Rm|Room|Bldg|Building|Flat|\#)\.?[ ]?\#?[A-Za-z0-9-]{1,6}";

/// A capitalised word of a street or city name.
const CAPWORD: &str = r"\p{Lu}[\p{L}\p{M}'’.-]*";

/// US state / territory codes.
pub(crate) const US_STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "PR", "GU", "VI", "AS", "MP",
];

pub(crate) fn is_state_code(s: &str) -> bool {
    US_STATES.contains(&s)
}

/// English-style: house number first.
pub(crate) fn us_pattern() -> String {
    let state = US_STATES.join("|");
    format!(
        r"\d{{1,6}}(?:-\d{{1,4}})?[A-Za-z]?[ ]+(?:(?:[NSEW]|NE|NW|SE|SW|North|South|East|West)\.?[ ]+)?(?:(?:{CAPWORD}|\d{{1,3}}(?:st|nd|rd|th))[ ]+){{1,4}}(?:{SUFFIX})\.?(?:[ ]+(?:NE|NW|SE|SW|N|S|E|W)\.?)?(?:,?[ ]+{UNIT})?(?:,[ ]*{CAPWORD}(?:[ ]+{CAPWORD}){{0,3}}(?:,[ ]*(?:{state})(?:[ ]+\d{{5}}(?:-\d{{4}})?)?|,?[ ]+[A-Z]{{1,2}}\d[A-Z\d]?[ ]+\d[A-Z]{{2}}|,?[ ]+\d{{5}}(?:-\d{{4}})?))?"
    )
}

/// Continental: street word(s) then house number, optional postcode + city.
pub(crate) fn eu_pattern() -> String {
    let postcode = r"(?:\d{2}-\d{3}|\d{3}[ ]?\d{2}|\d{4}[ ]?[A-Z]{2}|\d{4,5})";
    format!(
        r"(?:(?:\p{{Lu}}[\p{{L}}\p{{M}}-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|laan|gracht|plein|kade|dijk|steeg)|(?:Via|Viale|Piazza|Corso|Calle|Avenida|Avda\.|Paseo|Plaza|Rua|Travessa|Largo|Rue|Avenue|Boulevard|Place|Chemin|Quai|Impasse|ul\.|al\.|pl\.|ulica|Ulica|Náměstí|náměstí)[ ]+(?:(?:de|del|della|di|da|do|dos|das|la|le|les|du|des|d'|l')[ ]?)*{CAPWORD}(?:[ ]+(?:(?:de|del|della|di|da|do|dos|das|la|le|les|du|des)[ ]+)?{CAPWORD}){{0,3}})[ ]+\d{{1,4}}[a-zA-Z]?(?:/\d{{1,4}})?(?:,[ ]*{postcode}[ ]+{CAPWORD}(?:[ ]+{CAPWORD}){{0,2}})?)"
    )
}

/// French/Spanish style with number first: `12 rue de Rivoli, 75001 Paris`.
pub(crate) fn fr_pattern() -> String {
    format!(
        r"\d{{1,4}}(?:[ ]?(?:bis|ter))?,?[ ]+(?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|route|calle|avenida)[ ]+(?:(?:de|del|du|des|la|le|les|d'|l')[ ]?)*{CAPWORD}(?:[ ]+{CAPWORD}){{0,3}}(?:,[ ]*\d{{5}}[ ]+{CAPWORD}(?:[ ]+{CAPWORD}){{0,2}})?"
    )
}
