//! The in-memory data of every school: organisations, members, identity and org types, and the
//! journal of every member change. Everything is kept in generated types ([`Member`],
//! [`Organization`], [`UpdateRecord`]…), so replies are built from what is stored, as the spec
//! shapes it.
//!
//! Decisions where the sources are silent:
//! - `create_user` merges: a field absent from the request keeps its stored value (send `""` to
//!   blank a text field); server-owned fields (`start_at`, `serial_number`, the `*_status`
//!   fields, `role`) are set on first creation and kept.
//! - The request's `organization` path (`AA/BB/CC`) is resolved by name from the top of the tree;
//!   missing levels are created. The member's `organization` is the chain of ids from the top
//!   level down to the leaf (`[2, 222, 496]` in seed 001 reads like such a chain).
//! - The request's `identity_type` name is looked up among the school's identity types; an
//!   unknown name is classified 1 (其他). `gender` text 男/女 becomes 1/2, other text 0.
//! - `birthday` is derived from an 18-character `id_card` whose digits 7–14 are a real date.
//! - Every change (an organisation added, renamed or deleted; a member added, updated or deleted)
//!   also becomes a push event in the school's outbox ([`School::take_events`]), with the record
//!   as it is after the change (as it was, for a deletion). No endpoint renames or deletes
//!   organisations: [`School::rename_org`] and [`School::delete_org`] stand for the console.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::config::SchoolConfig;
use crate::wecard::{
    CreateUserRequest, DateTime, EntrustStatus, Event, Gender, IdentityClass, IdentityTypeInfo,
    Member, OrgType, Organization, UpdateRecord, UpdateType,
};
use wecard_runtime::formats;

/// The longest organisation chain followed (guards against a cycle seeded by hand).
const MAX_ORG_DEPTH: usize = 64;

/// One member as stored: the reply record, the merged create requests that made it, and its
/// WeCom user id.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoredUser {
    /// The member as replies show it to an app granted every field.
    pub member: Member,
    /// Every field ever sent for this member by `create_user`, merged (later values win).
    pub request: CreateUserRequest,
    /// The WeCom (企业微信) user id `get_wxwork_user_id` answers; `wx-<card number>` by default.
    pub wxwork_userid: Option<String>,
}

/// One school's data.
#[derive(Debug, Clone)]
pub struct School {
    /// What `get_school_info` answers.
    pub config: SchoolConfig,
    /// What `list_org_types` answers.
    pub org_types: Vec<OrgType>,
    /// What `list_identity_types` answers; also how `create_user` classifies identity names.
    pub identity_types: Vec<IdentityTypeInfo>,
    orgs: BTreeMap<i64, Organization>,
    next_org_id: i64,
    users: BTreeMap<String, StoredUser>,
    journal: Vec<UpdateRecord>,
    next_serial: u64,
    /// Push events for every change since the last [`School::take_events`], oldest first.
    outbox: Vec<Event>,
}

/// A school's organisations, members and journal, as saved between runs.
#[derive(serde::Serialize, serde::Deserialize)]
struct Snapshot {
    orgs: Vec<Organization>,
    next_org_id: i64,
    users: Vec<StoredUser>,
    journal: Vec<UpdateRecord>,
    next_serial: u64,
}

impl School {
    /// The school's organisations, members and update journal as JSON, for
    /// [`School::restore`].
    pub fn snapshot(&self) -> String {
        let snapshot = Snapshot {
            orgs: self.orgs.values().cloned().collect(),
            next_org_id: self.next_org_id,
            users: self.users.values().cloned().collect(),
            journal: self.journal.clone(),
            next_serial: self.next_serial,
        };
        serde_json::to_string(&snapshot).unwrap_or_default()
    }

    /// Replaces the school's organisations, members and journal with a [`School::snapshot`].
    ///
    /// # Errors
    ///
    /// When `json` is not a snapshot; the school is then unchanged.
    pub fn restore(&mut self, json: &str) -> Result<(), String> {
        let snapshot: Snapshot = serde_json::from_str(json).map_err(|error| error.to_string())?;
        self.orgs = snapshot.orgs.into_iter().map(|org| (org.id, org)).collect();
        self.next_org_id = snapshot.next_org_id;
        self.users = snapshot
            .users
            .into_iter()
            .map(|user| (user.member.card_number.clone(), user))
            .collect();
        self.journal = snapshot.journal;
        self.next_serial = snapshot.next_serial;
        // A restored state is where the school starts from, not a change to push.
        self.outbox.clear();
        Ok(())
    }

