//! Where a request goes.

use std::fmt;

use crate::error::Error;

/// The region camskit uses when none is given: CAMS's international region.
pub const DEFAULT_REGION: &str = "ap-southeast-1";

/// The scheme, host and port a signed request is sent to.
///
/// ```
/// use camskit::Endpoint;
/// assert_eq!(Endpoint::default().base_url(), "https://cams.ap-southeast-1.aliyuncs.com");
/// assert_eq!(Endpoint::region("cn-hangzhou")?.host(), "cams.cn-hangzhou.aliyuncs.com");
/// let local = Endpoint::parse("http://127.0.0.1:8080")?;
/// assert_eq!(local.base_url(), "http://127.0.0.1:8080");
/// assert!(local.is_local());
/// # Ok::<(), camskit::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    scheme: Scheme,
    /// Host with `:port` when one was given.
    host: String,
    /// `scheme://host[:port]`.
    base: String,
}

/// `http` or `https`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// Plain HTTP (local test servers).
    Http,
    /// HTTPS, the default.
    Https,
}

impl Scheme {
    /// `"http"` or `"https"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

impl Default for Endpoint {
    fn default() -> Self {
        Self::new(Scheme::Https, format!("cams.{DEFAULT_REGION}.aliyuncs.com"))
    }
}

impl Endpoint {
    /// The public CAMS endpoint of a region: `https://cams.<region>.aliyuncs.com`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] unless the region id is made of lower-case letters, digits and
    /// `-` (such as `ap-southeast-1`).
    pub fn region(region_id: &str) -> Result<Self, Error> {
        let ok = !region_id.is_empty()
            && region_id.len() <= 64
            && region_id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !region_id.starts_with('-')
            && !region_id.ends_with('-');
        if !ok {
            return Err(Error::invalid(
                "region id",
                format!(
                    "{region_id:?} is not a region id (lower-case letters, digits and '-', such as \"ap-southeast-1\")"
                ),
            ));
        }
        Ok(Self::new(
            Scheme::Https,
            format!("cams.{region_id}.aliyuncs.com"),
        ))
    }

    /// An explicit endpoint: a host (`cams.ap-southeast-1.aliyuncs.com`, HTTPS), a host and
    /// port, or a URL with scheme and optional port (`http://127.0.0.1:8080`). A trailing `/`
    /// is allowed; any other path, a query or user info is an error.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming what is wrong with the endpoint.
    pub fn parse(endpoint: &str) -> Result<Self, Error> {
        let bad = |why: &str| Error::invalid("endpoint", format!("{endpoint:?}: {why}"));
        let (scheme, rest) = match endpoint.split_once("://") {
            Some((s, rest)) => {
                let scheme = match s.to_ascii_lowercase().as_str() {
                    "http" => Scheme::Http,
                    "https" => Scheme::Https,
                    _ => return Err(bad("the scheme must be http or https")),
                };
                (scheme, rest)
            }
            None => (Scheme::Https, endpoint),
        };
        let host = rest.strip_suffix('/').unwrap_or(rest);
        if host.is_empty() {
            return Err(bad("no host"));
        }
        if host.contains(['/', '?', '#', '@']) {
            return Err(bad(
                "only a host and an optional port are allowed (no path, query or user info)",
            ));
        }
        let (name, port) = split_port(host).ok_or_else(|| bad("the port is not a number"))?;
        if let Some(port) = port {
            if port.is_empty() || port.len() > 5 || port.parse::<u16>().map_or(true, |p| p == 0) {
                return Err(bad("the port must be a number from 1 to 65535"));
            }
        }
        let name_ok = if let Some(v6) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            !v6.is_empty()
                && v6
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        } else {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
        };
        if !name_ok {
            return Err(bad(
                "the host may hold only letters, digits, '-', '.' and '_' (or an [IPv6] address)",
            ));
        }
        Ok(Self::new(scheme, host.to_ascii_lowercase()))
    }

    fn new(scheme: Scheme, host: String) -> Self {
        let base = format!("{}://{host}", scheme.as_str());
        Self { scheme, host, base }
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host, with `:port` when one was given (the value of the `Host` header).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// `scheme://host[:port]`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Is this a loopback endpoint (`localhost`, `127.x.x.x`, `[::1]`)? The CLI sends to
    /// those without real credentials.
    pub fn is_local(&self) -> bool {
        let (name, _) = split_port(&self.host).unwrap_or((&self.host, None));
        name == "localhost" || name == "[::1]" || name.starts_with("127.")
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

/// Splits `host[:port]` (IPv6 in brackets). `None` when what follows the host is not a port.
fn split_port(host: &str) -> Option<(&str, Option<&str>)> {
    if host.starts_with('[') {
        let end = host.find(']')?;
        let (name, rest) = host.split_at(end + 1);
        return match rest.strip_prefix(':') {
            Some(port) if port.bytes().all(|b| b.is_ascii_digit()) => Some((name, Some(port))),
            Some(_) => None,
            None if rest.is_empty() => Some((name, None)),
            None => None,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => Some((name, Some(port))),
        Some(_) => None,
        None => Some((host, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_and_default() {
        assert_eq!(
            Endpoint::region("ap-southeast-1").unwrap(),
            Endpoint::default()
        );
        for bad in ["", "AP", "a b", "-x", "x-", "cn/hz", "cams.x"] {
            assert!(Endpoint::region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn explicit_endpoints() {
        let e = Endpoint::parse("cams.cn-hangzhou.aliyuncs.com").unwrap();
        assert_eq!(e.base_url(), "https://cams.cn-hangzhou.aliyuncs.com");
        let e = Endpoint::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!((e.scheme(), e.host()), (Scheme::Http, "127.0.0.1:8080"));
        assert!(e.is_local());
        let e = Endpoint::parse("https://[::1]:9000").unwrap();
        assert_eq!(e.host(), "[::1]:9000");
        assert!(e.is_local());
        assert!(!Endpoint::default().is_local());
        for bad in [
            "",
            "ftp://x",
            "http://",
            "http://x/path",
            "x?y",
            "u@h",
            "h:abc",
            "h:0",
            "h:70000",
            "h x",
            "http://[zz]",
        ] {
            let err = Endpoint::parse(bad).unwrap_err();
            assert!(err.to_string().contains("endpoint"), "{bad}: {err}");
        }
    }
}
