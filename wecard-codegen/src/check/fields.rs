//! Checks on fields: their types, rules, examples, and the fields paging refers to.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Ctxt, a, did_you_mean};
use crate::model::Format;
use crate::pattern::PatternErrorKind;
use crate::source::Span;
use crate::spec::{
    Api, Bounds, EndpointDef, EnumDef, EnumRepr, FieldDef, Located, MessageDef, PagingDef,
    RecordDef, RuleDef, Scalar, Spec, TypeExpr, WireForm,
};

use super::examples::{check_value, rule_problem};
use super::names::check_field_names;

/// The records and enums of a spec, by name.
pub(crate) struct Vocabulary<'a> {
    pub(crate) records: BTreeMap<&'a str, &'a RecordDef>,
    pub(crate) enums: BTreeMap<&'a str, &'a EnumDef>,
    /// Enums whose codes were already reported as wrong: values are not checked against them.
    pub(super) broken_enums: BTreeSet<&'a str>,
}

impl<'a> Vocabulary<'a> {
    /// Indexes the spec's types; the first definition of a name wins (duplicates are reported
    /// by the type-namespace check).
    pub(crate) fn new(spec: &'a Spec, broken_enums: BTreeSet<&'a str>) -> Self {
        let mut records = BTreeMap::new();
        for record in &spec.records {
            records.entry(record.name.value.as_str()).or_insert(record);
        }
        let mut enums = BTreeMap::new();
        for definition in &spec.enums {
            enums
                .entry(definition.name.value.as_str())
                .or_insert(definition);
        }
        Self {
            records,
            enums,
            broken_enums,
        }
    }
}

/// Which side of the API a set of fields is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Request,
    Reply,
}

/// The fields of one generated struct, with what else shares its names.
pub(crate) struct FieldSet<'a> {
    owner: String,
    side: Side,
    pub(super) fields: &'a [FieldDef],
    /// Names the generator adds beside `fields` (the reply envelope).
    extra: Vec<&'a FieldDef>,
}

impl<'a> FieldSet<'a> {
    pub(crate) fn record(record: &'a RecordDef) -> Self {
        let owner = format!("record `{}`", record.name.value);
        Self {
            owner,
            side: Side::Reply,
            fields: &record.fields,
            extra: Vec::new(),
        }
    }

    pub(crate) fn envelope(api: &'a Api) -> Self {
        Self {
            owner: "the reply envelope".into(),
            side: Side::Reply,
            fields: &api.envelope,
            extra: Vec::new(),
        }
    }

    pub(crate) fn request(
        _spec: &'a Spec,
        endpoint: &'a EndpointDef,
        request: &'a MessageDef,
    ) -> Self {
        let owner = format!("the request of `{}`", endpoint.id.value);
        Self {
            owner,
            side: Side::Request,
            fields: &request.fields,
            extra: Vec::new(),
        }
    }

    pub(crate) fn response(
        spec: &'a Spec,
        endpoint: &'a EndpointDef,
        response: &'a MessageDef,
    ) -> Self {
        let owner = format!("the reply of `{}`", endpoint.id.value);
        let envelope = endpoint.envelope.as_ref().is_none_or(|e| e.value);
        let extra = if envelope {
            spec.api.envelope.iter().collect()
        } else {
            Vec::new()
        };
        Self {
            owner,
            side: Side::Reply,
            fields: &response.fields,
            extra,
        }
    }
}

/// Checks every field of `set`.
pub(crate) fn check_fields(
    set: &FieldSet<'_>,
    vocabulary: &Vocabulary<'_>,
    spec: &Spec,
    cx: &mut Ctxt,
) {
    let names = set
        .extra
        .iter()
        .copied()
        .chain(set.fields)
        .map(|field| (&field.name, field.rust_name.as_ref()));
    check_field_names(&set.owner, names, cx);
    for field in set.fields {
        check_field(field, set, vocabulary, spec, cx);
    }
}

