//! Decoding YAML values into the syntax tree, reporting every problem instead of stopping at the
//! first (which serde's derived `Deserialize` would do).
//!
//! Each syntax struct says which keys it reads through a [`MapReader`]; the keys it asked for are
//! the keys it knows, so an unknown key is reported with the closest known one, and the list of
//! accepted keys lives in one place: the `decode` function itself.

use serde_yaml::Value;

use crate::diagnostic::{Code, Ctxt, a, did_you_mean};
use crate::source::Span;
use crate::yaml::{NodePath, PositionIndex, Seg};

use super::syntax::*;

/// Decoding state: where problems go, and where nodes are.
pub(crate) struct Decoder<'a> {
    pub(crate) cx: &'a mut Ctxt,
    index: &'a PositionIndex,
}

impl<'a> Decoder<'a> {
    pub(crate) fn new(cx: &'a mut Ctxt, index: &'a PositionIndex) -> Self {
        Self { cx, index }
    }

    fn span(&self, path: &[Seg]) -> Span {
        self.index.value_span(path)
    }

    /// Where the key of the mapping entry at `path` was written.
    fn key_span(&self, path: &[Seg]) -> Span {
        self.index.key_span(path)
    }

    fn wrong_type(&mut self, path: &[Seg], expected: &str, found: &Value) {
        let mut diagnostic = self
            .cx
            .error(
                Code::WrongType,
                self.span(path),
                format!("expected {expected}, found {}", describe(found)),
            )
            .label(format!("expected {expected}"));
        if let Some(help) = wrong_type_help(path, expected, found) {
            diagnostic = diagnostic.help(help);
        }
        self.cx.push(diagnostic);
    }
}

/// How to fix a value of the wrong type, where there is something useful to say.
fn wrong_type_help(path: &[Seg], expected: &str, found: &Value) -> Option<String> {
    let scalar = match found {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    if path.is_empty() {
        let mut help = "a spec is a mapping that starts with `wecard_spec: 1`".to_string();
        if matches!(found, Value::Sequence(_)) {
            help.push_str(": remove the `- ` in front of the top-level keys");
        }
        return Some(help);
    }
    if expected.contains("string") && matches!(found, Value::Number(_) | Value::Bool(_)) {
        return Some("quote the value to make it a string: \"…\"".into());
    }
    if matches!(found, Value::Null) {
        return Some("give a value after the `:`, or remove the key".into());
    }
    if expected == "`true` or `false`"
        && let Value::String(text) = found
    {
        let word = match text.to_ascii_lowercase().as_str() {
            "yes" | "y" | "on" => Some("true"),
            "no" | "n" | "off" => Some("false"),
            _ => None,
        };
        return Some(match word {
            Some(word) => format!(
                "specs are YAML 1.2, where `{text}` is a string, not a boolean: write `{word}`"
            ),
            None => "write `true` or `false`, unquoted".into(),
        });
    }
    if expected == "a list" {
        let text = scalar?;
        let is_rules = matches!(path.last(), Some(Seg::Key(key)) if key == "rules");
        if is_rules && crate::model::Format::from_name(&text).is_some() {
            return Some(format!(
                "`rules` is a list of rules, each one a mapping: write `- format: {text}` on an indented line below `rules:`"
            ));
        }
        return Some(format!(
            "write the list's items as indented `- …` lines below the key, or on one line: `[{text}]`"
        ));
    }
    None
}

/// How a YAML value is described in messages.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing (null)".into(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) if s.chars().count() > 40 => "a string".into(),
        Value::String(s) => format!("the string {s:?}"),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(tagged) => format!("a value tagged `{}`", tagged.tag),
    }
}

