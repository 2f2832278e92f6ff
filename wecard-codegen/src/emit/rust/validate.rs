//! `validate()` for request types: every rule of every field, all violations at once, nothing
//! allocated when the request is valid.
//!
//! Each rule is one call into the runtime (`__private::check`) with the rule as data: the field's
//! wire name, whether it is strict, and its bounds, values or pattern tables. The loops over
//! lists, the skipping of absent values and the building of errors are the runtime's, compiled
//! once. The methods are `#[inline]`, so that a request's checks are compiled only in a crate
//! that validates or sends that request, not for every endpoint of the API.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Field, Level, Message, Model, Rule, RuleKind, Type};
use crate::spec::{EnumRepr, Scalar};

use super::types::ident;
use super::{Options, doc};

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

/// Which of the runtime's check items a body names, so that it imports exactly those.
#[derive(Default)]
struct Uses {
    check: bool,
    items: bool,
    dfa: bool,
    format: bool,
    some: bool,
    none: bool,
}

impl Uses {
    /// The imports of a `validate_into` body: short names inside the function, where no name
    /// the spec gives an item can shadow them.
    fn imports(&self) -> TokenStream {
        let mut names = Vec::new();
        if self.check {
            names.push(quote!(check));
        }
        if self.items {
            names.push(quote!(items));
        }
        if self.dfa {
            names.push(quote!(Dfa));
        }
        let format = self.format.then(|| {
            quote!(
                use self::__wecard_runtime::Format;
            )
        });
        let variants: Vec<TokenStream> = [(self.none, quote!(None)), (self.some, quote!(Some))]
            .into_iter()
            .filter_map(|(used, name)| used.then_some(name))
            .collect();
        let option =
            (!variants.is_empty()).then(|| quote!(use ::core::option::Option::{#(#variants),*};));
        quote! {
            use self::__wecard_runtime::__private::check::{#(#names,)* Kind, Rule};
            #format
            #option
        }
    }
}

fn bound(value: Option<i64>, uses: &mut Uses) -> TokenStream {
    match value {
        Some(n) => {
            uses.some = true;
            quote!(Some(#n))
        }
        None => {
            uses.none = true;
            quote!(None)
        }
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

/// The call that checks one rule of one field: the rule as data, checked by the runtime
/// against the field's value (each item of a list, nothing when an optional field is absent).
fn rule_check(model: &Model, field: &Field, rule: &Rule, uses: &mut Uses) -> Option<TokenStream> {
    let mut table = None;
    let (kind, counts_items) = match rule.kind() {
        RuleKind::Items { min, max } => {
            if !matches!(field.ty(), Type::List(_)) {
                return None;
            }
            let (min, max) = (bound(*min, uses), bound(*max, uses));
            (quote!(Kind::Items(#min, #max)), true)
        }
        RuleKind::Length { min, max } => {
            let (min, max) = (bound(*min, uses), bound(*max, uses));
            (quote!(Kind::Length(#min, #max)), false)
        }
        RuleKind::Range { min, max } => {
            let (min, max) = (bound(*min, uses), bound(*max, uses));
            (quote!(Kind::Range(#min, #max)), false)
        }
        RuleKind::Pattern(pattern) => {
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
            uses.dfa = true;
            table = Some(quote! {
                static DFA: Dfa = Dfa {
                    classes: [#(#classes),*],
                    next: &[#(#next),*],
                    accept: &[#(#accept),*],
                    class_count: #class_count,
                };
            });
            (quote!(Kind::Pattern(#pattern, &DFA)), false)
        }
        RuleKind::Format(format) => {
            let variant = format_ident!("{}", format!("{format:?}"));
            uses.format = true;
            (quote!(Kind::Format(Format::#variant)), false)
        }
        RuleKind::OneOf(values) => {
            if kind(model, field.ty()) == Kind::Other {
                return None;
            }
            let allowed = values.iter().map(|v| match v {
                Scalar::Int(n) => n.to_string(),
                Scalar::String(s) => s.clone(),
            });
            (quote!(Kind::OneOf(&[#(#allowed),*])), false)
        }
    };
    let function = if counts_items {
        uses.items = true;
        quote!(items)
    } else {
        uses.check = true;
        quote!(check)
    };
    let name = ident(field.rust_name());
    let wire = field.wire_name();
    let rule = match rule.level() {
        Level::Default => quote!(Rule::new(#wire, #kind)),
        Level::Strict => quote!(Rule::strict(#wire, #kind)),
    };
    let call = quote! {
        #function(&self.#name, &#rule, level, errors);
    };
    Some(match table {
        Some(table) => quote! { { #table #call } },
        None => call,
    })
}

/// All checks of one field.
fn field_checks(
    model: &Model,
    options: &Options,
    message: &Message,
    field: &Field,
    uses: &mut Uses,
) -> TokenStream {
    let name = ident(field.rust_name());
    let mut checks = Vec::new();
    for rule in field.rules() {
        if rule.level() == Level::Strict && !options.strict_rules {
            continue;
        }
        let Some(check) = rule_check(model, field, rule, uses) else {
            continue;
        };
        checks.push(match condition(model, message, rule) {
            Some(condition) => quote! { if #condition { #check } },
            None => check,
        });
    }
    // A required string that is blank is reported once, as missing; its other rules would only
    // repeat that in other words.
    let blank = field.required() && matches!(field.ty(), Type::String) && !field.nullable();
    if !blank {
        return quote! { #(#checks)* };
    }
    let wire = field.wire_name();
    let missing = quote! { if self.#name.trim().is_empty() { errors.required(#wire); } };
    if checks.is_empty() {
        missing
    } else {
        quote! { #missing else { #(#checks)* } }
    }
}

/// `validate`, `validate_with` and `validate_into` for one request type.
pub(super) fn emit_validate(model: &Model, options: &Options, message: &Message) -> TokenStream {
    let vis = &options.visibility;
    let type_name = format_ident!("{}", message.type_name());
    let mut uses = Uses::default();
    let checks: Vec<TokenStream> = message
        .fields()
        .iter()
        .map(|field| field_checks(model, options, message, field, &mut uses))
        .filter(|checks| !checks.is_empty())
        .collect();
    let uses_level = uses.check || uses.items;
    let errors_binding = if checks.is_empty() {
        quote!(_errors)
    } else {
        quote!(errors)
    };
    let level_binding = if uses_level {
        quote!(level)
    } else {
        quote!(_level)
    };
    let imports = uses_level.then(|| uses.imports());
    let validate_doc = doc::fixed(&[
        "Checks the API's rules, reporting every violation at once.",
        "",
        "# Errors",
        "",
        "Every broken rule, in field order.",
    ]);
    let validate_with_doc = doc::fixed(&[
        "Checks the API's rules and, at the [strict level](self::__wecard_runtime::ValidationLevel::Strict), the data-quality rules.",
        "",
        "# Errors",
        "",
        "Every broken rule, in field order.",
    ]);
    quote! {
        impl #type_name {
            #validate_doc
            #[inline]
            #vis fn validate(&self) -> ::core::result::Result<(), self::__wecard_runtime::ValidationErrors> {
                self::__wecard_runtime::Validate::validate_with(self, self::__wecard_runtime::ValidationLevel::Default)
            }

            #validate_with_doc
            #[inline]
            #vis fn validate_with(&self, level: self::__wecard_runtime::ValidationLevel) -> ::core::result::Result<(), self::__wecard_runtime::ValidationErrors> {
                self::__wecard_runtime::Validate::validate_with(self, level)
            }
        }

        impl self::__wecard_runtime::Validate for #type_name {
            #[inline]
            fn validate_into(&self, #level_binding: self::__wecard_runtime::ValidationLevel, #errors_binding: &mut self::__wecard_runtime::ValidationErrors) {
                #imports
                #(#checks)*
            }
        }
    }
}