    /// A school with no organisations or members, and the default org and identity types.
    pub fn new(config: SchoolConfig) -> Self {
        let org_types = [(1, "学院"), (2, "系"), (3, "班级"), (4, "部门")]
            .into_iter()
            .map(|(id, name)| OrgType {
                id,
                name: name.to_string(),
                updated_at: None,
                unknown_fields: Map::new(),
            })
            .collect();
        let identity_types = [
            (1, "学生", IdentityClass::Student),
            (2, "教职工", IdentityClass::Staff),
            (3, "校友", IdentityClass::Alumnus),
            (4, "其他", IdentityClass::Other),
        ]
        .into_iter()
        .map(|(code, name, class)| IdentityTypeInfo {
            identity_type: code,
            name: Some(name.to_string()),
            classification: Some(class),
            classification_name: class.description().map(str::to_string),
            unknown_fields: Map::new(),
        })
        .collect();
        Self {
            config,
            org_types,
            identity_types,
            orgs: BTreeMap::new(),
            next_org_id: 1,
            users: BTreeMap::new(),
            journal: Vec::new(),
            next_serial: 1,
            outbox: Vec::new(),
        }
    }

    /// Every organisation, by id.
    pub fn orgs(&self) -> impl Iterator<Item = &Organization> {
        self.orgs.values()
    }

    /// One organisation.
    pub fn org(&self, id: i64) -> Option<&Organization> {
        self.orgs.get(&id)
    }

    /// Adds an organisation under `parent_id` (0: top level) and returns its id.
    pub fn add_org(&mut self, name: &str, parent_id: i64, now: Option<DateTime>) -> i64 {
        let id = self.next_org_id;
        self.next_org_id += 1;
        let org = Organization {
            id,
            name: name.to_string(),
            parent_id: Some(parent_id),
            updated_at: now,
            full_name: None,
            unknown_fields: Map::new(),
        };
        self.outbox.push(Event::AddOrg(org.clone()));
        self.orgs.insert(id, org);
        id
    }

    /// Renames an organisation; false if there is no such organisation. No endpoint of the API
    /// changes organisations: this is what a school's administrator does in WeCard's console.
    pub fn rename_org(&mut self, id: i64, name: &str, now: Option<DateTime>) -> bool {
        let Some(org) = self.orgs.get_mut(&id) else {
            return false;
        };
        org.name = name.to_string();
        org.updated_at = now;
        self.outbox.push(Event::UpdateOrg(org.clone()));
        true
    }

    /// Deletes an organisation that has no sub-organisations and no members.
    ///
    /// # Errors
    ///
    /// Why it cannot be deleted; nothing is changed then.
    pub fn delete_org(&mut self, id: i64) -> Result<(), String> {
        if !self.orgs.contains_key(&id) {
            return Err(format!("no organisation has id {id}"));
        }
        if self.orgs.values().any(|org| org.parent_id == Some(id)) {
            return Err(format!("organisation {id} has sub-organisations"));
        }
        if !self.members_of(id, false).is_empty() {
            return Err(format!("organisation {id} has members"));
        }
        if let Some(org) = self.orgs.remove(&id) {
            self.outbox.push(Event::DeleteOrg(org));
        }
        Ok(())
    }

