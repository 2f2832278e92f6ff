//! The rules a spec can put on a field, implemented once.
//!
//! Generated validators call these functions, and the generator checks the spec's own examples
//! with the very same functions, so a rule means one thing everywhere. The words that describe
//! a rule (in validation messages, rustdoc and the Markdown reference) come from
//! [`Requirement`], also defined once here.

use std::fmt;

use super::formats;

macro_rules! formats {
    ($($variant:ident = $name:literal, $check:path, $zh:literal, $en:literal;)*) => {
        /// A named value format a rule can require.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Format {
            $(#[doc = $en] $variant,)*
        }

        impl Format {
            /// Every format, in documentation order.
            pub const ALL: &'static [Format] = &[$(Format::$variant),*];

            /// The name written in a spec (`email`).
            pub fn name(self) -> &'static str {
                match self { $(Format::$variant => $name,)* }
            }

            /// Looks a format up by the name written in a spec.
            pub fn from_name(name: &str) -> Option<Format> {
                match name { $($name => Some(Format::$variant),)* _ => None }
            }

            /// Whether `text` is in this format.
            #[inline]
            pub fn accepts(self, text: &str) -> bool {
                match self { $(Format::$variant => $check(text),)* }
            }

            /// What the format is, in Chinese.
            pub fn zh(self) -> &'static str {
                match self { $(Format::$variant => $zh,)* }
            }

            /// What the format is, in English.
            pub fn en(self) -> &'static str {
                match self { $(Format::$variant => $en,)* }
            }
        }
    };
}

formats! {
    DateTime = "datetime", formats::is_datetime, "日期时间YYYY-MM-DD HH:MM:SS", "a datetime written YYYY-MM-DD HH:MM:SS";
    DateCompact = "date_compact", formats::is_date_compact, "日期YYYYMMDD", "a date written YYYYMMDD";
    Email = "email", formats::is_email, "邮箱地址", "an email address";
    Url = "url", formats::is_url, "http(s)网址", "an http(s) URL";
    UrlOrPath = "url_or_path", formats::is_url_or_path, "网址或以/开头的路径", "an http(s) URL or an absolute path";
    Digits = "digits", formats::is_digits, "数字串", "a string of digits";
    MobileCn = "mobile_cn", formats::is_mobile_cn, "11位手机号", "an 11-digit mainland China mobile number";
    IdCardCn = "id_card_cn", formats::is_id_card_cn, "18位居民身份证号(含校验位)", "an 18-character resident ID number with a valid check digit";
    CountryAlpha3 = "country_alpha3", formats::is_country_alpha3, "ISO 3166-1三位国家代码", "an ISO 3166-1 alpha-3 country code";
    OrgPath = "org_path", formats::is_org_path, "以/分隔的组织路径", "an organization path such as AA/BB/CC";
}

/// Length of a string in characters (what `length` rules count), without allocating.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Whether `value` is within the inclusive bounds; an absent bound does not limit.
pub fn within(value: i64, min: Option<i64>, max: Option<i64>) -> bool {
    min.is_none_or(|min| value >= min) && max.is_none_or(|max| value <= max)
}

/// Whether a string's length in characters is within the bounds of a `length` rule.
pub fn length_ok(text: &str, min: Option<i64>, max: Option<i64>) -> bool {
    within(i64::try_from(char_len(text)).unwrap_or(i64::MAX), min, max)
}

/// Whether a list's length is within the bounds of an `items` rule.
pub fn items_ok(count: usize, min: Option<i64>, max: Option<i64>) -> bool {
    within(i64::try_from(count).unwrap_or(i64::MAX), min, max)
}

/// Whether an integer is within the bounds of a `range` rule.
pub fn range_ok(value: i64, min: Option<i64>, max: Option<i64>) -> bool {
    within(value, min, max)
}

/// Whether `wire` (a value as written on the wire) is one of `allowed`.
pub fn one_of_ok<A: AsRef<str>>(wire: &str, allowed: &[A]) -> bool {
    allowed.iter().any(|value| value.as_ref() == wire)
}

