//! Pure parsers for the two credentials files Alibaba Cloud users already have:
//! `~/.aliyun/config.json` (the `aliyun` command line's profiles) and the
//! `~/.alibabacloud/credentials.ini` ini file of the official `alibabacloud-credentials`
//! libraries. Field names are the official ones (`alibabacloud_credentials` 1.0.12,
//! `provider/cli_profile.py` and `provider/profile.py`).
//!
//! Every error names the file, the profile (or ini section) and the field; no error and no
//! `Debug` output holds a secret.

use std::fmt;

use serde_json::Value;

use crate::credentials::Credentials;
use crate::error::Error;

/// The session duration the official client asks for when none is given (seconds).
pub const DEFAULT_DURATION_SECONDS: u32 = 3600;
/// The shortest session STS grants (seconds); a shorter duration is refused.
pub const MIN_DURATION_SECONDS: u32 = 900;

/// An STS `AssumeRole` hop: the role to assume with the credentials that come before it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RoleHop {
    /// `acs:ram::<account>:role/<name>`.
    pub role_arn: String,
    /// `RoleSessionName`; `None`: `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else `camskit-<unix time>`.
    pub role_session_name: Option<String>,
    /// `DurationSeconds` (at least [`MIN_DURATION_SECONDS`]).
    pub duration_seconds: u32,
    /// An inline policy narrowing the role (JSON text).
    pub policy: Option<String>,
    /// `ExternalId`.
    pub external_id: Option<String>,
    /// The STS region (`sts.<region>.aliyuncs.com`); `None`: `ALIBABA_CLOUD_STS_REGION`, else
    /// the global `sts.aliyuncs.com`.
    pub sts_region: Option<String>,
    /// The VPC endpoint (`sts-vpc.<region>.aliyuncs.com`); `None`:
    /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.
    pub enable_vpc: Option<bool>,
}

/// An `AssumeRoleWithOIDC` exchange (RRSA): an OIDC token read from a file for a role.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct OidcRole {
    /// The role to assume.
    pub role_arn: String,
    /// `acs:ram::<account>:oidc-provider/<name>`.
    pub oidc_provider_arn: String,
    /// The file the OIDC token is read from (the host reads it).
    pub oidc_token_file: String,
    /// As [`RoleHop::role_session_name`].
    pub role_session_name: Option<String>,
    /// As [`RoleHop::duration_seconds`].
    pub duration_seconds: u32,
    /// As [`RoleHop::policy`].
    pub policy: Option<String>,
    /// As [`RoleHop::sts_region`].
    pub sts_region: Option<String>,
    /// As [`RoleHop::enable_vpc`].
    pub enable_vpc: Option<bool>,
}

/// Where one profile's credentials come from, as a file describes it.
#[derive(Clone)]
pub enum ProfileSource {
    /// A fixed key (`AK`, `access_key`) or key and STS token (`StsToken`, `sts`).
    Static(Credentials),
    /// `RamRoleArn`, `ChainableRamRoleArn`, `ram_role_arn`: assume a role with the
    /// credentials of `source`.
    RamRoleArn {
        /// The credentials that sign the `AssumeRole` request.
        source: Box<ProfileSource>,
        /// The role.
        role: RoleHop,
    },
    /// `OIDC`, `oidc_role_arn`.
    Oidc(OidcRole),
    /// `EcsRamRole`, `ecs_ram_role`: the ECS metadata service. `None`: discover the role.
    EcsRamRole {
        /// The role attached to the instance.
        role_name: Option<String>,
    },
    /// `CredentialsURI`, `credentials_uri`: a GET of this URL.
    CredentialsUri {
        /// The URL.
        uri: String,
    },
}

impl fmt::Debug for ProfileSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileSource::Static(c) => f.debug_tuple("Static").field(c).finish(),
            ProfileSource::RamRoleArn { source, role } => f
                .debug_struct("RamRoleArn")
                .field("source", source)
                .field("role", role)
                .finish(),
            ProfileSource::Oidc(o) => f.debug_tuple("Oidc").field(o).finish(),
            ProfileSource::EcsRamRole { role_name } => f
                .debug_struct("EcsRamRole")
                .field("role_name", role_name)
                .finish(),
            ProfileSource::CredentialsUri { uri } => f
                .debug_struct("CredentialsUri")
                .field("uri", &redact_query(uri))
                .finish(),
        }
    }
}

