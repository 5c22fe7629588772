//! How current a text's review is. A medical text last reviewed more than a year ago may no
//! longer be right, so mbc marks it wherever it shows one; a review date after today vouches
//! for a review that has not happened, so it is refused.

use std::time::{Duration, SystemTime};

/// The environment variable that sets "today" (`YYYY-MM-DD`), for tests and for reviewing a
/// corpus as of a date.
pub const TODAY_VAR: &str = "MBC_TODAY";

/// Today's date, `YYYY-MM-DD` (UTC), or [`TODAY_VAR`] when it holds such a date.
pub fn today() -> String {
    std::env::var(TODAY_VAR)
        .ok()
        .filter(|date| midnight(date).is_some())
        .unwrap_or_else(|| day_of(SystemTime::now()))
}

/// The latest day a review date may be: [`today`], or the clock's day when that is later.
/// Reviewing a corpus as of an earlier day ([`TODAY_VAR`] in the past) made every text reviewed
/// since then "after today", and indexing failed.
pub fn latest_review_day() -> String {
    today().max(day_of(SystemTime::now()))
}

/// What is wrong with [`TODAY_VAR`], when it is set but holds no `YYYY-MM-DD` date: [`today`]
/// then falls back to the clock, and a curator reviewing a corpus "as of" a mistyped date
/// would be told about the wrong day without knowing it.
pub fn today_var_problem() -> Option<String> {
    let value = std::env::var_os(TODAY_VAR)?;
    let shown = value.to_string_lossy();
    match midnight(&shown) {
        Some(_) => None,
        None => Some(format!(
            "{TODAY_VAR}={shown} is not a date: give it as YYYY-MM-DD, such as 2026-12-03, or unset it to use today's"
        )),
    }
}

/// True when a text last reviewed on `last_reviewed` is due for another review on `today`: a
/// year or more has passed.
pub fn overdue(last_reviewed: &str, today: &str) -> bool {
    a_year_before(today).is_some_and(|cutoff| last_reviewed < cutoff.as_str())
}

/// The same day a year earlier, for a `YYYY-MM-DD` date (29 February stays 29 February, which
/// still compares as the day after the 28th).
pub fn a_year_before(date: &str) -> Option<String> {
    let (year, rest) = date.split_once('-')?;
    let year: u32 = year.parse().ok()?;
    Some(format!("{:04}-{rest}", year.checked_sub(1)?))
}

/// True when `date` is later than the day after `today`. A day's grace, because "today" is
/// UTC's and a reviewer east of Greenwich may already be in tomorrow.
pub fn after_today(date: &str, today: &str) -> bool {
    match midnight(today) {
        Some(start) => date > day_of(start + Duration::from_secs(24 * 60 * 60)).as_str(),
        None => false,
    }
}

/// Midnight UTC at the start of a `YYYY-MM-DD` date.
fn midnight(date: &str) -> Option<SystemTime> {
    let well_formed = date.len() == 10 && date.is_ascii();
    well_formed
        .then(|| humantime::parse_rfc3339(&format!("{date}T00:00:00Z")).ok())
        .flatten()
}

/// The `YYYY-MM-DD` date (UTC) of a moment.
fn day_of(moment: SystemTime) -> String {
    humantime::format_rfc3339_seconds(moment).to_string()[..10].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_is_overdue_a_year_and_a_day_after_it() {
        assert!(!overdue("2025-12-03", "2026-12-03"));
        assert!(overdue("2025-12-02", "2026-12-03"));
        assert!(overdue("2019-03-01", "2026-12-03"));
        assert!(!overdue("2026-11-30", "2026-12-03"));
    }

    #[test]
    fn a_review_date_may_be_tomorrow_but_not_later() {
        assert!(!after_today("2026-12-03", "2026-12-03"));
        assert!(!after_today("2026-12-04", "2026-12-03"));
        assert!(after_today("2026-12-05", "2026-12-03"));
        assert!(
            !after_today("2027-01-01", "2026-12-31"),
            "tomorrow, across a year"
        );
        assert!(after_today("2027-01-02", "2026-12-31"));
        assert!(
            !after_today("2027-01-01", "2026-12-31x"),
            "no today, no verdict"
        );
    }

    #[test]
    fn today_is_a_date() {
        let today = today();
        assert!(midnight(&today).is_some(), "{today}");
    }
}
