//! Checks on the `events:` section: `codes` names a string enum, each event's code is one of its
//! values and appears once, and each payload is a record or `undocumented`.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Ctxt, did_you_mean};
use crate::source::Span;
use crate::spec::{EnumDef, EnumRepr, EventDef, Scalar, Spec, UNDOCUMENTED_PAYLOAD};

use super::{Vocabulary, duplicate};

/// Checks the `events:` section, if there is one.
pub(super) fn check_events(spec: &Spec, vocabulary: &Vocabulary<'_>, cx: &mut Ctxt) {
    let Some(events) = &spec.events else {
        return;
    };
    let codes = code_enum(&events.codes, vocabulary, cx);
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for event in &events.list {
        if let Some(first) = seen.insert(&event.code.value, event.code.span) {
            duplicate(
                cx,
                event.code.span,
                first,
                format!("event `{}` is listed twice", event.code.value),
            );
        }
        if let Some(definition) = codes {
            check_code(event, definition, cx);
        }
        check_payload(event, vocabulary, cx);
    }
}

/// The enum `codes` names, if it is a string enum that can be trusted.
fn code_enum<'a>(
    codes: &crate::spec::Located<String>,
    vocabulary: &Vocabulary<'a>,
    cx: &mut Ctxt,
) -> Option<&'a EnumDef> {
    if let Some(definition) = vocabulary.enums.get(codes.value.as_str()) {
        if definition.repr.value != EnumRepr::String {
            let diagnostic = cx
                .error(
                    Code::WrongType,
                    codes.span,
                    format!(
                        "`events.codes` names `{}`, an enum of int codes, but event codes are strings",
                        codes.value
                    ),
                )
                .label("expected an enum with `repr: string`")
                .note_at(definition.name.span, "the enum is defined here")
                .help("name the enum that lists the event codes, such as `EventType`");
            cx.push(diagnostic);
            return None;
        }
        if vocabulary.broken_enums.contains(codes.value.as_str()) {
            return None;
        }
        return Some(definition);
    }
    let (message, label) = if vocabulary.records.contains_key(codes.value.as_str()) {
        (
            format!(
                "`events.codes` names `{}`, which is a record, not an enum",
                codes.value
            ),
            "expected an enum",
        )
    } else {
        (
            format!(
                "`events.codes` names `{}`, which is not an enum",
                codes.value
            ),
            "no enum has this name",
        )
    };
    let help = match did_you_mean(&codes.value, vocabulary.enums.keys().copied()) {
        Some(suggestion) => format!("did you mean `{suggestion}`?"),
        None => "add a string enum listing the event codes, and name it here".to_string(),
    };
    let diagnostic = cx
        .error(Code::UndefinedType, codes.span, message)
        .label(label)
        .help(help);
    cx.push(diagnostic);
    None
}

fn check_code(event: &EventDef, codes: &EnumDef, cx: &mut Ctxt) {
    let known: Vec<&str> = codes
        .values
        .iter()
        .filter_map(|value| match &value.value.value {
            Scalar::String(code) => Some(code.as_str()),
            Scalar::Int(_) => None,
        })
        .collect();
    if known.contains(&event.code.value.as_str()) {
        return;
    }
    let help = match did_you_mean(&event.code.value, known.iter().copied()) {
        Some(suggestion) => format!("did you mean `{suggestion}`?"),
        None => format!(
            "add `{}` to the values of enum `{}` first",
            event.code.value, codes.name.value
        ),
    };
    let diagnostic = cx
        .error(
            Code::InvalidValue,
            event.code.span,
            format!(
                "event `{}` is not a value of enum `{}`",
                event.code.value, codes.name.value
            ),
        )
        .label("not an event code")
        .note_at(codes.name.span, "the event codes are listed here")
        .help(help);
    cx.push(diagnostic);
}

fn check_payload(event: &EventDef, vocabulary: &Vocabulary<'_>, cx: &mut Ctxt) {
    let payload = &event.payload;
    if payload.value == UNDOCUMENTED_PAYLOAD
        || vocabulary.records.contains_key(payload.value.as_str())
    {
        return;
    }
    let message = if vocabulary.enums.contains_key(payload.value.as_str()) {
        format!(
            "the payload of event `{}` is `{}`, an enum, but payloads are records",
            event.code.value, payload.value
        )
    } else {
        format!(
            "the payload of event `{}` is `{}`, which is not a record",
            event.code.value, payload.value
        )
    };
    let candidates = vocabulary
        .records
        .keys()
        .copied()
        .chain([UNDOCUMENTED_PAYLOAD]);
    let help = match did_you_mean(&payload.value, candidates) {
        Some(suggestion) => format!("did you mean `{suggestion}`?"),
        None => format!(
            "name the record the decrypted payload is, or write `{UNDOCUMENTED_PAYLOAD}` to keep it as raw JSON"
        ),
    };
    let diagnostic = cx
        .error(Code::UndefinedType, payload.span, message)
        .label("expected a record or `undocumented`")
        .help(help);
    cx.push(diagnostic);
}