    /// The push events of every change since the last call, oldest first.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.outbox)
    }

    /// The ids from the top level down to `id`, if `id` exists.
    pub fn org_chain(&self, id: i64) -> Option<Vec<i64>> {
        let mut chain = Vec::new();
        let mut at = id;
        while at != 0 && chain.len() < MAX_ORG_DEPTH {
            let org = self.orgs.get(&at)?;
            chain.push(at);
            at = org.parent_id.unwrap_or(0);
        }
        chain.reverse();
        Some(chain)
    }

    /// The `A/B` path of names of `id` (`full_name`).
    pub fn full_name(&self, id: i64) -> Option<String> {
        let chain = self.org_chain(id)?;
        let names: Vec<&str> = chain
            .iter()
            .filter_map(|id| self.orgs.get(id).map(|org| org.name.as_str()))
            .collect();
        Some(names.join("/"))
    }

    /// Resolves an `AA/BB/CC` path by name from the top level, creating missing levels; returns
    /// the chain of ids.
    pub fn ensure_org_path(&mut self, path: &str, now: Option<DateTime>) -> Vec<i64> {
        let mut parent = 0;
        let mut chain = Vec::new();
        for name in path
            .split('/')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            let found = self
                .orgs
                .values()
                .find(|org| org.parent_id.unwrap_or(0) == parent && org.name == name)
                .map(|org| org.id);
            parent = match found {
                Some(id) => id,
                None => self.add_org(name, parent, now),
            };
            chain.push(parent);
        }
        chain
    }

    /// One member.
    pub fn user(&self, card_number: &str) -> Option<&StoredUser> {
        self.users.get(card_number)
    }

    /// Sets the WeCom user id of a member; false if there is no such member.
    pub fn set_wxwork_userid(&mut self, card_number: &str, userid: Option<String>) -> bool {
        match self.users.get_mut(card_number) {
            Some(user) => {
                user.wxwork_userid = userid;
                true
            }
            None => false,
        }
    }

    /// Every member, by card number.
    pub fn users(&self) -> impl Iterator<Item = &StoredUser> {
        self.users.values()
    }

    /// The members of organisation `org_id` (0: the whole school), with those of its
    /// sub-organisations when `with_children`; by card number.
    pub fn members_of(&self, org_id: i64, with_children: bool) -> Vec<&Member> {
        self.users
            .values()
            .map(|user| &user.member)
            .filter(|member| {
                if org_id == 0 {
                    return true;
                }
                let chain = member.organization.as_deref().unwrap_or_default();
                if with_children {
                    chain.contains(&org_id)
                } else {
                    chain.last() == Some(&org_id)
                }
            })
            .collect()
    }

    /// The members whose card number or name is exactly `keywords`.
    pub fn search(&self, keywords: &str) -> Vec<&Member> {
        self.users
            .values()
            .map(|user| &user.member)
            .filter(|member| {
                member.card_number == keywords || member.name.as_deref() == Some(keywords)
            })
            .collect()
    }

    /// Every journal entry, oldest first.
    pub fn journal(&self) -> &[UpdateRecord] {
        &self.journal
    }

    /// Creates or updates a member (see the module's notes on merging) and journals it.
    ///
    /// # Errors
    ///
    /// A description of the field that cannot be stored (a type the spec gives differently on
    /// the request and reply sides); nothing is changed then.
    pub fn upsert_user(
        &mut self,
        request: CreateUserRequest,
        now: Option<DateTime>,
    ) -> Result<UpdateType, String> {
        let previous = self.users.get(&request.card_number).cloned();
        let merged: CreateUserRequest = match &previous {
            Some(previous) => overlay(&previous.request, &request)?,
            None => request,
        };
        let mut member = match &previous {
            Some(previous) => to_map(&previous.member)?,
            None => self.new_member_fields(now)?,
        };
        let incoming = to_map(&merged)?;
        for (key, value) in incoming {
            let special = matches!(key.as_str(), "identity_type" | "gender" | "organization");
            if !special && Member::FIELDS.contains(&key.as_str()) {
                member.insert(key, value);
            }
        }
        let class = self.classify(&merged.identity_type);
        member.insert(
            "identity_type".into(),
            Value::String(class.code().to_string()),
        );
        if let Some(gender) = &merged.gender {
            member.insert("gender".into(), Value::from(gender_code(gender).code()));
        }
        let chain = self.ensure_org_path(&merged.organization, now);
        member.insert("organization".into(), Value::from(chain));
        if let Some(birthday) = merged.id_card.as_deref().and_then(birthday_of) {
            member.insert("birthday".into(), Value::String(birthday));
        }
        let member: Member = serde_json::from_value(Value::Object(member))
            .map_err(|error| format!("cannot store the member: {error}"))?;
        let card_number = merged.card_number.clone();
        let kind = if previous.is_some() {
            UpdateType::UpdateUser
        } else {
            UpdateType::AddUser
        };
        let wxwork_userid = previous
            .map(|user| user.wxwork_userid.clone())
            .unwrap_or_else(|| Some(format!("wx-{card_number}")));
        self.outbox.push(match kind {
            UpdateType::UpdateUser => Event::UpdateUser(member.clone()),
            _ => Event::AddUser(member.clone()),
        });
        self.users.insert(
            card_number.clone(),
            StoredUser {
                member,
                request: merged,
                wxwork_userid,
            },
        );
        self.record(kind.clone(), card_number, now);
        Ok(kind)
    }

    /// Deletes a member and journals it; false if there is no such member.
    pub fn delete_user(&mut self, card_number: &str, now: Option<DateTime>) -> bool {
        let Some(removed) = self.users.remove(card_number) else {
            return false;
        };
        self.outbox.push(Event::DeleteUser(removed.member));
        self.record(UpdateType::DeleteUser, card_number.to_string(), now);
        true
    }

    fn record(&mut self, kind: UpdateType, card_number: String, now: Option<DateTime>) {
        self.journal.push(UpdateRecord {
            update_type: kind,
            card_number,
            created_at: now,
            unknown_fields: Map::new(),
        });
    }

    /// The server-owned fields of a new member.
    fn new_member_fields(&mut self, now: Option<DateTime>) -> Result<Map<String, Value>, String> {
        let serial = self.next_serial;
        self.next_serial += 1;
        let member = Member {
            role: Some(Vec::new()),
            bind_status: Some(0),
            frozen_status: Some(0),
            active_status: Some(0),
            entrust_status: Some(EntrustStatus::Unsigned),
            start_at: now,
            serial_number: Some(format!("{serial:08}")),
            ..Member::default()
        };
        let mut fields = to_map(&member)?;
        // Default Member has empty card_number and name; the request's overwrite them.
        fields.remove("card_number");
        fields.remove("name");
        Ok(fields)
    }

    /// The class of an identity name, by the school's identity types.
    fn classify(&self, name: &str) -> IdentityClass {
        self.identity_types
            .iter()
            .find(|info| info.name.as_deref() == Some(name.trim()))
            .and_then(|info| info.classification)
            .unwrap_or(IdentityClass::Other)
    }
}

