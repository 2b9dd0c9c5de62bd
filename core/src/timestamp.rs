//! The request time, as an input (the core never reads a clock).

use std::fmt;

use time::{
    OffsetDateTime, PrimitiveDateTime, format_description::FormatItem, macros::format_description,
};

use crate::error::Error;

const FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

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
        let dt = OffsetDateTime::from_unix_timestamp(secs)
            .ok()
            .filter(|dt| (1970..=9999).contains(&dt.year()))
            .ok_or_else(|| {
                Error::invalid(
                    "timestamp",
                    format!("{secs} is outside 1970-01-01T00:00:00Z..=9999-12-31T23:59:59Z"),
                )
            })?;
        let s = dt
            .format(FORMAT)
            .map_err(|e| Error::invalid("timestamp", e.to_string()))?;
        Self::from_formatted(secs, &s)
    }

    /// Parses `YYYY-MM-DDThh:mm:ssZ` strictly (UTC, `Z`, no fraction, a real calendar date).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming what is wrong.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let bad = |why: &str| {
            Error::invalid(
                "timestamp",
                format!("{text:?} is not a UTC time of the form YYYY-MM-DDThh:mm:ssZ ({why})"),
            )
        };
        if text.len() != 20 || !text.is_ascii() {
            return Err(bad("wrong length"));
        }
        let dt = PrimitiveDateTime::parse(text, FORMAT).map_err(|e| bad(&e.to_string()))?;
        let unix = dt.assume_utc().unix_timestamp();
        if unix < 0 {
            return Err(bad("before 1970"));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

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
            "２016-02-23T12:46:24Z",
        ] {
            let err = Timestamp::parse(bad).unwrap_err();
            assert!(err.to_string().contains("timestamp"), "{bad}");
        }
    }
}
