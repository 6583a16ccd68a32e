//! Roles and permissions: the whole access policy in one table.

/// A name that is not on a closed list (a role, a permission, a kind of
/// contact, …).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{name}`; expected one of: {expected}")]
pub struct UnknownName {
    /// What the list is ("role", "permission", "kind of contact", …).
    pub what: &'static str,
    /// What was given.
    pub name: String,
    /// The valid names, comma-separated.
    pub expected: String,
}

/// A closed list of names (roles, permissions, kinds of contact): an enum
/// with its spellings, `ALL`, `FromStr` with an error listing every name,
/// and `Display`. Exported so every closed list is spelled one way.
#[macro_export]
macro_rules! named {
    ($what:literal, $(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vm])* $variant,)*
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stored, CLI and JSON spelling.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownName;
            fn from_str(s: &str) -> Result<$name, $crate::UnknownName> {
                match s {
                    $($text => Ok($name::$variant),)*
                    _ => Err($crate::UnknownName {
                        what: $what,
                        name: s.to_owned(),
                        expected: [$($text),*].join(", "),
                    }),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named! { "role",
    /// A staff role. Each grants only what that office's work needs.
    Role {
        /// A police officer or desk officer: records the contacts they
        /// handle and reads their own.
        Officer = "officer",
        /// The records unit: reads every contact, keeps obligations and
        /// reimbursements, sees the compliance exceptions.
        RecordsClerk = "records-clerk",
        /// The Professional Standards Unit: investigates compliance
        /// exceptions and explains them.
        ProfessionalStandards = "professional-standards",
        /// The City Manager's Office: oversight of every record and exception.
        CityManager = "city-manager",
        /// School staff: records the contacts that reach a school and reads
        /// their own.
        SchoolStaff = "school-staff",
        /// Read-only: every record and the audit log, nothing else.
        Auditor = "auditor",
        /// Accounts and API tokens only; no records.
        Admin = "admin",
    }
}

named! { "permission",
    /// One thing a caller may do. API tokens carry a subset of these as scopes.
    Permission {
        /// Record a federal contact.
        RecordContact = "contacts:record",
        /// Read contacts one recorded oneself.
        ReadOwnContacts = "contacts:read-own",
        /// Read any contact.
        ReadAllContacts = "contacts:read-all",
        /// Mark an obligation of a contact fulfilled.
        FulfilObligations = "obligations:fulfil",
        /// Record a reimbursement received, by case (2.129.060 (d)).
        RecordReimbursements = "reimbursements:record",
        /// List the compliance exceptions.
        ReadExceptions = "exceptions:read",
        /// Add an explanation to a compliance exception.
        ExplainExceptions = "exceptions:explain",
        /// Read the audit log and its head.
        ReadAuditLog = "audit:read",
        /// Create accounts and API tokens.
        ManageAccess = "access:manage",
        /// File a complaint (2.129.050) and follow it by its tracking code:
        /// the only permission of the public, unauthenticated principal.
        FileComplaints = "complaints:file",
        /// Read the complaints routed to one's office: the queue and each
        /// complaint's sealed content.
        ReadComplaints = "complaints:read",
        /// Handle the complaints routed to one's office: assign, change
        /// status (with a notice to the complainant), add internal notes,
        /// fulfil their duties.
        HandleComplaints = "complaints:handle",
    }
}

impl Permission {
    /// What the public may do, without an account: file a complaint and
    /// follow it by its code. No staff role holds it, and no token.
    pub const PUBLIC: &'static [Permission] = &[Permission::FileComplaints];

    /// What an API token may carry: only what an integration writes (a
    /// records system posting contacts). Reading records or the audit log,
    /// and managing access, need a person signed in with a second factor,
    /// so an administrator cannot reach records through a token they mint.
    pub const INTEGRATION: &'static [Permission] = &[Permission::RecordContact];
}

impl Role {
    /// The permissions of this role. The table is the policy: change it here
    /// and the server's route-by-role test shows every consequence.
    pub const fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Officer | Role::SchoolStaff => {
                &[RecordContact, ReadOwnContacts, FulfilObligations]
            }
            Role::RecordsClerk => &[
                RecordContact,
                ReadOwnContacts,
                ReadAllContacts,
                FulfilObligations,
                RecordReimbursements,
                ReadExceptions,
            ],
            // 2.129.050 sends complaints to these two offices (and to the
            // Superintendent of Schools, who has no role here yet).
            Role::ProfessionalStandards | Role::CityManager => &[
                ReadOwnContacts,
                ReadAllContacts,
                ReadExceptions,
                ExplainExceptions,
                ReadComplaints,
                HandleComplaints,
            ],
            Role::Auditor => &[
                ReadOwnContacts,
                ReadAllContacts,
                ReadExceptions,
                ReadAuditLog,
            ],
            Role::Admin => &[ManageAccess],
        }
    }

    /// Whether this role may do `p`.
    pub fn may(self, p: Permission) -> bool {
        self.permissions().contains(&p)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_list_the_valid_ones() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), *r);
        }
        for p in Permission::ALL {
            assert_eq!(p.as_str().parse::<Permission>().unwrap(), *p);
        }
        let e = "sheriff".parse::<Role>().unwrap_err();
        assert!(e.to_string().contains("officer, records-clerk"), "{e}");
    }

    #[test]
    fn no_role_both_administers_access_and_touches_records() {
        for r in Role::ALL {
            let records = r
                .permissions()
                .iter()
                .any(|p| *p != Permission::ManageAccess);
            assert!(!(r.may(Permission::ManageAccess) && records), "{r}");
        }
    }

    #[test]
    fn only_the_public_files_complaints_and_only_their_offices_read_them() {
        for r in Role::ALL {
            assert!(!r.may(Permission::FileComplaints), "{r}");
            let handles = matches!(r, Role::CityManager | Role::ProfessionalStandards);
            assert_eq!(r.may(Permission::ReadComplaints), handles, "{r}");
            assert_eq!(r.may(Permission::HandleComplaints), handles, "{r}");
        }
        assert!(!Permission::INTEGRATION.contains(&Permission::FileComplaints));
    }

    #[test]
    fn only_the_auditor_reads_the_audit_log_and_the_auditor_writes_nothing() {
        let readers: Vec<_> = Role::ALL
            .iter()
            .filter(|r| r.may(Permission::ReadAuditLog))
            .collect();
        assert_eq!(readers, [&Role::Auditor]);
        for p in [
            Permission::RecordContact,
            Permission::FulfilObligations,
            Permission::RecordReimbursements,
            Permission::ExplainExceptions,
            Permission::ManageAccess,
        ] {
            assert!(!Role::Auditor.may(p), "{p}");
        }
    }
}
