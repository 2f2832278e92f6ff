//! Semantic checks on a decoded spec. Every check runs; every problem is reported with its place
//! and, where one exists, a fix. A spec that passes can be lowered into the [`crate::model`]
//! without further failure.

mod events;
mod examples;
mod fields;
mod names;
mod user;

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Ctxt, did_you_mean};
use crate::source::Span;
use crate::spec::{EnumDef, EnumRepr, Located, RecordDef, Scalar, Spec, TokenPlacement};

pub(crate) use fields::{FieldSet, Vocabulary};

/// Runs every check on `spec`, reporting into `cx`.
pub(crate) fn check(spec: &Spec, cx: &mut Ctxt) {
    if spec.wecard_spec.value != 1 {
        let diagnostic = cx
            .error(
                Code::InvalidValue,
                spec.wecard_spec.span,
                format!("unsupported spec format version {}", spec.wecard_spec.value),
            )
            .label("only version 1 exists")
            .help("write `wecard_spec: 1`");
        cx.push(diagnostic);
    }
    // Enums first: values checked against an enum whose codes are wrong would only repeat that.
    let broken_enums = spec
        .enums
        .iter()
        .filter(|definition| !check_enum(definition, cx))
        .map(|definition| definition.name.value.as_str())
        .collect();
    let vocabulary = Vocabulary::new(spec, broken_enums);
    check_api(spec, &vocabulary, cx);
    check_changelog(spec, cx);
    for record in &spec.records {
        let set = FieldSet::record(record);
        fields::check_fields(&set, &vocabulary, spec, cx);
    }
    check_error_codes(spec, cx);
    check_endpoints(spec, &vocabulary, cx);
    user::check_user(spec, &vocabulary, cx);
    events::check_events(spec, &vocabulary, cx);
    names::check_type_namespace(spec, cx);
    names::check_pages_methods(spec, cx);
    fields::check_record_cycles(spec, &vocabulary, cx);
}

fn check_api(spec: &Spec, vocabulary: &Vocabulary<'_>, cx: &mut Ctxt) {
    let api = &spec.api;
    let url = &api.base_url;
    let scheme_ok = url.value.starts_with("https://") || url.value.starts_with("http://");
    if !scheme_ok || url.value.ends_with('/') || url.value.contains(char::is_whitespace) {
        let diagnostic = cx
            .error(
                Code::InvalidValue,
                url.span,
                format!("`{}` is not a base URL", url.value),
            )
            .label("expected `https://host` without a trailing `/`")
            .help("write the scheme and host only, e.g. `https://open.wecard.qq.com`");
        cx.push(diagnostic);
    }
    names::check_wire_name(&api.token_param, cx);
    let set = FieldSet::envelope(api);
    fields::check_fields(&set, vocabulary, spec, cx);
}

/// A `YYYY-MM-DD` date that exists.
pub(crate) fn is_date(text: &str) -> bool {
    wecard_runtime::formats::datetime_parts(&format!("{text} 00:00:00"), false).is_some()
}

fn check_changelog(spec: &Spec, cx: &mut Ctxt) {
    let mut previous: Option<&Located<String>> = None;
    for entry in &spec.changelog {
        if !is_date(&entry.date.value) {
            invalid_date(&entry.date, cx);
        } else if let Some(previous) = previous.filter(|p| p.value > entry.date.value) {
            let diagnostic = cx
                .error(
                    Code::InvalidValue,
                    entry.date.span,
                    format!(
                        "changelog entry {} comes after {}",
                        entry.date.value, previous.value
                    ),
                )
                .note_at(previous.span, "the later date is here")
                .help("list changelog entries oldest first");
            cx.push(diagnostic);
        }
        previous = Some(&entry.date);
    }
}

pub(crate) fn invalid_date(date: &Located<String>, cx: &mut Ctxt) {
    let diagnostic = cx
        .error(
            Code::InvalidValue,
            date.span,
            format!("`{}` is not a date", date.value),
        )
        .label("expected YYYY-MM-DD")
        .help("write the date as YYYY-MM-DD, e.g. 2019-10-18");
    cx.push(diagnostic);
}

/// Checks one enum; returns whether its codes can be trusted (it has some, of its `repr`).
fn check_enum(definition: &EnumDef, cx: &mut Ctxt) -> bool {
    let mut codes_ok = true;
    if definition.values.is_empty() {
        codes_ok = false;
        let diagnostic = cx
            .error(
                Code::InvalidValue,
                definition.name.span,
                format!("enum `{}` has no values", definition.name.value),
            )
            .help("list at least one known code under `values:`");
        cx.push(diagnostic);
    }
    let mut seen: BTreeMap<&Scalar, Span> = BTreeMap::new();
    for value in &definition.values {
        let matches_repr = matches!(
            (&value.value.value, definition.repr.value),
            (Scalar::Int(_), EnumRepr::Int) | (Scalar::String(_), EnumRepr::String)
        );
        if !matches_repr {
            codes_ok = false;
            let expected = match definition.repr.value {
                EnumRepr::Int => "an integer",
                EnumRepr::String => "a string",
            };
            let diagnostic = cx
                .error(
                    Code::WrongType,
                    value.value.span,
                    format!(
                        "enum `{}` has `repr: {}` but this value is not {expected}",
                        definition.name.value,
                        repr_word(definition.repr.value)
                    ),
                )
                .label(format!("expected {expected}"))
                .note_at(definition.repr.span, "the representation is chosen here")
                .help("make every value match the enum's `repr`");
            cx.push(diagnostic);
        }
        if let Some(first) = seen.insert(&value.value.value, value.value.span) {
            duplicate(
                cx,
                value.value.span,
                first,
                format!(
                    "enum value {} appears twice in `{}`",
                    value.value.value, definition.name.value
                ),
            );
        }
    }
    let variants = definition.values.iter().map(|value| &value.name);
    names::check_variants(&definition.name.value, variants, cx);
    codes_ok
}

