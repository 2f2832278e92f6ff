//! What each endpoint does with a request that passed the token, grant and validation checks:
//! one [`Handler`] impl per generated request type, reading and writing the school's data and
//! answering with the generated reply type.
//!
//! Decisions where the sources are silent:
//! - Pages are 1-based; `page_size` defaults to 100 for the org list and org users, and to 1000
//!   (the documented default) for update records. A page past the end is empty, with `total`.
//! - `get_users_by_card_numbers` and `get_orgs_by_ids` answer the records that exist, in the
//!   order asked, and leave out unknown ones (errcode 0). `search_users` answers an empty list
//!   when nothing matches. Only `get_wxwork_user_id`, which names one member, answers 40007 for
//!   an unknown card number; `batch_delete_users` lists unknown card numbers in `failed_list`.
//! - `list_org_users` with an `org_id` that does not exist answers 40010; `fetch_child` defaults
//!   to 0 (direct members only); `org_id` 0 is the whole school whatever `fetch_child` says.
//! - `list_update_records`: a missing `range_start` is 00:00:00 of `range_end`'s day (today when
//!   both are missing); a missing `range_end` is now when `range_start` is today, else 23:59:59 of
//!   its day. Bounds are inclusive; different days or a start after the end answer 40010.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::clock;
use super::config::{AppConfig, DriftConfig};
use super::error::ApiError;
use super::store::School;
use crate::wecard::{
    BatchDeleteUsersRequest, BatchDeleteUsersResponse, CreateUserRequest, CreateUserResponse,
    DateTime, Endpoint, ErrorCode, FailedDeletion, GetOrgsByIdsRequest, GetOrgsByIdsResponse,
    GetSchoolInfoRequest, GetSchoolInfoResponse, GetUsersByCardNumbersRequest,
    GetUsersByCardNumbersResponse, GetWxworkUserIdRequest, GetWxworkUserIdResponse, IdentityClass,
    ListIdentityTypesRequest, ListIdentityTypesResponse, ListOrgTypesRequest, ListOrgTypesResponse,
    ListOrgUsersRequest, ListOrgUsersResponse, ListOrgsRequest, ListOrgsResponse,
    ListUpdateRecordsRequest, ListUpdateRecordsResponse, Member, SearchUsersRequest,
    SearchUsersResponse, ValidationErrors,
};

/// Default page size of the org list and org users (undocumented).
pub const DEFAULT_PAGE_SIZE: i64 = 100;
/// Default (and largest) page size of update records (TC-87729).
pub const UPDATE_RECORDS_PAGE_SIZE: i64 = 1000;

/// What a handler may see: the caller's school, the caller's app, and the time.
pub struct Ctx<'a> {
    /// The school the token was issued for.
    pub school: &'a mut School,
    /// The app the token was issued to.
    pub app: &'a AppConfig,
    /// Now, by the sandbox clock.
    pub now: Option<DateTime>,
    /// What to send beyond the spec.
    pub drift: &'a DriftConfig,
}

impl Ctx<'_> {
    /// The member as this app may see it: 需申请 fields it was not granted are left out.
    fn visible(&self, member: &Member) -> Result<Member, ApiError> {
        let mut member = visible_to(self.app, member)?;
        if let Some((name, value)) = &self.drift.member_field {
            member.unknown_fields.insert(name.clone(), value.clone());
        }
        if let Some(code) = self.drift.identity_code {
            member.identity_type = Some(IdentityClass::from_code(code));
        }
        Ok(member)
    }

    fn visible_all<'m>(
        &self,
        members: impl IntoIterator<Item = &'m Member>,
    ) -> Result<Vec<Member>, ApiError> {
        members
            .into_iter()
            .map(|member| self.visible(member))
            .collect()
    }

    fn now(&self) -> Result<DateTime, ApiError> {
        self.now
            .ok_or_else(|| internal("the sandbox clock is out of range"))
    }
}

/// The member as `app` may see it (in replies and in pushes): 需申请 fields it was not granted
/// are left out.
///
/// # Errors
///
/// Only if the generated member type cannot round-trip through JSON (an internal error).
pub fn visible_to(app: &AppConfig, member: &Member) -> Result<Member, ApiError> {
    if Member::NEEDS_GRANT
        .iter()
        .all(|field| app.fields.allows(field))
    {
        return Ok(member.clone());
    }
    let Value::Object(mut fields) = serde_json::to_value(member).map_err(internal)? else {
        return Err(internal("a member is not an object"));
    };
    fields
        .retain(|name, _| !Member::NEEDS_GRANT.contains(&name.as_str()) || app.fields.allows(name));
    serde_json::from_value(Value::Object(fields)).map_err(internal)
}