fn check_field(
    field: &FieldDef,
    set: &FieldSet<'_>,
    vocabulary: &Vocabulary<'_>,
    spec: &Spec,
    cx: &mut Ctxt,
) {
    let ty = &field.ty.value;
    if let TypeExpr::Named(name) = ty.item()
        && !vocabulary.records.contains_key(name.as_str())
        && !vocabulary.enums.contains_key(name.as_str())
    {
        super::undefined_type(
            cx,
            field.ty.span,
            name,
            &vocabulary.records,
            &vocabulary.enums,
        );
        return;
    }
    let shape = Shape::of(ty, vocabulary);
    if let (Some(required), Some(default)) = (&field.required, &field.default)
        && required.value
    {
        let diagnostic = cx
            .error(Code::RequiredWithDefault, default.span, format!("field `{}` is required and also has a default", field.name.value))
            .note_at(required.span, "it is required here")
            .help("a default only applies when the field may be left out: remove `default:` or `required: true`");
        cx.push(diagnostic);
    }
    if let Some(grant) = field
        .needs_grant
        .as_ref()
        .filter(|g| g.value && set.side == Side::Request)
    {
        let diagnostic = cx
            .error(Code::InvalidValue, grant.span, format!("`needs_grant` on request field `{}`", field.name.value))
            .help("需申请 flags fields the server may withhold from replies; remove it from request fields");
        cx.push(diagnostic);
    }
    if let Some(since) = &field.since {
        if !super::is_date(&since.value) {
            super::invalid_date(since, cx);
        } else if !spec
            .changelog
            .iter()
            .any(|entry| entry.date.value == since.value)
        {
            let diagnostic = cx
                .error(
                    Code::InvalidValue,
                    since.span,
                    format!("no changelog entry is dated {}", since.value),
                )
                .label("not a changelog date")
                .help("add the change to `changelog:` or correct the date");
            cx.push(diagnostic);
        }
    }
    check_wire_options(field, ty, shape, cx);
    for rule in &field.rules {
        check_rule(rule, field, ty, shape, set, vocabulary, cx);
    }
    for (value, what) in [(&field.example, "example"), (&field.default, "default")] {
        let Some(value) = value else { continue };
        let problem = check_value(ty, field, &value.value, vocabulary, 0)
            .err()
            .or_else(|| rule_problem(field, ty, &value.value, set));
        if let Some(problem) = problem {
            let diagnostic = cx
                .error(
                    Code::BadExample,
                    value.span,
                    format!(
                        "the {what} of `{}` does not fit the field: {problem}",
                        field.name.value
                    ),
                )
                .label(format!("invalid {what}"))
                .note_at(
                    field.ty.span,
                    format!("the field's type is `{}`", field.ty.value),
                )
                .help(format!(
                    "make the {what} a valid `{}` that passes the field's default rules",
                    field.ty.value
                ));
            cx.push(diagnostic);
        }
    }
}

/// What a type is made of, for deciding which options and rules apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Int,
    Text,
    DateTime,
    Bool,
    IntEnum,
    TextEnum,
    Record,
}

impl Shape {
    fn of(ty: &TypeExpr, vocabulary: &Vocabulary<'_>) -> Shape {
        match ty.item() {
            TypeExpr::Int => Shape::Int,
            TypeExpr::String => Shape::Text,
            TypeExpr::DateTime => Shape::DateTime,
            TypeExpr::Bool => Shape::Bool,
            TypeExpr::Named(name) => match vocabulary.enums.get(name.as_str()) {
                Some(definition) if definition.repr.value == EnumRepr::Int => Shape::IntEnum,
                Some(_) => Shape::TextEnum,
                None => Shape::Record,
            },
            TypeExpr::List(_) => Shape::Record,
        }
    }

    fn numeric(self) -> bool {
        matches!(self, Shape::Int | Shape::IntEnum)
    }
}

