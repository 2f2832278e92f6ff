//! Validation rules and named formats, resolved.

use crate::runtime::formats;
use crate::spec::Scalar;

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
            pub fn accepts(self, text: &str) -> bool {
                match self { $(Format::$variant => $check(text),)* }
            }

            /// The name of the function in the generated `formats` module that checks it.
            pub fn function(self) -> &'static str {
                match self { $(Format::$variant => stringify!($check),)* }
                    .rsplit("::")
                    .next()
                    .unwrap_or_default()
            }

            /// What the format is, in Chinese.
            pub fn description_zh(self) -> &'static str {
                match self { $(Format::$variant => $zh,)* }
            }

            /// What the format is, in English.
            pub fn description_en(self) -> &'static str {
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

/// Which validation level a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Checked by every `validate()`.
    Default,
    /// Checked only by strict validation (data-quality rules).
    Strict,
}

/// What a rule checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleKind {
    /// String length in characters, inclusive bounds.
    Length {
        /// Fewest characters.
        min: Option<i64>,
        /// Most characters.
        max: Option<i64>,
    },
    /// Integer value, inclusive bounds.
    Range {
        /// Smallest value.
        min: Option<i64>,
        /// Largest value.
        max: Option<i64>,
    },
    /// Number of list items, inclusive bounds.
    Items {
        /// Fewest items.
        min: Option<i64>,
        /// Most items.
        max: Option<i64>,
    },
    /// A regular expression the whole string must match.
    Pattern(String),
    /// A named format.
    Format(Format),
    /// One of a fixed set of values (wire codes for enums).
    OneOf(Vec<Scalar>),
}

impl RuleKind {
    /// A stable code for the rule, used in validation errors (`length`, `format`).
    pub fn code(&self) -> &'static str {
        match self {
            RuleKind::Length { .. } => "length",
            RuleKind::Range { .. } => "range",
            RuleKind::Items { .. } => "items",
            RuleKind::Pattern(_) => "pattern",
            RuleKind::Format(_) => "format",
            RuleKind::OneOf(_) => "one_of",
        }
    }
}

/// "Only when sibling field `field` equals `equals`."
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub(crate) field: String,
    pub(crate) equals: Scalar,
}

impl Condition {
    /// Wire name of the sibling field.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The value (wire code) it must have.
    pub fn equals(&self) -> &Scalar {
        &self.equals
    }
}

/// One validation rule of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub(crate) kind: RuleKind,
    /// The compiled form of a [`RuleKind::Pattern`] (compiled once, when the spec was read).
    pub(crate) compiled: Option<std::sync::Arc<crate::pattern::CompiledPattern>>,
    pub(crate) level: Level,
    pub(crate) when: Option<Condition>,
    pub(crate) note: Option<String>,
}

impl Rule {
    /// What it checks.
    pub fn kind(&self) -> &RuleKind {
        &self.kind
    }

    /// The tables of a pattern rule: present for every [`RuleKind::Pattern`] (a pattern that does
    /// not compile is a `check` error, so no model holds one), absent for other rules.
    pub fn compiled_pattern(&self) -> Option<&crate::pattern::CompiledPattern> {
        self.compiled.as_deref()
    }

    /// Default or strict.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The condition under which it applies, if any.
    pub fn when(&self) -> Option<&Condition> {
        self.when.as_ref()
    }

    /// Why the rule exists.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}
