//! The validated form of the schema and the packs. Internal types: not `Serialize`,
//! not public; the public views are in `explain`.

use crate::date::Date;

/// The most facts one schema may declare (a fact set is a `u128`).
pub(crate) const MAX_FACTS: usize = 128;
/// The most values one enumeration may have (a value set is a `u64`).
pub(crate) const MAX_VALUES: usize = 64;
/// The most acts (an act set is a `u64`).
pub(crate) const MAX_ACTS: usize = 64;
/// The most rules that may speak to one act (or one act and field) at one time.
pub(crate) const MAX_RULES_PER_SLOT: usize = 64;
/// The most obligations in force at one place and time.
pub(crate) const MAX_OBLIGATIONS: usize = 64;

#[derive(Debug)]
pub(crate) struct EnumDef {
    pub(crate) name: String,
    pub(crate) values: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FactType {
    Bool,
    Enum(usize),
    Set(usize),
}

#[derive(Debug)]
pub(crate) struct FactDef {
    pub(crate) name: String,
    pub(crate) ty: FactType,
    pub(crate) ask: String,
    /// `assume:`: the value taken when a scenario leaves the fact out (a yes/no
    /// fact only), said in every answer that took it.
    pub(crate) assume: Option<bool>,
}

#[derive(Debug)]
pub(crate) struct ActDef {
    pub(crate) name: String,
    pub(crate) per_field: bool,
    pub(crate) means: String,
}

#[derive(Debug)]
pub(crate) struct PlaceDef {
    pub(crate) name: String,
    pub(crate) jurisdiction: String,
    pub(crate) title: String,
    pub(crate) note: Option<String>,
}

/// The one shared fact schema: every pack speaks in these terms, so one scenario
/// can be asked of any place.
#[derive(Debug, Default)]
pub(crate) struct Schema {
    pub(crate) enums: Vec<EnumDef>,
    pub(crate) facts: Vec<FactDef>,
    pub(crate) acts: Vec<ActDef>,
    pub(crate) places: Vec<PlaceDef>,
    /// The enumeration named `field`: the data fields of a disclosure.
    pub(crate) field_enum: Option<usize>,
}

impl Schema {
    pub(crate) fn fact(&self, name: &str) -> Option<usize> {
        self.facts.iter().position(|f| f.name == name)
    }
    pub(crate) fn act(&self, name: &str) -> Option<usize> {
        self.acts.iter().position(|a| a.name == name)
    }
    pub(crate) fn value(&self, enum_idx: usize, name: &str) -> Option<usize> {
        self.enums
            .get(enum_idx)?
            .values
            .iter()
            .position(|(v, _)| v == name)
    }
    pub(crate) fn field_count(&self) -> usize {
        self.field_enum
            .and_then(|e| self.enums.get(e))
            .map_or(0, |e| e.values.len())
    }
}

/// How far the text a pack encodes can be trusted; shown with every answer that rests on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reliability {
    /// An official text or a court's opinion.
    High,
    /// Reconstructed from reliable reporting; the official text was not available.
    Medium,
    /// A single weak source (for example an article generated in part by AI).
    Low,
}

impl Reliability {
    pub(crate) fn parse(s: &str) -> Option<Reliability> {
        match s {
            "high" => Some(Reliability::High),
            "medium" => Some(Reliability::Medium),
            "low" => Some(Reliability::Low),
            _ => None,
        }
    }
    /// `high`, `medium` or `low`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reliability::High => "high",
            Reliability::Medium => "medium",
            Reliability::Low => "low",
        }
    }
}

/// What one rule says of an act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    Prohibited,
    Permitted,
    Required,
}

impl Effect {
    pub(crate) fn bit(self) -> u8 {
        match self {
            Effect::Prohibited => 1,
            Effect::Permitted => 2,
            Effect::Required => 4,
        }
    }
}

/// A resolved condition: names are indices now.
#[derive(Debug, Clone)]
pub(crate) enum Cond {
    Const(bool),
    Bool(usize),
    In(usize, u64),
    HasAny(usize, u64),
    HasAll(usize, u64),
    FieldIn(u64),
    Asks(u64),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    /// A definition of the same law version, by index.
    LocalDef(usize),
    /// A definition of another law, resolved per place and date.
    ExtDef {
        law: usize,
        name: String,
        offset: usize,
    },
}

