//! The requests the chain asks the host to send, and the answers parsed into temporary
//! credentials.

use serde_json::Value;

use crate::credentials::Credentials;
use crate::encode::percent_encode;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::http::{CAMS_TIMEOUT_MS, ECS_TIMEOUT_MS, HttpRequest};
use crate::request::{Method, Request};
use crate::signer::Signer;
use crate::timestamp::Timestamp;

/// The STS API version.
pub const STS_API_VERSION: &str = "2015-04-01";
/// The global STS endpoint.
pub const STS_GLOBAL_HOST: &str = "sts.aliyuncs.com";
/// The ECS metadata service.
pub const ECS_METADATA_ENDPOINT: &str = "http://100.100.100.200";
/// The path of the IMDSv2 token.
pub const ECS_TOKEN_PATH: &str = "/latest/api/token";
/// The path of the RAM role credentials (the role name follows).
pub const ECS_CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";
/// The lifetime asked for the IMDSv2 token (seconds), as the official client asks.
pub const ECS_TOKEN_TTL_SECONDS: u32 = 21600;
/// The header that asks for an IMDSv2 token.
pub const ECS_TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
/// The header that carries the IMDSv2 token.
pub const ECS_TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";

/// The inputs of one STS request, resolved (defaults and environment applied).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StsRole {
    /// `RoleArn`.
    pub role_arn: String,
    /// `RoleSessionName`.
    pub role_session_name: String,
    /// `DurationSeconds`.
    pub duration_seconds: u32,
    /// `Policy`.
    pub policy: Option<String>,
    /// `ExternalId` (`AssumeRole` only).
    pub external_id: Option<String>,
    /// Where STS is.
    pub endpoint: Endpoint,
}

/// The signed `AssumeRole` request (RPC 1.0, `GET`, version 2015-04-01) with its canonical
/// query and string to sign, as [`Signer`] makes it: what the chain sends for a RAM role.
///
/// # Errors
/// [`Signer::sign`]'s.
pub fn sign_assume_role(
    source: &Credentials,
    role: &StsRole,
    now: Timestamp,
    nonce: &str,
) -> Result<crate::request::SignedRequest, Error> {
    let mut req = Request::new("AssumeRole")
        .with_api_version(STS_API_VERSION)
        .with_method(Method::Get)
        .param("DurationSeconds", role.duration_seconds.to_string())
        .param("RoleArn", role.role_arn.as_str())
        .param("RoleSessionName", role.role_session_name.as_str());
    if let Some(p) = &role.policy {
        req.push_param("Policy", p.as_str());
    }
    if let Some(e) = &role.external_id {
        req.push_param("ExternalId", e.as_str());
    }
    Signer::new(source.clone(), role.endpoint.clone()).sign(&req, now, nonce)
}

/// The `AssumeRole` request (RPC 1.0, GET), signed by camskit's [`Signer`] with `source`.
pub(crate) fn assume_role(
    source: &Credentials,
    role: &StsRole,
    now: Timestamp,
    nonce: &str,
) -> Result<HttpRequest, Error> {
    let signed = sign_assume_role(source, role, now, nonce)?;
    Ok(signed.to_http_request("sts:AssumeRole", CAMS_TIMEOUT_MS))
}

/// The `AssumeRoleWithOIDC` request: unsigned, every parameter in the query of a GET, as
/// `alibabacloud_credentials` sends it.
/// The `AssumeRoleWithOIDC` request the chain sends (unsigned `GET`, every parameter in the
/// query, as `alibabacloud_credentials` sends it).
pub fn assume_role_with_oidc(
    role: &StsRole,
    oidc_provider_arn: &str,
    token: &str,
    now: Timestamp,
) -> HttpRequest {
    let duration = role.duration_seconds.to_string();
    let mut params: Vec<(&str, &str)> = vec![
        ("Action", "AssumeRoleWithOIDC"),
        ("DurationSeconds", &duration),
        ("Format", "JSON"),
        ("OIDCProviderArn", oidc_provider_arn),
        ("OIDCToken", token),
        ("RoleArn", &role.role_arn),
        ("RoleSessionName", &role.role_session_name),
        ("Timestamp", now.as_str()),
        ("Version", STS_API_VERSION),
    ];
    if let Some(p) = &role.policy {
        params.push(("Policy", p));
    }
    params.sort_by(|a, b| a.0.cmp(b.0));
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    HttpRequest {
        method: "GET".into(),
        url: format!("{}/?{}", role.endpoint.base_url(), query.join("&")),
        headers: Vec::new(),
        body: None,
        purpose: "sts:AssumeRoleWithOIDC".into(),
        timeout_ms: CAMS_TIMEOUT_MS,
    }
}