fn check_wire_options(field: &FieldDef, ty: &TypeExpr, shape: Shape, cx: &mut Ctxt) {
    if let Some(wire) = &field.wire {
        let is_list = matches!(ty, TypeExpr::List(_));
        let fits = !is_list
            && match wire.value {
                WireForm::String => {
                    shape.numeric()
                        || matches!(shape, Shape::Text | Shape::TextEnum | Shape::DateTime)
                }
                WireForm::Number => shape.numeric(),
            };
        if !fits {
            let diagnostic = cx
                .error(Code::RuleTypeMismatch, wire.span, format!("`wire` does not apply to {}", a(&format!("`{}` field", field.ty.value))))
                .help("`wire: string` sends an `int` (or int-coded enum) as a JSON string; other types have one wire form");
            cx.push(diagnostic);
        }
    }
    if let Some(lenient) = field.lenient.as_ref().filter(|l| l.value)
        && !(shape.numeric() || shape == Shape::Text)
    {
        let diagnostic = cx
            .error(Code::RuleTypeMismatch, lenient.span, format!("`lenient` does not apply to {}", a(&format!("`{}` field", field.ty.value))))
            .help("`lenient: true` lets numbers and numeric strings stand for each other; use it on `int`, `string` or int-coded enum fields");
        cx.push(diagnostic);
    }
}