impl PartialEq for ProfileSource {
    fn eq(&self, other: &Self) -> bool {
        use ProfileSource as P;
        match (self, other) {
            (P::Static(a), P::Static(b)) => same_credentials(a, b),
            (
                P::RamRoleArn {
                    source: s1,
                    role: r1,
                },
                P::RamRoleArn {
                    source: s2,
                    role: r2,
                },
            ) => s1 == s2 && r1 == r2,
            (P::Oidc(a), P::Oidc(b)) => a == b,
            (P::EcsRamRole { role_name: a }, P::EcsRamRole { role_name: b }) => a == b,
            (P::CredentialsUri { uri: a }, P::CredentialsUri { uri: b }) => a == b,
            _ => false,
        }
    }
}

impl Eq for ProfileSource {}

/// Key, secret and token equal (`Credentials` has no `PartialEq` of its own).
pub(crate) fn same_credentials(a: &Credentials, b: &Credentials) -> bool {
    a.access_key_id() == b.access_key_id()
        && a.secret() == b.secret()
        && a.security_token() == b.security_token()
}

/// A URL with its query values hidden (a credentials URI may carry a token).
pub(crate) fn redact_query(url: &str) -> String {
    match url.split_once('?') {
        Some((base, _)) => format!("{base}?<redacted>"),
        None => url.to_owned(),
    }
}

/// The modes of `config.json` camskit resolves.
pub const CLI_MODES: [&str; 7] = [
    "AK",
    "StsToken",
    "RamRoleArn",
    "EcsRamRole",
    "OIDC",
    "ChainableRamRoleArn",
    "CredentialsURI",
];

/// The `type`s of the credentials ini file camskit resolves.
pub const INI_TYPES: [&str; 6] = [
    "access_key",
    "sts",
    "ram_role_arn",
    "ecs_ram_role",
    "oidc_role_arn",
    "credentials_uri",
];

fn err(file: &str, profile: Option<&str>, problem: impl fmt::Display) -> Error {
    match profile {
        Some(p) => Error::credentials(format!("{file}: profile {p:?}: {problem}")),
        None => Error::credentials(format!("{file}: {problem}")),
    }
}

/// A profile of `config.json` as read: the field lookups and the error context.
struct JsonProfile<'a> {
    file: &'a str,
    name: &'a str,
    mode: &'a str,
    map: &'a serde_json::Map<String, Value>,
}

impl JsonProfile<'_> {
    fn fail(&self, problem: impl fmt::Display) -> Error {
        err(self.file, Some(self.name), problem)
    }

    /// An optional text field: absent, `null` and `""` are "not set".
    fn opt(&self, field: &str) -> Result<Option<String>, Error> {
        match self.map.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.fail(format_args!("field {field:?} is not text"))),
        }
    }

    fn req(&self, field: &str) -> Result<String, Error> {
        self.opt(field)?.ok_or_else(|| {
            self.fail(format_args!(
                "field {field:?} is missing or empty (mode {})",
                self.mode
            ))
        })
    }

    fn duration(&self, field: &str) -> Result<u32, Error> {
        let d = match self.map.get(field) {
            None | Some(Value::Null) => return Ok(DEFAULT_DURATION_SECONDS),
            // The `aliyun` CLI writes 0 when the user gave none.
            Some(Value::Number(n)) if n.as_u64() == Some(0) => return Ok(DEFAULT_DURATION_SECONDS),
            Some(Value::Number(n)) => n.as_u64(),
            Some(_) => None,
        };
        check_duration(d, || self.fail(format_args!("field {field:?}")))
    }

    fn vpc(&self) -> Result<Option<bool>, Error> {
        match self.map.get("enable_vpc") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.fail("field \"enable_vpc\" is not true or false")),
        }
    }

    fn key(&self, token_field: Option<&str>) -> Result<Credentials, Error> {
        let id = self.req("access_key_id")?;
        let secret = self.req("access_key_secret")?;
        let mut c = Credentials::new(id, secret.as_str()).map_err(|e| {
            self.fail(format_args!(
                "access_key_id/access_key_secret: {}",
                problem(&e)
            ))
        })?;
        if let Some(field) = token_field {
            let token = self.req(field)?;
            c = c
                .with_security_token(token)
                .map_err(|e| self.fail(format_args!("field {field:?}: {}", problem(&e))))?;
        }
        Ok(c)
    }
}

