//! The OpenAPI export: the bundled spec and the fixtures export to documents that OpenAPI
//! parsers accept (3.1 with `oas3`, 3.0.3 with `openapiv3`) and whose schemas are valid JSON
//! Schema; every example of the spec validates against its exported schema; every rule kind is
//! enforced (a breaking value fails); the 3.0 and 3.1 dialects differ where they must.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

use std::path::Path;

use serde_json::{Value, json};
use wecard_codegen::Model;
use wecard_codegen::emit::openapi::{Export, OpenApiVersion, export};
use wecard_codegen::model::Field;

const FIXTURES: [&str; 3] = [
    "spec/wecard.yaml",
    "tests/fixtures/naming.yaml",
    "wecard-codegen/tests/fixtures/docs_attack.yaml",
];

/// Loads a spec from a path relative to the workspace root, under that relative name.
fn load(relative: &str) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    let text = std::fs::read_to_string(&path).expect("read the spec");
    match wecard_codegen::load_str(relative, &text) {
        Ok(model) => model,
        Err(diagnostics) => panic!("{relative} does not load:\n{diagnostics}"),
    }
}

fn load_text(text: &str) -> Model {
    match wecard_codegen::load_str("inline.yaml", text) {
        Ok(model) => model,
        Err(diagnostics) => panic!("the inline spec does not load:\n{diagnostics}"),
    }
}

/// A validator for the schema at `pointer` (`/components/schemas/Member/properties/name`) of a
/// 3.1 document, with every `$ref` of the document resolvable.
fn validator(document: &Value, pointer: &str) -> jsonschema::Validator {
    let mut root = document.clone();
    root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    root["$ref"] = json!(format!("#{pointer}"));
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|error| panic!("the schema at {pointer} does not compile: {error}"))
}

/// Every `$ref` in `value`, with the JSON pointer where it appears.
fn references(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "$ref"
                    && let Value::String(target) = child
                {
                    out.push((at.to_owned(), target.clone()));
                }
                let escaped = key.replace('~', "~0").replace('/', "~1");
                references(child, &format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                references(child, &format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// Whether any object in `value` has the key `key` (extensions and examples are not searched).
fn has_key(value: &Value, key: &str) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(name, child)| {
            name == key
                || (!name.starts_with("x-")
                    && name != "example"
                    && name != "examples"
                    && name != "default"
                    && has_key(child, key))
        }),
        Value::Array(items) => items.iter().any(|child| has_key(child, key)),
        _ => false,
    }
}

fn has_type_array(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(name, child)| {
            (name == "type" && child.is_array())
                || (!name.starts_with("x-") && has_type_array(child))
        }),
        Value::Array(items) => items.iter().any(has_type_array),
        _ => false,
    }
}