pub(crate) fn ecs_token(base: &str) -> HttpRequest {
    HttpRequest {
        method: "PUT".into(),
        url: format!("{base}{ECS_TOKEN_PATH}"),
        headers: vec![(
            ECS_TOKEN_TTL_HEADER.into(),
            ECS_TOKEN_TTL_SECONDS.to_string(),
        )],
        body: None,
        purpose: "ecs:token".into(),
        timeout_ms: ECS_TIMEOUT_MS,
    }
}

pub(crate) fn ecs_get(base: &str, role: Option<&str>, token: Option<&str>) -> HttpRequest {
    HttpRequest {
        method: "GET".into(),
        url: format!("{base}{ECS_CREDENTIALS_PATH}{}", role.unwrap_or("")),
        headers: token
            .map(|t| vec![(ECS_TOKEN_HEADER.to_owned(), t.to_owned())])
            .unwrap_or_default(),
        body: None,
        purpose: if role.is_some() {
            "ecs:credentials"
        } else {
            "ecs:role-name"
        }
        .into(),
        timeout_ms: ECS_TIMEOUT_MS,
    }
}

pub(crate) fn uri_get(uri: &str) -> HttpRequest {
    HttpRequest {
        method: "GET".into(),
        url: uri.to_owned(),
        headers: Vec::new(),
        body: None,
        purpose: "credentials-uri".into(),
        timeout_ms: CAMS_TIMEOUT_MS,
    }
}

/// Temporary credentials parsed from an answer, and when they expire (unix seconds).
#[derive(Clone, Debug)]
pub struct Temporary {
    /// The key, secret and token.
    pub credentials: Credentials,
    /// `Expiration`, unix seconds.
    pub expiration: i64,
}

fn text_field<'a>(obj: &'a Value, name: &str, what: &str) -> Result<&'a str, Error> {
    match obj.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        _ => Err(Error::credentials(format!(
            "{what}: the answer has no {name}"
        ))),
    }
}

fn temporary(obj: &Value, what: &str) -> Result<Temporary, Error> {
    let id = text_field(obj, "AccessKeyId", what)?;
    let secret = text_field(obj, "AccessKeySecret", what)?;
    let token = text_field(obj, "SecurityToken", what)?;
    let exp = text_field(obj, "Expiration", what)?;
    let expiration = Timestamp::parse(exp)
        .map_err(|_| {
            Error::credentials(format!(
                "{what}: Expiration {:?} is not YYYY-MM-DDThh:mm:ssZ",
                crate::error::truncate(exp)
            ))
        })?
        .unix();
    let credentials = Credentials::new(id, secret)
        .and_then(|c| c.with_security_token(token))
        .map_err(|e| {
            Error::credentials(format!("{what}: {}", crate::provider::files_problem(&e)))
        })?;
    Ok(Temporary {
        credentials,
        expiration,
    })
}

fn json(body: &str, what: &str) -> Result<Value, Error> {
    serde_json::from_str(body)
        .map_err(|_| Error::credentials(format!("{what}: the answer is not JSON")))
}

/// Parses an STS answer (`AssumeRole`, `AssumeRoleWithOIDC`): `Credentials.AccessKeyId`,
/// `AccessKeySecret`, `SecurityToken`, `Expiration`.
///
/// # Errors
/// [`Error::Credentials`]: a status other than 200 (with STS's `Code` and `Message`), a body
/// that is not JSON or lacks a field. Never echoes the body.
pub fn parse_sts_answer(status: u16, body: &str, what: &str) -> Result<Temporary, Error> {
    if status != 200 {
        let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let code = v.get("Code").and_then(Value::as_str).unwrap_or("");
        let message = v.get("Message").and_then(Value::as_str).unwrap_or("");
        return Err(Error::credentials(
            format!(
                "{what}: HTTP {status} {} {}",
                crate::error::truncate(code),
                crate::error::truncate(message)
            )
            .trim_end()
            .to_owned(),
        ));
    }
    let v = json(body, what)?;
    let creds = v
        .get("Credentials")
        .filter(|c| c.is_object())
        .ok_or_else(|| Error::credentials(format!("{what}: the answer has no Credentials")))?;
    temporary(creds, what)
}

/// Parses the answer of the ECS metadata service or a credentials URI:
/// `{"Code":"Success","AccessKeyId","AccessKeySecret","SecurityToken","Expiration"}`.
///
/// # Errors
/// [`Error::Credentials`]: a status other than 200, a `Code` other than `Success`, a body that
/// is not JSON or lacks a field.
pub fn parse_code_success_answer(status: u16, body: &str, what: &str) -> Result<Temporary, Error> {
    if status != 200 {
        return Err(Error::credentials(format!("{what}: HTTP {status}")));
    }
    let v = json(body, what)?;
    match v.get("Code").and_then(Value::as_str) {
        Some("Success") => temporary(&v, what),
        Some(code) => Err(Error::credentials(format!(
            "{what}: Code {:?} (not Success)",
            crate::error::truncate(code)
        ))),
        None => Err(Error::credentials(format!(
            "{what}: the answer has no Code"
        ))),
    }
}
