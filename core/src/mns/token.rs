//! Dybaseapi `QueryTokenForMnsQueue`: the temporary credentials of a receipts queue.
//!
//! An RPC 1.0 call (API version 2017-05-25, `POST`, the parameters in the query, as the
//! official `alibabacloud-dybaseapi20170525` client and `aliyun-python-sdk-dybaseapi` send it)
//! to `dybaseapi.aliyuncs.com`, signed by camskit's [`Signer`] with the user's own key. Its
//! answer holds `MessageTokenDTO`: `AccessKeyId`, `AccessKeySecret`, `SecurityToken`,
//! `CreateTime`, `ExpireTime` — MNS credentials for the queue of one `MessageType`, good until
//! `ExpireTime`. The official pullers (`DefaultAlicomMessagePuller`, `TokenGetterForAlicom`)
//! fetch a new token when less than 2 minutes are left: [`MnsToken::needs_refresh`].

use serde_json::Value;

use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::error::{Error, truncate};
use crate::http::{CAMS_TIMEOUT_MS, HttpRequest};
use crate::request::{Request, SignedRequest};
use crate::response::parse_response;
use crate::signer::Signer;
use crate::timestamp::Timestamp;

/// The Dybaseapi API version.
pub const DYBASEAPI_API_VERSION: &str = "2017-05-25";
/// The Dybaseapi endpoint (the official clients' only one).
pub const DYBASEAPI_HOST: &str = "dybaseapi.aliyuncs.com";
/// The MNS endpoint of Alibaba Cloud Communications' receipt queues, which the official
/// pullers hard-code ("云通信固定的endpoint地址" in the Dybaseapi MNS demo,
/// https://help.aliyun.com/document_detail/214645.htm; Java `DefaultAlicomMessagePuller`). CAMS
/// is one of these services: its receipts page says every Cloud Communications message type
/// can go out through MNS and names the queue only by `MessageType` and `QueueName`
/// (https://help.aliyun.com/zh/chatapp/developer-reference/configure-message-receipts). The
/// queue's temporary token from `QueryTokenForMnsQueue` is for this account.
pub const ALICOM_MNS_ENDPOINT: &str = "https://1943695596114318.mns.cn-hangzhou.aliyuncs.com";
/// How long before `ExpireTime` a token is renewed, in seconds (the official pullers' 2
/// minutes, `bufferTime`).
pub const TOKEN_REFRESH_MARGIN_SECONDS: i64 = 120;

/// The signed `QueryTokenForMnsQueue` request (RPC 1.0, `POST`, version 2017-05-25, to
/// [`DYBASEAPI_HOST`]): `MessageType` (such as `ChatAppStatus` or `ChatAppInbound`, as the
/// receipts docs of the product name them) and, when given, `QueueName`.
///
/// # Errors
/// [`Error::InvalidInput`] for an empty message type; [`Signer::sign`]'s.
pub fn sign_query_token_for_mns_queue(
    credentials: &Credentials,
    message_type: &str,
    queue_name: Option<&str>,
    now: Timestamp,
    nonce: &str,
) -> Result<SignedRequest, Error> {
    let endpoint = Endpoint::parse(DYBASEAPI_HOST)?;
    let req = token_request(message_type, queue_name)?;
    Signer::new(credentials.clone(), endpoint).sign(&req, now, nonce)
}

/// What a token request is for, in [`HttpRequest::purpose`].
const TOKEN_PURPOSE: &str = "dybaseapi:QueryTokenForMnsQueue";

/// The unsigned `QueryTokenForMnsQueue` request.
fn token_request(message_type: &str, queue_name: Option<&str>) -> Result<Request, Error> {
    if message_type.is_empty() {
        return Err(Error::invalid("MessageType", "empty"));
    }
    let mut req = Request::new("QueryTokenForMnsQueue")
        .with_api_version(DYBASEAPI_API_VERSION)
        .param("MessageType", message_type);
    if let Some(q) = queue_name.filter(|q| !q.is_empty()) {
        req.push_param("QueueName", q);
    }
    Ok(req)
}

/// [`sign_query_token_for_mns_queue`] at another endpoint than [`DYBASEAPI_HOST`] (a private
/// network, or a local stand-in in tests), as the one request type a host sends.
///
/// # Errors
/// As [`sign_query_token_for_mns_queue`].
pub fn query_token_for_mns_queue_at(
    endpoint: &Endpoint,
    credentials: &Credentials,
    message_type: &str,
    queue_name: Option<&str>,
    now: Timestamp,
    nonce: &str,
) -> Result<HttpRequest, Error> {
    let req = token_request(message_type, queue_name)?;
    Ok(Signer::new(credentials.clone(), endpoint.clone())
        .sign(&req, now, nonce)?
        .to_http_request(TOKEN_PURPOSE, CAMS_TIMEOUT_MS))
}

