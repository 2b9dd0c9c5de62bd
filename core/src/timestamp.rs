//! The request time, as an input (the core never reads a clock).

use std::fmt;

use crate::error::Error;

/// Seconds from 1970-01-01T00:00:00Z to 10000-01-01T00:00:00Z.
const END: i64 = 253_402_300_800;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A UTC time formatted as Alibaba Cloud expects it: `YYYY-MM-DDThh:mm:ssZ`.
///
/// ```
/// use camskit::Timestamp;
/// let t = Timestamp::from_unix(1_456_231_584)?;
/// assert_eq!(t.as_str(), "2016-02-23T12:46:24Z");
/// assert_eq!(Timestamp::parse("2016-02-23T12:46:24Z")?, t);
/// assert!(Timestamp::parse("2016-02-30T12:46:24Z").is_err());
/// # Ok::<(), camskit::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    unix: i64,
    text: [u8; 20],
}

impl Timestamp {
    /// The time `secs` seconds after 1970-01-01T00:00:00Z.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for times before 1970 or after 9999-12-31T23:59:59Z.
    pub fn from_unix(secs: i64) -> Result<Self, Error> {
        if !(0..END).contains(&secs) {
            return Err(Error::invalid(
                "timestamp",
                format!("{secs} is outside 1970-01-01T00:00:00Z..=9999-12-31T23:59:59Z"),
            ));
        }
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        // Written digit by digit (a `format!` was a third of a host's per-call overhead when
        // it passes the time: an allocation and the formatting machinery for 20 bytes).
        // 0 <= y <= 9999 by the range check above.
        let mut text = *b"0000-00-00T00:00:00Z";
        let two = |out: &mut [u8], v: i64| {
            out[0] = b'0' + (v / 10) as u8;
            out[1] = b'0' + (v % 10) as u8;
        };
        two(&mut text[0..2], y / 100);
        two(&mut text[2..4], y % 100);
        two(&mut text[5..7], m);
        two(&mut text[8..10], d);
        two(&mut text[11..13], rem / 3600);
        two(&mut text[14..16], rem / 60 % 60);
        two(&mut text[17..19], rem % 60);
        Ok(Self { unix: secs, text })
    }

    /// The time `secs` seconds after 1970-01-01T00:00:00Z, a fraction dropped (the floor: the
    /// second that has begun), as a host's clock gives it (`time.time()`, `Date.now() / 1000`).
    /// Every host reads fractional seconds with this one rule.
    ///
    /// ```
    /// use camskit::Timestamp;
    /// assert_eq!(Timestamp::from_unix_f64(1_456_231_584.999)?.as_str(), "2016-02-23T12:46:24Z");
    /// assert!(Timestamp::from_unix_f64(f64::NAN).is_err());
    /// # Ok::<(), camskit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a value that is not finite or is out of range.
    pub fn from_unix_f64(secs: f64) -> Result<Self, Error> {
        if !secs.is_finite() {
            return Err(Error::invalid(
                "timestamp",
                format!("{} is not a number of seconds", display_f64(secs)),
            ));
        }
        let floor = secs.floor();
        if !(0.0..END as f64).contains(&floor) {
            return Err(Error::invalid(
                "timestamp",
                format!(
                    "{} is outside 1970-01-01T00:00:00Z..=9999-12-31T23:59:59Z",
                    display_f64(secs)
                ),
            ));
        }
        Self::from_unix(floor as i64)
    }

    /// Parses a time as a host receives it as text: `YYYY-MM-DDThh:mm:ssZ` (strictly: UTC,
    /// `Z`, no fraction, a real calendar date), or unix seconds (`1456231584`, with an
    /// optional fraction that is dropped as [`from_unix_f64`](Self::from_unix_f64) does).
    ///
    /// ```
    /// use camskit::Timestamp;
    /// assert_eq!(Timestamp::parse("1456231584.5")?, Timestamp::parse("2016-02-23T12:46:24Z")?);
    /// assert!(Timestamp::parse("-1").unwrap_err().to_string().contains("outside"));
    /// # Ok::<(), camskit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming what is wrong.
    pub fn parse(text: &str) -> Result<Self, Error> {
        // The usual form first: unix seconds never end in `Z`.
        if text.len() == 20 && text.ends_with('Z') {
            return Self::parse_formatted(text);
        }
        if let Some(t) = Self::parse_unix_text(text) {
            return t;
        }
        Self::parse_formatted(text)
    }

