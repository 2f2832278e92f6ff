//! The derive's model: each struct field and container constant resolved against the field
//! table. Names that resolve to nothing are reported here, with the closest WeCard field.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Expr, Fields, GenericArgument, Ident, Path, PathArguments, Type};

use super::attr::{ALLOW_UNLISTED_CODE, Container, FIELD_KEYWORDS, FieldAttrs, Name};
use super::ctxt::{Ctxt, did_you_mean};
use super::table::{Table, TableField};

/// A struct deriving `WecardUser`, resolved.
pub(crate) struct Derive<'a> {
    pub(crate) input: &'a DeriveInput,
    pub(crate) fields: Vec<Field<'a>>,
    pub(crate) constants: Vec<ConstantField<'a>>,
    /// Some field's mapping named no WeCard field (so "required field missing" is not reported:
    /// the broken mapping was probably meant for it).
    pub(crate) unresolved: bool,
}

/// One named field of the struct.
pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    /// The field's type as written.
    pub(crate) ty: &'a Type,
    /// The type inside `Option<…>`, or the type itself.
    pub(crate) inner: &'a Type,
    /// The type is `Option<…>`.
    pub(crate) optional: bool,
    pub(crate) attrs: FieldAttrs,
    /// The WeCard field, unless skipped or unresolved.
    pub(crate) wecard: Option<Mapping<'a>>,
}

/// Which WeCard field a struct field maps onto, and which token says so.
pub(crate) struct Mapping<'a> {
    pub(crate) field: &'a TableField,
    /// The attribute's name for it, or the struct field's own name.
    pub(crate) span: Span,
}

/// A container constant, resolved.
pub(crate) struct ConstantField<'a> {
    pub(crate) field: &'a TableField,
    pub(crate) name: Name,
    pub(crate) value: &'a Expr,
    /// Where `allow_unlisted_code(…)` names this field: a code the spec does not list is
    /// then accepted.
    pub(crate) unlisted_allowed: Option<Span>,
}

impl Field<'_> {
    /// The field's name as written, without `r#`.
    pub(crate) fn name(&self) -> String {
        self.ident.unraw().to_string()
    }
}

/// `T` when `ty` is `Option<T>` (written `Option`, `std::option::Option` or `core::option::Option`).
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let names: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let is_option = matches!(
        names
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["Option"] | ["std" | "core", "option", "Option"]
    );
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match (is_option, arguments.args.len(), arguments.args.first()) {
        (true, 1, Some(GenericArgument::Type(inner))) => Some(inner),
        _ => None,
    }
}

impl<'a> Derive<'a> {
    /// Resolves `input`; `None` (with the error reported) when it is not a struct with named
    /// fields.
    pub(crate) fn from_input(
        cx: &mut Ctxt,
        input: &'a DeriveInput,
        container: &'a Container,
        table: &'a Table,
    ) -> Option<Derive<'a>> {
        let named = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named,
                Fields::Unnamed(fields) => {
                    cx.error(
                        fields.span(),
                        "WecardUser maps named fields onto WeCard fields, so it needs a struct with named fields, not a tuple struct",
                    );
                    return None;
                }
                Fields::Unit => {
                    cx.error(
                        input.ident.span(),
                        "WecardUser maps named fields onto WeCard fields, so it needs a struct with named fields, not a unit struct",
                    );
                    return None;
                }
            },
            Data::Enum(data) => {
                cx.error(
                    data.enum_token.span,
                    "WecardUser can only be derived for a struct with named fields, not an enum",
                );
                return None;
            }
            Data::Union(data) => {
                cx.error(
                    data.union_token.span,
                    "WecardUser can only be derived for a struct with named fields, not a union",
                );
                return None;
            }
        };
        let mut unresolved = false;
        let mut fields = Vec::new();
        for field in &named.named {
            let Some(ident) = &field.ident else {
                continue;
            };
            let attrs = FieldAttrs::parse(cx, &field.attrs);
            let (inner, optional) = match option_inner(&field.ty) {
                Some(inner) => (inner, true),
                None => (&field.ty, false),
            };
            let wecard = if attrs.skip.is_some() {
                None
            } else {
                let resolved = resolve_field(cx, table, ident, &attrs);
                unresolved |= resolved.is_none();
                resolved
            };
            fields.push(Field {
                ident,
                ty: &field.ty,
                inner,
                optional,
                attrs,
                wecard,
            });
        }
        let constants = container
            .constants
            .iter()
            .filter_map(|constant| {
                let Some(field) = table.find(&constant.name.text) else {
                    let help = match did_you_mean(
                        &constant.name.text,
                        table.wire_names().chain(["crate"]),
                    ) {
                        Some(suggestion) => format!("did you mean `{suggestion}`?"),
                        None => not_found_help(table),
                    };
                    cx.error(
                        constant.name.span,
                        format!("unknown WeCard field `{}`: {help}", constant.name.text),
                    );
                    return None;
                };
                let unlisted_allowed = container
                    .allow_unlisted_code
                    .iter()
                    .find(|allowed| allowed.text == field.wire)
                    .map(|allowed| allowed.span);
                Some(ConstantField {
                    field,
                    name: constant.name.clone(),
                    value: &constant.value,
                    unlisted_allowed,
                })
            })
            .collect();
        for allowed in &container.allow_unlisted_code {
            let names_a_constant = container
                .constants
                .iter()
                .any(|constant| constant.name.text == allowed.text);
            if !names_a_constant {
                cx.error(
                    allowed.span,
                    format!(
                        "`{ALLOW_UNLISTED_CODE}({name})` allows nothing: the struct has no constant `{name} = …`; remove it, or give the constant",
                        name = allowed.text
                    ),
                );
            }
        }
        Some(Derive {
            input,
            fields,
            constants,
            unresolved,
        })
    }

    /// The path of the generated module: `crate = …`, or `crate::wecard`.
    pub(crate) fn krate(container: &Container) -> Path {
        match &container.krate {
            Some(path) => path.clone(),
            None => syn::parse_quote!(crate::wecard),
        }
    }
}

fn not_found_help(table: &Table) -> String {
    format!(
        "the WeCard user's fields are those of `{}` and `{}` in {}",
        table.request, table.member, table.source
    )
}

/// The WeCard field a struct field maps onto: named by its attribute, or by its own name.
fn resolve_field<'a>(
    cx: &mut Ctxt,
    table: &'a Table,
    ident: &Ident,
    attrs: &FieldAttrs,
) -> Option<Mapping<'a>> {
    if let Some(target) = &attrs.target {
        if let Some(field) = table.find(&target.text) {
            return Some(Mapping {
                field,
                span: target.span,
            });
        }
        let candidates = table.wire_names().chain(FIELD_KEYWORDS.iter().copied());
        let help = match did_you_mean(&target.text, candidates) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => not_found_help(table),
        };
        cx.error(
            target.span,
            format!("unknown WeCard field `{}`: {help}", target.text),
        );
        return None;
    }
    let name = ident.unraw().to_string();
    if let Some(field) = table.find(&name) {
        return Some(Mapping {
            field,
            span: ident.span(),
        });
    }
    let hint = match did_you_mean(&name, table.wire_names()) {
        Some(suggestion) => format!(" (did you mean `{suggestion}`?)"),
        None => String::new(),
    };
    cx.error(
        ident.span(),
        format!(
            "`{name}` is not a WeCard field{hint}: map the field onto one with `#[wecard(field_name)]`, or leave it out with `#[wecard(skip)]`"
        ),
    );
    None
}