fn check_rule(
    rule: &Located<RuleDef>,
    field: &FieldDef,
    ty: &TypeExpr,
    shape: Shape,
    set: &FieldSet<'_>,
    vocabulary: &Vocabulary<'_>,
    cx: &mut Ctxt,
) {
    let rule_span = rule.span;
    let rule = &rule.value;
    let kinds: Vec<&str> = [
        ("length", rule.length.is_some()),
        ("range", rule.range.is_some()),
        ("items", rule.items.is_some()),
        ("pattern", rule.pattern.is_some()),
        ("format", rule.format.is_some()),
        ("one_of", rule.one_of.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, present)| present.then_some(name))
    .collect();
    const KINDS: &str = "`length`, `range`, `items`, `pattern`, `format`, `one_of`";
    if kinds.is_empty() {
        let diagnostic = cx
            .error(
                Code::InvalidValue,
                rule_span,
                "a rule must say what it checks",
            )
            .label("this rule checks nothing")
            .help(format!(
                "give the rule one of {KINDS} (e.g. `range: {{ min: 0, max: 150 }}`), or remove it"
            ));
        cx.push(diagnostic);
    } else if kinds.len() > 1 {
        let names: Vec<_> = kinds.iter().map(|name| format!("`{name}`")).collect();
        let diagnostic = cx
            .error(
                Code::InvalidValue,
                rule_span,
                format!(
                    "one rule checks one thing, but this one has {}",
                    names.join(" and ")
                ),
            )
            .label(format!("this rule has {} kinds", kinds.len()))
            .help(format!(
                "split it into several rules, each with exactly one of {KINDS} (a `level` or `when` goes with each)"
            ));
        cx.push(diagnostic);
    }
    let is_list = matches!(ty, TypeExpr::List(_));
    let mismatch = |cx: &mut Ctxt, span: Span, rule: &str, wants: &str| {
        let diagnostic = cx
            .error(
                Code::RuleTypeMismatch,
                span,
                format!(
                    "{} does not apply to {}",
                    a(&format!("`{rule}` rule")),
                    a(&format!("`{}` field", field.ty.value))
                ),
            )
            .label(format!("needs {wants}"))
            .help(format!(
                "`{rule}` checks {wants}; remove the rule or change the field's type"
            ));
        cx.push(diagnostic);
    };
    if let Some(bounds) = &rule.length {
        if shape != Shape::Text {
            mismatch(cx, bounds.span, "length", "a string");
        }
        check_bounds(&bounds.value, "length", true, cx);
    }
    if let Some(bounds) = &rule.range {
        if shape != Shape::Int {
            mismatch(cx, bounds.span, "range", "an integer");
        }
        check_bounds(&bounds.value, "range", false, cx);
    }
    if let Some(bounds) = &rule.items {
        if !is_list {
            mismatch(cx, bounds.span, "items", "a list");
        }
        check_bounds(&bounds.value, "items", true, cx);
    }
    if let Some(pattern) = &rule.pattern {
        if shape != Shape::Text {
            mismatch(cx, pattern.span, "pattern", "a string");
        }
        if let Err(detail) = pattern.value.compiled() {
            let diagnostic = cx
                .error(
                    Code::InvalidPattern,
                    pattern.span,
                    format!("invalid pattern: {detail}"),
                )
                .label("does not compile")
                .help(match detail.kind() {
                    PatternErrorKind::Syntax => {
                        "patterns use Rust `regex` syntax; in YAML, single-quote them so `\\` is kept"
                    }
                    PatternErrorKind::TooLarge => {
                        "use smaller repetition counts (`{1,32}`), or narrower classes (`\\p{Han}` rather than `\\pL`)"
                    }
                    PatternErrorKind::Unsupported => {
                        "write `(?-u:\\b)` for an ASCII word boundary, or drop it: a pattern matches the whole value, so a boundary at either end adds nothing"
                    }
                });
            cx.push(diagnostic);
        }
    }
    if let Some(format) = &rule.format {
        match Format::from_name(&format.value) {
            Some(_) if shape != Shape::Text => mismatch(cx, format.span, "format", "a string"),
            Some(_) => {}
            None => {
                let names = Format::ALL.iter().map(|f| f.name());
                let help = match did_you_mean(&format.value, names.clone()) {
                    Some(suggestion) => format!("did you mean `{suggestion}`?"),
                    None => format!("known formats: {}", names.collect::<Vec<_>>().join(", ")),
                };
                let diagnostic = cx
                    .error(
                        Code::UnknownFormat,
                        format.span,
                        format!("unknown format `{}`", format.value),
                    )
                    .label("no such format")
                    .help(help);
                cx.push(diagnostic);
            }
        }
    }
    if let Some(one_of) = &rule.one_of {
        let wants_int = shape.numeric();
        let fits = matches!(
            shape,
            Shape::Int | Shape::IntEnum | Shape::Text | Shape::TextEnum
        ) && one_of
            .value
            .iter()
            .all(|value| matches!(value, Scalar::Int(_)) == wants_int);
        if !fits {
            mismatch(
                cx,
                one_of.span,
                "one_of",
                if wants_int {
                    "integers for this field"
                } else {
                    "strings for this field"
                },
            );
        }
        if one_of.value.is_empty() {
            let diagnostic = cx
                .error(
                    Code::ContradictoryRules,
                    one_of.span,
                    "`one_of` lists no values, so nothing can pass",
                )
                .help("list the allowed values");
            cx.push(diagnostic);
        }
    }
    if let Some(condition) = &rule.when {
        match set
            .fields
            .iter()
            .find(|f| f.name.value == condition.field.value)
        {
            None => {
                let names = set.fields.iter().map(|f| f.name.value.as_str());
                let help = match did_you_mean(&condition.field.value, names) {
                    Some(suggestion) => format!("did you mean `{suggestion}`?"),
                    None => format!("`when.field` names another field of {}", set.owner),
                };
                let diagnostic = cx
                    .error(
                        Code::UndefinedField,
                        condition.field.span,
                        format!("no field `{}` in {}", condition.field.value, set.owner),
                    )
                    .help(help);
                cx.push(diagnostic);
            }
            Some(other) => {
                let other_shape = Shape::of(&other.ty.value, vocabulary);
                let fits = match &condition.equals.value {
                    Scalar::Int(_) => other_shape.numeric(),
                    Scalar::String(_) => matches!(other_shape, Shape::Text | Shape::TextEnum),
                };
                if !fits {
                    let diagnostic = cx
                        .error(
                            Code::WrongType,
                            condition.equals.span,
                            format!(
                                "`{}` can never equal {}",
                                other.name.value, condition.equals.value
                            ),
                        )
                        .note_at(other.ty.span, format!("its type is `{}`", other.ty.value))
                        .help("compare with a value of the field's wire type");
                    cx.push(diagnostic);
                }
            }
        }
    }
}

fn check_bounds(bounds: &Bounds, rule: &str, counts: bool, cx: &mut Ctxt) {
    match (&bounds.min, &bounds.max) {
        (None, None) => {}
        (Some(min), Some(max)) if min.value > max.value => {
            let diagnostic = cx
                .error(
                    Code::ContradictoryRules,
                    min.span,
                    format!(
                        "`{rule}` has min {} greater than max {}",
                        min.value, max.value
                    ),
                )
                .note_at(max.span, "the max is here")
                .help("no value can pass: swap them or correct one");
            cx.push(diagnostic);
        }
        _ => {}
    }
    for bound in [&bounds.min, &bounds.max].into_iter().flatten() {
        if counts && bound.value < 0 {
            let diagnostic = cx
                .error(
                    Code::InvalidValue,
                    bound.span,
                    format!("`{rule}` counts, so it cannot be {}", bound.value),
                )
                .help("use 0 or more");
            cx.push(diagnostic);
        }
    }
}

