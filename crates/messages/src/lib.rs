//! # trustgate-messages: every word a person reads, in their language
//!
//! Messages are [Project Fluent](https://projectfluent.org) catalogues, one
//! folder per language: the product's own words (`catalogues/<lang>/*.ftl`,
//! compiled in), to which a place adds its own (`packs/<place>/messages/`:
//! what its laws mean for a resident, whom to call). Fluent carries the
//! grammar (plurals, cases) that a string table cannot.
//!
//! Each language's catalogue says how far it can be trusted
//! (`catalogue-status`): `source` (written here, in the language the law is
//! written in), `draft` (translated here, not yet reviewed) or `approved`
//! (reviewed by a qualified translator, named in `catalogue-reviewed-by`).
//! Pages show a draft's own notice (`catalogue-draft-notice`) until it is
//! approved.
//!
//! Loading checks that every language holds exactly the messages of the
//! first (the source) and that each formats, so a missing or stray message
//! is an error at start, at `file:line:column`, never a key on a page.

use std::fmt;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use fluent_syntax::ast;
use unic_langid::LanguageIdentifier;

pub use fluent_bundle::FluentValue;

/// The product's own catalogues: (language, file, text). English first: it
/// is the source every other language must match.
const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "en",
        "crates/messages/catalogues/en/public.ftl",
        include_str!("../catalogues/en/public.ftl"),
    ),
    (
        "es",
        "crates/messages/catalogues/es/public.ftl",
        include_str!("../catalogues/es/public.ftl"),
    ),
    (
        "ht",
        "crates/messages/catalogues/ht/public.ftl",
        include_str!("../catalogues/ht/public.ftl"),
    ),
    (
        "pt",
        "crates/messages/catalogues/pt/public.ftl",
        include_str!("../catalogues/pt/public.ftl"),
    ),
];

/// A catalogue file: which language, where it comes from, its text.
#[derive(Debug, Clone, Copy)]
pub struct CatalogueFile<'a> {
    /// A BCP 47 language tag: `en`, `es`, `ht`, `pt`.
    pub language: &'a str,
    /// Where it was read from, for errors.
    pub name: &'a str,
    /// Its Fluent text.
    pub text: &'a str,
}

impl<'a> CatalogueFile<'a> {
    /// A catalogue file named for its language (`…/messages/es.ftl`).
    pub fn named(path: &'a str, text: &'a str) -> Option<CatalogueFile<'a>> {
        let language = path.rsplit(['/', '\\']).next()?.strip_suffix(".ftl")?;
        Some(CatalogueFile {
            language,
            name: path,
            text,
        })
    }
}

/// The product's own catalogue files.
pub fn builtin_files() -> impl Iterator<Item = CatalogueFile<'static>> {
    BUILTIN.iter().map(|&(language, name, text)| CatalogueFile {
        language,
        name,
        text,
    })
}

/// How far a language's catalogue can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// Written in this language by the people who wrote the product.
    Source,
    /// Translated, not yet reviewed by a qualified translator: pages say so.
    Draft,
    /// Reviewed and approved by a qualified translator.
    Approved,
}

/// One language: its catalogue, loaded.
pub struct Language {
    tag: LanguageIdentifier,
    code: String,
    review: Review,
    ids: Vec<String>,
    bundle: FluentBundle<FluentResource>,
}

impl fmt::Debug for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Language")
            .field("code", &self.code)
            .field("review", &self.review)
            .field("messages", &self.ids.len())
            .finish_non_exhaustive()
    }
}

impl Language {
    /// The language's tag, as in `lang="…"` and in addresses (`/es/`).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Its review status.
    pub fn review(&self) -> Review {
        self.review
    }

    /// Whether pages in it must say the translation is a draft.
    pub fn is_draft(&self) -> bool {
        self.review == Review::Draft
    }

    /// Every message id it holds, in file order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(String::as_str)
    }

    /// A message with no arguments.
    pub fn text(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// A message with arguments (`{ $name }` in the catalogue).
    pub fn text_with(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(*k, v.clone());
        }
        self.format(id, Some(&a))
    }

    /// Whether the language holds the message.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            // Loading proved every language holds every message the source
            // holds; an id no catalogue has is a defect in the caller, shown
            // so that the page tests find it (they look for `⟦`).
            debug_assert!(false, "no message `{id}` in {}", self.code);
            return format!("⟦{id}⟧");
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        debug_assert!(errors.is_empty(), "`{id}` in {}: {errors:?}", self.code);
        text.into_owned()
    }
}

/// Every language, the source first.
#[derive(Debug)]
pub struct Messages {
    languages: Vec<Language>,
}

/// Why catalogues could not be loaded: where, and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct CatalogueError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

fn error_at(file: &str, text: &str, offset: usize, message: String) -> CatalogueError {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    CatalogueError {
        file: file.to_owned(),
        line,
        column,
        message,
    }
}