/// [`sign_query_token_for_mns_queue`] as the one request type a host sends, purpose
/// `dybaseapi:QueryTokenForMnsQueue`.
///
/// # Errors
/// As [`sign_query_token_for_mns_queue`].
pub fn query_token_for_mns_queue(
    credentials: &Credentials,
    message_type: &str,
    queue_name: Option<&str>,
    now: Timestamp,
    nonce: &str,
) -> Result<HttpRequest, Error> {
    let endpoint = Endpoint::parse(DYBASEAPI_HOST)?;
    query_token_for_mns_queue_at(&endpoint, credentials, message_type, queue_name, now, nonce)
}

/// Temporary MNS credentials for one queue (`MessageTokenDTO`).
#[derive(Clone, Debug)]
pub struct MnsToken {
    /// `AccessKeyId`, `AccessKeySecret` and `SecurityToken`: what signs the MNS requests.
    pub credentials: Credentials,
    /// `ExpireTime`, unix seconds.
    pub expire_time: i64,
    /// `CreateTime`, unix seconds, when given.
    pub create_time: Option<i64>,
    /// The answer's `RequestId`.
    pub request_id: Option<String>,
}

impl MnsToken {
    /// Whether to fetch a new token before the next MNS request: from
    /// [`TOKEN_REFRESH_MARGIN_SECONDS`] before `ExpireTime`, or from half its life when it lives
    /// less than twice that (a short-lived token is still used).
    pub fn needs_refresh(&self, now: i64) -> bool {
        // A token that lives less than twice the margin is renewed at half its life, so that
        // it is used at all.
        let margin = match self.create_time {
            Some(c) if self.expire_time > c => {
                TOKEN_REFRESH_MARGIN_SECONDS.min((self.expire_time - c) / 2)
            }
            _ => TOKEN_REFRESH_MARGIN_SECONDS,
        };
        now >= self.expire_time - margin
    }

    /// These credentials as the credentials chain's value (source `dybaseapi:<MessageType>`),
    /// with their expiry, for hosts that keep them in a
    /// [`CredentialsCache`](crate::provider::CredentialsCache)-style store.
    pub fn to_resolved(&self, message_type: &str) -> crate::provider::ResolvedCredentials {
        let mut r = crate::provider::ResolvedCredentials::fixed(
            self.credentials.clone(),
            &format!("dybaseapi:{message_type}"),
        );
        r.expiration = Some(self.expire_time);
        r
    }
}

/// Parses the answer of `QueryTokenForMnsQueue`.
///
/// `ExpireTime` and `CreateTime` come as `YYYY-MM-DD hh:mm:ss` (a string, as every official
/// SDK's model declares them), which the official Alicom puller's `TokenGetterForAlicom`
/// reads with `SimpleDateFormat("yyyy-MM-dd HH:mm:ss")` in `Asia/Shanghai` (UTC+8, no daylight
/// saving since 1991), as this does; an ISO 8601 time with `Z` is read as UTC, and a number
/// as unix milliseconds.
///
/// # Errors
/// The CAMS-style [`Error::Api`] of an error answer (`Code` other than `OK`, gateway
/// errors: [`parse_response`]); [`Error::Credentials`] when `MessageTokenDTO` lacks a field
/// or holds an unusable one (never echoing the secret).
pub fn parse_query_token_answer(status: u16, body: &[u8]) -> Result<MnsToken, Error> {
    let ok = parse_response(status, body)?;
    let what = "QueryTokenForMnsQueue";
    let dto = ok
        .get("MessageTokenDTO")
        .filter(|v| v.is_object())
        .ok_or_else(|| Error::credentials(format!("{what}: the answer has no MessageTokenDTO")))?;
    let field = |name: &str| match dto.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.as_str()),
        _ => Err(Error::credentials(format!(
            "{what}: MessageTokenDTO has no {name}"
        ))),
    };
    let expire = match dto.get("ExpireTime") {
        Some(v) => dybase_time(v).ok_or_else(|| {
            Error::credentials(format!(
                "{what}: ExpireTime {:?} is not a time",
                truncate(&v.to_string())
            ))
        })?,
        None => {
            return Err(Error::credentials(format!(
                "{what}: MessageTokenDTO has no ExpireTime"
            )));
        }
    };
    let credentials = Credentials::new(field("AccessKeyId")?, field("AccessKeySecret")?)
        .and_then(|c| c.with_security_token(field("SecurityToken")?))
        .map_err(|e| match e {
            Error::Credentials { problem } => Error::credentials(format!("{what}: {problem}")),
            other => other,
        })?;
    Ok(MnsToken {
        credentials,
        expire_time: expire,
        create_time: dto.get("CreateTime").and_then(dybase_time),
        request_id: ok.request_id.clone(),
    })
}

/// China Standard Time, the zone of Dybaseapi's `yyyy-MM-dd HH:mm:ss`.
const CST_OFFSET_SECONDS: i64 = 8 * 3600;