/// What a rule asks of a value, in words: the one table behind every validation message, every
/// rule line of generated rustdoc, the derive's constant checks and `check`'s example
/// diagnostics. Literals (a pattern, the allowed values) go through a formatter, so that each
/// medium can quote them its own way (`code spans` in rustdoc, plain in messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement<'a> {
    /// A value must be present and not empty.
    Required,
    /// A string's length in characters.
    Length {
        /// Fewest characters.
        min: Option<i64>,
        /// Most characters.
        max: Option<i64>,
    },
    /// An integer's value.
    Range {
        /// Smallest value.
        min: Option<i64>,
        /// Largest value.
        max: Option<i64>,
    },
    /// A list's number of items.
    Items {
        /// Fewest items.
        min: Option<i64>,
        /// Most items.
        max: Option<i64>,
    },
    /// A regular expression the whole string matches.
    Pattern(&'a str),
    /// A named format.
    Format(Format),
    /// One of these wire values.
    OneOf(&'a [&'a str]),
}

/// `长度须为1到32个字符`, `取值须不少于0`, …
fn bounded_zh(subject: &str, min: Option<i64>, max: Option<i64>, unit: &str) -> String {
    match (min, max) {
        (Some(min), Some(max)) if min == max => format!("{subject}须为{min}{unit}"),
        (Some(min), Some(max)) => format!("{subject}须为{min}到{max}{unit}"),
        (Some(min), None) => format!("{subject}须不少于{min}{unit}"),
        (None, Some(max)) => format!("{subject}须不超过{max}{unit}"),
        (None, None) => format!("{subject}不限"),
    }
}

fn bounds_en(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(min), Some(max)) if min == max => format!("exactly {min}"),
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "any number of".into(),
    }
}

impl Requirement<'_> {
    /// The stable code of the rule (`required`, `length`, `range`, `items`, `pattern`, `format`,
    /// `one_of`), as in [`ValidationError::rule`](super::ValidationError::rule).
    pub fn code(&self) -> &'static str {
        match self {
            Requirement::Required => "required",
            Requirement::Length { .. } => "length",
            Requirement::Range { .. } => "range",
            Requirement::Items { .. } => "items",
            Requirement::Pattern(_) => "pattern",
            Requirement::Format(_) => "format",
            Requirement::OneOf(_) => "one_of",
        }
    }

    /// What the rule asks, in Chinese: `长度须为1到32个字符`.
    pub fn zh(&self) -> String {
        self.zh_with(&|text| text.to_string())
    }

    /// What the rule asks, in English, completing "must …": `be 1 to 32 characters long`.
    pub fn en(&self) -> String {
        self.en_with(&|text| text.to_string())
    }

    /// [`zh`](Self::zh), with each literal written by `literal`.
    pub fn zh_with(&self, literal: &dyn Fn(&str) -> String) -> String {
        match self {
            Requirement::Required => "必填,不能为空".into(),
            Requirement::Length { min, max } => bounded_zh("长度", *min, *max, "个字符"),
            Requirement::Range { min, max } => bounded_zh("取值", *min, *max, ""),
            Requirement::Items { min, max } => bounded_zh("项数", *min, *max, "项"),
            Requirement::Pattern(pattern) => format!("须符合正则表达式{}", literal(pattern)),
            Requirement::Format(format) => format!("须为{}", format.zh()),
            Requirement::OneOf(allowed) => {
                format!("须为以下之一:{}", quoted(allowed, literal, "、"))
            }
        }
    }

    /// [`en`](Self::en), with each literal written by `literal`.
    pub fn en_with(&self, literal: &dyn Fn(&str) -> String) -> String {
        match self {
            Requirement::Required => "be present and not empty".into(),
            Requirement::Length { min, max } => {
                format!("be {} characters long", bounds_en(*min, *max))
            }
            Requirement::Range { min, max } => match (min, max) {
                (Some(min), Some(max)) => format!("be between {min} and {max}"),
                (Some(min), None) => format!("be at least {min}"),
                (None, Some(max)) => format!("be at most {max}"),
                (None, None) => "be any integer".into(),
            },
            Requirement::Items { min, max } => {
                let one = matches!((min, max), (Some(1), None) | (_, Some(1)));
                let noun = if one { "item" } else { "items" };
                format!("have {} {noun}", bounds_en(*min, *max))
            }
            Requirement::Pattern(pattern) => format!("match the pattern {}", literal(pattern)),
            Requirement::Format(format) => format!("be {}", format.en()),
            Requirement::OneOf(allowed) => format!("be one of {}", quoted(allowed, literal, ", ")),
        }
    }
}

fn quoted(values: &[&str], literal: &dyn Fn(&str) -> String, separator: &str) -> String {
    values
        .iter()
        .map(|value| literal(value))
        .collect::<Vec<_>>()
        .join(separator)
}

impl fmt::Display for Requirement<'_> {
    /// Both languages: `must be 1 to 32 characters long (长度须为1到32个字符)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "must {} ({})", self.en(), self.zh())
    }
}
