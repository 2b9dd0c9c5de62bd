//! Where a request goes.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::error::Error;
use crate::error::truncate;

/// The region camskit uses when none is given: CAMS's international region.
pub const DEFAULT_REGION: &str = "ap-southeast-1";

/// The scheme, host and port a signed request is sent to.
///
/// ```
/// use camskit::Endpoint;
/// assert_eq!(Endpoint::default().base_url(), "https://cams.ap-southeast-1.aliyuncs.com");
/// let local = Endpoint::parse("http://127.0.0.1:8080")?;
/// assert_eq!(local.base_url(), "http://127.0.0.1:8080");
/// assert!(local.is_loopback());
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

    /// The endpoint a host's options name: a region, an explicit endpoint, both (when they
    /// agree), or neither ([`DEFAULT_REGION`]). The one rule every host applies.
    ///
    /// ```
    /// use camskit::Endpoint;
    /// assert_eq!(Endpoint::resolve(None, None)?, Endpoint::default());
    /// assert_eq!(Endpoint::resolve(Some("ap-southeast-1"), Some("cams.ap-southeast-1.aliyuncs.com"))?, Endpoint::default());
    /// assert!(Endpoint::resolve(Some("ap-southeast-1"), Some("http://127.0.0.1:9")).is_err());
    /// # Ok::<(), camskit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed region or endpoint, or when both are given and
    /// the region's endpoint is not the one given.
    pub fn resolve(region: Option<&str>, endpoint: Option<&str>) -> Result<Self, Error> {
        match (region, endpoint) {
            (None, None) => Ok(Self::default()),
            (Some(r), None) => Self::region(r),
            (None, Some(e)) => Self::parse(e),
            (Some(r), Some(e)) => {
                let (by_region, given) = (Self::region(r)?, Self::parse(e)?);
                if by_region == given {
                    Ok(given)
                } else {
                    Err(Error::invalid(
                        "endpoint",
                        format!(
                            "region {r:?} means {by_region} but the endpoint given is {given}: give one of them"
                        ),
                    ))
                }
            }
        }
    }

    /// An explicit endpoint: a host (`cams.ap-southeast-1.aliyuncs.com`, HTTPS), a host and
    /// port, or a URL with scheme and optional port (`http://127.0.0.1:8080`). A trailing `/`
    /// is allowed; any other path, a query or user info is an error. A host name is made of
    /// dot-separated labels of letters, digits, `-` and `_` (not starting or ending with
    /// `-`); an IPv6 address goes in brackets.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming what is wrong with the endpoint.
    pub fn parse(endpoint: &str) -> Result<Self, Error> {
        let bad =
            |why: &str| Error::invalid("endpoint", format!("{:?}: {why}", truncate(endpoint)));
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
        if host.len() > 255 {
            return Err(bad("the host is longer than 255 bytes"));
        }
        if host.contains(['/', '?', '#', '@']) {
            return Err(bad(
                "only a host and an optional port are allowed (no path, query or user info)",
            ));
        }
        let (name, port) = split_port(host).map_err(bad)?;
        if let Some(port) = port {
            if port.is_empty() || port.len() > 5 || port.parse::<u16>().map_or(true, |p| p == 0) {
                return Err(bad("the port must be a number from 1 to 65535"));
            }
        }
        if let Some(v6) = name.strip_prefix('[') {
            let v6 = v6.strip_suffix(']').unwrap_or(v6);
            if v6.parse::<Ipv6Addr>().is_err() {
                return Err(bad("the address in brackets is not an IPv6 address"));
            }
        } else if !is_host_name(name) {
            return Err(bad(
                "the host must be dot-separated labels of letters, digits, '-' and '_' (or an [IPv6] address)",
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

    /// The host name or address to connect to, IPv6 without brackets, and the port (the one
    /// given, else 443 for HTTPS and 80 for HTTP): what a client resolves.
    ///
    /// ```
    /// use camskit::Endpoint;
    /// assert_eq!(Endpoint::default().socket_target(), ("cams.ap-southeast-1.aliyuncs.com", 443));
    /// assert_eq!(Endpoint::parse("http://[::1]:9000")?.socket_target(), ("::1", 9000));
    /// assert_eq!(Endpoint::parse("http://localhost")?.socket_target(), ("localhost", 80));
    /// # Ok::<(), camskit::Error>(())
    /// ```
    pub fn socket_target(&self) -> (&str, u16) {
        let default = match self.scheme {
            Scheme::Https => 443,
            Scheme::Http => 80,
        };
        let (name, port) = split_port(&self.host).unwrap_or((&self.host, None));
        let name = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(name);
        (name, port.and_then(|p| p.parse().ok()).unwrap_or(default))
    }

    /// The region of a `cams.<region>.aliyuncs.com` endpoint.
    pub fn region_id(&self) -> Option<&str> {
        let (name, _) = split_port(&self.host).ok()?;
        let region = name.strip_prefix("cams.")?.strip_suffix(".aliyuncs.com")?;
        (!region.is_empty() && !region.contains('.')).then_some(region)
    }

    /// A warning for an endpoint that looks like CAMS's but is not in Alibaba's endpoint map
    /// (whose only entry is [`DEFAULT_REGION`]): the host may not exist.
    pub fn warning(&self) -> Option<String> {
        let region = self.region_id()?;
        (region != DEFAULT_REGION).then(|| {
            format!(
                "CAMS is not listed in region {region}: Alibaba's endpoint map has only {DEFAULT_REGION}, so {} may not answer",
                self.host
            )
        })
    }

    /// Is this a loopback endpoint? Decided on the parsed address: `localhost`, an IPv4
    /// address in `127.0.0.0/8`, or `[::1]` (also IPv4-mapped loopback). A name that only
    /// starts with `127.` (`127.evil.example`) is not.
    ///
    /// ```
    /// use camskit::Endpoint;
    /// assert!(Endpoint::parse("http://127.0.0.2:8080")?.is_loopback());
    /// assert!(Endpoint::parse("http://[::1]:8080")?.is_loopback());
    /// assert!(!Endpoint::parse("http://127.evil.example")?.is_loopback());
    /// assert!(!Endpoint::parse("http://localhost.evil.com")?.is_loopback());
    /// # Ok::<(), camskit::Error>(())
    /// ```
    pub fn is_loopback(&self) -> bool {
        let Ok((name, _)) = split_port(&self.host) else {
            return false;
        };
        if name.eq_ignore_ascii_case("localhost") || name.eq_ignore_ascii_case("localhost.") {
            return true;
        }
        if let Some(v6) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            return v6.parse::<Ipv6Addr>().is_ok_and(|a| {
                a.is_loopback() || a.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
            });
        }
        name.parse::<Ipv4Addr>().is_ok_and(|a| a.is_loopback())
    }

    /// May credentials be sent here? Over HTTPS, and over plain HTTP to a loopback address,
    /// yes; plain HTTP to any other host would show the key id, the signature and any STS
    /// token to everyone on the way, so it needs an explicit opt-in. The error names the opt-in
    /// as Rust and Python spell it, `allow_insecure_http`; other hosts use
    /// [`check_credentials_transport_as`](Self::check_credentials_transport_as).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the endpoint and the opt-in.
    pub fn check_credentials_transport(&self, allow_insecure_http: bool) -> Result<(), Error> {
        self.check_credentials_transport_as(allow_insecure_http, "allow_insecure_http")
    }

    /// [`check_credentials_transport`](Self::check_credentials_transport), the error naming the
    /// opt-in as the host spells it (`allowInsecureHttp` in JavaScript and Kotlin,
    /// `--allow-insecure-http` on the command line).
    ///
    /// # Errors
    /// As [`check_credentials_transport`](Self::check_credentials_transport).
    pub fn check_credentials_transport_as(
        &self,
        allow_insecure_http: bool,
        option: &str,
    ) -> Result<(), Error> {
        if self.scheme == Scheme::Https || self.is_loopback() || allow_insecure_http {
            return Ok(());
        }
        Err(Error::invalid(
            "endpoint",
            format!(
                "{} is plain HTTP to a host that is not loopback: credentials would be sent in clear text; use https, or opt in with {option}",
                self.base
            ),
        ))
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

/// Splits `host[:port]` (IPv6 in brackets), or says what is wrong.
fn split_port(host: &str) -> Result<(&str, Option<&str>), &'static str> {
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if host.starts_with('[') {
        let end = host
            .find(']')
            .ok_or("an IPv6 address needs its closing ']'")?;
        let (name, rest) = host.split_at(end + 1);
        return match rest.strip_prefix(':') {
            Some(port) if digits(port) => Ok((name, Some(port))),
            Some(_) => Err("the port is not a number"),
            None if rest.is_empty() => Ok((name, None)),
            None => Err("only ':' and a port may follow an IPv6 address"),
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if digits(port) => Ok((name, Some(port))),
        Some(_) => Err("the port is not a number (IPv6 addresses go in brackets)"),
        None => Ok((host, None)),
    }
}

/// Dot-separated labels of 1 to 63 letters, digits, `-` and `_`, not starting or ending with
/// `-`, with at least one letter or digit somewhere (an optional final dot).
fn is_host_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty()
        && name.bytes().any(|b| b.is_ascii_alphanumeric())
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().any(|b| b.is_ascii_alphanumeric())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
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
        let e = Endpoint::parse("cams.ap-southeast-1.aliyuncs.com").unwrap();
        assert_eq!(e.base_url(), "https://cams.ap-southeast-1.aliyuncs.com");
        assert_eq!(e.region_id(), Some("ap-southeast-1"));
        assert_eq!(e.warning(), None);
        let w = Endpoint::region("cn-hangzhou").unwrap().warning().unwrap();
        assert!(w.contains("not listed in region cn-hangzhou"), "{w}");
        let e = Endpoint::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!((e.scheme(), e.host()), (Scheme::Http, "127.0.0.1:8080"));
        assert!(e.is_loopback());
        let e = Endpoint::parse("https://[::1]:9000").unwrap();
        assert_eq!(e.host(), "[::1]:9000");
        assert!(e.is_loopback());
        assert!(!Endpoint::default().is_loopback());
        for (host, loopback) in [
            ("http://localhost:1", true),
            ("http://LOCALHOST", true),
            ("http://127.255.0.1", true),
            ("http://[::ffff:127.0.0.1]", true),
            ("http://127.evil.example", false),
            ("http://127.0.0.1.nip.io", false),
            ("http://localhost.evil.com", false),
            ("http://128.0.0.1", false),
            ("http://[::2]", false),
        ] {
            assert_eq!(
                Endpoint::parse(host).unwrap().is_loopback(),
                loopback,
                "{host}"
            );
        }
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
            "http://[::1",
            ".",
            "-",
            "_",
            "[:::::]",
            "a..b",
            "-a.b",
            "a-.b",
        ] {
            let err = Endpoint::parse(bad).unwrap_err();
            assert!(err.to_string().contains("endpoint"), "{bad}: {err}");
        }
    }
}

#[cfg(test)]
mod policy_tests {
    use super::*;

    #[test]
    fn unclosed_ipv6_names_the_bracket() {
        let err = Endpoint::parse("http://[::1").unwrap_err().to_string();
        assert!(err.contains("closing ']'"), "{err}");
    }

    #[test]
    fn credentials_transport() {
        assert!(
            Endpoint::default()
                .check_credentials_transport(false)
                .is_ok()
        );
        let local = Endpoint::parse("http://127.0.0.1:9").unwrap();
        assert!(local.check_credentials_transport(false).is_ok());
        let remote = Endpoint::parse("http://cams.example.com").unwrap();
        let err = remote
            .check_credentials_transport(false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("allow_insecure_http"), "{err}");
        assert!(remote.check_credentials_transport(true).is_ok());
        let tricky = Endpoint::parse("http://127.evil.example").unwrap();
        assert!(tricky.check_credentials_transport(false).is_err());
    }

    #[test]
    fn resolve_one_rule() {
        assert_eq!(Endpoint::resolve(None, None).unwrap(), Endpoint::default());
        assert_eq!(
            Endpoint::resolve(Some("ap-southeast-1"), None).unwrap(),
            Endpoint::default()
        );
        assert!(Endpoint::resolve(Some("ap-southeast-1"), Some("http://127.0.0.1:1")).is_err());
        assert!(Endpoint::resolve(Some("bad region"), None).is_err());
        assert_eq!(
            Endpoint::resolve(None, Some("http://127.0.0.1:1"))
                .unwrap()
                .base_url(),
            "http://127.0.0.1:1"
        );
    }
}
