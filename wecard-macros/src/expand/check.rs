//! Checks on the resolved derive: what the field table says a mapping must satisfy. Each error
//! sits on the token to change; whatever the table cannot know (whether a type converts) is left
//! to rustc, through the conversion traits of the generated module.

use std::collections::BTreeMap;

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprUnary, Lit, UnOp};

use super::attr::ALLOW_UNLISTED_CODE;
use super::ctxt::Ctxt;
use super::model::{ConstantField, Derive};
use wecard_runtime::rules::{self, Format, Requirement};

use super::table::{ConstantRule, Table, WireType};

/// Runs every check, reporting into `cx`.
pub(crate) fn check(cx: &mut Ctxt, derive: &Derive<'_>, table: &Table) {
    check_attribute_combinations(cx, derive);
    check_duplicates(cx, derive);
    if !derive.unresolved {
        check_required(cx, derive, table);
    }
    check_sides(cx, derive, table);
    for constant in &derive.constants {
        check_constant(
            cx,
            constant.field.request.as_ref().map(|s| &s.ty),
            constant,
            table,
        );
    }
}

fn check_attribute_combinations(cx: &mut Ctxt, derive: &Derive<'_>) {
    for field in &derive.fields {
        let attrs = &field.attrs;
        if attrs.skip.is_some() {
            let others = [
                attrs.target.as_ref().map(|t| (t.span, "a WeCard field")),
                attrs.write_only.map(|span| (span, "`write_only`")),
                attrs.with.as_ref().map(|path| (path.span(), "`with`")),
            ];
            for (span, what) in others.into_iter().flatten() {
                cx.error(
                    span,
                    format!("{what} on a skipped field: a `skip` field maps onto nothing; remove one of them"),
                );
            }
        }
    }
}

/// A WeCard field may be mapped once: by one struct field or one constant.
fn check_duplicates(cx: &mut Ctxt, derive: &Derive<'_>) {
    let mut first: BTreeMap<&str, Span> = BTreeMap::new();
    // In source order: the struct's attributes come before its fields.
    let mappings = derive
        .constants
        .iter()
        .map(|c| (c.field.wire.as_str(), c.name.span))
        .chain(derive.fields.iter().filter_map(|field| {
            field
                .wecard
                .as_ref()
                .map(|m| (m.field.wire.as_str(), m.span))
        }));
    for (wire, span) in mappings {
        match first.get(wire) {
            Some(first_span) => {
                cx.error(span, format!("WeCard field `{wire}` is mapped twice"));
                cx.error(*first_span, format!("note: `{wire}` is first mapped here"));
            }
            None => {
                first.insert(wire, span);
            }
        }
    }
}

/// Every field the create request requires is mapped by a field or a constant.
fn check_required(cx: &mut Ctxt, derive: &Derive<'_>, table: &Table) {
    let mapped = |wire: &str| {
        derive
            .fields
            .iter()
            .any(|f| f.wecard.as_ref().is_some_and(|m| m.field.wire == wire))
            || derive.constants.iter().any(|c| c.field.wire == wire)
    };
    let missing: Vec<String> = table
        .fields
        .iter()
        .filter(|f| f.request.as_ref().is_some_and(|side| side.required))
        .filter(|f| !mapped(&f.wire))
        .map(|f| format!("`{}`", f.wire))
        .collect();
    if missing.is_empty() {
        return;
    }
    let (noun, add) = if missing.len() == 1 {
        ("field", "add a field of that name, map a field onto it")
    } else {
        ("fields", "add fields of those names, map fields onto them")
    };
    let list = missing.join(", ");
    let example = table
        .fields
        .iter()
        .find(|f| f.request.as_ref().is_some_and(|side| side.required) && !mapped(&f.wire))
        .map_or("identity_type", |f| f.wire.as_str());
    cx.error(
        derive.input.ident.span(),
        format!(
            "`{}` does not map the WeCard {noun} {list}, which `{}` requires: {add} with `#[wecard({example})]`, or give every instance the same value with `#[wecard({example} = …)]` on the struct",
            derive.input.ident, table.request
        ),
    );
}

/// What each mapped field can do on each side: be sent, be read back.
fn check_sides(cx: &mut Ctxt, derive: &Derive<'_>, table: &Table) {
    for field in &derive.fields {
        let Some(mapping) = &field.wecard else {
            continue;
        };
        let wire = &mapping.field.wire;
        let name = field.name();
        if let Some(request) = &mapping.field.request
            && request.required
            && field.optional
        {
            cx.error(
                field.ty.span(),
                format!(
                    "WeCard field `{wire}` is required by `{}`, so `{name}` cannot be an `Option`: give it a type that always has a value",
                    table.request
                ),
            );
        }
        if let (None, Some(span)) = (&mapping.field.request, field.attrs.write_only) {
            cx.error(
                span,
                format!(
                    "WeCard field `{wire}` is not in `{}`, so a `write_only` field would be mapped nowhere: remove `write_only`",
                    table.request
                ),
            );
        }
        if mapping.field.member.is_none() && field.attrs.write_only.is_none() && !field.optional {
            cx.error(
                mapping.span,
                format!(
                    "WeCard field `{wire}` is not in `{}`, so `from_member` cannot fill `{name}`: mark it `#[wecard(write_only)]` (it is then `Default::default()` when read back) or make it an `Option`",
                    table.member
                ),
            );
        }
    }
}

