//! The store's tests: one conformance suite run on both backends (a fresh
//! SQLite file, or a fresh PostgreSQL schema, per test), and a few checks
//! particular to one backend.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    unreachable_pub,
    reason = "tests"
)]

mod backend_specific;
mod complaints;
mod conformance;
mod harness;
mod late_entries;
mod record_edits;
mod record_tampering;
mod records;
mod sign_in;
mod tampering;
mod text_and_units;

use complaints::*;
use conformance::*;
use late_entries::*;
use record_tampering::*;
use records::*;
use sign_in::*;
use text_and_units::*;

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::harness::run(crate::harness::Backend::Sqlite, crate::$name).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::harness::run(crate::harness::Backend::Postgres, crate::$name).await
                }
            )*
        }
    };
}

conformance!(
    record_then_read_round_trips_every_field,
    kept_decisions_page_for_readers_of_all_only,
    reads_are_audited,
    log_verifies_after_many_operations,
    prohibited_act_done_is_a_compliance_exception,
    unknown_id_is_not_found_and_appends_nothing,
    invalid_input_is_refused_and_appends_nothing,
    audit_log_and_exceptions_are_append_only,
    changing_an_entry_in_sql_is_caught,
    deleting_an_entry_in_sql_is_caught,
    concurrent_writers_keep_one_chain,
    obligations_come_from_the_decision_and_are_fulfilled_once,
    exceptions_are_routed_listed_and_explained_never_changed,
    reimbursements_are_kept_by_case,
    own_reach_hides_other_peoples_contacts_and_audits_the_attempt,
    sign_in_locks_after_five_failures_and_refuses_replayed_codes,
    idle_sessions_expire,
    api_tokens_carry_their_scopes,
    failures_in_a_batch_do_not_sink_the_others,
    personal_data_is_sealed_at_rest_and_rotated,
    disabled_accounts_cannot_sign_in_and_their_sessions_end,
    open_obligations_are_listed_by_due_time,
    proofs_from_the_stored_log_verify,
    report_counters_match_the_records,
    enrolment_sets_ones_own_credentials_once,
    // What a record may hold as text (issue 10, item 6).
    a_receiving_unit_off_the_places_list_is_refused,
    control_characters_are_refused_in_every_text_field,
    // Late entries into a published period (issue 10, item 7).
    a_contact_in_a_published_period_is_a_late_entry_that_says_why,
    // Sign-in guards (issue 10, item 8).
    a_name_locks_only_for_the_source_that_failed,
    unknown_names_are_counted_like_known_ones,
    many_sources_brake_a_name_without_locking_its_owner_out,
    sign_in_stores_no_address_or_unknown_name_in_clear,
    // Records edited, deleted or inserted in the database (issue 10, item 2).
    every_stored_column_is_covered_or_said_not_to_be,
    decision_rewritten_from_prohibited_to_permitted_is_found,
    compliance_flag_cleared_is_found,
    acts_done_emptied_is_found,
    compliance_exception_deleted_is_found,
    compliance_exception_rerouted_is_found,
    explanation_rewritten_is_found,
    obligation_marked_fulfilled_is_found,
    obligation_deleted_is_found,
    reimbursement_changed_is_found,
    sealed_personal_data_swapped_is_found,
    report_counter_zeroed_is_found_by_day,
    account_role_changed_is_found,
    account_password_replaced_is_found,
    a_cleared_sign_in_lock_is_not_a_record,
    disabled_account_enabled_again_is_found,
    account_inserted_is_found,
    token_scopes_widened_is_found,
    token_unrevoked_is_found,
    token_inserted_is_found,
    contact_deleted_is_found,
    contact_deleted_leaving_its_rows_is_found,
    contact_inserted_is_found,
    obligation_of_no_contact_inserted_is_found,
    edit_then_read_is_found,
    inserted_contact_then_read_is_found,
    a_forged_session_is_not_a_record,
    old_logs_still_verify_and_say_what_they_cannot_protect,
    // Complaints under 2.129.050 (issue 12, item 4).
    complaints_are_filed_sealed_routed_and_followed_by_code,
    complaints_move_forward_with_notices_the_complainant_reads,
    the_queue_is_by_office_open_and_overdue_and_duties_are_fulfilled_once,
    every_role_against_every_complaint_operation,
    complaint_edits_are_found,
);