#[test]
fn exports_parse_as_openapi_3_1_with_valid_schemas() {
    for relative in FIXTURES {
        let model = load(relative);
        let document = export(&model, OpenApiVersion::V3_1);
        assert_eq!(document["openapi"], "3.1.0");
        let text = serde_json::to_string(&document).unwrap();
        let spec = oas3::from_json(&text)
            .unwrap_or_else(|error| panic!("{relative}: not OpenAPI 3.1: {error}"));
        spec.validate_version().expect("a 3.1 version");
        for endpoint in model.endpoints() {
            let operation = spec
                .operation_by_id(endpoint.id())
                .unwrap_or_else(|| panic!("{relative}: no operation {}", endpoint.id()));
            assert_eq!(operation.summary.as_deref(), Some(endpoint.summary()));
            let method = endpoint.method().as_str().to_ascii_lowercase();
            assert!(
                document["paths"][endpoint.path()][&method].is_object(),
                "{relative}: {} is not at {method} {}",
                endpoint.id(),
                endpoint.path()
            );
        }
        if let Some(events) = model.events() {
            let hooks = document["webhooks"].as_object().expect("webhooks in 3.1");
            assert_eq!(
                hooks.len(),
                events.list().len(),
                "{relative}: a webhook per event"
            );
            for event in events.list() {
                let post = &hooks[event.code()]["post"];
                let body = &post["requestBody"]["content"]["application/json"]["schema"];
                assert_eq!(body["properties"]["event"]["const"], event.code());
                assert_eq!(
                    post["x-wecard-payload"]["$ref"].as_str(),
                    event
                        .payload()
                        .map(|record| format!("#/components/schemas/{record}"))
                        .as_deref()
                );
                for schema in [
                    body,
                    &post["responses"]["200"]["content"]["application/json"]["schema"],
                ] {
                    let mut draft = schema.clone();
                    draft["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
                    jsonschema::meta::validate(&draft).expect("webhook schemas are JSON Schema");
                }
            }
        }
        let schemas = document["components"]["schemas"].as_object().unwrap();
        for (name, schema) in schemas {
            let mut draft = schema.clone();
            draft["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
            if let Err(error) = jsonschema::meta::validate(&draft) {
                panic!("{relative}: components.schemas.{name} is not JSON Schema: {error}");
            }
        }
        let mut refs = Vec::new();
        references(&document, "", &mut refs);
        assert!(!refs.is_empty());
        for (at, target) in refs {
            let pointer = target.trim_start_matches('#');
            assert!(
                document.pointer(pointer).is_some(),
                "{relative}: {at} points at {target}, which does not exist"
            );
        }
        assert!(
            !has_key(&document, "nullable"),
            "{relative}: 3.1 has no nullable"
        );
        assert!(
            !has_key(&document, "example"),
            "{relative}: 3.1 uses examples"
        );
    }
}

#[test]
fn exports_parse_as_openapi_3_0_3() {
    for relative in FIXTURES {
        let model = load(relative);
        let document = Export::new(&model).version(OpenApiVersion::V3_0).to_value();
        assert_eq!(document["openapi"], "3.0.3");
        assert!(document.get("webhooks").is_none(), "3.0 has no webhooks");
        let spec: openapiv3::OpenAPI = serde_json::from_value(document.clone())
            .unwrap_or_else(|error| panic!("{relative}: not OpenAPI 3.0: {error}"));
        let operations: Vec<_> = spec.operations().collect();
        assert_eq!(operations.len(), model.endpoints().len(), "{relative}");
        for endpoint in model.endpoints() {
            assert!(
                operations
                    .iter()
                    .any(|(_, _, op)| op.operation_id.as_deref() == Some(endpoint.id())),
                "{relative}: no operation {}",
                endpoint.id()
            );
        }
        let components = spec.components.expect("components");
        assert_eq!(
            components.schemas.len(),
            document["components"]["schemas"].as_object().unwrap().len()
        );
        assert!(
            !has_type_array(&document),
            "{relative}: 3.0 has no type arrays"
        );
        assert!(
            !has_key(&document, "examples"),
            "{relative}: 3.0 uses example"
        );
        assert!(!has_key(&document, "if"), "{relative}: 3.0 has no if/then");
        // A $ref has no siblings in 3.0: they would be ignored.
        let mut refs = Vec::new();
        references(&document, "", &mut refs);
        for (at, _) in refs {
            let holder = document.pointer(&at).unwrap();
            assert_eq!(holder.as_object().unwrap().len(), 1, "{relative}: {at}");
        }
    }
}

/// Every field of the model with the JSON pointer of its exported schema.
fn fields_with_pointers(model: &Model) -> Vec<(String, &Field)> {
    fn push<'a>(out: &mut Vec<(String, &'a Field)>, schema: &str, fields: &'a [Field]) {
        for field in fields {
            let pointer = format!(
                "/components/schemas/{schema}/properties/{}",
                field.wire_name()
            );
            out.push((pointer, field));
        }
    }
    let mut out = Vec::new();
    for record in model.records() {
        push(&mut out, record.name(), record.fields());
    }
    for endpoint in model.endpoints() {
        let request = endpoint.request();
        let response = endpoint.response();
        push(&mut out, request.type_name(), request.fields());
        push(&mut out, response.type_name(), response.fields());
        if endpoint.envelope() {
            push(&mut out, response.type_name(), model.api().envelope());
        }
    }
    out
}