/// Every school's data, by `ocode`.
#[derive(Debug, Clone, Default)]
pub struct Store {
    schools: BTreeMap<String, School>,
}

impl Store {
    /// No schools.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a school.
    pub fn add_school(&mut self, config: SchoolConfig) {
        self.schools
            .insert(config.ocode.clone(), School::new(config));
    }

    /// One school.
    pub fn school(&self, ocode: &str) -> Option<&School> {
        self.schools.get(ocode)
    }

    /// One school, to change it.
    pub fn school_mut(&mut self, ocode: &str) -> Option<&mut School> {
        self.schools.get_mut(ocode)
    }

    /// The codes of every school.
    pub fn ocodes(&self) -> impl Iterator<Item = &str> {
        self.schools.keys().map(String::as_str)
    }

    /// The push events of every school since the last call, by school, oldest first.
    pub fn take_events(&mut self) -> Vec<(String, Vec<Event>)> {
        self.schools
            .iter_mut()
            .map(|(ocode, school)| (ocode.clone(), school.take_events()))
            .filter(|(_, events)| !events.is_empty())
            .collect()
    }

    /// Gives school `ocode` the demo organisations and members (journalled as additions);
    /// false if there is no such school.
    pub fn seed_demo(&mut self, ocode: &str, now: Option<DateTime>) -> bool {
        let Some(school) = self.schools.get_mut(ocode) else {
            return false;
        };
        for request in demo_users() {
            // The demo records are valid by construction; one that were not would just be absent.
            let _ = school.upsert_user(request, now);
        }
        true
    }
}

/// Thirteen demo members: ten students in two classes, three staff.
pub fn demo_users() -> Vec<CreateUserRequest> {
    const SURNAMES: [&str; 5] = ["张", "王", "李", "赵", "陈"];
    const GIVEN: [&str; 5] = ["伟", "芳", "娜", "敏", "静"];
    let mut users = Vec::new();
    for index in 0..10u32 {
        let class = if index < 5 {
            "软件1班"
        } else {
            "软件2班"
        };
        users.push(CreateUserRequest {
            card_number: format!("2024{index:06}"),
            name: format!(
                "{}{}",
                SURNAMES[(index % 5) as usize],
                GIVEN[(index / 2 % 5) as usize]
            ),
            gender: Some(if index % 2 == 0 { "男" } else { "女" }.to_string()),
            grade: Some("2024".to_string()),
            college: Some("信息科学与技术学院".to_string()),
            profession: Some("计算机系".to_string()),
            class: Some(class.to_string()),
            identity_type: "学生".to_string(),
            identity_title: "本科生".to_string(),
            organization: format!("信息科学与技术学院/计算机系/{class}"),
            campus: Some("南校区".to_string()),
            dorm_number: Some(format!("A栋{}", 200 + index)),
            email: Some(format!("student{index}@example.invalid")),
            telephone: Some(format!("1380000{index:04}")),
            nation: Some("汉族".to_string()),
            register_year: Some(2024),
            ..CreateUserRequest::default()
        });
    }
    for (index, (name, title)) in [("刘老师", "讲师"), ("周老师", "教授"), ("吴主任", "主任")]
        .into_iter()
        .enumerate()
    {
        users.push(CreateUserRequest {
            card_number: format!("T{:05}", index + 1),
            name: name.to_string(),
            gender: Some("男".to_string()),
            identity_type: "教职工".to_string(),
            identity_title: title.to_string(),
            organization: if index < 2 {
                "信息科学与技术学院/计算机系".to_string()
            } else {
                "人事处".to_string()
            },
            email: Some(format!("staff{index}@example.invalid")),
            ..CreateUserRequest::default()
        });
    }
    users
}