fn dybase_time(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().map(|ms| ms.div_euclid(1000)),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(t) = Timestamp::parse(s) {
                return Some(t.unix());
            }
            let b = s.as_bytes();
            if b.len() == 19 && b[10] == b' ' {
                let iso = format!("{}T{}Z", &s[..10], &s[11..]);
                return Timestamp::parse(&iso)
                    .ok()
                    .map(|t| t.unix() - CST_OFFSET_SECONDS);
            }
            None
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The shape of the QueryTokenForMnsQueue reference answer (Dybaseapi 2017-05-25).
    const ANSWER: &str = r#"{"RequestId":"B6AD4D1D-7E4A-4D5C-8A6F-2F3B3F0A1D2E","Code":"OK","Message":"OK",
        "MessageTokenDTO":{"AccessKeyId":"STS.NUgYrLnoC37mZZCNnAbez2bqQ","AccessKeySecret":"3hcd7D8Ex2DYFRLvEpFbFvoYD1MR4sqQvPR6pQxxJ8zL",
        "SecurityToken":"CAES+wMIARKAAZhjH0EUOIhJMQBMjRywXq7MQ","CreateTime":"2026-12-06 10:40:35","ExpireTime":"2026-12-06 18:40:35"}}"#;

    #[test]
    fn parses_the_token_and_its_expiry() {
        let t = parse_query_token_answer(200, ANSWER.as_bytes()).unwrap();
        assert_eq!(
            t.credentials.access_key_id(),
            "STS.NUgYrLnoC37mZZCNnAbez2bqQ"
        );
        assert_eq!(
            t.credentials.security_token(),
            Some("CAES+wMIARKAAZhjH0EUOIhJMQBMjRywXq7MQ")
        );
        // 2026-12-06 18:40:35 in UTC+8 is 10:40:35Z.
        assert_eq!(t.expire_time, 1_796_524_835 + 8 * 3600);
        assert_eq!(t.create_time, Some(1_796_524_835));
        assert!(!t.needs_refresh(t.expire_time - 121));
        assert!(t.needs_refresh(t.expire_time - 120));
        // A token of 100 s is renewed at half its life, not before it is used.
        let short = MnsToken {
            create_time: Some(t.expire_time - 100),
            ..t.clone()
        };
        assert!(!short.needs_refresh(t.expire_time - 51));
        assert!(short.needs_refresh(t.expire_time - 50));
        let r = t.to_resolved("ChatAppStatus");
        assert_eq!(r.expiration, Some(t.expire_time));
        assert_eq!(r.source, "dybaseapi:ChatAppStatus");
        let shown = format!("{t:?}");
        assert!(
            !shown.contains("3hcd7D8Ex2DY") && !shown.contains("CAES+"),
            "{shown}"
        );
    }

    #[test]
    fn errors() {
        let e = parse_query_token_answer(
            400,
            br#"{"RequestId":"1","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}"#,
        )
        .unwrap_err();
        assert_eq!(e.as_api().unwrap().kind, crate::ErrorKind::Authentication);
        for (body, needle) in [
            (r#"{"Code":"OK"}"#, "no MessageTokenDTO"),
            (
                r#"{"Code":"OK","MessageTokenDTO":{"AccessKeyId":"a","AccessKeySecret":"Canary","SecurityToken":"t"}}"#,
                "no ExpireTime",
            ),
            (
                r#"{"Code":"OK","MessageTokenDTO":{"AccessKeyId":"a","AccessKeySecret":"Canary","SecurityToken":"t","ExpireTime":"tomorrow"}}"#,
                "not a time",
            ),
            (
                r#"{"Code":"OK","MessageTokenDTO":{"AccessKeyId":"a","SecurityToken":"t","ExpireTime":"2026-12-06T02:40:35Z"}}"#,
                "no AccessKeySecret",
            ),
            (
                r#"{"Code":"OK","MessageTokenDTO":{"AccessKeyId":"a b","AccessKeySecret":"Canary","SecurityToken":"t","ExpireTime":1796524835000}}"#,
                "access key id",
            ),
        ] {
            let e = parse_query_token_answer(200, body.as_bytes())
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{e}");
            assert!(!e.contains("Canary"), "{e}");
        }
        let t = parse_query_token_answer(
            200,
            br#"{"Code":"OK","MessageTokenDTO":{"AccessKeyId":"a","AccessKeySecret":"s","SecurityToken":"t","ExpireTime":1796524835000}}"#,
        )
        .unwrap();
        assert_eq!(t.expire_time, 1_796_524_835);
        assert!(
            sign_query_token_for_mns_queue(
                &Credentials::new("a", "s").unwrap(),
                "",
                None,
                Timestamp::parse("2026-12-06T02:40:35Z").unwrap(),
                "n"
            )
            .is_err()
        );
    }
}