fn internal(detail: impl std::fmt::Display) -> ApiError {
    ApiError {
        code: ErrorCode::Unknown(-1),
        message: format!("sandbox internal error: {detail}"),
    }
}

/// A request type the sandbox answers.
pub trait Handler: Endpoint + DeserializeOwned {
    /// The generated validation, at the default level.
    ///
    /// # Errors
    ///
    /// Every broken rule.
    fn check(&self) -> Result<(), ValidationErrors>;

    /// Answers the request.
    ///
    /// # Errors
    ///
    /// The refusal to send instead.
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Self::Response, ApiError>;
}

macro_rules! check_with_validate {
    () => {
        fn check(&self) -> Result<(), ValidationErrors> {
            self.validate()
        }
    };
}

fn ok() -> Option<String> {
    Some("ok".to_string())
}

/// The items of 1-based page `page` of `page_size`.
fn page_of<T: Clone>(items: &[T], page: i64, page_size: i64) -> Vec<T> {
    let skip = page.saturating_sub(1).saturating_mul(page_size);
    let skip = usize::try_from(skip).unwrap_or(usize::MAX);
    let take = usize::try_from(page_size).unwrap_or(0);
    items.iter().skip(skip).take(take).cloned().collect()
}

fn count(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX)
}

impl Handler for GetSchoolInfoRequest {
    check_with_validate!();

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<GetSchoolInfoResponse, ApiError> {
        let config = &ctx.school.config;
        Ok(GetSchoolInfoResponse {
            errcode: 0,
            errmsg: ok(),
            name: Some(config.name.clone()),
            badge: config.badge.clone(),
            manage_logo: config.manage_logo.clone(),
            local_host: config.local_host.clone(),
            local_deploy: Some(config.local_deploy),
            gate_host: config.gate_host.clone(),
            unknown_fields: Map::new(),
        })
    }
}

impl Handler for ListOrgsRequest {
    check_with_validate!();

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ListOrgsResponse, ApiError> {
        let page = self.page.unwrap_or(1);
        let page_size = self.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        let orgs: Vec<_> = ctx.school.orgs().cloned().collect();
        Ok(ListOrgsResponse {
            errcode: 0,
            errmsg: ok(),
            page: Some(page),
            page_size: Some(page_size),
            total: count(orgs.len()),
            organization: Some(page_of(&orgs, page, page_size)),
            unknown_fields: Map::new(),
        })
    }
}

impl Handler for ListOrgTypesRequest {
    check_with_validate!();

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ListOrgTypesResponse, ApiError> {
        Ok(ListOrgTypesResponse {
            errcode: 0,
            errmsg: ok(),
            types: Some(ctx.school.org_types.clone()),
            unknown_fields: Map::new(),
        })
    }
}

impl Handler for GetOrgsByIdsRequest {
    check_with_validate!();

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<GetOrgsByIdsResponse, ApiError> {
        let mut seen = Vec::new();
        let mut organization = Vec::new();
        for id in self.org_ids {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            if let Some(org) = ctx.school.org(id) {
                let mut org = org.clone();
                org.full_name = ctx.school.full_name(id);
                organization.push(org);
            }
        }
        Ok(GetOrgsByIdsResponse {
            errcode: 0,
            errmsg: ok(),
            organization: Some(organization),
            unknown_fields: Map::new(),
        })
    }
}

impl Handler for ListOrgUsersRequest {
    check_with_validate!();

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ListOrgUsersResponse, ApiError> {
        if self.org_id != 0 && ctx.school.org(self.org_id).is_none() {
            return Err(ApiError::invalid(format!(
                "org_id {} does not exist",
                self.org_id
            )));
        }
        let page = self.page.unwrap_or(1);
        let page_size = self.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        let members = ctx
            .school
            .members_of(self.org_id, self.fetch_child == Some(1));
        let total = count(members.len());
        let userlist = ctx.visible_all(page_of(&members, page, page_size))?;
        Ok(ListOrgUsersResponse {
            errcode: 0,
            errmsg: ok(),
            page: Some(page),
            page_size: Some(page_size),
            total,
            userlist: Some(userlist),
            unknown_fields: Map::new(),
        })
    }
}

