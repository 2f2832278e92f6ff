//! Checks that every spec name becomes a valid Rust name, and that no two become the same one.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Ctxt};
use crate::names;
use crate::source::Span;
use crate::spec::{Located, Spec};

/// Where a generated Rust name comes from, for messages.
struct Origin {
    span: Option<Span>,
    what: String,
}

/// Records, enums and the request/response types of endpoints share one module: no two may
/// produce the same type name, and none may take a name the generated module defines itself.
pub(super) fn check_type_namespace(spec: &Spec, cx: &mut Ctxt) {
    let mut taken: BTreeMap<String, Origin> = names::RESERVED_TYPE_NAMES
        .iter()
        .map(|name| {
            let origin = Origin {
                span: None,
                what: "a type the generated module defines".into(),
            };
            (name.to_string(), origin)
        })
        .collect();
    // `kind` is what to rename (`record`, `enum`, `endpoint id`).
    let mut claim = |cx: &mut Ctxt, rust: String, span: Span, what: String, kind: &str| {
        let Some(first) = taken.get(&rust) else {
            taken.insert(
                rust,
                Origin {
                    span: Some(span),
                    what,
                },
            );
            return;
        };
        let diagnostic = match first.span {
            // A name the generated module defines itself: only the spec's side can change.
            None => cx
                .error(
                    Code::NameCollision,
                    span,
                    format!("{what} becomes the Rust type `{rust}`, which the generated code defines itself"),
                )
                .label(format!("becomes `{rust}`"))
                .help(format!(
                    "`{rust}` is reserved for the generated code; rename the {kind}"
                )),
            // The same definition written twice.
            Some(first_span) if first.what == what => cx
                .error(Code::NameCollision, span, format!("{what} is defined twice"))
                .label("defined again here")
                .note_at(first_span, "first defined here")
                .help(format!(
                    "remove one of the definitions, or rename one of the {kind}s"
                )),
            Some(first_span) => cx
                .error(
                    Code::NameCollision,
                    span,
                    format!(
                        "{what} becomes the Rust type `{rust}`, already taken by {}",
                        first.what
                    ),
                )
                .label(format!("becomes `{rust}`"))
                .note_at(first_span, format!("{} is here", first.what))
                .help("rename one of them"),
        };
        cx.push(diagnostic);
    };
    let named = spec
        .records
        .iter()
        .map(|r| (&r.name, "record"))
        .chain(spec.enums.iter().map(|e| (&e.name, "enum")));
    for (name, kind) in named {
        if !names::is_upper_camel_case(&name.value) || names::type_ident(&name.value).is_none() {
            let diagnostic = cx
                .error(
                    Code::InvalidName,
                    name.span,
                    format!("{kind} name `{}` is not UpperCamelCase", name.value),
                )
                .label("expected a name such as `Member`")
                .help("type names are ASCII letters and digits, starting with a capital letter");
            cx.push(diagnostic);
            continue;
        }
        claim(
            cx,
            name.value.clone(),
            name.span,
            format!("{kind} `{}`", name.value),
            kind,
        );
    }
    // A repeated endpoint id is reported as a duplicate; its types would only repeat that.
    let mut ids = BTreeSet::new();
    for endpoint in &spec.endpoints {
        let id = &endpoint.id.value;
        if names::is_snake_case(id) && ids.insert(id.as_str()) {
            let what = format!("the request of endpoint `{id}`");
            claim(
                cx,
                names::request_type(id),
                endpoint.id.span,
                what,
                "endpoint id",
            );
            let what = format!("the reply of endpoint `{id}`");
            claim(
                cx,
                names::response_type(id),
                endpoint.id.span,
                what,
                "endpoint id",
            );
        }
    }
}

/// Variant names of one enum (or of the error-code enum): valid, distinct, and not `Unknown`.
pub(super) fn check_variants<'a>(
    owner: &str,
    variants: impl IntoIterator<Item = &'a Located<String>>,
    cx: &mut Ctxt,
) {
    let mut taken: BTreeMap<String, &Located<String>> = BTreeMap::new();
    for name in variants {
        let valid = names::is_snake_case(&name.value) || names::is_upper_camel_case(&name.value);
        let Some(rust) = names::type_ident(&name.value).filter(|_| valid) else {
            let diagnostic = cx
                .error(
                    Code::InvalidName,
                    name.span,
                    format!("`{}` cannot name a variant of `{owner}`", name.value),
                )
                .label("expected snake_case or UpperCamelCase")
                .help("use ASCII words such as `access_token_expired`");
            cx.push(diagnostic);
            continue;
        };
        if rust == names::UNKNOWN_VARIANT {
            let diagnostic = cx
                .error(Code::NameCollision, name.span, format!("`{}` becomes `{owner}::Unknown`, which every open enum keeps for codes the spec does not list", name.value))
                .help("choose another name, such as `unspecified`");
            cx.push(diagnostic);
            continue;
        }
        if let Some(first) = taken.get(&rust) {
            let diagnostic = cx
                .error(
                    Code::NameCollision,
                    name.span,
                    format!(
                        "`{}` and `{}` both become `{owner}::{rust}`",
                        name.value, first.value
                    ),
                )
                .label(format!("becomes `{rust}`"))
                .note_at(first.span, "the other one is here")
                .help("rename one of them");
            cx.push(diagnostic);
            continue;
        }
        taken.insert(rust, name);
    }
}

