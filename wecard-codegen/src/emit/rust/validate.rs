//! `validate()` for request types: every rule of every field, all violations at once, nothing
//! allocated when the request is valid.
//!
//! The methods are `#[inline]`, so that a request's checks are compiled only in a crate that
//! validates or sends that request, not for every endpoint of the API.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Field, Level, Message, Model, Rule, RuleKind, Type};
use crate::spec::{EnumRepr, Scalar};

use super::Options;
use super::types::ident;

/// How a field's items are compared with literal codes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
    IntEnum,
    TextEnum,
    Other,
}

fn kind(model: &Model, ty: &Type) -> Kind {
    match ty.item() {
        Type::String => Kind::Text,
        Type::Int => Kind::Int,
        Type::Enum(name) => match model.enum_named(name).map(|e| e.repr()) {
            Some(EnumRepr::Int) => Kind::IntEnum,
            _ => Kind::TextEnum,
        },
        _ => Kind::Other,
    }
}

fn opt(value: Option<i64>) -> TokenStream {
    match value {
        Some(n) => quote!(::core::option::Option::Some(#n)),
        None => quote!(::core::option::Option::None),
    }
}

/// A condition on a sibling field, as a boolean expression over `self`.
fn condition(model: &Model, message: &Message, rule: &Rule) -> Option<TokenStream> {
    let condition = rule.when()?;
    let sibling = message.field(condition.field())?;
    let name = ident(sibling.rust_name());
    let value = match (kind(model, sibling.ty()), condition.equals()) {
        (Kind::Int, Scalar::Int(n)) => quote!(*value == #n),
        (Kind::IntEnum, Scalar::Int(n)) => quote!(value.code() == #n),
        (Kind::Text, Scalar::String(s)) => quote!(value.as_str() == #s),
        (Kind::TextEnum, Scalar::String(s)) => quote!(value.code() == #s),
        _ => quote!(false),
    };
    Some(if sibling.required() {
        quote!(::core::matches!(&self.#name, value if #value))
    } else {
        quote!(self.#name.as_ref().is_some_and(|value| #value))
    })
}

fn push(field: &Field, index: TokenStream, level: Level, params: TokenStream) -> TokenStream {
    let wire = field.wire_name();
    let level = match level {
        Level::Default => quote!(self::__wecard_runtime::ValidationLevel::Default),
        Level::Strict => quote!(self::__wecard_runtime::ValidationLevel::Strict),
    };
    quote! {
        errors.add(#wire, #index, #level, #params);
    }
}

/// The check of one rule against one item, bound as `value` (and its position as `index`).
fn item_check(
    model: &Model,
    field: &Field,
    rule: &Rule,
    index: &TokenStream,
) -> Option<TokenStream> {
    let level = rule.level();
    let item_kind = kind(model, field.ty());
    Some(match rule.kind() {
        RuleKind::Items { .. } => return None,
        RuleKind::Length { min, max } => {
            let (min_t, max_t) = (opt(*min), opt(*max));
            let params = quote!(self::__wecard_runtime::RuleParams::Length { min: #min_t, max: #max_t, actual });
            let push = push(field, index.clone(), level, params);
            quote! {
                if !self::__wecard_runtime::rules::length_ok(value, #min_t, #max_t) {
                    let actual = self::__wecard_runtime::rules::char_len(value);
                    #push
                }
            }
        }
        RuleKind::Range { min, max } => {
            let (min_t, max_t) = (opt(*min), opt(*max));
            let params = quote!(self::__wecard_runtime::RuleParams::Range { min: #min_t, max: #max_t, actual: *value });
            let push = push(field, index.clone(), level, params);
            quote! { if !self::__wecard_runtime::rules::range_ok(*value, #min_t, #max_t) { #push } }
        }
        RuleKind::Pattern(pattern) => {
            let params = quote!(self::__wecard_runtime::RuleParams::Pattern { pattern: #pattern });
            let push = push(field, index.clone(), level, params);
            // The model holds the tables of every pattern rule (compiled once, when read).
            let compiled = rule.compiled_pattern()?;
            // Unsuffixed literals keep the tables readable (`3`, not `3u8`).
            let classes = compiled
                .classes()
                .iter()
                .map(|c| Literal::u8_unsuffixed(*c));
            let next = compiled.next().iter().map(|n| Literal::u16_unsuffixed(*n));
            let accept = compiled.accept();
            let class_count = Literal::usize_unsuffixed(compiled.class_count());
            let states = Literal::usize_unsuffixed(accept.len());
            let cells = Literal::usize_unsuffixed(compiled.next().len());
            quote! {
                static CLASSES: [u8; 256] = [#(#classes),*];
                static NEXT: [u16; #cells] = [#(#next),*];
                static ACCEPT: [bool; #states] = [#(#accept),*];
                if !self::__wecard_runtime::__private::dfa_full_match(&CLASSES, &NEXT, &ACCEPT, #class_count, value) { #push }
            }
        }
        RuleKind::Format(format) => {
            let variant = format_ident!("{}", format!("{format:?}"));
            let format = quote!(self::__wecard_runtime::Format::#variant);
            let params = quote!(self::__wecard_runtime::RuleParams::Format { format: #format });
            let push = push(field, index.clone(), level, params);
            quote! { if !#format.accepts(value) { #push } }
        }
        RuleKind::OneOf(values) => {
            let allowed: Vec<String> = values
                .iter()
                .map(|v| match v {
                    Scalar::Int(n) => n.to_string(),
                    Scalar::String(s) => s.clone(),
                })
                .collect();
            let ints: Vec<i64> = values
                .iter()
                .filter_map(|v| {
                    if let Scalar::Int(n) = v {
                        Some(*n)
                    } else {
                        None
                    }
                })
                .collect();
            let test = match item_kind {
                Kind::Text => {
                    quote!(self::__wecard_runtime::rules::one_of_ok(value, &[#(#allowed),*]))
                }
                Kind::TextEnum => {
                    quote!(self::__wecard_runtime::rules::one_of_ok(value.code(), &[#(#allowed),*]))
                }
                Kind::Int => quote!([#(#ints),*].contains(value)),
                Kind::IntEnum => quote!([#(#ints),*].contains(&value.code())),
                Kind::Other => return None,
            };
            let params =
                quote!(self::__wecard_runtime::RuleParams::OneOf { allowed: &[#(#allowed),*] });
            let push = push(field, index.clone(), level, params);
            quote! { if !#test { #push } }
        }
    })
}

/// All checks of one field.
fn field_checks(model: &Model, options: &Options, message: &Message, field: &Field) -> TokenStream {
    let name = ident(field.rust_name());
    let mut checks = Vec::new();
    // A required string that is blank is reported once, as missing; its other rules would only
    // repeat that in other words.
    let blank_check = (field.required() && matches!(field.ty(), Type::String) && !field.nullable())
        .then(|| {
            let wire = field.wire_name();
            let push = quote!(errors.required(#wire););
            (quote!(self.#name.trim().is_empty()), push)
        });
    let is_list = matches!(field.ty(), Type::List(_));
    for rule in field.rules() {
        if rule.level() == Level::Strict && !options.strict_rules {
            continue;
        }
        let check = if let RuleKind::Items { min, max } = rule.kind() {
            if !is_list {
                continue;
            }
            let (min_t, max_t) = (opt(*min), opt(*max));
            let params = quote!(self::__wecard_runtime::RuleParams::Items { min: #min_t, max: #max_t, actual });
            let push = push(
                field,
                quote!(::core::option::Option::None),
                rule.level(),
                params,
            );
            quote! {
                let actual = list.len();
                if !self::__wecard_runtime::rules::items_ok(actual, #min_t, #max_t) { #push }
            }
        } else if is_list {
            let Some(item) = item_check(
                model,
                field,
                rule,
                &quote!(::core::option::Option::Some(index)),
            ) else {
                continue;
            };
            quote! { for (index, value) in list.iter().enumerate() { #item } }
        } else {
            let Some(item) = item_check(model, field, rule, &quote!(::core::option::Option::None))
            else {
                continue;
            };
            item
        };
        let bind = if is_list { quote!(list) } else { quote!(value) };
        let body = if field.required() {
            quote! { let #bind = &self.#name; #check }
        } else if field.nullable() {
            quote! { if let ::core::option::Option::Some(self::__wecard_runtime::Nullable::Value(#bind)) = &self.#name { #check } }
        } else {
            quote! { if let ::core::option::Option::Some(#bind) = &self.#name { #check } }
        };
        let body = match condition(model, message, rule) {
            Some(condition) => quote! { if #condition { #body } },
            None => body,
        };
        let body = if rule.level() == Level::Strict {
            quote! { if level == self::__wecard_runtime::ValidationLevel::Strict { #body } }
        } else {
            body
        };
        checks.push(quote! { { #body } });
    }
    match blank_check {
        Some((blank, push)) if checks.is_empty() => quote! { if #blank { #push } },
        // Each check is a block already: a single one serves as the `else` block itself.
        Some((blank, push)) if checks.len() == 1 => {
            let check = &checks[0];
            quote! { if #blank { #push } else #check }
        }
        Some((blank, push)) => quote! { if #blank { #push } else { #(#checks)* } },
        None => quote! { #(#checks)* },
    }
}

/// `validate`, `validate_with` and `validate_into` for one request type.
pub(super) fn emit_validate(model: &Model, options: &Options, message: &Message) -> TokenStream {
    let vis = &options.visibility;
    let type_name = format_ident!("{}", message.type_name());
    let checks: Vec<TokenStream> = message
        .fields()
        .iter()
        .map(|field| field_checks(model, options, message, field))
        .filter(|checks| !checks.is_empty())
        .collect();
    let errors_binding = if checks.is_empty() {
        quote!(_errors)
    } else {
        quote!(errors)
    };
    let uses_level = message
        .fields()
        .iter()
        .any(|f| f.rules().iter().any(|r| r.level() == Level::Strict))
        && options.strict_rules;
    let level_binding = if uses_level {
        quote!(level)
    } else {
        quote!(_level)
    };
    quote! {
        impl #type_name {
            /// Checks the API's rules, reporting every violation at once.
            ///
            /// # Errors
            ///
            /// Every broken rule, in field order.
            #[inline]
            #vis fn validate(&self) -> ::core::result::Result<(), self::__wecard_runtime::ValidationErrors> {
                self::__wecard_runtime::Validate::validate_with(self, self::__wecard_runtime::ValidationLevel::Default)
            }

            /// Checks the API's rules and, at the [strict level](self::__wecard_runtime::ValidationLevel::Strict), the data-quality rules.
            ///
            /// # Errors
            ///
            /// Every broken rule, in field order.
            #[inline]
            #vis fn validate_with(&self, level: self::__wecard_runtime::ValidationLevel) -> ::core::result::Result<(), self::__wecard_runtime::ValidationErrors> {
                self::__wecard_runtime::Validate::validate_with(self, level)
            }
        }

        impl self::__wecard_runtime::Validate for #type_name {
            // One block per rule keeps each rule readable on its own; merging the optional-field
            // guard into each rule's condition would obscure which rule is which.
            #[allow(clippy::collapsible_if)]
            #[inline]
            fn validate_into(&self, #level_binding: self::__wecard_runtime::ValidationLevel, #errors_binding: &mut self::__wecard_runtime::ValidationErrors) {
                #(#checks)*
            }
        }
    }
}