#[test]
fn every_example_validates_against_its_exported_schema() {
    for relative in FIXTURES {
        let model = load(relative);
        let document = export(&model, OpenApiVersion::V3_1);
        let mut checked = 0;
        for (pointer, field) in fields_with_pointers(&model) {
            let exported = document.pointer(&pointer).unwrap_or_else(|| {
                panic!("{relative}: no schema at {pointer}");
            });
            let Some(example) = field.example() else {
                continue;
            };
            assert_eq!(
                exported["examples"],
                json!([example]),
                "{relative}: {pointer}"
            );
            let validator = validator(&document, &pointer);
            let errors: Vec<String> = validator
                .iter_errors(example)
                .map(|error| error.to_string())
                .collect();
            assert!(
                errors.is_empty(),
                "{relative}: example {example} of {pointer} fails: {errors:?}"
            );
            checked += 1;
        }
        if relative == "spec/wecard.yaml" {
            assert!(checked > 50, "only {checked} examples checked");
        }
    }
}

/// A spec whose one request has a field for each rule kind and each wire form.
const RULES_SPEC: &str = r#"
wecard_spec: 1
api:
  name: Rules
  base_url: https://example.invalid
  method: POST
  content_type: application/json
  token_param: access_token
  envelope:
    - {name: errcode, type: int, required: true, description: 状态码}
    - {name: errmsg, type: string, description: 信息}
enums:
  - name: Kind
    description: 种类
    repr: int
    values:
      - {value: 1, name: first, description: 一}
      - {value: 2, name: second, description: 二}
      - {value: 3, name: third, description: 三}
records:
  - name: Thing
    description: 东西
    fields:
      - {name: label, type: string, required: true, description: 标签}
      - {name: maybe, type: string, nullable: true, description: 可空}
endpoints:
  - id: rules
    summary: 规则
    path: /rules
    token: body
    request:
      fields:
        - {name: code, type: string, description: 代码, rules: [{length: {min: 2, max: 4}}]}
        - {name: count, type: int, description: 数量, rules: [{range: {min: 1, max: 10}}]}
        - {name: tags, type: list<string>, description: 标签, rules: [{items: {min: 1, max: 2}}, {length: {max: 3}}]}
        - {name: upper, type: string, description: 大写, rules: [{pattern: "[A-Z]{3}"}]}
        - {name: mail, type: string, description: 邮箱, rules: [{format: email}]}
        - {name: site, type: string, description: 网址, rules: [{format: url}]}
        - {name: level, type: int, description: 级别, rules: [{one_of: [0, 1]}]}
        - {name: color, type: string, description: 颜色, rules: [{one_of: [red, blue]}]}
        - {name: kind, type: Kind, description: 种类, rules: [{one_of: [1, 2]}]}
        - {name: year, type: int, wire: string, description: 年份, rules: [{range: {min: 2000}}]}
        - {name: mode, type: int, description: 模式}
        - {name: serial, type: string, description: 序号, rules: [{length: {max: 2}, when: {field: mode, equals: 1}}]}
        - {name: phone, type: string, description: 手机, rules: [{format: mobile_cn, level: strict}]}
        - {name: thing, type: Thing, nullable: true, description: 东西}
"#;

/// (field, a value that passes, values that break it).
fn rule_cases() -> Vec<(&'static str, Value, Vec<Value>)> {
    vec![
        ("code", json!("abc"), vec![json!("a"), json!("abcde")]),
        ("count", json!(5), vec![json!(0), json!(11), json!("5")]),
        (
            "tags",
            json!(["a", "bcd"]),
            vec![json!([]), json!(["a", "b", "c"]), json!(["abcd"])],
        ),
        (
            "upper",
            json!("ABC"),
            vec![json!("ABCD"), json!("abc"), json!("xABC")],
        ),
        (
            "mail",
            json!("a@example.com"),
            vec![json!("not an address")],
        ),
        (
            "site",
            json!("https://example.com/a"),
            vec![json!("not a url")],
        ),
        ("level", json!(1), vec![json!(2)]),
        ("color", json!("red"), vec![json!("green")]),
        ("kind", json!(2), vec![json!(3), json!(4)]),
        (
            "year",
            json!("2022"),
            vec![json!(1999), json!("20x2"), json!(true)],
        ),
        (
            "thing",
            json!({"label": "x", "maybe": null}),
            vec![json!({"maybe": "y"}), json!({"label": 1})],
        ),
    ]
}