pub(super) fn check_endpoint_id(id: &Located<String>, cx: &mut Ctxt) {
    if !names::is_snake_case(&id.value) || names::is_keyword(&id.value) {
        let diagnostic = cx
            .error(Code::InvalidName, id.span, format!("endpoint id `{}` is not a snake_case name", id.value))
            .label("expected a name such as `create_user`")
            .help("endpoint ids name client methods: lowercase ASCII words joined by `_`, not a Rust keyword");
        cx.push(diagnostic);
    } else if names::RESERVED_METHOD_NAMES.contains(&id.value.as_str()) {
        let diagnostic = cx
            .error(
                Code::NameCollision,
                id.span,
                format!(
                    "endpoint id `{}` is a method the generated client already has",
                    id.value
                ),
            )
            .label("taken by the client")
            .help("choose another id, e.g. one naming what the endpoint does (`get_…`, `list_…`)");
        cx.push(diagnostic);
    }
}

/// A paged endpoint also gets `<id>_pages`; no endpoint may already be called that.
pub(super) fn check_pages_methods(spec: &crate::spec::Spec, cx: &mut Ctxt) {
    for paged in spec
        .endpoints
        .iter()
        .filter(|endpoint| endpoint.paging.is_some())
    {
        let pages = format!("{}_pages", paged.id.value);
        if let Some(other) = spec
            .endpoints
            .iter()
            .find(|endpoint| endpoint.id.value == pages)
        {
            let diagnostic = cx
                .error(
                    Code::NameCollision,
                    other.id.span,
                    format!(
                        "endpoint id `{pages}` is the paging method of `{}`",
                        paged.id.value
                    ),
                )
                .note_at(
                    paged.id.span,
                    "that endpoint pages, so the client gives it this method",
                )
                .help("rename one of the two endpoints");
            cx.push(diagnostic);
        }
    }
}

pub(super) fn check_wire_name(name: &Located<String>, cx: &mut Ctxt) -> bool {
    let valid = names::is_valid_wire_name(&name.value);
    if !valid {
        let diagnostic = cx
            .error(Code::InvalidWireName, name.span, format!("{:?} is not a valid wire name", name.value))
            .label("not a JSON key this API could use")
            .help("wire names are ASCII letters, digits, `_`, `-` and `.` (at most 64), exactly as the API spells them");
        cx.push(diagnostic);
    }
    valid
}

/// Field names of one struct: distinct on the wire and distinct in Rust.
pub(super) fn check_field_names<'a>(
    owner: &str,
    fields: impl IntoIterator<Item = (&'a Located<String>, Option<&'a Located<String>>)>,
    cx: &mut Ctxt,
) {
    let mut wire: BTreeMap<&str, Span> = BTreeMap::new();
    let mut rust: BTreeMap<String, &Located<String>> = BTreeMap::new();
    for (name, rust_name) in fields {
        if !check_wire_name(name, cx) {
            continue;
        }
        if let Some(first) = wire.insert(&name.value, name.span) {
            super::duplicate(
                cx,
                name.span,
                first,
                format!("field `{}` appears twice in {owner}", name.value),
            );
            continue;
        }
        let ident = match rust_name {
            Some(explicit) => {
                let ok =
                    names::is_snake_case(&explicit.value) && !names::is_keyword(&explicit.value);
                if !ok {
                    let diagnostic = cx
                        .error(
                            Code::InvalidName,
                            explicit.span,
                            format!("`{}` is not a usable Rust field name", explicit.value),
                        )
                        .label("expected snake_case, not a keyword")
                        .help("choose a lowercase name such as `class_name`");
                    cx.push(diagnostic);
                    continue;
                }
                explicit.value.clone()
            }
            None => match names::field_ident(&name.value) {
                Some(ident) => ident,
                None => continue,
            },
        };
        let key = ident.trim_start_matches("r#").to_string();
        if let Some(first) = rust.get(&key) {
            let diagnostic = cx
                .error(
                    Code::NameCollision,
                    name.span,
                    format!(
                        "fields `{}` and `{}` both become the Rust field `{ident}` in {owner}",
                        name.value, first.value
                    ),
                )
                .label(format!("becomes `{ident}`"))
                .note_at(first.span, "the other one is here")
                .help("give one of them a `rust_name:`");
            cx.push(diagnostic);
            continue;
        }
        rust.insert(key, name);
    }
}
