//! # trustgate-report-pdf: the 2.129.060 report as a tagged, accessible PDF
//!
//! The report is typeset by [Typst](https://typst.app) from a template
//! compiled into this crate (`report.typ`) and the report's own JSON, and
//! exported as PDF/UA-1: tagged, with a title, a language, table headers and
//! a reading order, so a screen reader reads it as the HTML page reads.
//! Typst refuses to export a document that breaks PDF/UA-1, so an
//! inaccessible PDF is an error here, not a silent output.
//!
//! The same report always gives the same bytes: the fonts are compiled in
//! (none is read from the machine), the document carries no creation time,
//! and its identifier is derived from the period.
//!
//! Typesetting takes CPU time (tens of milliseconds in a release build):
//! callers on an async runtime run it on a blocking thread.

use std::sync::LazyLock;

use thiserror::Error;
use trustgate_report::{Report, dollars};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, Duration, IntoValue as _, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt as _, World, WorldExt as _};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

/// The template, kept beside this file so reviewers read it as Typst.
const TEMPLATE: &str = include_str!("report.typ");

/// Why a report could not be made into a PDF. Either is a defect of this
/// crate (its template or Typst), never of the records: the report's values
/// are inserted as text.
#[derive(Debug, Error)]
pub enum PdfError {
    /// Typesetting failed; `at` is the template's `line:column`.
    #[error("report.typ:{at}: {message}{hints}")]
    Typeset {
        at: String,
        message: String,
        hints: String,
    },
    /// The PDF could not be written (a PDF/UA-1 rule broken, say).
    #[error("PDF export: {0}")]
    Export(String),
}

/// The report as a PDF/UA-1 document.
pub fn report_pdf(report: &Report) -> Result<Vec<u8>, PdfError> {
    let money = serde_json::json!({
        "total": dollars(report.d.total_cents),
        "cases": report.d.by_case.iter().map(|c| dollars(c.total_cents)).collect::<Vec<_>>(),
    });
    let mut inputs = Dict::new();
    inputs.insert("report".into(), report.to_json().into_value());
    inputs.insert("money".into(), money.to_string().into_value());
    let world = ReportWorld::new(inputs)?;

    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| typeset_error(&world, &errors))?;
    let options = PdfOptions {
        ident: Smart::Custom(format!(
            "cambridge-2.129.060-period-{}",
            report.period.number
        )),
        creator: Smart::Custom(Some("trustgate".to_owned())),
        timestamp: None,
        standards: PdfStandards::new(&[PdfStandard::Ua_1])
            .map_err(|e| PdfError::Export(e.message().to_string()))?,
        tagged: true,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| {
        PdfError::Export(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

fn typeset_error(world: &ReportWorld, errors: &[SourceDiagnostic]) -> PdfError {
    let Some(first) = errors.first() else {
        return PdfError::Export("Typst failed without a diagnostic".to_owned());
    };
    let at = world
        .range(first.span)
        .and_then(|range| {
            let lines = world.main.lines();
            let line = lines.byte_to_line(range.start)?;
            let column = lines.byte_to_column(range.start)?;
            Some(format!("{}:{}", line + 1, column + 1))
        })
        .unwrap_or_else(|| "?".to_owned());
    PdfError::Typeset {
        at,
        message: first.message.to_string(),
        hints: first
            .hints
            .iter()
            .map(|h| format!(" (hint: {})", h.v))
            .collect(),
    }
}

/// Typst's fonts, parsed once per process.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// The world one report is typeset in: the template as its only file, the
/// compiled-in fonts, no clock, no file system, no packages.
struct ReportWorld {
    library: LazyHash<Library>,
    main: Source,
}

impl ReportWorld {
    fn new(inputs: Dict) -> Result<Self, PdfError> {
        let path = VirtualPath::new("report.typ")
            .map_err(|e| PdfError::Export(format!("the template's path: {e:?}")))?;
        let id = FileId::new(RootedPath::new(VirtualRoot::Project, path));
        Ok(Self {
            library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
            main: Source::new(id, TEMPLATE.to_owned()),
        })
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    /// No clock: a report's bytes depend on its records alone.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