fn problem(e: &Error) -> String {
    match e {
        Error::Credentials { problem } => problem.clone(),
        other => other.to_string(),
    }
}

fn check_duration(d: Option<u64>, ctx: impl Fn() -> Error) -> Result<u32, Error> {
    match d {
        Some(d) if d >= u64::from(MIN_DURATION_SECONDS) && d <= u64::from(u32::MAX) => Ok(d as u32),
        Some(d) => Err(Error::credentials(format!(
            "{}: {d} seconds is shorter than the {MIN_DURATION_SECONDS} seconds STS grants at least",
            problem(&ctx())
        ))),
        None => Err(Error::credentials(format!(
            "{}: not a whole number of seconds",
            problem(&ctx())
        ))),
    }
}

/// Parses `~/.aliyun/config.json` and returns the chosen profile's name and source.
///
/// `profile`: the profile to use (`ALIBABA_CLOUD_PROFILE`); `None` or empty: the file's
/// `current`. `file` is the path, used in errors.
///
/// ```
/// use camskit::provider::{parse_cli_config, ProfileSource};
/// let text = r#"{"current":"dev","profiles":[{"name":"dev","mode":"AK",
///     "access_key_id":"LTAI5tExample","access_key_secret":"secret"}]}"#;
/// let (name, source) = parse_cli_config("/home/me/.aliyun/config.json", text, None)?;
/// assert_eq!(name, "dev");
/// assert!(matches!(source, ProfileSource::Static(_)));
/// let err = parse_cli_config("/c.json", text, Some("prod")).unwrap_err();
/// assert!(err.to_string().contains("/c.json: profile \"prod\""));
/// # Ok::<(), camskit::Error>(())
/// ```
///
/// # Errors
/// [`Error::Credentials`] naming the file, the profile and the field: text that is not a
/// JSON object, no profile chosen, a missing profile, an unknown or unsupported mode, a
/// missing or malformed field, a `ChainableRamRoleArn` loop.
pub fn parse_cli_config(
    file: &str,
    text: &str,
    profile: Option<&str>,
) -> Result<(String, ProfileSource), Error> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        err(
            file,
            None,
            format_args!("not JSON (line {}, column {})", e.line(), e.column()),
        )
    })?;
    let Value::Object(doc) = doc else {
        return Err(err(file, None, "not a JSON object"));
    };
    let name = match profile.filter(|p| !p.is_empty()) {
        Some(p) => p.to_owned(),
        None => match doc.get("current") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => {
                return Err(err(
                    file,
                    None,
                    "no profile chosen: field \"current\" is missing or empty and ALIBABA_CLOUD_PROFILE is not set",
                ));
            }
        },
    };
    let profiles = match doc.get("profiles") {
        Some(Value::Array(a)) => a.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => return Err(err(file, None, "field \"profiles\" is not a list")),
    };
    let source = cli_profile(file, profiles, &name, &mut Vec::new())?;
    Ok((name, source))
}