/// A syntax type that can be read from a YAML value.
pub(crate) trait Decode: Sized {
    /// Reads `value` (found at `path`); on failure reports why and returns `None`.
    fn decode(d: &mut Decoder<'_>, value: &Value, path: &[Seg]) -> Option<Self>;
}

fn child(path: &[Seg], seg: Seg) -> NodePath {
    let mut child = path.to_vec();
    child.push(seg);
    child
}

/// Reads the keys of one mapping and reports those nobody asked for.
pub(crate) struct MapReader<'v> {
    map: &'v serde_yaml::Mapping,
    path: NodePath,
    what: &'static str,
    known: Vec<&'static str>,
}

impl<'v> MapReader<'v> {
    /// Starts reading `value` as a mapping that is a `what` (for messages: "field").
    pub(crate) fn new(
        d: &mut Decoder<'_>,
        value: &'v Value,
        path: &[Seg],
        what: &'static str,
    ) -> Option<Self> {
        match value {
            Value::Mapping(map) => Some(Self {
                map,
                path: path.to_vec(),
                what,
                known: Vec::new(),
            }),
            other => {
                d.wrong_type(path, &format!("a mapping ({})", a(what)), other);
                None
            }
        }
    }

    /// A key that must be present.
    pub(crate) fn required<T: Decode>(
        &mut self,
        d: &mut Decoder<'_>,
        key: &'static str,
    ) -> Option<T> {
        self.known.push(key);
        match self.map.get(key) {
            Some(value) => T::decode(d, value, &child(&self.path, Seg::Key(key.into()))),
            None => {
                let diagnostic =
                    d.cx.error(
                        Code::MissingKey,
                        d.span(&self.path),
                        format!("missing key `{key}` in this {}", self.what),
                    )
                    .label(format!("this {} has no `{key}`", self.what))
                    .help(format!("add `{key}: …`; see spec/README.md"));
                d.cx.push(diagnostic);
                None
            }
        }
    }

    /// A key that may be absent: `Some(None)` when absent, `None` when present but invalid.
    pub(crate) fn optional<T: Decode>(
        &mut self,
        d: &mut Decoder<'_>,
        key: &'static str,
    ) -> Option<Option<T>> {
        self.known.push(key);
        match self.map.get(key) {
            Some(value) => T::decode(d, value, &child(&self.path, Seg::Key(key.into()))).map(Some),
            None => Some(None),
        }
    }

    /// A key that may be absent, placed at the key rather than its value (for what the key itself
    /// names, such as the kind of a rule).
    pub(crate) fn keyed<T: Decode>(
        &mut self,
        d: &mut Decoder<'_>,
        key: &'static str,
    ) -> Option<Option<Located<T>>> {
        let path = child(&self.path, Seg::Key(key.into()));
        let span = d.key_span(&path);
        self.optional::<T>(d, key)
            .map(|value| value.map(|value| Located::new(value, span)))
    }

    /// A list that may be absent (then empty).
    pub(crate) fn list<T: Decode>(
        &mut self,
        d: &mut Decoder<'_>,
        key: &'static str,
    ) -> Option<Vec<T>> {
        self.optional::<Vec<T>>(d, key)
            .map(Option::unwrap_or_default)
    }

    /// Reports every key that was not asked for, with the closest known key.
    pub(crate) fn finish(self, d: &mut Decoder<'_>) {
        for (at, key) in self.map.keys().enumerate() {
            let Value::String(name) = key else {
                let span = d
                    .index
                    .nth_key_span(&self.path, at)
                    .unwrap_or_else(|| d.span(&self.path));
                let diagnostic =
                    d.cx.error(
                        Code::WrongType,
                        span,
                        format!("expected a string key, found {}", describe(key)),
                    )
                    .label(format!("not {} key", a(self.what)))
                    .help("spec keys are plain words such as `name`: correct this key, or remove the entry");
                d.cx.push(diagnostic);
                continue;
            };
            if self.known.contains(&name.as_str()) {
                continue;
            }
            let span = d.index.key_span(&child(&self.path, Seg::Key(name.clone())));
            let help = match did_you_mean(name, self.known.iter().copied()) {
                Some(suggestion) => format!("did you mean `{suggestion}`?"),
                None => format!("{} takes: {}", a(self.what), quoted_list(&self.known)),
            };
            let diagnostic =
                d.cx.error(
                    Code::UnknownKey,
                    span,
                    format!("unknown key `{name}` in {}", a(self.what)),
                )
                .label(format!("not {} key", a(self.what)))
                .help(help);
            d.cx.push(diagnostic);
        }
    }
}

