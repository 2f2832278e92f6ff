//! Making WeCard match a roster: the plan. The platform's members (every page) are compared with
//! the roster's valid rows: who is to be created, who updated (field by field, old → new), who is
//! unchanged, and who is to be deleted — members of the identity types the roster covers that it
//! does not list (a students' roster never deletes staff). Invalid rows are listed and never cause
//! a deletion: a member whose card number is on an invalid row is left alone.
//!
//! A plan records a fingerprint of the members it was made from, so that carrying out a saved
//! plan can refuse when the platform has changed since ([`Plan::check_platform`]), and the
//! deletion guard ([`Guard`]) refuses a plan that deletes too many members.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::roster::{Problem, Roster, check_row};
use crate::wecard::client::{Client, ClientError};
use crate::wecard::{
    CreateUserRequest, Gender, IdentityClass, ListOrgUsersRequest, ListOrgsRequest, Member,
    ValidationLevel,
};

/// One field that changes: its WeCard name, the value on the platform and the roster's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The WeCard field (`telephone`, `organization`).
    pub field: String,
    /// On the platform now (empty when it has none).
    pub old: String,
    /// In the roster.
    pub new: String,
}

/// A member to create or update, with the request that does it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Upsert {
    /// The roster line.
    pub line: u64,
    /// The card number.
    pub card_number: String,
    /// For an update, what changes (empty for a create).
    pub changes: Vec<FieldChange>,
    /// The request that creates or updates the member.
    pub request: CreateUserRequest,
}

/// A member to delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deletion {
    /// The card number.
    pub card_number: String,
    /// The member's name, for people reading the plan (empty when the server sent none).
    pub name: String,
}

/// A roster row left out because it is invalid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invalid {
    /// Its line.
    pub line: u64,
    /// Its card number, as written.
    pub card_number: String,
    /// Its problems.
    pub problems: Vec<Problem>,
}

/// What it takes to make the platform match the roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// What was read (`CSV, GBK/GB18030`).
    pub source: String,
    /// The identity types the roster covers (`学生`): only their members can be deleted.
    pub scope: Vec<String>,
    /// Members of those types on the platform when the plan was made.
    pub in_scope: usize,
    /// Members to create.
    pub create: Vec<Upsert>,
    /// Members to update.
    pub update: Vec<Upsert>,
    /// Members already as the roster has them.
    pub unchanged: usize,
    /// Members to delete.
    pub delete: Vec<Deletion>,
    /// Invalid rows, sent nowhere.
    pub invalid: Vec<Invalid>,
    /// A fingerprint of the platform's members the plan was made from.
    pub platform: String,
}

/// The platform as a plan needs it: every member, and every organisation's path.
#[derive(Debug, Clone, Default)]
pub struct Platform {
    /// Every member.
    pub members: Vec<Member>,
    /// Organisation id → `A/B/C` path of names.
    pub org_paths: HashMap<i64, String>,
}

impl Platform {
    /// Reads every member and organisation (all pages).
    ///
    /// # Errors
    ///
    /// When the API refuses or cannot be reached.
    pub async fn read(client: &Client) -> Result<Self, ClientError> {
        let orgs = client
            .list_orgs_pages(ListOrgsRequest {
                page: None,
                page_size: None,
            })
            .collect_all()
            .await?;
        let members = client
            .list_org_users_pages(ListOrgUsersRequest {
                org_id: 0,
                fetch_child: Some(1),
                page: None,
                page_size: Some(1000),
            })
            .collect_all()
            .await?;
        let parents: HashMap<i64, (i64, String)> = orgs
            .iter()
            .map(|org| (org.id, (org.parent_id.unwrap_or(0), org.name.clone())))
            .collect();
        let org_paths = parents
            .keys()
            .map(|&id| {
                let mut names = Vec::new();
                let mut at = id;
                // Bounded: a cycle in what the platform says cannot loop forever.
                while let Some((parent, name)) = parents.get(&at) {
                    names.push(name.as_str());
                    if names.len() > 64 {
                        break;
                    }
                    at = *parent;
                }
                names.reverse();
                (id, names.join("/"))
            })
            .collect();
        Ok(Self { members, org_paths })
    }

    /// A fingerprint of the members: it changes when any member is added, removed or edited.
    pub fn fingerprint(&self) -> String {
        let mut lines: Vec<String> = self
            .members
            .iter()
            .map(|member| serde_json::to_string(member).unwrap_or_default())
            .collect();
        lines.sort_unstable();
        // FNV-1a, 64 bits: enough to notice a change, not a security measure.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for line in &lines {
            for byte in line.bytes().chain([b'\n']) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{}-{hash:016x}", lines.len())
    }
}