/// The literal of a constant, with its sign.
fn literal(expr: &Expr) -> Option<(bool, &Lit)> {
    match expr {
        Expr::Lit(ExprLit { lit, .. }) => Some((false, lit)),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => match &**expr {
            Expr::Lit(ExprLit {
                lit: lit @ Lit::Int(_),
                ..
            }) => Some((true, lit)),
            _ => None,
        },
        _ => None,
    }
}

/// The kind of literal a constant of some wire type must be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LitKind {
    Str,
    Int,
    Bool,
}

impl LitKind {
    fn describe(self) -> &'static str {
        match self {
            LitKind::Str => "a string literal",
            LitKind::Int => "an integer literal",
            LitKind::Bool => "`true` or `false`",
        }
    }
}

/// The kind of literal a wire type takes as a constant, or why it takes none.
fn expected_literal(ty: &WireType) -> Result<LitKind, String> {
    match ty {
        WireType::String | WireType::Enum { int: false, .. } => Ok(LitKind::Str),
        WireType::Int | WireType::Enum { int: true, .. } => Ok(LitKind::Int),
        WireType::Bool => Ok(LitKind::Bool),
        other => Err(format!(
            "a constant cannot set a `{}` field; map a struct field onto it instead",
            other.spec_name()
        )),
    }
}

fn check_constant(
    cx: &mut Ctxt,
    request: Option<&WireType>,
    constant: &ConstantField<'_>,
    table: &Table,
) {
    let wire = &constant.field.wire;
    let Some(ty) = request else {
        cx.error(
            constant.name.span,
            format!(
                "WeCard field `{wire}` is not in `{}`: a constant can only set a field of the create request",
                table.request
            ),
        );
        return;
    };
    let expected = match expected_literal(ty) {
        Ok(expected) => expected,
        Err(message) => {
            cx.error(constant.name.span, message);
            return;
        }
    };
    let found = match literal(constant.value) {
        Some((false, Lit::Str(_))) => Some(LitKind::Str),
        Some((false, Lit::Bool(_))) => Some(LitKind::Bool),
        Some((negative, Lit::Int(int))) => {
            let sign = if negative { "-" } else { "" };
            let digits = format!("{sign}{}", int.base10_digits());
            if expected == LitKind::Int && digits.parse::<i64>().is_err() {
                cx.error(
                    constant.value.span(),
                    format!("{digits} does not fit WeCard field `{wire}` (`int` is an i64)"),
                );
                return;
            }
            Some(LitKind::Int)
        }
        _ => None,
    };
    if found != Some(expected) {
        cx.error(
            constant.value.span(),
            format!(
                "WeCard field `{wire}` is `{}`, so its constant must be {}",
                ty.spec_name(),
                expected.describe()
            ),
        );
        return;
    }
    if let Some(span) = constant.unlisted_allowed
        && !matches!(ty, WireType::Enum { .. })
    {
        cx.error(
            span,
            format!(
                "`{ALLOW_UNLISTED_CODE}({wire})` is for coded fields, and WeCard field `{wire}` is `{}`: remove `{wire}` from it",
                ty.spec_name()
            ),
        );
    }
    if let Some(problem) = constant_problem(constant, ty, table) {
        cx.error(constant.value.span(), problem);
    }
}

/// What is wrong with a constant's value, by the field's rules and codes: every instance would
/// fail at run time, so it is a compile error at the literal.
fn constant_problem(constant: &ConstantField<'_>, ty: &WireType, table: &Table) -> Option<String> {
    let wire = constant.field.wire.as_str();
    let text = match literal(constant.value)? {
        (false, Lit::Str(text)) => text.value(),
        (negative, Lit::Int(int)) => {
            format!("{}{}", if negative { "-" } else { "" }, int.base10_digits())
        }
        _ => return None,
    };
    let required = constant
        .field
        .request
        .as_ref()
        .is_some_and(|side| side.required);
    if required && text.trim().is_empty() {
        return Some(format!(
            "WeCard field `{wire}` is required, so its constant must not be empty"
        ));
    }
    if let WireType::Enum { name, .. } = ty
        && let Some((_, codes)) = table.codes.iter().find(|(enum_name, _)| enum_name == name)
        && !codes.contains(&text)
        && constant.unlisted_allowed.is_none()
    {
        return Some(format!(
            "`{text}` is not a code of `{name}` (WeCard field `{wire}`): the spec lists {}; if WeCard accepts it though the spec does not list it, add `{ALLOW_UNLISTED_CODE}({wire})` to the struct's `#[wecard(...)]`",
            codes.join(", ")
        ));
    }
    for rule in table
        .rules
        .iter()
        .filter(|(field, _)| field == wire)
        .map(|(_, rule)| rule)
    {
        let broken = match rule {
            ConstantRule::Length(min, max) => (!rules::length_ok(&text, *min, *max)).then(|| {
                Requirement::Length {
                    min: *min,
                    max: *max,
                }
                .to_string()
            }),
            ConstantRule::Range(min, max) => text
                .parse::<i64>()
                .ok()
                .filter(|value| !rules::range_ok(*value, *min, *max))
                .map(|_| {
                    Requirement::Range {
                        min: *min,
                        max: *max,
                    }
                    .to_string()
                }),
            ConstantRule::Format(name) => Format::from_name(name)
                .filter(|format| !format.accepts(&text))
                .map(|format| Requirement::Format(format).to_string()),
            ConstantRule::OneOf(values) => (!rules::one_of_ok(&text, values)).then(|| {
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                Requirement::OneOf(&values).to_string()
            }),
        };
        if let Some(requirement) = broken {
            return Some(format!(
                "the constant of WeCard field `{wire}` breaks its rule: {text:?} {requirement}"
            ));
        }
    }
    None
}
