//! Decoding YAML values into the syntax tree, reporting every problem instead of stopping at the
//! first (which serde's derived `Deserialize` would do).
//!
//! Each syntax struct says which keys it reads through a [`MapReader`]; the keys it asked for are
//! the keys it knows, so an unknown key is reported with the closest known one, and the list of
//! accepted keys lives in one place: the `decode` function itself.

use crate::diagnostic::{Code, Ctxt, a, did_you_mean};
use crate::yaml::{Node, NodeKind};

use super::syntax::*;
use super::type_expr::TypeExpr;

/// Where a value sits in the document, for advice that depends on it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Place<'k> {
    /// The whole document.
    Root,
    /// The value of key `.0` in a mapping.
    Key(&'k str),
    /// An item of a list.
    Item,
}

/// Decoding state: where problems go.
pub(crate) struct Decoder<'a> {
    pub(crate) cx: &'a mut Ctxt,
}

impl<'a> Decoder<'a> {
    pub(crate) fn new(cx: &'a mut Ctxt) -> Self {
        Self { cx }
    }

    fn wrong_type(&mut self, node: &Node, place: Place<'_>, expected: &str) {
        let mut diagnostic = self
            .cx
            .error(
                Code::WrongType,
                node.span,
                format!("expected {expected}, found {}", describe(node)),
            )
            .label(format!("expected {expected}"));
        if let Some(help) = wrong_type_help(place, expected, node) {
            diagnostic = diagnostic.help(help);
        }
        self.cx.push(diagnostic);
    }
}

/// How a scalar is written back in advice (`2016`, `true`).
fn scalar_text(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::Str(text) => Some(text.clone()),
        NodeKind::Int(n) => Some(n.to_string()),
        NodeKind::Float(f) => Some(float_text(*f)),
        NodeKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        ".nan".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        }
    } else {
        format!("{f:?}")
    }
}

/// How to fix a value of the wrong type, where there is something useful to say.
fn wrong_type_help(place: Place<'_>, expected: &str, found: &Node) -> Option<String> {
    if let Place::Root = place {
        let mut help = "a spec is a mapping that starts with `wecard_spec: 1`".to_string();
        if matches!(found.kind, NodeKind::Seq(_)) {
            help.push_str(": remove the `- ` in front of the top-level keys");
        }
        return Some(help);
    }
    let numeric = matches!(
        found.kind,
        NodeKind::Int(_) | NodeKind::Float(_) | NodeKind::Bool(_)
    );
    if expected.contains("string") && numeric {
        return Some("quote the value to make it a string: \"…\"".into());
    }
    if matches!(found.kind, NodeKind::Null) {
        return Some("give a value after the `:`, or remove the key".into());
    }
    if expected == "`true` or `false`"
        && let NodeKind::Str(text) = &found.kind
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
        let text = scalar_text(found)?;
        let is_rules = matches!(place, Place::Key("rules"));
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
fn describe(node: &Node) -> String {
    match &node.kind {
        NodeKind::Null => "nothing (null)".into(),
        NodeKind::Bool(b) => format!("the boolean `{b}`"),
        NodeKind::Int(n) => format!("the number `{n}`"),
        NodeKind::Float(f) => format!("the number `{}`", float_text(*f)),
        NodeKind::Str(s) if s.chars().count() > 40 => "a string".into(),
        NodeKind::Str(s) => format!("the string {s:?}"),
        NodeKind::Seq(_) => "a list".into(),
        NodeKind::Map(_) => "a mapping".into(),
    }
}

/// A syntax type that can be read from a YAML node.
pub(crate) trait Decode: Sized {
    /// Reads `node` (found at `place`); on failure reports why and returns `None`.
    fn decode(d: &mut Decoder<'_>, node: &Node, place: Place<'_>) -> Option<Self>;
}

/// Reads the keys of one mapping and reports those nobody asked for.
pub(crate) struct MapReader<'v> {
    node: &'v Node,
    entries: &'v [(Node, Node)],
    what: &'static str,
    known: Vec<&'static str>,
}

impl<'v> MapReader<'v> {
    /// Starts reading `node` as a mapping that is a `what` (for messages: "field").
    pub(crate) fn new(
        d: &mut Decoder<'_>,
        node: &'v Node,
        place: Place<'_>,
        what: &'static str,
    ) -> Option<Self> {
        match &node.kind {
            NodeKind::Map(entries) => Some(Self {
                node,
                entries,
                what,
                known: Vec::new(),
            }),
            _ => {
                d.wrong_type(node, place, &format!("a mapping ({})", a(what)));
                None
            }
        }
    }