/// The identity class a roster's `identity_type` text names, if it is one of the known ones.
fn class_named(text: &str) -> Option<IdentityClass> {
    IdentityClass::KNOWN
        .iter()
        .copied()
        .find(|class| class.description() == Some(text))
}

/// The text a create request would send for a member's gender (empty where the spec gives none).
fn gender_text(gender: Option<&Gender>) -> String {
    gender
        .and_then(Gender::text)
        .map(str::to_string)
        .unwrap_or_default()
}

fn normalise_path(path: &str) -> String {
    path.split('/')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

/// The fields of `request` that differ from `member`. A field the roster leaves empty is not a
/// change: an upsert keeps what the platform has.
fn changes(request: &CreateUserRequest, member: &Member, platform: &Platform) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let mut compare = |field: &str, old: String, new: Option<&str>| {
        if let Some(new) = new.filter(|new| !new.is_empty())
            && old != new
        {
            changes.push(FieldChange {
                field: field.to_string(),
                old,
                new: new.to_string(),
            });
        }
    };
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    compare("name", text(&member.name), Some(&request.name));
    compare(
        "gender",
        gender_text(member.gender.as_ref()),
        request.gender.as_deref(),
    );
    compare("grade", text(&member.grade), request.grade.as_deref());
    compare("college", text(&member.college), request.college.as_deref());
    compare(
        "profession",
        text(&member.profession),
        request.profession.as_deref(),
    );
    compare("class", text(&member.class), request.class.as_deref());
    compare("campus", text(&member.campus), request.campus.as_deref());
    compare(
        "telephone",
        text(&member.telephone),
        request.telephone.as_deref(),
    );
    compare("email", text(&member.email), request.email.as_deref());
    compare("id_card", text(&member.id_card), request.id_card.as_deref());
    compare("nation", text(&member.nation), request.nation.as_deref());
    compare(
        "origin_place",
        text(&member.origin_place),
        request.origin_place.as_deref(),
    );
    compare(
        "dorm_number",
        text(&member.dorm_number),
        request.dorm_number.as_deref(),
    );
    compare(
        "identity_title",
        text(&member.identity_title),
        Some(&request.identity_title),
    );
    let wanted = normalise_path(&request.organization);
    let paths: Vec<&str> = member
        .organization
        .iter()
        .flatten()
        .filter_map(|id| platform.org_paths.get(id).map(String::as_str))
        .collect();
    if !wanted.is_empty() && !paths.contains(&wanted.as_str()) {
        let old = paths
            .iter()
            .max_by_key(|path| path.len())
            .map_or_else(String::new, |path| (*path).to_string());
        compare("organization", old, Some(&wanted));
    }
    changes
}

impl Plan {
    /// Compares `roster` with `platform`.
    pub fn make(roster: &Roster, platform: &Platform, level: ValidationLevel) -> Self {
        let members: HashMap<&str, &Member> = platform
            .members
            .iter()
            .map(|member| (member.card_number.as_str(), member))
            .collect();
        let mut plan = Plan {
            source: roster.source.clone(),
            scope: Vec::new(),
            in_scope: 0,
            create: Vec::new(),
            update: Vec::new(),
            unchanged: 0,
            delete: Vec::new(),
            invalid: Vec::new(),
            platform: platform.fingerprint(),
        };
        // Every card number the roster holds, valid or not: none of them is deleted.
        let listed: HashSet<&str> = roster
            .rows
            .iter()
            .map(|row| row.student.card_number.as_str())
            .collect();
        let mut scope = BTreeSet::new();
        for row in &roster.rows {
            let request = match check_row(roster, row, level) {
                Ok(request) => request,
                Err(problems) => {
                    plan.invalid.push(Invalid {
                        line: row.line,
                        card_number: row.student.card_number.clone(),
                        problems,
                    });
                    continue;
                }
            };
            if let Some(class) = class_named(&request.identity_type) {
                scope.insert(class.code());
            }
            match members.get(request.card_number.as_str()) {
                None => plan.create.push(Upsert {
                    line: row.line,
                    card_number: request.card_number.clone(),
                    changes: Vec::new(),
                    request,
                }),
                Some(member) => {
                    let changes = changes(&request, member, platform);
                    if changes.is_empty() {
                        plan.unchanged += 1;
                    } else {
                        plan.update.push(Upsert {
                            line: row.line,
                            card_number: request.card_number.clone(),
                            changes,
                            request,
                        });
                    }
                }
            }
        }
        for member in &platform.members {
            let in_scope = member
                .identity_type
                .is_some_and(|class| scope.contains(&class.code()));
            if !in_scope {
                continue;
            }
            plan.in_scope += 1;
            if !listed.contains(member.card_number.as_str()) {
                plan.delete.push(Deletion {
                    card_number: member.card_number.clone(),
                    name: member.name.clone().unwrap_or_default(),
                });
            }
        }
        plan.delete
            .sort_by(|a, b| a.card_number.cmp(&b.card_number));
        plan.scope = scope
            .into_iter()
            .filter_map(|code| IdentityClass::from_code(code).description())
            .map(str::to_string)
            .collect();
        plan
    }