fn to_map<T: serde::Serialize>(value: &T) -> Result<Map<String, Value>, String> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("a record did not serialize to an object".to_string()),
        Err(error) => Err(format!("a record did not serialize: {error}")),
    }
}

/// `base` with every field present in `update` replaced.
fn overlay(
    base: &CreateUserRequest,
    update: &CreateUserRequest,
) -> Result<CreateUserRequest, String> {
    let mut merged = to_map(base)?;
    merged.extend(to_map(update)?);
    serde_json::from_value(Value::Object(merged))
        .map_err(|error| format!("cannot merge the update: {error}"))
}

/// The reply's gender code for the request's gender text.
fn gender_code(text: &str) -> Gender {
    match text.trim() {
        "男" | "1" | "male" | "M" | "m" => Gender::Male,
        "女" | "2" | "female" | "F" | "f" => Gender::Female,
        _ => Gender::Unspecified,
    }
}

/// The `YYYYMMDD` birthday in an 18-character Chinese ID-card number.
fn birthday_of(id_card: &str) -> Option<String> {
    let digits = id_card.get(6..14)?;
    (id_card.chars().count() == 18 && formats::is_date_compact(digits)).then(|| digits.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school() -> School {
        School::new(SchoolConfig::new("s", "学校"))
    }

    #[test]
    fn upsert_merges_and_journals() {
        let mut school = school();
        let request = CreateUserRequest {
            card_number: "1".into(),
            name: "张三".into(),
            gender: Some("女".into()),
            grade: Some("2016".into()),
            identity_type: "学生".into(),
            identity_title: "本科生".into(),
            organization: "A/B".into(),
            id_card: Some("110101200203190011".into()),
            ..Default::default()
        };
        assert_eq!(school.upsert_user(request, None), Ok(UpdateType::AddUser));
        let update = CreateUserRequest {
            card_number: "1".into(),
            name: "张三丰".into(),
            identity_type: "教职工".into(),
            identity_title: "讲师".into(),
            organization: "A/C".into(),
            ..Default::default()
        };
        assert_eq!(school.upsert_user(update, None), Ok(UpdateType::UpdateUser));
        let member = &school.user("1").unwrap().member;
        assert_eq!(member.name.as_deref(), Some("张三丰"));
        assert_eq!(member.grade.as_deref(), Some("2016"));
        assert_eq!(member.gender, Some(Gender::Female));
        assert_eq!(member.identity_type, Some(IdentityClass::Staff));
        assert_eq!(member.birthday.as_deref(), Some("20020319"));
        assert_eq!(member.organization, Some(vec![1, 3]));
        assert_eq!(school.full_name(3).as_deref(), Some("A/C"));
        assert!(school.delete_user("1", None));
        assert!(!school.delete_user("1", None));
        let kinds: Vec<_> = school
            .journal()
            .iter()
            .map(|r| r.update_type.clone())
            .collect();
        assert_eq!(
            kinds,
            [
                UpdateType::AddUser,
                UpdateType::UpdateUser,
                UpdateType::DeleteUser
            ]
        );
    }

    #[test]
    fn demo_users_are_valid() {
        for user in demo_users() {
            assert!(user.validate().is_ok(), "{user:?}");
        }
        let mut store = Store::new();
        store.add_school(SchoolConfig::new("s", "学校"));
        assert!(store.seed_demo("s", None));
        let school = store.school("s").unwrap();
        assert_eq!(school.users().count(), 13);
        assert_eq!(school.members_of(0, false).len(), 13);
        let computing = school.ensure_org_path_lookup("信息科学与技术学院/计算机系");
        assert_eq!(school.members_of(computing, true).len(), 12);
        assert_eq!(school.members_of(computing, false).len(), 2);
    }

    impl School {
        fn ensure_org_path_lookup(&self, path: &str) -> i64 {
            let mut parent = 0;
            for name in path.split('/') {
                parent = self
                    .orgs()
                    .find(|org| org.parent_id == Some(parent) && org.name == name)
                    .unwrap()
                    .id;
            }
            parent
        }
    }
}
