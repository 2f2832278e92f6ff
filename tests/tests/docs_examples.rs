//! Every JSON example of the Markdown reference is one the generated types read and write back
//! unchanged: each endpoint page's request example deserializes into the endpoint's request type
//! and its reply example into the reply type, every key is a field the spec describes (none
//! lands among the unknown fields), and serializing gives the same JSON, so a value sent as a
//! string is shown as a string.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use generated_example::wecard;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wecard_codegen::Model;
use wecard_codegen::model::{Field, Type};
use wecard_tests::bundled_spec;

fn model() -> Model {
    wecard_codegen::load(bundled_spec()).unwrap_or_else(|d| panic!("{d}"))
}

/// The JSON blocks of a page, each with the heading it stands under.
fn json_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut heading = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.starts_with('#') {
            heading = line.trim_start_matches('#').trim().to_owned();
        }
        if let Some(fence) = line.strip_suffix("json")
            && fence.len() >= 3
            && fence.chars().all(|c| c == '`')
        {
            let mut body = String::new();
            for inner in lines.by_ref() {
                if inner == fence {
                    break;
                }
                body.push_str(inner);
                body.push('\n');
            }
            blocks.push((heading.clone(), body));
        }
    }
    blocks
}

/// Reads `value` as `T`, writes it back, and requires the same JSON.
fn round_trip<T: DeserializeOwned + Serialize>(what: &str, value: &Value) {
    let typed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|error| panic!("{what}: does not deserialize: {error}\n{value:#}"));
    let back = serde_json::to_value(&typed).expect("serialize");
    assert_eq!(&back, value, "{what}: serializes differently");
}

fn round_trip_for(id: &str, reply: bool, value: &Value) {
    let what = format!("{id} {}", if reply { "reply" } else { "request" });
    macro_rules! endpoints {
        ($($id:literal => $request:ident, $response:ident;)*) => {
            match id {
                $($id => if reply {
                    round_trip::<wecard::$response>(&what, value)
                } else {
                    round_trip::<wecard::$request>(&what, value)
                },)*
                other => panic!("{other}: an endpoint this test does not know; add it to the table"),
            }
        };
    }
    endpoints! {
        "get_token" => GetTokenRequest, GetTokenResponse;
        "get_school_info" => GetSchoolInfoRequest, GetSchoolInfoResponse;
        "list_orgs" => ListOrgsRequest, ListOrgsResponse;
        "list_org_types" => ListOrgTypesRequest, ListOrgTypesResponse;
        "get_orgs_by_ids" => GetOrgsByIdsRequest, GetOrgsByIdsResponse;
        "list_org_users" => ListOrgUsersRequest, ListOrgUsersResponse;
        "get_users_by_card_numbers" => GetUsersByCardNumbersRequest, GetUsersByCardNumbersResponse;
        "list_identity_types" => ListIdentityTypesRequest, ListIdentityTypesResponse;
        "search_users" => SearchUsersRequest, SearchUsersResponse;
        "create_user" => CreateUserRequest, CreateUserResponse;
        "batch_delete_users" => BatchDeleteUsersRequest, BatchDeleteUsersResponse;
        "list_update_records" => ListUpdateRecordsRequest, ListUpdateRecordsResponse;
        "get_wxwork_user_id" => GetWxworkUserIdRequest, GetWxworkUserIdResponse;
    }
}

/// Every key of `value` is one of `fields`, recursively into records: nothing is kept only
/// because the generated types keep unknown fields.
fn keys_are_described(model: &Model, what: &str, fields: &[Field], value: &Value) {
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("{what}: not an object"));
    for (key, inner) in object {
        let field = fields
            .iter()
            .find(|field| field.wire_name() == key)
            .unwrap_or_else(|| panic!("{what}: `{key}` is not a field of the spec"));
        if let Type::Record(name) = field.ty().item() {
            let record = model.record(name).expect("record");
            let items: Vec<&Value> = match inner {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for item in items {
                keys_are_described(model, &format!("{what}.{key}"), record.fields(), item);
            }
        }
    }
}

#[test]
fn every_json_example_reads_into_its_type_and_writes_back_the_same() {
    let model = model();
    let docs = wecard_codegen::emit::docs::render(&model);
    let token = model.api().token_param().to_owned();
    let mut seen: BTreeMap<(String, bool), usize> = BTreeMap::new();
    for (name, text) in &docs {
        for (heading, body) in json_blocks(text) {
            let id = name
                .strip_prefix("endpoints/")
                .and_then(|rest| rest.strip_suffix(".md"))
                .unwrap_or_else(|| panic!("{name}: a JSON block outside an endpoint page"));
            let endpoint = model.endpoint(id).expect("endpoint of the page");
            let reply = if heading.ends_with("Reply example") {
                true
            } else if heading.ends_with("Request example") {
                false
            } else {
                panic!("{name}: a JSON block under `{heading}`, neither example");
            };
            let mut value: Value = serde_json::from_str(&body)
                .unwrap_or_else(|error| panic!("{name}: not JSON: {error}\n{body}"));
            let what = format!("{name} ({heading})");
            let fields: Vec<Field> = if reply {
                let mut fields = Vec::new();
                if endpoint.envelope() {
                    fields.extend(model.api().envelope().iter().cloned());
                }
                fields.extend(endpoint.response().fields().iter().cloned());
                fields
            } else {
                if endpoint.token() == wecard_codegen::spec::TokenPlacement::Body {
                    let removed = value.as_object_mut().and_then(|o| o.remove(&token));
                    assert!(removed.is_some(), "{what}: the body token is shown");
                }
                endpoint.request().fields().to_vec()
            };
            keys_are_described(&model, &what, &fields, &value);
            round_trip_for(id, reply, &value);
            *seen.entry((id.to_owned(), reply)).or_default() += 1;
        }
    }
    for endpoint in model.endpoints() {
        for reply in [false, true] {
            assert_eq!(
                seen.get(&(endpoint.id().to_owned(), reply)),
                Some(&1),
                "{}: one {} example",
                endpoint.id(),
                if reply { "reply" } else { "request" }
            );
        }
    }
}

#[test]
fn values_sent_as_strings_are_shown_as_strings() {
    let docs = wecard_codegen::emit::docs::render(&model());
    let create = &docs["endpoints/create_user.md"];
    let request = &json_blocks(create)[0].1;
    let request: Value = serde_json::from_str(request).expect("json");
    assert_eq!(request["card_type"], Value::from("1"));
    assert_eq!(request["register_year"], Value::from("2022"));
    assert!(
        create.contains("| `card_type` |") && create.contains("| `\"1\"` |"),
        "the Example column shows the wire form too"
    );
    assert!(create.contains("| `\"2022\"` |"));
    let search = &docs["endpoints/search_users.md"];
    let reply: Value = serde_json::from_str(&json_blocks(search)[1].1).expect("json");
    assert_eq!(reply["userlist"][0]["identity_type"], Value::from("1"));
    assert_eq!(reply["userlist"][0]["gender"], Value::from(1));
}