    /// Whether the plan changes nothing.
    pub fn is_empty(&self) -> bool {
        self.create.is_empty() && self.update.is_empty() && self.delete.is_empty()
    }

    /// Checks that the platform is still as it was when the plan was made.
    ///
    /// # Errors
    ///
    /// A message saying that it changed and what to do.
    pub fn check_platform(&self, now: &Platform) -> Result<(), String> {
        if now.fingerprint() == self.platform {
            Ok(())
        } else {
            Err(format!(
                "the platform has changed since this plan was made (it had {} members, it has {} \
                 now, or some were edited); nothing was changed. Make a new plan with `plan`, \
                 read it, and apply that",
                self.platform.split('-').next().unwrap_or("?"),
                now.members.len()
            ))
        }
    }
}

/// The deletion guard: a plan that deletes more than [`Guard::MANY`] members and more than 20 %
/// of those in scope, or fewer than [`Guard::MANY`] but more than 80 %, is refused unless the
/// user allows at least that many deletions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guard {
    /// Deletions the user allowed (`--allow-deletes N`).
    pub allowed: usize,
}

impl Guard {
    /// The count above which the 20 % rule applies (and below which the 80 % rule does).
    pub const MANY: usize = 50;

    /// Checks a plan.
    ///
    /// # Errors
    ///
    /// The refusal: how many, why, and how to override.
    pub fn check(&self, plan: &Plan) -> Result<(), String> {
        let (deletes, in_scope) = (plan.delete.len(), plan.in_scope);
        let share = if in_scope == 0 {
            0.0
        } else {
            deletes as f64 * 100.0 / in_scope as f64
        };
        let why = if deletes > Self::MANY && deletes * 5 > in_scope {
            format!(
                "more than {} members and more than 20 % of the {in_scope} in scope",
                Self::MANY
            )
        } else if deletes < Self::MANY && deletes * 5 > in_scope * 4 {
            format!("more than 80 % of the {in_scope} in scope")
        } else {
            return Ok(());
        };
        if self.allowed >= deletes {
            return Ok(());
        }
        let allowed = if self.allowed > 0 {
            format!(" (--allow-deletes {} is fewer)", self.allowed)
        } else {
            String::new()
        };
        Err(format!(
            "refusing to delete {deletes} members ({share:.1} % of the {in_scope} {} members): \
             that is {why}, which is more often a wrong or partial roster than a real change; \
             nothing was changed{allowed}. Check the roster and the plan (`plan`); if the \
             deletions are meant, run again with --allow-deletes {deletes}",
            plan.scope.join("/"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_deleting(deletes: usize, in_scope: usize) -> Plan {
        Plan {
            source: String::new(),
            scope: vec!["学生".into()],
            in_scope,
            create: Vec::new(),
            update: Vec::new(),
            unchanged: 0,
            delete: (0..deletes)
                .map(|i| Deletion {
                    card_number: i.to_string(),
                    name: String::new(),
                })
                .collect(),
            invalid: Vec::new(),
            platform: String::new(),
        }
    }

    #[test]
    fn the_guard_follows_both_rules() {
        let guard = Guard { allowed: 0 };
        // More than 50 and more than 20 %.
        assert!(guard.check(&plan_deleting(51, 255)).is_ok());
        assert!(guard.check(&plan_deleting(51, 254)).is_err());
        assert!(guard.check(&plan_deleting(225, 230)).is_err());
        // Fewer than 50 and more than 80 %.
        assert!(guard.check(&plan_deleting(20, 230)).is_ok());
        assert!(guard.check(&plan_deleting(40, 50)).is_ok());
        assert!(guard.check(&plan_deleting(41, 50)).is_err());
        assert!(guard.check(&plan_deleting(0, 0)).is_ok());
        let refusal = guard.check(&plan_deleting(225, 230)).expect_err("refused");
        assert!(
            refusal.contains("225 members") && refusal.contains("--allow-deletes 225"),
            "{refusal}"
        );
        assert!(
            Guard { allowed: 225 }
                .check(&plan_deleting(225, 230))
                .is_ok()
        );
        let short = Guard { allowed: 200 }
            .check(&plan_deleting(225, 230))
            .expect_err("too few allowed");
        assert!(short.contains("--allow-deletes 200 is fewer"), "{short}");
    }

    #[test]
    fn paths_compare_without_stray_slashes_and_spaces() {
        assert_eq!(normalise_path(" 学院 / 系/ 班 /"), "学院/系/班");
    }
}