fn cli_profile(
    file: &str,
    profiles: &[Value],
    name: &str,
    seen: &mut Vec<String>,
) -> Result<ProfileSource, Error> {
    if seen.iter().any(|s| s == name) {
        return Err(err(
            file,
            Some(name),
            format_args!("ChainableRamRoleArn loop: {} -> {name}", seen.join(" -> ")),
        ));
    }
    seen.push(name.to_owned());
    let map = profiles
        .iter()
        .filter_map(Value::as_object)
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
        .ok_or_else(|| err(file, Some(name), "no such profile in \"profiles\""))?;
    let mode = match map.get("mode") {
        Some(Value::String(m)) if !m.is_empty() => m.as_str(),
        _ => return Err(err(file, Some(name), "field \"mode\" is missing or empty")),
    };
    let p = JsonProfile {
        file,
        name,
        mode,
        map,
    };
    let hop = |p: &JsonProfile<'_>| -> Result<RoleHop, Error> {
        Ok(RoleHop {
            role_arn: p.req("ram_role_arn")?,
            role_session_name: p.opt("ram_session_name")?,
            duration_seconds: p.duration("expired_seconds")?,
            policy: p.opt("policy")?,
            external_id: p.opt("external_id")?,
            sts_region: p.opt("sts_region")?,
            enable_vpc: p.vpc()?,
        })
    };
    Ok(match mode {
        "AK" => ProfileSource::Static(p.key(None)?),
        "StsToken" => ProfileSource::Static(p.key(Some("sts_token"))?),
        "RamRoleArn" => ProfileSource::RamRoleArn {
            source: Box::new(ProfileSource::Static(p.key(None)?)),
            role: hop(&p)?,
        },
        "ChainableRamRoleArn" => {
            let role = hop(&p)?;
            let source_name = p.req("source_profile")?;
            ProfileSource::RamRoleArn {
                source: Box::new(cli_profile(file, profiles, &source_name, seen)?),
                role,
            }
        }
        "EcsRamRole" => ProfileSource::EcsRamRole {
            role_name: p.opt("ram_role_name")?,
        },
        "OIDC" => ProfileSource::Oidc(OidcRole {
            role_arn: p.req("ram_role_arn")?,
            oidc_provider_arn: p.req("oidc_provider_arn")?,
            oidc_token_file: p.req("oidc_token_file")?,
            role_session_name: p.opt("role_session_name")?,
            duration_seconds: p.duration("expired_seconds")?,
            policy: p.opt("policy")?,
            sts_region: p.opt("sts_region")?,
            enable_vpc: p.vpc()?,
        }),
        "CredentialsURI" => ProfileSource::CredentialsUri {
            uri: p.req("credentials_uri")?,
        },
        "CloudSSO" | "OAuth" | "External" | "RsaKeyPair" | "Bearer" => {
            return Err(p.fail(format_args!(
                "mode {:?} is not supported by camskit (supported: {})",
                crate::error::truncate(mode),
                CLI_MODES.join(", ")
            )));
        }
        other => {
            return Err(p.fail(format_args!(
                "unknown mode {:?} (supported: {})",
                crate::error::truncate(other),
                CLI_MODES.join(", ")
            )));
        }
    })
}

/// An ini file as Python's `configparser` reads it (what the official client uses):
/// `[section]` headers, `key = value` or `key: value` lines (keys lower-cased, values
/// trimmed and cut at `#`), whole-line `#` and `;` comments.
type IniSections<'t> = Vec<(&'t str, Vec<(String, &'t str)>)>;

fn parse_ini<'t>(file: &str, text: &'t str) -> Result<IniSections<'t>, Error> {
    let mut sections: Vec<(&str, Vec<(String, &str)>)> = Vec::new();
    // Lines end at `\n`, `\r\n` or a lone `\r`, as Python reads a text file (universal newlines).
    let lines = text
        .split('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'));
    for (i, raw) in lines.enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest.strip_suffix(']').ok_or_else(|| {
                err(
                    file,
                    None,
                    format_args!("line {}: a section header without ']'", i + 1),
                )
            })?;
            if sections.iter().any(|(n, _)| *n == name) {
                return Err(err(
                    file,
                    None,
                    format_args!("line {}: section [{name}] appears twice", i + 1),
                ));
            }
            sections.push((name, Vec::new()));
            continue;
        }
        let Some(pos) = line.find(['=', ':']) else {
            // Never echo the line: it may hold a secret.
            return Err(err(
                file,
                None,
                format_args!("line {}: neither a [section] nor key = value", i + 1),
            ));
        };
        let key = line[..pos].trim().to_ascii_lowercase();
        let mut value = line[pos + 1..].trim();
        if let Some(cut) = value.find('#') {
            value = value[..cut].trim();
        }
        let Some((_, entries)) = sections.last_mut() else {
            return Err(err(
                file,
                None,
                format_args!("line {}: key {key:?} comes before any [section]", i + 1),
            ));
        };
        if entries.iter().any(|(k, _)| *k == key) {
            return Err(err(
                file,
                None,
                format_args!("line {}: key {key:?} appears twice in its section", i + 1),
            ));
        }
        entries.push((key, value));
    }
    Ok(sections)
}