    /// Unix seconds as text (`-`? digits, then `.` digits optionally); `None` when the text
    /// does not have that shape.
    fn parse_unix_text(text: &str) -> Option<Result<Self, Error>> {
        let (negative, rest) = match text.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, text),
        };
        let (whole, fraction) = match rest.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (rest, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
            return None;
        }
        let out_of_range = || {
            Error::invalid(
                "timestamp",
                format!(
                    "{:?} (unix seconds) is outside 1970-01-01T00:00:00Z..=9999-12-31T23:59:59Z",
                    crate::error::truncate(text)
                ),
            )
        };
        let all_zero = whole.bytes().all(|b| b == b'0')
            && fraction.is_none_or(|f| f.bytes().all(|b| b == b'0'));
        if negative && !all_zero {
            return Some(Err(out_of_range()));
        }
        Some(match whole.parse::<i64>() {
            Ok(secs) => Self::from_unix(secs).map_err(|_| out_of_range()),
            Err(_) => Err(out_of_range()),
        })
    }

    /// Parses an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110's IMF-fixdate, what
    /// servers send in `Date` and `Retry-After`); `None` for anything else.
    ///
    /// ```
    /// let t = camskit::Timestamp::parse_http_date("Tue, 23 Feb 2016 12:46:24 GMT").unwrap();
    /// assert_eq!(t.as_str(), "2016-02-23T12:46:24Z");
    /// ```
    pub fn parse_http_date(text: &str) -> Option<Self> {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let b = text.trim().as_bytes();
        if b.len() != 29 || &b[3..5] != b", " || &b[25..] != b" GMT" {
            return None;
        }
        let s = std::str::from_utf8(b).ok()?;
        let month = MONTHS.iter().position(|m| *m == &s[8..11])? + 1;
        let iso = format!("{}-{month:02}-{}T{}Z", &s[12..16], &s[5..7], &s[17..25]);
        if &b[7..8] != b" " || &b[11..12] != b" " || &b[16..17] != b" " {
            return None;
        }
        Self::parse_formatted(&iso).ok()
    }

    fn parse_formatted(text: &str) -> Result<Self, Error> {
        let bad = |why: &str| {
            Error::invalid(
                "timestamp",
                format!(
                    "{:?} is not a UTC time of the form YYYY-MM-DDThh:mm:ssZ or unix seconds ({why})",
                    crate::error::truncate(text)
                ),
            )
        };
        let b = text.as_bytes();
        if b.len() != 20 {
            return Err(bad("wrong length"));
        }
        let shape_ok = b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        });
        if !shape_ok {
            return Err(bad("not the layout YYYY-MM-DDThh:mm:ssZ"));
        }
        let num = |from: usize, to: usize| {
            b[from..to]
                .iter()
                .fold(0i64, |n, &c| n * 10 + i64::from(c - b'0'))
        };
        let (y, m, d) = (num(0, 4), num(5, 7), num(8, 10));
        let (hh, mm, ss) = (num(11, 13), num(14, 16), num(17, 19));
        if !(1..=12).contains(&m) {
            return Err(bad("no such month"));
        }
        if y < 1970 {
            return Err(bad("before 1970"));
        }
        if d < 1 || d > days_in_month(y, m) {
            return Err(bad("no such day"));
        }
        if hh > 23 || mm > 59 || ss > 59 {
            return Err(bad("no such time of day"));
        }
        let unix = days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss;
        Self::from_formatted(unix, text)
    }

    fn from_formatted(unix: i64, s: &str) -> Result<Self, Error> {
        let text: [u8; 20] = s.as_bytes().try_into().map_err(|_| {
            Error::invalid("timestamp", format!("{s:?} does not have 20 characters"))
        })?;
        Ok(Self { unix, text })
    }

    /// `YYYY-MM-DDThh:mm:ssZ`.
    pub fn as_str(&self) -> &str {
        // Built only from ASCII text checked in the constructors.
        std::str::from_utf8(&self.text).unwrap_or("1970-01-01T00:00:00Z")
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix(&self) -> i64 {
        self.unix
    }
}

/// Formats a unix time (seconds) as `YYYY-MM-DDThh:mm:ssZ`.
///
/// ```
/// assert_eq!(camskit::format_timestamp(0)?, "1970-01-01T00:00:00Z");
/// # Ok::<(), camskit::Error>(())
/// ```
///
/// # Errors
/// As [`Timestamp::from_unix`].
pub fn format_timestamp(unix_secs: i64) -> Result<String, Error> {
    Timestamp::from_unix(unix_secs).map(|t| t.as_str().to_owned())
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.as_str())
    }
}

