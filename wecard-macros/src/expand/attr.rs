//! `#[wecard(...)]` attributes, parsed in one place. What a name means (is `card_numbr` a WeCard
//! field?) is decided later, against the field table; here only the shape is checked.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, LitStr, Path, Token};

use super::ctxt::{Ctxt, did_you_mean};

/// What a field attribute may say besides a WeCard field's name.
pub(crate) const FIELD_KEYWORDS: &[&str] = &["skip", "write_only", "with", "rename"];

/// The struct attribute that lets constants of the named coded fields be codes the spec does
/// not list.
pub(crate) const ALLOW_UNLISTED_CODE: &str = "allow_unlisted_code";

/// A name written in an attribute, with where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Name {
    pub(crate) text: String,
    pub(crate) span: Span,
}

/// `#[wecard(...)]` on the struct.
#[derive(Default)]
pub(crate) struct Container {
    /// `crate = path`: where the generated module is.
    pub(crate) krate: Option<Path>,
    /// Whether `crate = …` was written but could not be read (then no fallback impl is emitted:
    /// it would only add errors about the default path).
    pub(crate) krate_broken: bool,
    /// `wecard_field = value`: the same value for every instance.
    pub(crate) constants: Vec<Constant>,
    /// `allow_unlisted_code(wecard_field, ...)`: constants of these coded fields may be codes
    /// the spec does not list (its coded values are open: the server may know more).
    pub(crate) allow_unlisted_code: Vec<Name>,
}

/// `identity_type = "学生"` on the struct.
pub(crate) struct Constant {
    pub(crate) name: Name,
    pub(crate) value: Expr,
}

/// `#[wecard(...)]` on a field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// `#[wecard(card_number)]` or `#[wecard(rename = "card_number")]`.
    pub(crate) target: Option<Name>,
    /// `skip`.
    pub(crate) skip: Option<Span>,
    /// `write_only`.
    pub(crate) write_only: Option<Span>,
    /// `with = path`.
    pub(crate) with: Option<Path>,
}

fn is_wecard(attr: &Attribute) -> bool {
    attr.path().is_ident("wecard")
}

/// The single identifier of a meta item's path (keywords included: `crate`, `type`).
fn meta_name(meta: &ParseNestedMeta<'_>) -> syn::Result<Name> {
    let path = &meta.path;
    match (
        path.leading_colon,
        path.segments.len(),
        path.segments.first(),
    ) {
        (None, 1, Some(segment)) if segment.arguments.is_none() => Ok(Name {
            text: segment.ident.unraw().to_string(),
            span: segment.ident.span(),
        }),
        _ => Err(syn::Error::new(
            path.span(),
            "expected a single name, such as `card_number` or `skip`",
        )),
    }
}

/// Whether the item has no `= value` or `(...)` after its name.
fn is_bare(meta: &ParseNestedMeta<'_>) -> bool {
    meta.input.is_empty() || meta.input.peek(Token![,])
}

