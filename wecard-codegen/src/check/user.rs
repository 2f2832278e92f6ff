//! Checks on the `user:` section: it must name an endpoint that has a request and a record.

use crate::diagnostic::{Code, Ctxt, did_you_mean};
use crate::spec::{Spec, UserDef};

use super::Vocabulary;

/// Checks that `user.create` names an endpoint with request fields and `user.member` a record.
pub(super) fn check_user(spec: &Spec, vocabulary: &Vocabulary<'_>, cx: &mut Ctxt) {
    let Some(user) = &spec.user else {
        return;
    };
    check_create(spec, user, cx);
    check_member(user, vocabulary, cx);
}

fn check_create(spec: &Spec, user: &UserDef, cx: &mut Ctxt) {
    let create = &user.create;
    let Some(endpoint) = spec.endpoints.iter().find(|e| e.id.value == create.value) else {
        let ids = spec.endpoints.iter().map(|e| e.id.value.as_str());
        let help = match did_you_mean(&create.value, ids) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => {
                "give the id of the endpoint whose request creates a user, such as `create_user`"
                    .to_string()
            }
        };
        let diagnostic = cx
            .error(
                Code::InvalidValue,
                create.span,
                format!(
                    "`user.create` names `{}`, which is not an endpoint",
                    create.value
                ),
            )
            .label("no endpoint has this id")
            .help(help);
        cx.push(diagnostic);
        return;
    };
    let has_fields = endpoint
        .request
        .as_ref()
        .is_some_and(|request| !request.fields.is_empty());
    if !has_fields {
        let diagnostic = cx
            .error(
                Code::InvalidValue,
                create.span,
                format!(
                    "endpoint `{}` has no request fields, so it cannot create a user",
                    create.value
                ),
            )
            .label("expected an endpoint whose request describes a user")
            .note_at(endpoint.id.span, "the endpoint is defined here")
            .help("point `user.create` at the endpoint that creates users (its request lists the user's fields)");
        cx.push(diagnostic);
    }
}

fn check_member(user: &UserDef, vocabulary: &Vocabulary<'_>, cx: &mut Ctxt) {
    let member = &user.member;
    if vocabulary.records.contains_key(member.value.as_str()) {
        return;
    }
    let diagnostic = if vocabulary.enums.contains_key(member.value.as_str()) {
        cx.error(
            Code::WrongType,
            member.span,
            format!(
                "`user.member` names `{}`, which is an enum, not a record",
                member.value
            ),
        )
        .label("expected a record")
        .help("give the record that describes a user in replies, such as `Member`")
    } else {
        let help = match did_you_mean(&member.value, vocabulary.records.keys().copied()) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => {
                "give the record that describes a user in replies, such as `Member`".to_string()
            }
        };
        cx.error(
            Code::UndefinedType,
            member.span,
            format!(
                "`user.member` names `{}`, which is not a record",
                member.value
            ),
        )
        .label("no record has this name")
        .help(help)
    };
    cx.push(diagnostic);
}

#[cfg(test)]
mod tests {
    use crate::Diagnostics;

    const SPEC: &str = "wecard_spec: 1
api:
  name: 测试
  base_url: https://open.example.com
  method: POST
  content_type: application/json
  token_param: access_token
records:
  - name: Member
    description: 成员
    fields:
      - name: card_number
        type: string
        required: true
        description: 卡号
enums:
  - name: Gender
    description: 性别
    repr: int
    values:
      - value: 1
        name: male
        description: 男
user:
  create: CREATE
  member: MEMBER
endpoints:
  - id: create_user
    summary: 新增用户
    path: /user/create
    token: query
    request:
      fields:
        - name: card_number
          type: string
          required: true
          description: 卡号
  - id: ping
    summary: 探测
    path: /ping
    token: query
";

    fn problems(create: &str, member: &str) -> Vec<(String, Option<String>)> {
        let text = SPEC.replace("CREATE", create).replace("MEMBER", member);
        match crate::load_str("user.yaml", &text) {
            Ok(_) => Vec::new(),
            Err(diagnostics) => collect(&diagnostics),
        }
    }

    fn collect(diagnostics: &Diagnostics) -> Vec<(String, Option<String>)> {
        diagnostics
            .iter()
            .map(|d| (d.message().to_string(), d.help_text().map(str::to_string)))
            .collect()
    }

    #[test]
    fn a_valid_user_section_loads_and_resolves() {
        assert!(problems("create_user", "Member").is_empty());
        let text = SPEC
            .replace("CREATE", "create_user")
            .replace("MEMBER", "Member");
        let model = crate::load_str("user.yaml", &text).map_err(|d| d.to_string());
        let user = model.as_ref().ok().and_then(|m| m.user());
        assert_eq!(user.map(|u| u.endpoint().id()), Some("create_user"));
        assert_eq!(user.map(|u| u.member().name()), Some("Member"));
    }

    #[test]
    fn unknown_names_get_a_suggestion() {
        let found = problems("create_usr", "Membr");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0]
                .0
                .contains("`create_usr`, which is not an endpoint")
        );
        assert_eq!(found[0].1.as_deref(), Some("did you mean `create_user`?"));
        assert!(found[1].0.contains("`Membr`, which is not a record"));
        assert_eq!(found[1].1.as_deref(), Some("did you mean `Member`?"));
    }

    #[test]
    fn an_endpoint_without_request_and_an_enum_are_refused() {
        let found = problems("ping", "Gender");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].0.contains("`ping` has no request fields"));
        assert!(found[1].0.contains("which is an enum, not a record"));
    }
}