/// Parses the credentials ini file (`~/.alibabacloud/credentials.ini`, or
/// `ALIBABA_CLOUD_CREDENTIALS_FILE`) and returns the source of section `profile`
/// (`ALIBABA_CLOUD_PROFILE`, else `default`).
///
/// ```
/// use camskit::provider::{parse_credentials_ini, ProfileSource};
/// let text = "[default]\ntype = ecs_ram_role   # on ECS\nrole_name = app\n";
/// let source = parse_credentials_ini("/home/me/.alibabacloud/credentials.ini", text, "default")?;
/// assert_eq!(source, ProfileSource::EcsRamRole { role_name: Some("app".into()) });
/// # Ok::<(), camskit::Error>(())
/// ```
///
/// # Errors
/// [`Error::Credentials`] naming the file, the section and the field: a malformed line, no
/// such section, an unknown or unsupported `type`, a missing or malformed field.
pub fn parse_credentials_ini(
    file: &str,
    text: &str,
    profile: &str,
) -> Result<ProfileSource, Error> {
    let sections = parse_ini(file, text)?;
    if sections.is_empty() {
        return Err(err(file, None, "no [section] in the file"));
    }
    let entries = sections
        .iter()
        .find(|(n, _)| *n == profile)
        .map(|(_, e)| e)
        .ok_or_else(|| err(file, Some(profile), "no such [section]"))?;
    let get = |k: &str| {
        entries
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| *v)
            .filter(|v| !v.is_empty())
    };
    let fail = |p: fmt::Arguments<'_>| err(file, Some(profile), p);
    let ty = get("type").ok_or_else(|| fail(format_args!("field \"type\" is missing or empty")))?;
    let req = |k: &str| {
        get(k)
            .map(str::to_owned)
            .ok_or_else(|| fail(format_args!("field {k:?} is missing or empty (type {ty})")))
    };
    let opt = |k: &str| get(k).map(str::to_owned);
    let duration = || match get("duration_seconds") {
        None => Ok(DEFAULT_DURATION_SECONDS),
        Some(v) => check_duration(v.parse::<u64>().ok(), || {
            fail(format_args!("field \"duration_seconds\""))
        }),
    };
    let sts_region = || opt("sts_region").or_else(|| opt("region_id"));
    let vpc = || match get("enable_vpc") {
        None => Ok(None),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(_) => Err(fail(format_args!(
            "field \"enable_vpc\" is not true or false"
        ))),
    };
    let key = |token: bool| -> Result<Credentials, Error> {
        let id = req("access_key_id")?;
        let secret = req("access_key_secret")?;
        let mut c = Credentials::new(id, secret.as_str()).map_err(|e| {
            fail(format_args!(
                "access_key_id/access_key_secret: {}",
                problem(&e)
            ))
        })?;
        if token {
            c = c
                .with_security_token(req("security_token")?)
                .map_err(|e| fail(format_args!("field \"security_token\": {}", problem(&e))))?;
        }
        Ok(c)
    };
    Ok(match ty {
        "access_key" => ProfileSource::Static(key(false)?),
        "sts" => ProfileSource::Static(key(true)?),
        "ram_role_arn" => ProfileSource::RamRoleArn {
            source: Box::new(ProfileSource::Static(key(false)?)),
            role: RoleHop {
                role_arn: req("role_arn")?,
                role_session_name: opt("role_session_name"),
                duration_seconds: duration()?,
                policy: opt("policy"),
                external_id: opt("external_id"),
                sts_region: sts_region(),
                enable_vpc: vpc()?,
            },
        },
        "oidc_role_arn" => ProfileSource::Oidc(OidcRole {
            role_arn: req("role_arn")?,
            oidc_provider_arn: req("oidc_provider_arn")?,
            oidc_token_file: req("oidc_token_file_path")?,
            role_session_name: opt("role_session_name"),
            duration_seconds: duration()?,
            policy: opt("policy"),
            sts_region: sts_region(),
            enable_vpc: vpc()?,
        }),
        "ecs_ram_role" => ProfileSource::EcsRamRole {
            role_name: opt("role_name"),
        },
        "credentials_uri" => ProfileSource::CredentialsUri {
            uri: req("credentials_uri")?,
        },
        "rsa_key_pair" | "bearer" => {
            return Err(fail(format_args!(
                "type {:?} is not supported by camskit (supported: {})",
                crate::error::truncate(ty),
                INI_TYPES.join(", ")
            )));
        }
        other => {
            return Err(fail(format_args!(
                "unknown type {:?} (supported: {})",
                crate::error::truncate(other),
                INI_TYPES.join(", ")
            )));
        }
    })
}
