//! `#[derive(WecardUser)]`: maps a school's own struct (a `Student`, a `Teacher`) onto the WeCard
//! user, checked against the spec when the crate compiles.
//!
//! The derive implements the `WecardUser` trait that `wecard-codegen` generates (with its error
//! types and the conversion traits `ToWecard` / `FromWecard`) when the spec has a `user:`
//! section. It checks each struct against the spec *the consuming crate* generates from: when
//! `wecard_codegen::Builder` generates the module in the crate's build script, it writes the
//! spec's user fields as a small table beside the module and tells the derive where it is (the
//! `WECARD_USER_FIELDS` variable, set for that crate's compilation). A derive never reads YAML;
//! editing the spec reruns the build script, which rebuilds the crate and re-checks every
//! derive.
//!
//! ```rust,ignore
//! use wecard_macros::WecardUser;
//!
//! #[derive(WecardUser)]
//! #[wecard(crate = crate::wecard, identity_type = "学生", identity_title = "本科生")]
//! struct Student {
//!     #[wecard(card_number)]        // a differently named field
//!     student_id: String,
//!     name: String,                 // same name: mapped implicitly
//!     #[wecard(write_only)]         // a path of names when sent, org ids when read back
//!     organization: String,
//!     gender: Option<String>,       // Option: an optional WeCard field, None when absent
//!     #[wecard(with = year)]        // a type of the school's own
//!     register_year: Year,
//!     #[wecard(skip)]               // not a WeCard field; Default::default() when read
//!     internal_id: u64,
//! }
//!
//! let request = student.to_create_request()?;        // validated CreateUserRequest
//! let student = Student::from_member(&member)?;       // from a search or list reply
//! ```
//!
//! # Attributes
//!
//! On the struct, `#[wecard(...)]` takes:
//!
//! | attribute | meaning |
//! | --- | --- |
//! | `crate = path` | where the generated module is (default `crate::wecard`); `crate = "path"` also works |
//! | `field = literal` | the same value of WeCard field `field` for every instance, e.g. `identity_type = "学生"`, `card_type = 1`; only for fields of the create request, and only for string, int, bool and coded-value fields (a coded value by its code). The value is checked when the crate compiles against the field's rules (required, length, format, one of) and, for a coded field, against the codes the spec lists |
//! | `allow_unlisted_code(field, ...)` | the constants of these coded fields may be codes the spec does not list (its coded values are open: WeCard may know codes the spec does not); without it such a code is a compile error |
//!
//! On a field:
//!
//! | attribute | meaning |
//! | --- | --- |
//! | *(none)* | maps onto the WeCard field of the same name (its wire name, or its Rust name in the generated types) |
//! | `card_number` | maps onto WeCard field `card_number` |
//! | `rename = "card_number"` | the same, for wire names that are not identifiers (or that read like the keywords below) |
//! | `skip` | maps onto nothing; `from_member` fills it with `Default::default()` |
//! | `write_only` | sent in the create request but not read back; `from_member` fills it with `Default::default()` (`None` for an `Option`) |
//! | `with = module` | converts through `module::to_wecard(&T) -> W` and `module::from_wecard(&W) -> Result<T, E>` (`E: Into<Box<dyn Error + Send + Sync>>`), where `T` is the field's type (inside `Option`) and `W` the WeCard field's wire type; a `write_only` field needs only `to_wecard`, a field the create request lacks only `from_wecard` |
//!
//! Every field must map onto a WeCard field or be skipped: a field whose name is not a WeCard
//! field is an error (with the closest WeCard field), so a typo cannot silently drop data.
//!
//! # What maps how
//!
//! - A field typed `Option<T>` maps onto an optional WeCard field: `None` is not sent, and an
//!   absent value reads back as `None`. A field the create request requires cannot be an
//!   `Option`. A non-`Option` field reads back as an error naming the WeCard field when the
//!   member lacks it, saying whether the field is 需申请 (sent only to apps granted it).
//! - The field's type must convert into the WeCard field's wire type (`ToWecard<W>`) and, unless
//!   `write_only`, back (`FromWecard<W>`): the wire type itself, narrower integers (`u8`, `i32`,
//!   … into `i64`, back with a range check), a coded value (`Gender`, `IdentityClass`) into text
//!   as the text the spec gives it (男, 学生: what the create request sends) and text back from a
//!   code, and lists item by item. A value the spec gives no text for (a gender 未知) is never
//!   sent: an optional field is left out, a required one is sent empty and refused by
//!   validation, and reading its code into text is an error. Anything else is a compile error at the field's type saying what is
//!   expected and how to convert.
//! - Some WeCard fields mean different things on the two sides: `gender` and `identity_type` are
//!   text in the create request but codes in a member (a `String` field works both ways, through
//!   the code's text; so does a `Gender` / `IdentityClass` field); `organization` is a
//!   path of names when sent but a list of org ids when read, so a `String` field needs
//!   `write_only` (or a `Vec<i64>` field reads the ids, and is then not sent).
//! - A WeCard field only the member has (`role`, `bind_status`) is read but never sent; one
//!   only the create request has (`qq`, `remark`) is sent, and its field must be an `Option`
//!   (read back as `None`) or `write_only`.
//!
//! # Compile errors
//!
//! Each at the token to change: an unknown WeCard field (with "did you mean"), the create
//! request's required fields left unmapped (one error at the struct's name, listing them all), a
//! WeCard field mapped twice (with a second error at the first mapping), an unknown or malformed
//! attribute, a constant that every instance would send in vain (at the literal), a field type
//! that does not convert (at the type), and the derive on an enum, a tuple struct or a union.
//! When no generated module is at the `crate = …` path (or at `crate::wecard`), the one error is
//! rustc's unresolved import, at that path in the attribute (at the derive for the default):
//! fix the path, or include the generated module there. On any error the derive still emits a fallback impl, so code using
//! the struct reports nothing more.

mod expand;

use proc_macro::TokenStream;

/// The variable through which the consuming crate's build script (`wecard_codegen::Builder`)
/// names the field table of its spec.
const USER_FIELDS_ENV: &str = "WECARD_USER_FIELDS";

/// The WeCard user's fields of the consuming crate's spec.
fn table() -> Result<expand::Table, String> {
    let Some(path) = std::env::var_os(USER_FIELDS_ENV) else {
        return Err(format!(
            "`#[derive(WecardUser)]` found no WeCard field table: generate the module in this crate's \
             build script with `wecard_codegen::Builder::new(\"spec/wecard.yaml\").generate()`, which \
             tells the derive (through `{USER_FIELDS_ENV}`) where the spec's user fields are; the \
             spec needs a `user:` section"
        ));
    };
    let text = std::fs::read_to_string(&path).map_err(|error| {
        format!(
            "cannot read the WeCard field table `{}` ({error}): rebuild so that the build script writes it again",
            std::path::Path::new(&path).display()
        )
    })?;
    expand::Table::parse(&text)
}

/// Implements the generated `WecardUser` trait for a struct with named fields; see the
/// [crate documentation](crate) for the `#[wecard(...)]` attributes.
#[proc_macro_derive(WecardUser, attributes(wecard))]
pub fn derive_wecard_user(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    match table() {
        Ok(table) => expand::expand(&input, &table).into(),
        Err(message) => syn::Error::new(input.ident.span(), message)
            .to_compile_error()
            .into(),
    }
}