fn repr_word(repr: EnumRepr) -> &'static str {
    match repr {
        EnumRepr::Int => "int",
        EnumRepr::String => "string",
    }
}

/// Reports that something at `span` repeats what is at `first`.
pub(crate) fn duplicate(cx: &mut Ctxt, span: Span, first: Span, message: String) {
    let diagnostic = cx
        .error(Code::Duplicate, span, message)
        .label("defined again here")
        .note_at(first, "first defined here")
        .help("remove one of them, or rename it");
    cx.push(diagnostic);
}

fn check_error_codes(spec: &Spec, cx: &mut Ctxt) {
    let mut seen: BTreeMap<i64, Span> = BTreeMap::new();
    for entry in &spec.error_codes {
        if entry.code.value == 0 {
            let diagnostic = cx
                .error(
                    Code::InvalidValue,
                    entry.code.span,
                    "error code 0 means success",
                )
                .help("list only failure codes; `errcode: 0` is how every reply says it succeeded");
            cx.push(diagnostic);
        }
        if let Some(first) = seen.insert(entry.code.value, entry.code.span) {
            duplicate(
                cx,
                entry.code.span,
                first,
                format!("error code {} appears twice", entry.code.value),
            );
        }
    }
    names::check_variants(
        "ErrorCode",
        spec.error_codes.iter().map(|entry| &entry.name),
        cx,
    );
}

fn check_endpoints(spec: &Spec, vocabulary: &Vocabulary<'_>, cx: &mut Ctxt) {
    let mut ids: BTreeMap<&str, Span> = BTreeMap::new();
    let mut paths: BTreeMap<&str, Span> = BTreeMap::new();
    for endpoint in &spec.endpoints {
        names::check_endpoint_id(&endpoint.id, cx);
        if let Some(first) = ids.insert(&endpoint.id.value, endpoint.id.span) {
            duplicate(
                cx,
                endpoint.id.span,
                first,
                format!("endpoint id `{}` appears twice", endpoint.id.value),
            );
        }
        let path = &endpoint.path;
        let path_ok = path.value.starts_with('/')
            && path.value.len() > 1
            && !path
                .value
                .contains(|c: char| c.is_whitespace() || matches!(c, '?' | '#'));
        if !path_ok {
            let diagnostic = cx
                .error(
                    Code::InvalidValue,
                    path.span,
                    format!("`{}` is not an endpoint path", path.value),
                )
                .label("expected a path such as `/cgi-bin/user/search`")
                .help(
                    "write the path below the base URL, starting with `/`, without query or spaces",
                );
            cx.push(diagnostic);
        }
        if let Some(first) = paths.insert(&path.value, path.span) {
            duplicate(
                cx,
                path.span,
                first,
                format!("path `{}` belongs to two endpoints", path.value),
            );
        }
        if let Some(request) = &endpoint.request {
            let set = FieldSet::request(spec, endpoint, request);
            fields::check_fields(&set, vocabulary, spec, cx);
            if endpoint.token.value == TokenPlacement::Body
                && let Some(field) = request
                    .fields
                    .iter()
                    .find(|f| f.name.value == spec.api.token_param.value)
            {
                let diagnostic = cx
                    .error(
                        Code::Duplicate,
                        field.name.span,
                        format!("`{}` is added by `token: body`", field.name.value),
                    )
                    .note_at(endpoint.token.span, "the token is placed in the body here")
                    .help("remove this field; the client fills in the access token itself");
                cx.push(diagnostic);
            }
        }
        if let Some(response) = &endpoint.response {
            let set = FieldSet::response(spec, endpoint, response);
            fields::check_fields(&set, vocabulary, spec, cx);
        }
        if let Some(paging) = &endpoint.paging {
            fields::check_paging(endpoint, paging, vocabulary, cx);
        }
    }
}

/// Reports a name that names no type, suggesting the closest one.
pub(crate) fn undefined_type(
    cx: &mut Ctxt,
    span: Span,
    name: &str,
    records: &BTreeMap<&str, &RecordDef>,
    enums: &BTreeMap<&str, &EnumDef>,
) {
    let candidates = records
        .keys()
        .chain(enums.keys())
        .copied()
        .chain(["string", "int", "bool", "datetime"]);
    let help = match did_you_mean(name, candidates) {
        Some(suggestion) => format!("did you mean `{suggestion}`?"),
        None => "use `string`, `int`, `bool`, `datetime`, `list<T>`, or the name of an enum or record defined in this spec".into(),
    };
    let diagnostic = cx
        .error(
            Code::UndefinedType,
            span,
            format!("undefined type `{name}`"),
        )
        .label("no enum or record has this name")
        .help(help);
    cx.push(diagnostic);
}