#[test]
fn every_rule_kind_is_enforced_by_the_exported_schema() {
    let model = load_text(RULES_SPEC);
    let document = export(&model, OpenApiVersion::V3_1);
    for (field, good, bad) in rule_cases() {
        let pointer = format!("/components/schemas/RulesRequest/properties/{field}");
        let validator = validator(&document, &pointer);
        assert!(validator.is_valid(&good), "{field}: {good} should pass");
        for value in bad {
            assert!(!validator.is_valid(&value), "{field}: {value} should fail");
        }
    }
    // Wire forms: `year` is written as a string but the int example form is accepted too; the
    // nullable record accepts null.
    let year = validator(
        &document,
        "/components/schemas/RulesRequest/properties/year",
    );
    assert!(year.is_valid(&json!(2022)));
    let thing = validator(
        &document,
        "/components/schemas/RulesRequest/properties/thing",
    );
    assert!(thing.is_valid(&json!(null)));
    // Nullable scalars take null, other fields do not.
    let maybe = validator(&document, "/components/schemas/Thing/properties/maybe");
    assert!(maybe.is_valid(&json!(null)));
    let label = validator(&document, "/components/schemas/Thing/properties/label");
    assert!(!label.is_valid(&json!(null)));
}

#[test]
fn conditional_rules_apply_only_when_the_sibling_has_the_value() {
    let model = load_text(RULES_SPEC);
    let document = export(&model, OpenApiVersion::V3_1);
    let request = validator(&document, "/components/schemas/RulesRequest");
    let base = json!({"access_token": "t"});
    let with = |pairs: Value| {
        let mut value = base.clone();
        value
            .as_object_mut()
            .unwrap()
            .extend(pairs.as_object().unwrap().clone());
        value
    };
    assert!(request.is_valid(&with(json!({"mode": 1, "serial": "12"}))));
    assert!(!request.is_valid(&with(json!({"mode": 1, "serial": "123"}))));
    assert!(request.is_valid(&with(json!({"mode": 2, "serial": "123"}))));
    assert!(request.is_valid(&with(json!({"serial": "123"}))));
    // The body token is required.
    assert!(!request.is_valid(&json!({"mode": 2})));
    // In 3.0 the condition is documented, not enforced.
    let document = export(&model, OpenApiVersion::V3_0);
    let serial = &document["components"]["schemas"]["RulesRequest"]["properties"]["serial"];
    assert_eq!(
        serial["x-wecard-rules"],
        json!([{"length": {"max": 2}, "level": "default", "when": {"field": "mode", "equals": 1}}])
    );
}

#[test]
fn strict_rules_are_documented_not_enforced() {
    let model = load_text(RULES_SPEC);
    let document = export(&model, OpenApiVersion::V3_1);
    let pointer = "/components/schemas/RulesRequest/properties/phone";
    let phone = document.pointer(pointer).unwrap();
    assert_eq!(
        phone["x-wecard-rules"],
        json!([{"format": "mobile_cn", "level": "strict"}])
    );
    assert!(validator(&document, pointer).is_valid(&json!("137***8")));
}