impl Handler for GetUsersByCardNumbersRequest {
    check_with_validate!();

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<GetUsersByCardNumbersResponse, ApiError> {
        let mut seen: Vec<&str> = Vec::new();
        let mut members = Vec::new();
        for card_number in &self.card_numbers {
            if seen.contains(&card_number.as_str()) {
                continue;
            }
            seen.push(card_number);
            if let Some(user) = ctx.school.user(card_number) {
                members.push(&user.member);
            }
        }
        Ok(GetUsersByCardNumbersResponse {
            errcode: 0,
            errmsg: ok(),
            userlist: Some(ctx.visible_all(members)?),
            unknown_fields: Map::new(),
        })
    }
}

impl Handler for ListIdentityTypesRequest {
    check_with_validate!();

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ListIdentityTypesResponse, ApiError> {
        Ok(ListIdentityTypesResponse {
            errcode: 0,
            errmsg: ok(),
            list: Some(ctx.school.identity_types.clone()),
            unknown_fields: Map::new(),
        })
    }
}

impl Handler for SearchUsersRequest {
    check_with_validate!();

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<SearchUsersResponse, ApiError> {
        let found = ctx.school.search(self.keywords.trim());
        Ok(SearchUsersResponse {
            errcode: 0,
            errmsg: ok(),
            userlist: Some(ctx.visible_all(found)?),
            unknown_fields: Map::new(),
        })
    }
}

impl Handler for CreateUserRequest {
    check_with_validate!();

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<CreateUserResponse, ApiError> {
        let now = ctx.now;
        ctx.school
            .upsert_user(self, now)
            .map_err(ApiError::invalid)?;
        Ok(CreateUserResponse {
            errcode: 0,
            errmsg: ok(),
            unknown_fields: Map::new(),
        })
    }
}

impl Handler for BatchDeleteUsersRequest {
    check_with_validate!();

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<BatchDeleteUsersResponse, ApiError> {
        let now = ctx.now;
        let mut failed = Vec::new();
        for card_number in self.card_numbers {
            if !ctx.school.delete_user(&card_number, now) {
                failed.push(FailedDeletion {
                    card_number,
                    reason: ErrorCode::CardNumberNotFound
                        .description()
                        .map(str::to_string),
                    unknown_fields: Map::new(),
                });
            }
        }
        Ok(BatchDeleteUsersResponse {
            errcode: 0,
            errmsg: ok(),
            failed_list: Some(failed),
            unknown_fields: Map::new(),
        })
    }
}

impl Handler for ListUpdateRecordsRequest {
    check_with_validate!();

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ListUpdateRecordsResponse, ApiError> {
        let now = ctx.now()?;
        let (start, end) = match (self.range_start, self.range_end) {
            (Some(start), Some(end)) => (start, end),
            (None, Some(end)) => (clock::start_of_day(end), end),
            (Some(start), None) if clock::same_day(start, now) => (start, now),
            (Some(start), None) => (start, clock::end_of_day(start)),
            (None, None) => (clock::start_of_day(now), now),
        };
        if !clock::same_day(start, end) {
            return Err(ApiError::invalid(
                "range_start and range_end must fall on the same day",
            ));
        }
        if start > end {
            return Err(ApiError::invalid("range_start is after range_end"));
        }
        let page = self.page.unwrap_or(1);
        let page_size = self.page_size.unwrap_or(UPDATE_RECORDS_PAGE_SIZE);
        let records: Vec<_> = ctx
            .school
            .journal()
            .iter()
            .filter(|record| record.created_at.is_some_and(|at| start <= at && at <= end))
            .cloned()
            .collect();
        Ok(ListUpdateRecordsResponse {
            errcode: 0,
            errmsg: ok(),
            page: Some(page),
            page_size: Some(page_size),
            range_start: Some(start),
            range_end: Some(end),
            total: count(records.len()),
            list: Some(page_of(&records, page, page_size)),
            unknown_fields: Map::new(),
        })
    }
}

impl Handler for GetWxworkUserIdRequest {
    check_with_validate!();

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<GetWxworkUserIdResponse, ApiError> {
        let user = ctx.school.user(&self.card_number).ok_or_else(|| {
            ApiError::new(
                ErrorCode::CardNumberNotFound,
                format!("no member has card number {}", self.card_number),
            )
        })?;
        Ok(GetWxworkUserIdResponse {
            errcode: 0,
            errmsg: ok(),
            userid: user.wxwork_userid.clone(),
            unknown_fields: Map::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::page_of;

    #[test]
    fn pages_cover_every_item_once() {
        let items: Vec<i32> = (0..23).collect();
        for size in [1, 7, 23, 100] {
            let pages = (23 + size - 1) / size;
            let all: Vec<i32> = (1..=pages)
                .flat_map(|page| page_of(&items, page, size))
                .collect();
            assert_eq!(all, items);
            assert!(page_of(&items, pages + 1, size).is_empty());
        }
    }
}