/// Paging refers to request and reply fields by wire name: they must exist and fit.
pub(crate) fn check_paging(
    endpoint: &EndpointDef,
    paging: &PagingDef,
    vocabulary: &Vocabulary<'_>,
    cx: &mut Ctxt,
) {
    let request = endpoint
        .request
        .as_ref()
        .map(|m| m.fields.as_slice())
        .unwrap_or_default();
    let response = endpoint
        .response
        .as_ref()
        .map(|m| m.fields.as_slice())
        .unwrap_or_default();
    let wanted: [(&Located<String>, &[FieldDef], &str, bool); 4] = [
        (&paging.page, request, "the request", false),
        (&paging.page_size, request, "the request", false),
        (&paging.total, response, "the reply", false),
        (&paging.items, response, "the reply", true),
    ];
    for (name, fields, side, list) in wanted {
        let Some(field) = fields.iter().find(|f| f.name.value == name.value) else {
            let help = match did_you_mean(&name.value, fields.iter().map(|f| f.name.value.as_str()))
            {
                Some(suggestion) => format!("did you mean `{suggestion}`?"),
                None => format!(
                    "add the field to {side} of `{}`, or correct the name",
                    endpoint.id.value
                ),
            };
            let diagnostic = cx
                .error(
                    Code::UndefinedField,
                    name.span,
                    format!(
                        "paging refers to `{}`, which is not a field of {side}",
                        name.value
                    ),
                )
                .help(help);
            cx.push(diagnostic);
            continue;
        };
        let fits = match &field.ty.value {
            TypeExpr::List(_) => list,
            ty => !list && Shape::of(ty, vocabulary) == Shape::Int,
        };
        if !fits {
            let wants = if list { "a list" } else { "an `int`" };
            let diagnostic = cx
                .error(
                    Code::WrongType,
                    name.span,
                    format!("paging needs `{}` to be {wants}", name.value),
                )
                .note_at(field.ty.span, format!("its type is `{}`", field.ty.value))
                .help("point paging at the right field, or fix that field's type");
            cx.push(diagnostic);
        }
    }
    if let Some(max) = paging.max_page_size.as_ref().filter(|max| max.value < 1) {
        let diagnostic = cx
            .error(
                Code::InvalidValue,
                max.span,
                "`max_page_size` must be at least 1",
            )
            .help("give the largest page size the server accepts");
        cx.push(diagnostic);
    }
}

/// A record that holds itself (not through a list) would have infinite size.
pub(crate) fn check_record_cycles(spec: &Spec, vocabulary: &Vocabulary<'_>, cx: &mut Ctxt) {
    for record in &spec.records {
        let mut stack = vec![record.name.value.as_str()];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(current) = stack.pop() {
            let Some(definition) = vocabulary.records.get(current) else {
                continue;
            };
            for field in &definition.fields {
                let TypeExpr::Named(name) = &field.ty.value else {
                    continue;
                };
                if *name == record.name.value && current == record.name.value {
                    let diagnostic = cx
                        .error(
                            Code::InvalidValue,
                            field.ty.span,
                            format!("record `{name}` contains itself"),
                        )
                        .help("a record can hold itself only inside a list: `list<…>`");
                    cx.push(diagnostic);
                } else if vocabulary.records.contains_key(name.as_str())
                    && seen.insert(name.clone())
                {
                    if *name == record.name.value {
                        let diagnostic = cx
                            .error(
                                Code::InvalidValue,
                                record.name.span,
                                format!("record `{name}` contains itself through `{current}`"),
                            )
                            .note_at(field.ty.span, "the cycle closes here")
                            .help("break the cycle with a `list<…>`");
                        cx.push(diagnostic);
                    } else {
                        stack.push(
                            vocabulary
                                .records
                                .get_key_value(name.as_str())
                                .map_or("", |(k, _)| k),
                        );
                    }
                }
            }
        }
    }
}