/// Where a message came from: its id, file name and the file's text.
type Origin<'a> = (String, &'a str, &'a str);

/// Where message `id` is defined in `text` (its line's start), for errors.
fn offset_of(text: &str, id: &str) -> usize {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line
            .strip_prefix(id)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return at;
        }
        at += line.len();
    }
    0
}

impl Messages {
    /// The product's catalogues and the given place's, checked.
    pub fn load<'a>(
        files: impl IntoIterator<Item = CatalogueFile<'a>>,
    ) -> Result<Messages, CatalogueError> {
        let mut languages: Vec<(Language, Vec<Origin<'a>>)> = Vec::new();
        for file in files {
            let tag: LanguageIdentifier = file.language.parse().map_err(|_| {
                error_at(
                    file.name,
                    file.text,
                    0,
                    format!("`{}` is not a language tag", file.language),
                )
            })?;
            let resource = FluentResource::try_new(file.text.to_owned()).map_err(|(_, errs)| {
                let e = errs.first();
                error_at(
                    file.name,
                    file.text,
                    e.map_or(0, |e| e.pos.start),
                    e.map_or_else(|| "not Fluent".to_owned(), |e| e.kind.to_string()),
                )
            })?;
            let ids: Vec<String> = resource
                .entries()
                .filter_map(|e| match e {
                    ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                    _ => None,
                })
                .collect();
            if !languages.iter().any(|(l, _)| l.code == file.language) {
                let mut bundle = FluentBundle::new_concurrent(vec![tag.clone()]);
                // Isolate placeables (names, numbers) from the text around
                // them, so a right-to-left language stays readable.
                bundle.set_use_isolating(true);
                languages.push((
                    Language {
                        tag,
                        code: file.language.to_owned(),
                        review: Review::Draft,
                        ids: Vec::new(),
                        bundle,
                    },
                    Vec::new(),
                ));
            }
            let Some((language, origins)) =
                languages.iter_mut().find(|(l, _)| l.code == file.language)
            else {
                continue;
            };
            if let Err(errs) = language.bundle.add_resource(resource) {
                let message = errs
                    .first()
                    .map_or_else(|| "cannot be added".to_owned(), ToString::to_string);
                let id = ids
                    .iter()
                    .find(|id| language.ids.contains(id))
                    .cloned()
                    .unwrap_or_default();
                return Err(error_at(
                    file.name,
                    file.text,
                    offset_of(file.text, &id),
                    format!("`{id}` is defined twice for `{}`: {message}", language.code),
                ));
            }
            for id in &ids {
                origins.push((id.clone(), file.name, file.text));
            }
            language.ids.extend(ids);
        }
        let Some(((source, _), rest)) = languages.split_first() else {
            return Err(CatalogueError {
                file: "(catalogues)".into(),
                line: 1,
                column: 1,
                message: "no catalogue was given".into(),
            });
        };
        for (language, origins) in rest {
            for id in &source.ids {
                if !language.has(id) {
                    let (file, text) = origins
                        .first()
                        .map_or(("(no file)", ""), |(_, f, t)| (*f, *t));
                    return Err(error_at(
                        file,
                        text,
                        0,
                        format!(
                            "`{}` lacks the message `{id}` that `{}` has",
                            language.code, source.code
                        ),
                    ));
                }
            }
            for (id, file, text) in origins {
                if !source.has(id) {
                    return Err(error_at(
                        file,
                        text,
                        offset_of(text, id),
                        format!(
                            "`{id}` is not a message of `{}`, the source: remove it or add it there",
                            source.code
                        ),
                    ));
                }
            }
        }
        let mut out = Vec::new();
        for (mut language, origins) in languages {
            let status = language
                .bundle
                .get_message("catalogue-status")
                .and_then(|m| m.value())
                .and_then(|p| match p.elements.as_slice() {
                    [ast::PatternElement::TextElement { value }] => Some(value.trim()),
                    _ => None,
                });
            let (file, text) = origins
                .first()
                .map_or(("(no file)", ""), |(_, f, t)| (*f, *t));
            language.review = match status {
                Some("source") => Review::Source,
                Some("draft") => Review::Draft,
                Some("approved") if language.has("catalogue-reviewed-by") => Review::Approved,
                Some("approved") => {
                    return Err(error_at(
                        file,
                        text,
                        offset_of(text, "catalogue-status"),
                        "an approved catalogue names its reviewer in `catalogue-reviewed-by`"
                            .into(),
                    ));
                }
                _ => {
                    return Err(error_at(
                        file,
                        text,
                        offset_of(text, "catalogue-status"),
                        format!(
                            "`{}`: `catalogue-status` must be `source`, `draft` or `approved`",
                            language.code
                        ),
                    ));
                }
            };
            out.push(language);
        }
        Ok(Messages { languages: out })
    }

    /// The product's own catalogues alone.
    pub fn builtin() -> Result<Messages, CatalogueError> {
        Messages::load(builtin_files())
    }

    /// Every language, the source first.
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    /// The language with this code, if there is one.
    pub fn get(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// The source language (the first).
    pub fn source(&self) -> &Language {
        // PANIC SAFETY: `load` refuses an empty set of catalogues.
        #[expect(clippy::indexing_slicing, reason = "load refuses no catalogue")]
        &self.languages[0]
    }

    /// The best language for an `Accept-Language` header (RFC 9110), or
    /// the source when none of the reader's languages is here.
    pub fn negotiate(&self, accept_language: Option<&str>) -> &Language {
        let requested = accept_language
            .map(fluent_langneg::accepted_languages::parse)
            .unwrap_or_default();
        let available: Vec<&LanguageIdentifier> = self.languages.iter().map(|l| &l.tag).collect();
        let chosen = fluent_langneg::negotiate_languages(
            &requested,
            &available,
            None,
            fluent_langneg::NegotiationStrategy::Lookup,
        );
        chosen
            .first()
            .and_then(|tag| self.languages.iter().find(|l| &&l.tag == *tag))
            .unwrap_or_else(|| self.source())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file<'a>(language: &'a str, text: &'a str) -> CatalogueFile<'a> {
        CatalogueFile {
            language,
            name: "test.ftl",
            text,
        }
    }

    #[test]
    fn the_builtin_catalogues_load_and_every_message_formats_in_every_language() {
        let m = Messages::builtin().unwrap();
        let codes: Vec<&str> = m.languages().iter().map(Language::code).collect();
        assert_eq!(codes, ["en", "es", "ht", "pt"]);
        assert_eq!(m.source().review(), Review::Source);
        for l in m.languages() {
            assert_eq!(
                l.ids().count(),
                m.source().ids().count(),
                "{}: the same messages as the source",
                l.code()
            );
            for id in l.ids() {
                let text = l.text_with(
                    id,
                    &[
                        ("n", 2.into()),
                        ("place", "Cambridge".into()),
                        ("date", "2026-03-01".into()),
                    ],
                );
                assert!(!text.trim().is_empty(), "{}: `{id}` is empty", l.code());
                assert!(!text.contains('⟦'), "{}: `{id}`", l.code());
            }
            if l.code() != "en" {
                assert!(
                    l.text("catalogue-draft-notice") != m.source().text("catalogue-draft-notice"),
                    "{}: the draft notice is in the language itself",
                    l.code()
                );
            }
        }
    }

    #[test]
    fn a_missing_or_stray_message_is_an_error_at_its_place() {
        let en = "catalogue-status = source\nhello = Hello\nbye = Bye\n";
        let e = Messages::load([
            file("en", en),
            file("es", "catalogue-status = draft\nhello = Hola\n"),
        ])
        .unwrap_err();
        assert!(e.message.contains("`es` lacks the message `bye`"), "{e}");
        let e = Messages::load([
            file("en", en),
            file(
                "es",
                "catalogue-status = draft\nhello = Hola\nbye = Adiós\nextra = Más\n",
            ),
        ])
        .unwrap_err();
        assert_eq!((e.line, e.column), (4, 1), "{e}");
        assert!(
            e.message.contains("`extra` is not a message of `en`"),
            "{e}"
        );
        let e =
            Messages::load([file("en", "catalogue-status = source\nhello = { $\n")]).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = Messages::load([file("en", "catalogue-status = approved\nhello = Hello\n")])
            .unwrap_err();
        assert!(e.message.contains("names its reviewer"), "{e}");
        let e = Messages::load([file("en", "catalogue-status = maybe\n")]).unwrap_err();
        assert!(
            e.message
                .contains("must be `source`, `draft` or `approved`"),
            "{e}"
        );
        let e = Messages::load([file("en", en), file("en", "hello = Hi\n")]).unwrap_err();
        assert!(e.message.contains("`hello` is defined twice"), "{e}");
    }

    #[test]
    fn the_readers_languages_decide_in_their_order() {
        let m = Messages::builtin().unwrap();
        let pick = |h: Option<&str>| m.negotiate(h).code().to_owned();
        assert_eq!(pick(None), "en");
        assert_eq!(pick(Some("es-419,es;q=0.9,en;q=0.8")), "es");
        assert_eq!(pick(Some("pt-BR")), "pt");
        assert_eq!(pick(Some("ht")), "ht");
        assert_eq!(pick(Some("fr-HT, ht;q=0.9")), "ht");
        assert_eq!(pick(Some("de, en;q=0.5")), "en");
        assert_eq!(pick(Some("zz")), "en");
        assert_eq!(pick(Some(";;;,,,q=")), "en");
    }
}