#[derive(Debug)]
pub(crate) struct Meta {
    pub(crate) law: String,
    pub(crate) jurisdiction: String,
    pub(crate) instrument: String,
    pub(crate) title: String,
    pub(crate) version: String,
    pub(crate) effective_from: Date,
    pub(crate) effective_until: Option<Date>,
    pub(crate) source: String,
    pub(crate) reliability: Reliability,
    pub(crate) note: Option<String>,
    /// `amends:`: the day on which the version this one amends is in force,
    /// with the offset of the value.
    pub(crate) amends: Option<(Date, usize)>,
    /// `status: proposal` marks a bill or a draft: never the law in force,
    /// unless a what-if takes it as enacted ([`crate::Library::as_if_enacted`]).
    pub(crate) status: Status,
}

/// Whether a pack is law, or a proposal that is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Law (the default).
    Enacted,
    /// A bill or a draft: it never answers what the law is.
    Proposal,
    /// A proposal taken as enacted by a what-if library.
    AsIfEnacted,
}

impl Status {
    /// Whether the version is part of the law the engine answers from.
    pub(crate) fn counts(self) -> bool {
        self != Status::Proposal
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    /// The file it is written in (an amendment inherits rules written in the
    /// version it amends).
    pub(crate) file: usize,
    pub(crate) id: String,
    pub(crate) cite: String,
    pub(crate) quote: String,
    pub(crate) explain: Option<String>,
    pub(crate) section: String,
    pub(crate) acts: u64,
    /// Fields for per-field acts (all fields when the rule names none).
    pub(crate) fields: u64,
    pub(crate) when: Cond,
    pub(crate) then: Option<Effect>,
    pub(crate) exception_to: Vec<usize>,
    /// The rules of this pack whose reach this one bounds (`limits:`): where it
    /// applies, they stop, and the act is permitted unless another rule decides.
    pub(crate) limits: Vec<usize>,
    pub(crate) doubt: Option<String>,
    pub(crate) doubt_when: Option<Cond>,
    pub(crate) reliability: Reliability,
    /// Offset of the rule's `id:` value, for diagnostics found later.
    pub(crate) offset: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Def {
    /// The heading of the section it is written under.
    pub(crate) section: String,
    pub(crate) id: String,
    pub(crate) cite: String,
    pub(crate) quote: String,
    pub(crate) means: Cond,
    pub(crate) offset: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Obligation {
    /// The heading of the section it is written under.
    pub(crate) section: String,
    pub(crate) id: String,
    pub(crate) cite: String,
    pub(crate) quote: String,
    pub(crate) duty: String,
    pub(crate) due: Option<String>,
    pub(crate) when: Cond,
    pub(crate) reliability: Reliability,
    /// The office the law sends this duty to (2.129.050's routing), by the
    /// id the place's configuration gives it; checked when a place loads.
    pub(crate) office: Option<String>,
    /// Whether recording the contact is itself the duty's performance (a
    /// report that counts the records): `performed-by: recording`.
    pub(crate) performed_by_recording: bool,
}

/// One version of one law, as loaded from one pack file.
#[derive(Debug)]
pub(crate) struct Version {
    pub(crate) file: usize,
    pub(crate) law: usize,
    pub(crate) meta: Meta,
    pub(crate) hash: String,
    pub(crate) rules: Vec<Rule>,
    pub(crate) defs: Vec<Def>,
    pub(crate) obligations: Vec<Obligation>,
    /// The version this one amends (an index into the loaded versions).
    pub(crate) amends: Option<usize>,
}

impl Rule {
    /// A rule that only marks where other rules stop: an exception that only
    /// lifts, or a `limits:` rule. It answers "permitted" only where no other
    /// active rule has an effect, so it never conflicts with one.
    pub(crate) fn is_limit(&self) -> bool {
        !self.limits.is_empty() || (self.then.is_none() && !self.exception_to.is_empty())
    }
}

impl Version {
    pub(crate) fn in_force(&self, date: Date) -> bool {
        self.meta.status.counts() && self.dated(date)
    }

    /// Whether `date` is within its dates, law or proposal.
    pub(crate) fn dated(&self, date: Date) -> bool {
        self.meta.effective_from <= date && self.meta.effective_until.is_none_or(|u| date <= u)
    }
}

/// Iterates the set bits of a mask, lowest first.
pub(crate) fn bits(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if mask == 0 {
            return None;
        }
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        Some(i)
    })
}

/// Iterates the set bits of a 128-bit mask, lowest first.
pub(crate) fn bits128(mut mask: u128) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if mask == 0 {
            return None;
        }
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        Some(i)
    })
}