#[test]
fn extensions_carry_what_openapi_cannot_say() {
    let model = load("spec/wecard.yaml");
    let document = export(&model, OpenApiVersion::V3_1);
    let schemas = &document["components"]["schemas"];
    // 需申请 fields.
    let member = model.record("Member").unwrap();
    let granted: Vec<&str> = member.grant_fields().collect();
    assert!(!granted.is_empty());
    for name in &granted {
        assert_eq!(
            schemas["Member"]["properties"][name]["x-wecard-needs-grant"],
            true
        );
    }
    let ungranted = member.fields().iter().find(|f| !f.needs_grant()).unwrap();
    assert!(
        schemas["Member"]["properties"][ungranted.wire_name()]
            .get("x-wecard-needs-grant")
            .is_none()
    );
    // Wire form and leniency.
    let year = &schemas["CreateUserRequest"]["properties"]["register_year"];
    assert_eq!(year["x-wecard-wire"], "string");
    assert_eq!(year["x-wecard-lenient"], true);
    // Enum names and descriptions, in the spec's order and words.
    let gender = model.enum_named("Gender").unwrap();
    let exported = &schemas["Gender"];
    let descriptions: Vec<&str> = gender.values().iter().map(|v| v.description()).collect();
    assert_eq!(exported["x-enum-descriptions"], json!(descriptions));
    assert_eq!(exported["description"], gender.description());
    // The error-code table.
    let codes: Vec<i64> = model.error_codes().iter().map(|c| c.code()).collect();
    assert_eq!(schemas["ErrorCode"]["enum"], json!(codes));
}

#[test]
fn operations_place_token_body_and_envelope_as_the_spec_says() {
    let model = load("spec/wecard.yaml");
    let document = export(&model, OpenApiVersion::V3_1);
    let scheme = &document["components"]["securitySchemes"]["access_token"];
    assert_eq!(
        scheme,
        &json!({"type": "apiKey", "in": "query", "name": "access_token", "description": "The access token, in the query."})
    );
    let schemas = &document["components"]["schemas"];
    for endpoint in model.endpoints() {
        let method = endpoint.method().as_str().to_ascii_lowercase();
        let operation = &document["paths"][endpoint.path()][&method];
        assert_eq!(operation["operationId"], endpoint.id());
        let security = &operation["security"];
        let request = &schemas[endpoint.request().type_name()];
        let response = &schemas[endpoint.response().type_name()];
        match endpoint.token() {
            wecard_codegen::spec::TokenPlacement::Query => {
                assert_eq!(
                    security,
                    &json!([{"access_token": []}]),
                    "{}",
                    endpoint.id()
                );
                assert!(request["properties"].get("access_token").is_none());
            }
            wecard_codegen::spec::TokenPlacement::Body => {
                assert_eq!(security, &json!([]), "{}", endpoint.id());
                assert_eq!(request["properties"]["access_token"]["type"], "string");
                assert_eq!(request["required"][0], "access_token");
            }
            wecard_codegen::spec::TokenPlacement::None => {
                assert_eq!(security, &json!([]), "{}", endpoint.id());
            }
        }
        // The reply is the envelope (when the endpoint has one), then the payload, in order.
        let envelope = if endpoint.envelope() {
            model.api().envelope()
        } else {
            &[]
        };
        let mut expected: Vec<&str> = envelope
            .iter()
            .chain(endpoint.response().fields())
            .map(Field::wire_name)
            .collect();
        let mut properties: Vec<&str> = response["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        expected.sort_unstable();
        properties.sort_unstable();
        assert_eq!(properties, expected, "{}", endpoint.id());
        assert_eq!(
            operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            format!("#/components/schemas/{}", endpoint.response().type_name())
        );
    }
}

#[test]
fn get_requests_become_query_parameters() {
    let model = load("wecard-codegen/tests/fixtures/docs_attack.yaml");
    let document = export(&model, OpenApiVersion::V3_0);
    let get = model
        .endpoints()
        .iter()
        .find(|e| e.method() == wecard_codegen::spec::HttpMethod::Get)
        .unwrap();
    let operation = &document["paths"][get.path()]["get"];
    assert!(operation.get("requestBody").is_none());
    let names: Vec<&str> = operation["parameters"]
        .as_array()
        .map(|list| list.iter().map(|p| p["name"].as_str().unwrap()).collect())
        .unwrap_or_default();
    let fields: Vec<&str> = get
        .request()
        .fields()
        .iter()
        .map(Field::wire_name)
        .collect();
    assert_eq!(names, fields);
}

#[test]
fn export_is_deterministic_and_pinned() {
    let model = load("spec/wecard.yaml");
    let first = Export::new(&model).to_json();
    assert_eq!(first, Export::new(&model).to_json());
    assert!(first.ends_with('\n'));
    insta::assert_json_snapshot!("bundled_3_1", export(&model, OpenApiVersion::V3_1));
}
