//! Checks for the named value formats a spec rule can require.
//!
//! This file is compiled into the generator (to check the spec's own examples) and copied
//! verbatim into generated code (to validate requests), so both always agree. It uses only
//! `core`, allocates nothing, and every function is total: any input gives an answer.

/// Splits a datetime `YYYY-MM-DD HH:MM:SS` into its parts. With `lenient`, each part after the
/// year may have one or two digits (`2020-11-1 0:00:00`), as one public example writes it.
/// Returns `None` unless every part is in range (the day exists in that month and year).
pub fn datetime_parts(text: &str, lenient: bool) -> Option<(u16, u8, u8, u8, u8, u8)> {
    let (date, time) = text.split_once(' ')?;
    let (year, month, day) = date_parts(date, '-', lenient)?;
    let mut parts = time.split(':');
    let hour = number(parts.next()?, lenient)?;
    let minute = number(parts.next()?, lenient)?;
    let second = number(parts.next()?, lenient)?;
    if parts.next().is_some() || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some((year, month, day, hour, minute, second))
}

fn date_parts(text: &str, separator: char, lenient: bool) -> Option<(u16, u8, u8)> {
    let mut parts = text.split(separator);
    let year = parts.next()?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: u16 = year.parse().ok()?;
    let month = number(parts.next()?, lenient)?;
    let day = number(parts.next()?, lenient)?;
    if parts.next().is_some() || !is_real_date(year, month, day) {
        return None;
    }
    Some((year, month, day))
}

/// Two ASCII digits (or, when lenient, one or two).
fn number(text: &str, lenient: bool) -> Option<u8> {
    let ok_len = text.len() == 2 || (lenient && text.len() == 1);
    if !ok_len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Whether the day exists in that month of that year.
pub fn is_real_date(year: u16, month: u8, day: u8) -> bool {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `datetime`: exactly `YYYY-MM-DD HH:MM:SS`, zero-padded, a real date and time.
pub fn is_datetime(text: &str) -> bool {
    datetime_parts(text, false).is_some()
}

/// `date_compact`: `YYYYMMDD`, a real date.
pub fn is_date_compact(text: &str) -> bool {
    let digits = text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit());
    digits && {
        let year = text[0..4].parse().unwrap_or(0);
        let month = text[4..6].parse().unwrap_or(0);
        let day = text[6..8].parse().unwrap_or(0);
        is_real_date(year, month, day)
    }
}

/// `email`: `local@domain.tld`, no spaces, a domain of at least two dot-separated labels.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local
            .chars()
            .any(|c| c.is_whitespace() || c == '@' || c.is_control());
    local_ok && is_domain(domain)
}

fn is_domain(domain: &str) -> bool {
    let mut labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2 && last.len() >= 2 && last.bytes().all(|b| b.is_ascii_alphabetic())
}

/// `url`: `http://` or `https://`, a host, and no spaces.
pub fn is_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// `url_or_path`: a `url`, or an absolute path (`/2024/01/02/xx.png`) with no spaces.
pub fn is_url_or_path(text: &str) -> bool {
    is_url(text)
        || (text.starts_with('/')
            && text.len() > 1
            && !text.chars().any(|c| c.is_whitespace() || c.is_control()))
}

/// `digits`: one or more ASCII digits.
pub fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `mobile_cn`: an 11-digit mainland China mobile number (`1[3-9]` then nine digits).
pub fn is_mobile_cn(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1])
}

/// `id_card_cn`: an 18-character resident identity card number: 17 digits, then a check digit
/// (or `X`) that matches the ISO 7064 MOD 11-2 checksum, with a real birth date in digits 7–14.
pub fn is_id_card_cn(text: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [u8; 11] = *b"10X98765432";
    let bytes = text.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    if !is_date_compact(&text[6..14]) {
        return false;
    }
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    CHECK[(sum % 11) as usize] == bytes[17].to_ascii_uppercase()
}

/// ISO 3166-1 alpha-3 country codes, sorted.
pub const COUNTRIES: [&str; 249] = [
    "ABW", "AFG", "AGO", "AIA", "ALA", "ALB", "AND", "ARE", "ARG", "ARM", "ASM", "ATA", "ATF",
    "ATG", "AUS", "AUT", "AZE", "BDI", "BEL", "BEN", "BES", "BFA", "BGD", "BGR", "BHR", "BHS",
    "BIH", "BLM", "BLR", "BLZ", "BMU", "BOL", "BRA", "BRB", "BRN", "BTN", "BVT", "BWA", "CAF",
    "CAN", "CCK", "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COK", "COL", "COM", "CPV",
    "CRI", "CUB", "CUW", "CXR", "CYM", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM", "DZA",
    "ECU", "EGY", "ERI", "ESH", "ESP", "EST", "ETH", "FIN", "FJI", "FLK", "FRA", "FRO", "FSM",
    "GAB", "GBR", "GEO", "GGY", "GHA", "GIB", "GIN", "GLP", "GMB", "GNB", "GNQ", "GRC", "GRD",
    "GRL", "GTM", "GUF", "GUM", "GUY", "HKG", "HMD", "HND", "HRV", "HTI", "HUN", "IDN", "IMN",
    "IND", "IOT", "IRL", "IRN", "IRQ", "ISL", "ISR", "ITA", "JAM", "JEY", "JOR", "JPN", "KAZ",
    "KEN", "KGZ", "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LIE",
    "LKA", "LSO", "LTU", "LUX", "LVA", "MAC", "MAF", "MAR", "MCO", "MDA", "MDG", "MDV", "MEX",
    "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MNP", "MOZ", "MRT", "MSR", "MTQ", "MUS",
    "MWI", "MYS", "MYT", "NAM", "NCL", "NER", "NFK", "NGA", "NIC", "NIU", "NLD", "NOR", "NPL",
    "NRU", "NZL", "OMN", "PAK", "PAN", "PCN", "PER", "PHL", "PLW", "PNG", "POL", "PRI", "PRK",
    "PRT", "PRY", "PSE", "PYF", "QAT", "REU", "ROU", "RUS", "RWA", "SAU", "SDN", "SEN", "SGP",
    "SGS", "SHN", "SJM", "SLB", "SLE", "SLV", "SMR", "SOM", "SPM", "SRB", "SSD", "STP", "SUR",
    "SVK", "SVN", "SWE", "SWZ", "SXM", "SYC", "SYR", "TCA", "TCD", "TGO", "THA", "TJK", "TKL",
    "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TWN", "TZA", "UGA", "UKR", "UMI", "URY",
    "USA", "UZB", "VAT", "VCT", "VEN", "VGB", "VIR", "VNM", "VUT", "WLF", "WSM", "YEM", "ZAF",
    "ZMB", "ZWE",
];

/// `country_alpha3`: an ISO 3166-1 alpha-3 country code (`CHN`).
pub fn is_country_alpha3(text: &str) -> bool {
    COUNTRIES.binary_search(&text).is_ok()
}

/// `org_path`: organization names separated by `/` (`AA/BB/CC`), none of them empty.
pub fn is_org_path(text: &str) -> bool {
    !text.is_empty() && text.split('/').all(|segment| !segment.trim().is_empty())
}