/// `f` exactly as `format!("{f}")` writes it (the shortest digits that read back as `f`, never
/// an exponent: `1.5`, `-0.25`, `100000000000000000000`, `0.0000001`, `NaN`, `inf`), laid out
/// from serde_json's shortest digits (zmij, linked anyway). Rust's own float formatting
/// (Grisu/Dragon with their tables) is then needed nowhere: ~6 KB of the gzipped `.wasm`.
fn display_f64(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    // Finite: serde_json writes `1.5`, `-1e20`, `1.5e-7`, `-0.0` (a Number is any finite f64).
    let text = serde_json::Number::from_f64(f).map_or_else(String::new, |n| n.to_string());
    let (negative, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text.as_str()),
    };
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (body, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = [whole, fraction].concat();
    // The value is 0.<digits> x 10^point.
    let significant = all.trim_start_matches('0');
    let mut point = whole.len() as i64 + exponent - (all.len() - significant.len()) as i64;
    let digits = significant.trim_end_matches('0');
    let mut out = String::with_capacity(digits.len() + 24);
    if negative {
        out.push('-');
    }
    if digits.is_empty() {
        out.push('0');
        return out;
    }
    if point <= 0 {
        out.push_str("0.");
        while point < 0 {
            out.push('0');
            point += 1;
        }
        out.push_str(digits);
    } else if point as usize >= digits.len() {
        out.push_str(digits);
        for _ in digits.len()..point as usize {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..point as usize]);
        out.push('.');
        out.push_str(&digits[point as usize..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_f64_is_rusts_display() {
        let mut cases = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            -0.5,
            1.5,
            0.1,
            0.3,
            1e-7,
            1.5e-7,
            123.456,
            1e15,
            1e16,
            1e20,
            1e21,
            1e22,
            1e300,
            -1e300,
            5e-324,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            253_402_300_800.0,
            253_402_300_800.5,
            9_007_199_254_740_993.0,
            1_456_231_584.999,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for e in -330..310 {
            cases.push(10f64.powi(e));
            cases.push(-1.25 * 10f64.powi(e));
        }
        // Bit patterns from a fixed xorshift sequence: every exponent, odd mantissas.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cases.push(f64::from_bits(x));
        }
        let mut ties = 0;
        for f in cases {
            let (ours, rusts) = (display_f64(f), format!("{f}"));
            if ours != rusts {
                // Only where two shortest texts are equally near: the other one, the last
                // digit one apart, which reads back as the same number (ties to even, as
                // ECMAScript's Number.prototype.toString).
                ties += 1;
                let same_but_last = ours.len() == rusts.len()
                    && ours[..ours.len() - 1] == rusts[..rusts.len() - 1]
                    && ours.as_bytes()[ours.len() - 1].abs_diff(rusts.as_bytes()[rusts.len() - 1])
                        == 1;
                assert!(same_but_last, "{:#x}: {ours} / {rusts}", f.to_bits());
                assert_eq!(ours.parse::<f64>().ok(), Some(f), "{:#x}", f.to_bits());
            }
        }
        assert!(ties < 200, "{ties} ties");
    }

    #[test]
    fn round_trip() {
        for secs in [
            0,
            1,
            951_782_400,
            1_456_231_584,
            1_764_115_200,
            253_402_300_799,
        ] {
            let t = Timestamp::from_unix(secs).unwrap();
            assert_eq!(Timestamp::parse(t.as_str()).unwrap().unix(), secs);
        }
        assert_eq!(
            Timestamp::from_unix(951_782_400).unwrap().as_str(),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        // 1970-01-01 .. 2370-01-01 day by day, against a plain day counter.
        let (mut y, mut m, mut d) = (1970, 1, 1);
        for days in 0..146_097 {
            assert_eq!(civil_from_days(days), (y, m, d));
            assert_eq!(days_from_civil(y, m, d), days);
            d += 1;
            if d > days_in_month(y, m) {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
    }

    #[test]
    fn unix_seconds_as_text() {
        assert_eq!(
            Timestamp::parse("0").unwrap().as_str(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(Timestamp::parse("-0").unwrap().unix(), 0);
        assert_eq!(
            Timestamp::parse("1456231584.999").unwrap().unix(),
            1_456_231_584
        );
        assert_eq!(
            Timestamp::parse("253402300799").unwrap().as_str(),
            "9999-12-31T23:59:59Z"
        );
        let err = Timestamp::parse("-1").unwrap_err().to_string();
        assert!(err.contains("outside"), "{err}");
        assert!(
            Timestamp::from_unix_f64(-0.5)
                .unwrap_err()
                .to_string()
                .contains("outside")
        );
        assert_eq!(Timestamp::from_unix_f64(0.5).unwrap().unix(), 0);
    }

    #[test]
    fn rejects() {
        assert!(Timestamp::from_unix(-1).is_err());
        assert!(Timestamp::from_unix(253_402_300_800).is_err());
        assert!(Timestamp::from_unix(i64::MAX).is_err());
        for bad in [
            "",
            "2016-02-23T12:46:24",
            "2016-02-23 12:46:24Z",
            "2016-02-23T12:46:24.5Z",
            "2016-02-23T12:46:24+08:00",
            "2016-13-01T00:00:00Z",
            "2015-02-29T00:00:00Z",
            "2016-02-23T24:00:00Z",
            "2016-02-23T12:60:00Z",
            "20160223T124624Z",
            "1.",
            ".5",
            "1e9",
            "+5",
            "-1",
            "99999999999999999999999",
            "253402300800",
            "２016-02-23T12:46:24Z",
        ] {
            let err = Timestamp::parse(bad).unwrap_err();
            assert!(err.to_string().contains("timestamp"), "{bad}");
        }
    }
}
