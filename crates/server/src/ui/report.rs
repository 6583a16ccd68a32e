//! The 2.129.060 report for staff: counted from the records, each number
//! followed by links to the records behind it (reading it is audited).

use askama::Template;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use trustgate_access::Permission;
use trustgate_report::{Period, ReimbursementRow, Report, local_date};

use super::contacts::staff;
use super::{Chrome, render};
use crate::AppState;
use crate::routes::query_param;

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    chrome: Chrome,
    periods: Vec<(u32, String)>,
    current: u32,
    /// The report's content, rendered by trustgate-render (escaped there).
    body: String,
}

pub(super) async fn show(State(state): State<AppState>, req: Request) -> Response {
    let asked = query_param(req.uri().query(), "period").and_then(|p| p.parse::<u32>().ok());
    let (caller, _) = match staff(&state, req).await {
        Ok(x) => x,
        Err(res) => return res,
    };
    if let Err(e) = caller.require(&state, Permission::ReadAllContacts).await {
        return super::ui_error(e);
    }
    let today = local_date(state.clock.now_ms());
    let periods = Period::through(today);
    let Some(period) = asked
        .and_then(Period::nth)
        .filter(|p| p.from <= today)
        .or_else(|| Period::containing(today))
    else {
        return super::ui_error(crate::AppError::NotFound);
    };
    let days = (period.from.to_string(), period.until.to_string());
    let rows = match state
        .store
        .report_rows(&caller.principal, period.utc_ms(), days)
        .await
    {
        Ok(r) => r,
        Err(e) => return super::ui_error(crate::AppError::from(e)),
    };
    let money: Vec<ReimbursementRow> = rows
        .reimbursements
        .into_iter()
        .map(|(contact, amount_cents, received_on)| ReimbursementRow {
            contact: contact.0,
            amount_cents,
            received_on,
        })
        .collect();
    let place = match state.place() {
        Ok(p) => p,
        Err(e) => return super::ui_error(e),
    };
    let report = Report::count(period, place, &rows.contacts, &money, true);
    let link = |id: i64| format!("/contacts/{id}");
    let page = ReportPage {
        chrome: Chrome::new(
            trustgate_render::report_title(&report),
            "report",
            Some(&caller),
        ),
        periods: periods
            .iter()
            .rev()
            .map(|p| {
                (
                    p.number,
                    format!("{} to {} (period {})", p.from, p.until, p.number),
                )
            })
            .collect(),
        current: period.number,
        body: trustgate_render::render_report_body(&report, &[], Some(&link)),
    };
    render(StatusCode::OK, &page)
}