fn quoted_list(words: &[&str]) -> String {
    words
        .iter()
        .map(|word| format!("`{word}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<T: Decode> Decode for Located<T> {
    fn decode(d: &mut Decoder<'_>, value: &Value, path: &[Seg]) -> Option<Self> {
        let span = d.span(path);
        T::decode(d, value, path).map(|value| Located::new(value, span))
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(d: &mut Decoder<'_>, value: &Value, path: &[Seg]) -> Option<Self> {
        let Value::Sequence(items) = value else {
            d.wrong_type(path, "a list", value);
            return None;
        };
        let mut decoded = Vec::with_capacity(items.len());
        let mut all_ok = true;
        for (at, item) in items.iter().enumerate() {
            match T::decode(d, item, &child(path, Seg::Index(at))) {
                Some(item) => decoded.push(item),
                None => all_ok = false,
            }
        }
        all_ok.then_some(decoded)
    }
}

impl Decode for String {
    fn decode(d: &mut Decoder<'_>, value: &Value, path: &[Seg]) -> Option<Self> {
        match value {
            Value::String(text) => Some(text.clone()),
            other => {
                d.wrong_type(path, "a string", other);
                None
            }
        }
    }
}

impl Decode for bool {
    fn decode(d: &mut Decoder<'_>, value: &Value, path: &[Seg]) -> Option<Self> {
        match value {
            Value::Bool(b) => Some(*b),
            other => {
                d.wrong_type(path, "`true` or `false`", other);
                None
            }
        }
    }
}

impl Decode for i64 {
    fn decode(d: &mut Decoder<'_>, value: &Value, path: &[Seg]) -> Option<Self> {
        match value.as_i64() {
            Some(n) => Some(n),
            None => {
                d.wrong_type(path, "an integer", value);
                None
            }
        }
    }
}

impl Decode for u32 {
    fn decode(d: &mut Decoder<'_>, value: &Value, path: &[Seg]) -> Option<Self> {
        match value.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                d.wrong_type(path, "a whole number", value);
                None
            }
        }
    }
}

impl Decode for Scalar {
    fn decode(d: &mut Decoder<'_>, value: &Value, path: &[Seg]) -> Option<Self> {
        match value {
            Value::String(text) => Some(Scalar::String(text.clone())),
            Value::Number(n) if n.as_i64().is_some() => n.as_i64().map(Scalar::Int),
            other => {
                d.wrong_type(path, "an integer or a string", other);
                None
            }
        }
    }
}

impl Decode for serde_json::Value {
    fn decode(d: &mut Decoder<'_>, value: &Value, path: &[Seg]) -> Option<Self> {
        use serde_json::Value as Json;
        Some(match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Json::from(i)
                } else if let Some(u) = n.as_u64() {
                    Json::from(u)
                } else if let Some(number) = n.as_f64().and_then(serde_json::Number::from_f64) {
                    Json::Number(number)
                } else {
                    d.wrong_type(path, "a finite number", value);
                    return None;
                }
            }
            Value::String(s) => Json::String(s.clone()),
            Value::Sequence(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (at, item) in items.iter().enumerate() {
                    out.push(Self::decode(d, item, &child(path, Seg::Index(at)))?);
                }
                Json::Array(out)
            }
            Value::Mapping(map) => {
                let mut out = serde_json::Map::new();
                for (key, item) in map {
                    let Value::String(key) = key else {
                        d.wrong_type(path, "a mapping with string keys (JSON)", value);
                        return None;
                    };
                    let item = Self::decode(d, item, &child(path, Seg::Key(key.clone())))?;
                    out.insert(key.clone(), item);
                }
                Json::Object(out)
            }
            Value::Tagged(_) => {
                d.wrong_type(path, "a plain JSON-like value", value);
                return None;
            }
        })
    }
}

