//! Virtual time written as the dates Graph writes: the `Date` header of a download and the
//! `date` of an error's `innerError`. Virtual time 0 is `inferred::EPOCH_MS`.

/// The civil date and time of ms since the Unix epoch: `(year, month, day, h, m, s)` and the
/// days since 1970-01-01 (a Thursday).
fn civil(ms: u64) -> ((i64, usize, i64), (u64, u64, u64), u64) {
    let secs = ms / 1000;
    let days = secs / 86_400;
    let time = ((secs % 86_400) / 3600, (secs % 3600) / 60, secs % 60);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    ((year, month as usize, day), time, days)
}

/// An IMF-fixdate (`Thu, 17 Jan 2019 01:46:37 GMT`).
pub fn http_date(ms: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let ((year, month, day), (h, m, s), days) = civil(ms);
    format!("{}, {day:02} {} {year} {h:02}:{m:02}:{s:02} GMT", DAYS[(days % 7) as usize], MONTHS[month - 1])
}

/// The `date` of an error's `innerError`, as live Graph writes it (`2019-01-17T01:46:37`).
pub fn iso_date(ms: u64) -> String {
    let ((year, month, day), (h, m, s), _) = civil(ms);
    format!("{year}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::inferred::EPOCH_MS;

    #[test]
    fn dates_like_the_docs_examples() {
        assert_eq!(http_date(EPOCH_MS), "Thu, 17 Jan 2019 01:46:37 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(951_782_400_000), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(iso_date(EPOCH_MS), "2019-01-17T01:46:37");
        assert_eq!(iso_date(951_782_400_000 + 86_399_999), "2000-02-29T23:59:59");
    }
}