/// Reads and drops whatever follows an item that was already reported, so parsing goes on.
fn skip_rest(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if !is_bare(meta) {
        meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

/// Reports `name` as taking no value when one was given.
fn expect_bare(cx: &mut Ctxt, meta: &ParseNestedMeta<'_>, name: &Name) -> syn::Result<()> {
    if !is_bare(meta) {
        cx.error(
            name.span,
            format!(
                "`{}` takes no value: write `#[wecard({})]`",
                name.text, name.text
            ),
        );
        skip_rest(meta)?;
    }
    Ok(())
}

/// A path given as `path` or as the string `"path"` (as serde accepts).
fn parse_path(meta: &ParseNestedMeta<'_>, what: &str) -> syn::Result<Path> {
    let input = meta.value()?;
    if input.peek(LitStr) {
        let text: LitStr = input.parse()?;
        return text.parse::<Path>().map_err(|_| {
            syn::Error::new(
                text.span(),
                format!("expected a path for `{what}`, such as `crate::wecard`"),
            )
        });
    }
    input.parse::<Path>().map_err(|error| {
        syn::Error::new(
            error.span(),
            format!("expected a path for `{what}`, such as `crate::wecard`"),
        )
    })
}

impl Container {
    /// Reads every `#[wecard(...)]` on the struct.
    pub(crate) fn parse(cx: &mut Ctxt, attrs: &[Attribute]) -> Container {
        let mut container = Container::default();
        for attr in attrs.iter().filter(|attr| is_wecard(attr)) {
            let parsed = attr.parse_nested_meta(|meta| {
                let name = meta_name(&meta)?;
                if name.text == "crate" {
                    if container.krate.is_some() {
                        cx.error(name.span, "`crate` is given twice");
                    }
                    match parse_path(&meta, "crate") {
                        Ok(path) => container.krate = Some(path),
                        Err(error) => {
                            container.krate_broken = true;
                            return Err(error);
                        }
                    }
                } else if name.text == ALLOW_UNLISTED_CODE {
                    if is_bare(&meta) || meta.input.peek(Token![=]) {
                        cx.error(
                            name.span,
                            format!("`{ALLOW_UNLISTED_CODE}` takes the coded fields it allows: write `{ALLOW_UNLISTED_CODE}(card_type)`"),
                        );
                        skip_rest(&meta)?;
                    } else {
                        meta.parse_nested_meta(|inner| {
                            let field = meta_name(&inner)?;
                            expect_bare(cx, &inner, &field)?;
                            container.allow_unlisted_code.push(field);
                            Ok(())
                        })?;
                    }
                } else if FIELD_KEYWORDS.contains(&name.text.as_str()) {
                    cx.error(name.span, format!("`{}` is a field attribute: put it on a field", name.text));
                    skip_rest(&meta)?;
                } else if meta.input.peek(Token![=]) {
                    let value = meta.value()?.parse::<Expr>()?;
                    container.constants.push(Constant { name, value });
                } else {
                    let help = match did_you_mean(&name.text, ["crate", ALLOW_UNLISTED_CODE]) {
                        Some("crate") => "did you mean `crate = path`?".to_owned(),
                        Some(suggestion) => format!("did you mean `{suggestion}(wecard_field)`?"),
                        None => format!(
                            "on the struct, write `crate = path` (where the generated module is) or `{} = value` (a WeCard field's value for every instance)",
                            name.text
                        ),
                    };
                    cx.error(name.span, format!("unknown struct attribute `{}`: {help}", name.text));
                    skip_rest(&meta)?;
                }
                Ok(())
            });
            if let Err(error) = parsed {
                cx.push(error);
            }
        }
        container
    }
}

impl FieldAttrs {
    /// Reads every `#[wecard(...)]` on a field.
    pub(crate) fn parse(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
        let mut field = FieldAttrs::default();
        for attr in attrs.iter().filter(|attr| is_wecard(attr)) {
            let parsed = attr.parse_nested_meta(|meta| {
                let name = meta_name(&meta)?;
                match name.text.as_str() {
                    "skip" => {
                        expect_bare(cx, &meta, &name)?;
                        field.skip = Some(name.span);
                    }
                    "write_only" => {
                        expect_bare(cx, &meta, &name)?;
                        field.write_only = Some(name.span);
                    }
                    "with" | "rename" if is_bare(&meta) => {
                        let example = if name.text == "with" { "with = module" } else { "rename = \"card_number\"" };
                        cx.error(name.span, format!("`{}` needs a value: write `#[wecard({example})]`", name.text));
                    }
                    "with" => {
                        if field.with.is_some() {
                            cx.error(name.span, "`with` is given twice");
                        }
                        field.with = Some(parse_path(&meta, "with")?);
                    }
                    "rename" => {
                        let text: LitStr = meta.value()?.parse().map_err(|error| {
                            syn::Error::new(error.span(), "expected a WeCard field's wire name: `rename = \"card_number\"`")
                        })?;
                        let target = Name { text: text.value(), span: text.span() };
                        field.set_target(cx, target);
                    }
                    _ if is_bare(&meta) => field.set_target(cx, name),
                    _ => {
                        let help = match did_you_mean(&name.text, FIELD_KEYWORDS.iter().copied()) {
                            Some(suggestion) => format!("did you mean `{suggestion}`?"),
                            None => "a field takes a WeCard field's name (`#[wecard(card_number)]`), `rename = \"…\"`, `skip`, `write_only` or `with = path`".into(),
                        };
                        cx.error(name.span, format!("unknown field attribute `{}`: {help}", name.text));
                        skip_rest(&meta)?;
                    }
                }
                Ok(())
            });
            if let Err(error) = parsed {
                cx.push(error);
            }
        }
        field
    }

    fn set_target(&mut self, cx: &mut Ctxt, target: Name) {
        if let Some(first) = &self.target {
            cx.error(
                target.span,
                format!(
                    "a field maps onto one WeCard field, and this one already maps onto `{}`",
                    first.text
                ),
            );
            return;
        }
        self.target = Some(target);
    }
}