/// A type spelled as one of a fixed set of words.
pub(crate) trait Keyword: Sized + Copy + 'static {
    /// What the word names, for messages ("token placement").
    const WHAT: &'static str;
    /// Every word with its value.
    const WORDS: &'static [(&'static str, Self)];
}

impl<T: Keyword> Decode for T {
    fn decode(d: &mut Decoder<'_>, value: &Value, path: &[Seg]) -> Option<Self> {
        let Value::String(word) = value else {
            d.wrong_type(path, &a(T::WHAT), value);
            return None;
        };
        if let Some((_, keyword)) = T::WORDS.iter().find(|(name, _)| name == word) {
            return Some(*keyword);
        }
        let names: Vec<&str> = T::WORDS.iter().map(|(name, _)| *name).collect();
        let mut help = format!("expected one of {}", quoted_list(&names));
        if let Some(suggestion) = did_you_mean(word, names.iter().copied()) {
            help = format!("did you mean `{suggestion}`? ({help})");
        }
        let diagnostic =
            d.cx.error(
                Code::UnknownKeyword,
                d.span(path),
                format!("unknown {} `{word}`", T::WHAT),
            )
            .label(format!("not {}", a(T::WHAT)))
            .help(help);
        d.cx.push(diagnostic);
        None
    }
}

macro_rules! keywords {
    ($($ty:ident, $what:literal: { $($word:literal => $variant:ident),* $(,)? })*) => {
        $(impl Keyword for $ty {
            const WHAT: &'static str = $what;
            const WORDS: &'static [(&'static str, Self)] = &[$(($word, $ty::$variant)),*];
        })*
    };
}

keywords! {
    HttpMethod, "HTTP method": { "GET" => Get, "POST" => Post }
    EnumRepr, "enum representation": { "int" => Int, "string" => String }
    WireForm, "wire form": { "number" => Number, "string" => String }
    RuleLevel, "rule level": { "default" => Default, "strict" => Strict }
    Handling, "error handling": {
        "refresh_token" => RefreshToken,
        "configuration" => Configuration,
        "request" => Request,
        "not_found" => NotFound,
        "permission" => Permission,
    }
    TokenPlacement, "token placement": { "query" => Query, "body" => Body, "none" => None }
}

/// Decodes a struct through a [`MapReader`]: reads every key first (so every problem is
/// reported), then assembles the struct only if all of them decoded.
macro_rules! decode_struct {
    ($ty:ident, $what:literal, |$r:ident, $d:ident| { $($field:ident: $read:expr),* $(,)? }) => {
        impl Decode for $ty {
            fn decode($d: &mut Decoder<'_>, value: &Value, path: &[Seg]) -> Option<Self> {
                let mut $r = MapReader::new($d, value, path, $what)?;
                $(let $field = $read;)*
                $r.finish($d);
                Some($ty { $($field: $field?),* })
            }
        }
    };
}

decode_struct!(Spec, "spec", |r, d| {
    wecard_spec: r.required(d, "wecard_spec"),
    api: r.required(d, "api"),
    changelog: r.list(d, "changelog"),
    enums: r.list(d, "enums"),
    records: r.list(d, "records"),
    error_codes: r.list(d, "error_codes"),
    user: r.optional(d, "user"),
    endpoints: r.required(d, "endpoints"),
});

decode_struct!(UserDef, "user section", |r, d| {
    create: r.required(d, "create"),
    member: r.required(d, "member"),
    note: r.optional(d, "note"),
});

decode_struct!(Api, "api section", |r, d| {
    name: r.required(d, "name"),
    description: r.optional(d, "description"),
    base_url: r.required(d, "base_url"),
    method: r.required(d, "method"),
    content_type: r.required(d, "content_type"),
    token_param: r.required(d, "token_param"),
    envelope: r.list(d, "envelope"),
    note: r.optional(d, "note"),
    source: r.optional(d, "source"),
});

