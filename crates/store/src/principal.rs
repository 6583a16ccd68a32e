//! Who acts, and what they may do: every operation on records takes a
//! [`Principal`] and checks, itself, that it may be done.

use std::fmt;

use trustgate_access::{Permission, Role};

/// Who does something, as the audit log names them: `user/<name>`,
/// `token/<id>`, `system/<command>`. Never a person's legal name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Actor(String);

impl Actor {
    /// An actor by id.
    pub fn new(id: impl Into<String>) -> Actor {
        Actor(id.into())
    }

    /// A staff account.
    pub fn user(username: &str) -> Actor {
        Actor(format!("user/{username}"))
    }

    /// An operator acting from the command line on the server's host.
    pub fn system(command: &str) -> Actor {
        Actor(format!("system/{command}"))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How far a caller reaches: their own records only, or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Only records the actor recorded. Others look missing (and the
    /// attempt is audited as `read-denied`).
    Own,
    /// Every record.
    All,
}

/// Who is calling, once authenticated, and what they may do.
///
/// Every operation on records takes one and checks, itself, that it may be
/// done: the permission lives in the use case, so no page, route, command
/// or future public form can reach a record without the check. A principal
/// comes from [`Store::session`] or [`Store::api_token`]; only the
/// operator's own commands and tests make one with [`Principal::new`]
/// (`clippy.toml` forbids it elsewhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub(crate) actor: Actor,
    pub(crate) grants: Grants,
}

/// A principal's permissions: a staff role's, or an API token's scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grants {
    Role(Role),
    Scopes(Vec<Permission>),
}

impl Principal {
    /// A principal not looked up from a credential: the operator at the
    /// command line (`system/<command>`, with only what that command needs)
    /// or a test's caller.
    pub fn new(actor: Actor, grants: Grants) -> Principal {
        Principal { actor, grants }
    }

    /// A member of the public, unauthenticated (`public`): may file a
    /// complaint and follow it by its tracking code, nothing else
    /// ([`Permission::PUBLIC`]). The log names no one: a complaint may be
    /// anonymous, and an address would be personal data.
    pub fn public() -> Principal {
        Principal {
            actor: Actor::new("public"),
            grants: Grants::Scopes(Permission::PUBLIC.to_vec()),
        }
    }

    /// Who, as the audit log names them.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// What they may do.
    pub fn grants(&self) -> &Grants {
        &self.grants
    }

    /// Whether the principal may do `p`.
    pub fn may(&self, p: Permission) -> bool {
        match &self.grants {
            Grants::Role(r) => r.may(p),
            Grants::Scopes(s) => s.contains(&p),
        }
    }

    /// How far the principal reads contacts, if at all.
    pub fn reach(&self) -> Option<Reach> {
        if self.may(Permission::ReadAllContacts) {
            Some(Reach::All)
        } else if self.may(Permission::ReadOwnContacts) {
            Some(Reach::Own)
        } else {
            None
        }
    }
}

/// Which complaints a principal reads and handles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComplaintReach {
    /// Every complaint: the City Manager's Office, which 2.129.050 sends
    /// every complaint to and which oversees every record.
    All,
    /// Those with a duty routed to this office (as the law names it):
    /// Professional Standards sees the complaints against police employees
    /// that the law sends it, and nothing else.
    Office(&'static str),
}

impl Principal {
    /// Which complaints the principal reaches, if it may read them at all.
    /// A staff role reaches its own office's; a principal made by the
    /// operator's commands or a test with the permission reaches all.
    pub fn complaint_reach(&self) -> Option<ComplaintReach> {
        if !self.may(Permission::ReadComplaints) {
            return None;
        }
        match &self.grants {
            Grants::Role(Role::ProfessionalStandards) => {
                Some(ComplaintReach::Office("professional-standards"))
            }
            Grants::Role(Role::CityManager) | Grants::Scopes(_) => Some(ComplaintReach::All),
            // A role granted the permission without an office here: none,
            // until the table above says which office it staffs.
            Grants::Role(_) => None,
        }
    }
}

/// Why a session or token does not authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unauthenticated {
    /// Unknown, ended or revoked.
    Invalid,
    /// Idle longer than [`trustgate_access::SESSION_IDLE_MS`]; now ended.
    Expired,
}