    /// The entry for `key`: the key node and the value node.
    fn entry(&self, key: &str) -> Option<&'v (Node, Node)> {
        self.entries
            .iter()
            .find(|(k, _)| matches!(&k.kind, NodeKind::Str(text) if text == key))
    }

    /// A key that must be present.
    pub(crate) fn required<T: Decode>(
        &mut self,
        d: &mut Decoder<'_>,
        key: &'static str,
    ) -> Option<T> {
        self.known.push(key);
        match self.entry(key) {
            Some((_, value)) => T::decode(d, value, Place::Key(key)),
            None => {
                let diagnostic =
                    d.cx.error(
                        Code::MissingKey,
                        self.node.span,
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
        match self.entry(key) {
            Some((_, value)) => T::decode(d, value, Place::Key(key)).map(Some),
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
        let span = self.entry(key).map(|(k, _)| k.span);
        self.optional::<T>(d, key)
            .map(|value| value.map(|value| Located::new(value, span.unwrap_or(self.node.span))))
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
        for (key, _) in self.entries {
            let NodeKind::Str(name) = &key.kind else {
                let diagnostic =
                    d.cx.error(
                        Code::WrongType,
                        key.span,
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
            let help = match did_you_mean(name, self.known.iter().copied()) {
                Some(suggestion) => format!("did you mean `{suggestion}`?"),
                None => format!("{} takes: {}", a(self.what), quoted_list(&self.known)),
            };
            let diagnostic =
                d.cx.error(
                    Code::UnknownKey,
                    key.span,
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
    fn decode(d: &mut Decoder<'_>, node: &Node, place: Place<'_>) -> Option<Self> {
        T::decode(d, node, place).map(|value| Located::new(value, node.span))
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(d: &mut Decoder<'_>, node: &Node, place: Place<'_>) -> Option<Self> {
        let NodeKind::Seq(items) = &node.kind else {
            d.wrong_type(node, place, "a list");
            return None;
        };
        let mut decoded = Vec::with_capacity(items.len());
        let mut all_ok = true;
        for item in items {
            match T::decode(d, item, Place::Item) {
                Some(item) => decoded.push(item),
                None => all_ok = false,
            }
        }
        all_ok.then_some(decoded)
    }
}

impl Decode for String {
    fn decode(d: &mut Decoder<'_>, node: &Node, place: Place<'_>) -> Option<Self> {
        match &node.kind {
            NodeKind::Str(text) => Some(text.clone()),
            _ => {
                d.wrong_type(node, place, "a string");
                None
            }
        }
    }
}

impl Decode for bool {
    fn decode(d: &mut Decoder<'_>, node: &Node, place: Place<'_>) -> Option<Self> {
        match &node.kind {
            NodeKind::Bool(b) => Some(*b),
            _ => {
                d.wrong_type(node, place, "`true` or `false`");
                None
            }
        }
    }
}

impl Decode for i64 {
    fn decode(d: &mut Decoder<'_>, node: &Node, place: Place<'_>) -> Option<Self> {
        match &node.kind {
            NodeKind::Int(n) => Some(*n),
            _ => {
                d.wrong_type(node, place, "an integer");
                None
            }
        }
    }
}

impl Decode for u32 {
    fn decode(d: &mut Decoder<'_>, node: &Node, place: Place<'_>) -> Option<Self> {
        match &node.kind {
            NodeKind::Int(n) if u32::try_from(*n).is_ok() => u32::try_from(*n).ok(),
            _ => {
                d.wrong_type(node, place, "a whole number");
                None
            }
        }
    }
}

impl Decode for Scalar {
    fn decode(d: &mut Decoder<'_>, node: &Node, place: Place<'_>) -> Option<Self> {
        match &node.kind {
            NodeKind::Str(text) => Some(Scalar::String(text.clone())),
            NodeKind::Int(n) => Some(Scalar::Int(*n)),
            _ => {
                d.wrong_type(node, place, "an integer or a string");
                None
            }
        }
    }
}

impl Decode for serde_json::Value {
    fn decode(d: &mut Decoder<'_>, node: &Node, place: Place<'_>) -> Option<Self> {
        use serde_json::Value as Json;
        Some(match &node.kind {
            NodeKind::Null => Json::Null,
            NodeKind::Bool(b) => Json::Bool(*b),
            NodeKind::Int(n) => Json::from(*n),
            NodeKind::Float(f) => match serde_json::Number::from_f64(*f) {
                Some(number) => Json::Number(number),
                None => {
                    d.wrong_type(node, place, "a finite number");
                    return None;
                }
            },
            NodeKind::Str(s) => Json::String(s.clone()),
            NodeKind::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(Self::decode(d, item, Place::Item)?);
                }
                Json::Array(out)
            }
            NodeKind::Map(entries) => {
                let mut out = serde_json::Map::new();
                for (key, item) in entries {
                    let NodeKind::Str(key) = &key.kind else {
                        d.wrong_type(node, place, "a mapping with string keys (JSON)");
                        return None;
                    };
                    let item = Self::decode(d, item, Place::Key(key))?;
                    out.insert(key.clone(), item);
                }
                Json::Object(out)
            }
        })
    }
}

impl Decode for TypeExpr {
    fn decode(d: &mut Decoder<'_>, node: &Node, place: Place<'_>) -> Option<Self> {
        let text = String::decode(d, node, place)?;
        match TypeExpr::parse(&text) {
            Ok(ty) => Some(ty),
            Err(problem) => {
                let diagnostic = d
                    .cx
                    .error(Code::InvalidValue, node.span, format!("invalid type: {problem}"))
                    .label("not a type")
                    .help("use `string`, `int`, `bool`, `datetime`, `list<T>`, or the name of an enum or record");
                d.cx.push(diagnostic);
                None
            }
        }
    }
}

impl Decode for PatternDef {
    fn decode(d: &mut Decoder<'_>, node: &Node, place: Place<'_>) -> Option<Self> {
        String::decode(d, node, place).map(PatternDef::compile)
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
    fn decode(d: &mut Decoder<'_>, node: &Node, place: Place<'_>) -> Option<Self> {
        let NodeKind::Str(word) = &node.kind else {
            d.wrong_type(node, place, &a(T::WHAT));
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
                node.span,
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
            fn decode($d: &mut Decoder<'_>, node: &Node, place: Place<'_>) -> Option<Self> {
                let mut $r = MapReader::new($d, node, place, $what)?;
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
    events: r.optional(d, "events"),
    endpoints: r.required(d, "endpoints"),
});

decode_struct!(EventsDef, "events section", |r, d| {
    codes: r.required(d, "codes"),
    description: r.optional(d, "description"),
    note: r.optional(d, "note"),
    rationale: r.optional(d, "rationale"),
    source: r.optional(d, "source"),
    list: r.required(d, "list"),
});

decode_struct!(EventDef, "event", |r, d| {
    code: r.required(d, "code"),
    payload: r.required(d, "payload"),
    description: r.required(d, "description"),
    note: r.optional(d, "note"),
    rationale: r.optional(d, "rationale"),
    source: r.optional(d, "source"),
});

decode_struct!(UserDef, "user section", |r, d| {
    create: r.required(d, "create"),
    member: r.required(d, "member"),
    note: r.optional(d, "note"),
    rationale: r.optional(d, "rationale"),
});

decode_struct!(Api, "api section", |r, d| {
    name: r.required(d, "name"),
    description: r.optional(d, "description"),
    base_url: r.required(d, "base_url"),
    method: r.required(d, "method"),
    content_type: r.required(d, "content_type"),
    token_param: r.required(d, "token_param"),
    envelope: r.list(d, "envelope"),
    grant_instructions: r.optional(d, "grant_instructions"),
    note: r.optional(d, "note"),
    rationale: r.optional(d, "rationale"),
    source: r.optional(d, "source"),
});

decode_struct!(ChangelogEntry, "changelog entry", |r, d| {
    date: r.required(d, "date"),
    description: r.required(d, "description"),
    note: r.optional(d, "note"),
    rationale: r.optional(d, "rationale"),
});

decode_struct!(EnumDef, "enum", |r, d| {
    name: r.required(d, "name"),
    description: r.required(d, "description"),
    repr: r.required(d, "repr"),
    values: r.required(d, "values"),
    note: r.optional(d, "note"),
    rationale: r.optional(d, "rationale"),
    source: r.optional(d, "source"),
});

decode_struct!(EnumValueDef, "enum value", |r, d| {
    value: r.required(d, "value"),
    name: r.required(d, "name"),
    description: r.required(d, "description"),
    text: r.optional(d, "text"),
    note: r.optional(d, "note"),
    rationale: r.optional(d, "rationale"),
});

decode_struct!(RecordDef, "record", |r, d| {
    name: r.required(d, "name"),
    description: r.required(d, "description"),
    fields: r.required(d, "fields"),
    note: r.optional(d, "note"),
    rationale: r.optional(d, "rationale"),
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
    rationale: r.optional(d, "rationale"),
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
    rationale: r.optional(d, "rationale"),
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
    rationale: r.optional(d, "rationale"),
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
    rationale: r.optional(d, "rationale"),
    source: r.optional(d, "source"),
});

decode_struct!(MessageDef, "message", |r, d| {
    description: r.optional(d, "description"),
    fields: r.list(d, "fields"),
    note: r.optional(d, "note"),
    rationale: r.optional(d, "rationale"),
});

decode_struct!(PagingDef, "paging section", |r, d| {
    page: r.required(d, "page"),
    page_size: r.required(d, "page_size"),
    total: r.required(d, "total"),
    items: r.required(d, "items"),
    max_page_size: r.optional(d, "max_page_size"),
});