decode_struct!(ChangelogEntry, "changelog entry", |r, d| {
    date: r.required(d, "date"),
    description: r.required(d, "description"),
    note: r.optional(d, "note"),
});

decode_struct!(EnumDef, "enum", |r, d| {
    name: r.required(d, "name"),
    description: r.required(d, "description"),
    repr: r.required(d, "repr"),
    values: r.required(d, "values"),
    note: r.optional(d, "note"),
    source: r.optional(d, "source"),
});

decode_struct!(EnumValueDef, "enum value", |r, d| {
    value: r.required(d, "value"),
    name: r.required(d, "name"),
    description: r.required(d, "description"),
    note: r.optional(d, "note"),
});

decode_struct!(RecordDef, "record", |r, d| {
    name: r.required(d, "name"),
    description: r.required(d, "description"),
    fields: r.required(d, "fields"),
    note: r.optional(d, "note"),
    source: r.optional(d, "source"),
});

decode_struct!(FieldDef, "field", |r, d| {
    name: r.required(d, "name"),
    rust_name: r.optional(d, "rust_name"),
    ty: r.required(d, "type"),
    required: r.optional(d, "required"),
    needs_grant: r.optional(d, "needs_grant"),
    since: r.optional(d, "since"),
    description: r.required(d, "description"),
    example: r.optional(d, "example"),
    default: r.optional(d, "default"),
    rules: r.list(d, "rules"),
    wire: r.optional(d, "wire"),
    lenient: r.optional(d, "lenient"),
    nullable: r.optional(d, "nullable"),
    secret: r.optional(d, "secret"),
    note: r.optional(d, "note"),
});

// Bounds are placed at their key (`range:`), which names what the rule checks; a pattern, a
// format and a list of values at the value, which is what can be wrong with them.
decode_struct!(RuleDef, "rule", |r, d| {
    length: r.keyed(d, "length"),
    range: r.keyed(d, "range"),
    items: r.keyed(d, "items"),
    pattern: r.optional(d, "pattern"),
    format: r.optional(d, "format"),
    one_of: r.optional(d, "one_of"),
    level: r.optional(d, "level"),
    when: r.optional(d, "when"),
    note: r.optional(d, "note"),
});

decode_struct!(Bounds, "bounds", |r, d| {
    min: r.optional(d, "min"),
    max: r.optional(d, "max"),
});

decode_struct!(Condition, "condition", |r, d| {
    field: r.required(d, "field"),
    equals: r.required(d, "equals"),
});

decode_struct!(ErrorCodeDef, "error code", |r, d| {
    code: r.required(d, "code"),
    name: r.required(d, "name"),
    description: r.required(d, "description"),
    meaning: r.optional(d, "meaning"),
    handling: r.required(d, "handling"),
    note: r.optional(d, "note"),
});

decode_struct!(EndpointDef, "endpoint", |r, d| {
    id: r.required(d, "id"),
    summary: r.required(d, "summary"),
    description: r.optional(d, "description"),
    path: r.required(d, "path"),
    method: r.optional(d, "method"),
    token: r.required(d, "token"),
    envelope: r.optional(d, "envelope"),
    request: r.optional(d, "request"),
    response: r.optional(d, "response"),
    paging: r.optional(d, "paging"),
    note: r.optional(d, "note"),
    source: r.optional(d, "source"),
});

decode_struct!(MessageDef, "message", |r, d| {
    description: r.optional(d, "description"),
    fields: r.list(d, "fields"),
    note: r.optional(d, "note"),
});

decode_struct!(PagingDef, "paging section", |r, d| {
    page: r.required(d, "page"),
    page_size: r.required(d, "page_size"),
    total: r.required(d, "total"),
    items: r.required(d, "items"),
    max_page_size: r.optional(d, "max_page_size"),
});
