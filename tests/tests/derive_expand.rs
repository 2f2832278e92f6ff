//! What `#[derive(WecardUser)]` expands to, pinned: the derive's implementation (the macro
//! crate's `expand` module, compiled here as plain code over `proc_macro2`) run on parsed
//! structs, with the field table built from the bundled spec exactly as the macro's build
//! script builds it, and the output formatted with prettyplease.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../wecard-macros/src/expand/mod.rs"]
mod expand;

use wecard_tests::workspace_root;

/// The field table of the bundled spec, named as the macro's build script names it.
fn table() -> expand::Table {
    let text = std::fs::read_to_string(workspace_root().join("spec/wecard.yaml")).expect("spec");
    let model =
        wecard_codegen::load_str("../spec/wecard.yaml", &text).unwrap_or_else(|d| panic!("{d}"));
    let user = model.user().expect("the bundled spec has `user:`");
    expand::Table::parse(&user.field_table()).expect("the table reads")
}

fn expanded(input: syn::DeriveInput) -> String {
    let tokens = expand::expand(&input, &table());
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses as items");
    prettyplease::unparse(&file)
}

#[test]
fn student_with_renames_constants_with_and_write_only() {
    let input: syn::DeriveInput = syn::parse_quote! {
        #[derive(WecardUser)]
        #[wecard(crate = generated_example::wecard, identity_type = "学生", identity_title = "本科生")]
        struct Student {
            #[wecard(card_number)]
            student_id: String,
            name: String,
            gender: Option<String>,
            #[wecard(write_only)]
            organization: String,
            #[wecard(rename = "class")]
            class_name: Option<String>,
            #[wecard(with = year)]
            register_year: Option<Year>,
            expire_at: Option<wecard::DateTime>,
            #[wecard(skip)]
            notes: Vec<String>,
        }
    };
    insta::assert_snapshot!("student", expanded(input));
}

#[test]
fn graduate_with_required_grant_fields_codes_and_member_only_fields() {
    let input: syn::DeriveInput = syn::parse_quote! {
        #[derive(WecardUser)]
        #[wecard(identity_title = "校友", card_type = 1)]
        struct Graduate<'a> {
            card_number: String,
            name: String,
            #[wecard(identity_type)]
            identity: IdentityClass,
            #[wecard(write_only)]
            organization: &'a str,
            college: String,
            gender: Option<String>,
            role: Option<Vec<u32>>,
        }
    };
    insta::assert_snapshot!("graduate", expanded(input));
}

#[test]
fn errors_come_with_a_fallback_impl_and_nothing_else() {
    let input: syn::DeriveInput = syn::parse_quote! {
        #[wecard(crate = generated_example::wecard)]
        struct Broken {
            #[wecard(card_numbr)]
            id: String,
            name: String,
        }
    };
    let code = expanded(input);
    assert!(code.contains("compile_error!"), "{code}");
    assert!(code.contains("unknown WeCard field `card_numbr`: did you mean `card_number`?"));
    // The unmapped required fields are not reported too: the broken mapping was meant for one.
    assert!(!code.contains("does not map"), "{code}");
    assert!(
        code.contains("use generated_example::wecard as __wecard_module"),
        "{code}"
    );
    assert!(
        code.contains("impl __wecard_module::WecardUser for Broken"),
        "{code}"
    );
    assert!(code.contains("unreachable!"));
}

#[test]
fn a_broken_crate_path_gets_no_fallback() {
    let input: syn::DeriveInput = syn::parse_quote! {
        #[wecard(crate = 5)]
        struct Broken {
            card_number: String,
        }
    };
    let code = expanded(input);
    assert!(code.contains("expected a path for `crate`"), "{code}");
    assert!(!code.contains("impl"), "{code}");
}

#[test]
fn the_table_refuses_what_it_does_not_understand() {
    assert!(expand::Table::parse("wecard-user-fields 2\n").is_err());
    let no_user =
        expand::Table::parse("wecard-user-fields 1\nsource\tx.yaml\n").expect_err("no user");
    assert!(
        no_user.contains("`x.yaml` has no `user:` section"),
        "{no_user}"
    );
    let bad = "wecard-user-fields 1\nrequest\tR\nmember\tM\nfield\ta\tr#self string r\t-\n";
    assert!(
        expand::Table::parse(bad).is_err(),
        "r#self is no identifier"
    );
    let bad = "wecard-user-fields 1\nrequest\tR\nmember\tM\nfield\ta\ta list<9x> r\t-\n";
    assert!(expand::Table::parse(bad).is_err(), "9x is no type name");
    let bad = "wecard-user-fields 1\nrequest\tCreate User\nmember\tM\n";
    assert!(
        expand::Table::parse(bad).is_err(),
        "a type name has no space"
    );
}
