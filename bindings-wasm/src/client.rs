//! Signing: core's [`Signer`] behind a handle (`WasmSigner`, the secret stays in WebAssembly
//! memory), the request a host describes as core's [`RequestSpec`], and the signed request
//! back as a JavaScript object (or, on the fast path, one packed string).

use camskit::{
    Credentials, Endpoint, Method, RequestSpec, SignatureVersion, SignedRequest, Signer, Timestamp,
};
use js_sys::Object;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::convert::{
    checked_string, get, headers_from_js, is_plain_object, js_text, now, opt_bool, opt_str,
    opt_string, options_object, params_from_js, set, timestamp_from_js, type_name,
};
use crate::env::env_credentials;
use crate::errors::{bad_arg, core, credentials_error};

/// The options `new Client()` and `Client.fromEnv()` read.
const CLIENT_OPTIONS: [&str; 6] = [
    "accessKeyId",
    "accessKeySecret",
    "securityToken",
    "regionId",
    "endpoint",
    "allowInsecureHttp",
];

fn required_credential(options: &JsValue, key: &str) -> Result<String, JsValue> {
    let v = get(options, key);
    if v.is_undefined() || v.is_null() {
        return Err(credentials_error(&format!("{key} is missing")));
    }
    match js_text(&v) {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(credentials_error(&format!(
            "{key} must be a string, got {}",
            type_name(&v)
        ))),
        Err(()) => Err(credentials_error(&format!(
            "{key} holds a lone surrogate (not valid Unicode)"
        ))),
    }
}

/// The endpoint the options name ([`Endpoint::resolve`]), checked for sending credentials
/// ([`Endpoint::check_credentials_transport`], opt-in `allowInsecureHttp`).
pub(crate) fn endpoint_from_options(options: &JsValue) -> Result<Endpoint, JsValue> {
    let region = opt_string(&get(options, "regionId"), "regionId")?;
    let endpoint = opt_string(&get(options, "endpoint"), "endpoint")?;
    let insecure = opt_bool(&get(options, "allowInsecureHttp"), "allowInsecureHttp")?;
    let endpoint = core(Endpoint::resolve(region.as_deref(), endpoint.as_deref()))?;
    core(endpoint.check_credentials_transport_as(insecure, "allowInsecureHttp"))?;
    Ok(endpoint)
}

/// Holds the credentials inside WebAssembly memory; JavaScript only sees a handle.
#[wasm_bindgen]
pub struct WasmSigner {
    pub(crate) signer: Signer,
}

/// The options `sign` reads.
const SIGN_OPTIONS: [&str; 8] = [
    "raw",
    "form",
    "apiVersion",
    "method",
    "signature",
    "timestamp",
    "nonce",
    "headers",
];

#[wasm_bindgen]
impl WasmSigner {
    /// `options`: `{ accessKeyId, accessKeySecret, securityToken?, regionId?, endpoint?,
    /// allowInsecureHttp? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WasmSigner, JsValue> {
        if !is_plain_object(&options) {
            return Err(credentials_error(
                "new Client() needs an options object { accessKeyId, accessKeySecret }",
            ));
        }
        let options = options_object(&options, "Client options", &CLIENT_OPTIONS)?;
        let id = required_credential(&options, "accessKeyId")?;
        let secret = required_credential(&options, "accessKeySecret")?;
        let token = get(&options, "securityToken");
        let token = if token.is_null() || token.is_undefined() {
            None
        } else {
            Some(match js_text(&token) {
                Ok(Some(t)) => t,
                Ok(None) => return Err(credentials_error("securityToken must be a string")),
                Err(()) => return Err(credentials_error("securityToken is not valid Unicode")),
            })
        };
        let mut creds = core(Credentials::new(id, secret))?;
        if let Some(token) = token {
            creds = core(creds.with_security_token(token))?;
        }
        let endpoint = endpoint_from_options(&options)?;
        Ok(WasmSigner {
            signer: Signer::new(creds, endpoint),
        })
    }

    /// A signer with the environment's credentials ([`Credentials::from_env`]), or
    /// `undefined` when none are set. `options`: `{ regionId?, endpoint?, allowInsecureHttp? }`.
    #[wasm_bindgen(js_name = fromEnv)]
    pub fn from_env(env: JsValue, options: JsValue) -> Result<Option<WasmSigner>, JsValue> {
        let options = options_object(
            &options,
            "Client.fromEnv options",
            &["regionId", "endpoint", "allowInsecureHttp"],
        )?;
        let endpoint = endpoint_from_options(&options)?;
        Ok(env_credentials(&env)?.map(|found| WasmSigner {
            signer: Signer::new(found.credentials, endpoint),
        }))
    }

    /// The access key id (not secret), for `toString`.
    #[wasm_bindgen(getter, js_name = accessKeyId)]
    pub fn access_key_id(&self) -> String {
        self.signer.credentials().access_key_id().to_owned()
    }

    /// The endpoint's base URL.
    #[wasm_bindgen(getter)]
    pub fn endpoint(&self) -> String {
        self.signer.endpoint().base_url().to_owned()
    }

    /// The region of a `cams.<region>.aliyuncs.com` endpoint, else `undefined`.
    #[wasm_bindgen(getter, js_name = regionId)]
    pub fn region_id(&self) -> Option<String> {
        self.signer.endpoint().region_id().map(str::to_owned)
    }

    /// Core's warning for a region CAMS is not listed in, else `undefined`.
    #[wasm_bindgen(getter)]
    pub fn warning(&self) -> Option<String> {
        self.signer.endpoint().warning()
    }

    /// Whether the endpoint is a loopback address.
    #[wasm_bindgen(getter, js_name = isLoopback)]
    pub fn is_loopback(&self) -> bool {
        self.signer.endpoint().is_loopback()
    }

    /// Signs one request (the exact path). `options`: `{ raw?, form?, apiVersion?, method?,
    /// signature?, timestamp?, nonce?, headers? }`; `fresh_nonce` is used when
    /// `options.nonce` is absent (the glue passes `crypto.randomUUID()`).
    pub fn sign(
        &self,
        action: JsValue,
        params: JsValue,
        options: JsValue,
        fresh_nonce: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (spec, timestamp, nonce) = spec_from_js(&action, &params, &options, &fresh_nonce)?;
        let signed = core(self.signer.sign_spec(&spec, timestamp, &nonce))?;
        Ok(signed_to_js(&signed))
    }
}

/// A host's arguments as core's [`RequestSpec`], plus the time and the nonce.
fn spec_from_js(
    action: &JsValue,
    params: &JsValue,
    options: &JsValue,
    fresh_nonce: &JsValue,
) -> Result<(RequestSpec, Timestamp, String), JsValue> {
    let options = options_object(options, "options", &SIGN_OPTIONS)?;
    let timestamp = timestamp_from_js(&get(&options, "timestamp"))?;
    let nonce = match opt_string(&get(&options, "nonce"), "nonce")? {
        Some(n) => n,
        None => opt_string(fresh_nonce, "nonce")?
            .ok_or_else(|| bad_arg("nonce", "missing (no Web Crypto to make one)"))?,
    };
    Ok((spec_of(action, params, &options)?, timestamp, nonce))
}

/// The [`RequestSpec`] of an action, its parameters and the (already checked) options
/// object's `raw`, `form`, `apiVersion`, `method`, `signature` and `headers`.
pub(crate) fn spec_of(
    action: &JsValue,
    params: &JsValue,
    options: &JsValue,
) -> Result<RequestSpec, JsValue> {
    let action = checked_string(action, &|| "action".into())?.ok_or_else(|| {
        bad_arg(
            "action",
            format!(
                "expected the operation name as a string, got {}",
                type_name(action)
            ),
        )
    })?;
    let options = options.clone();
    let raw = opt_bool(&get(&options, "raw"), "option raw")?;
    let method = opt_string(&get(&options, "method"), "method")?
        .map(|m| core(Method::parse(&m)))
        .transpose()?;
    let signature = opt_string(&get(&options, "signature"), "signature")?
        .map(|s| core(SignatureVersion::parse(&s)))
        .transpose()?
        .unwrap_or_default();
    Ok(RequestSpec {
        action,
        params: params_from_js(params, "params", raw)?,
        form: params_from_js(&get(&options, "form"), "form", true)?,
        raw,
        api_version: opt_string(&get(&options, "apiVersion"), "apiVersion")?,
        method,
        signature,
        headers: headers_from_js(&get(&options, "headers"))?,
    })
}

/// What `signPacked` answers when the input needs the exact path.
const SLOW: &str = "\u{1}slow";

#[wasm_bindgen]
impl WasmSigner {
    /// The fast path of `Client.sign` for the plain common call: an action, parameters that
    /// are all strings, and only the options `method`, `signature`, `timestamp` (text or
    /// number) and `nonce` as strings/numbers — one string in, one string out, instead of a
    /// JavaScript property access per field. It builds the SAME [`RequestSpec`] the exact path
    /// builds from those values and calls the same [`Signer::sign_spec`]; it never reports an
    /// error: on any problem it answers `"\u{1}slow"` and the glue takes the exact path, which
    /// names it.
    ///
    /// `packed` is `action \0 method \0 signature \0 timestamp \0 nonce` then `\0 name \0
    /// value` for each of the `count` parameters. Empty method / signature: not given; empty
    /// timestamp: now; `@` + JavaScript's text of a number: that number of Unix seconds (whole
    /// seconds; another number takes the exact path). A
    /// piece holding `\0` changes the piece count, and a lone surrogate becomes U+FFFD: both
    /// take the exact path. The answer is `method \0 url \0 body \0 stringToSign \0 signature
    /// \0 signatureVersion \0 canonicalQuery \0 canonicalRequest` (body and canonicalRequest:
    /// empty for none, else `=` + the text) then `\0 name \0 value` per header to send.
    #[wasm_bindgen(js_name = signPacked)]
    pub fn sign_packed(&self, packed: &str, count: u32) -> String {
        self.try_sign_packed(packed, count as usize)
            .map_or_else(|| SLOW.to_owned(), |signed| pack_signed(&signed))
    }
}

impl WasmSigner {
    /// `None`: take the exact path (it also names whatever is wrong).
    fn try_sign_packed(&self, packed: &str, count: usize) -> Option<SignedRequest> {
        // (0xEF leads U+FFFD in UTF-8: the byte scan is cheap, the char search is not.)
        if packed.as_bytes().contains(&0xEF) && packed.contains('\u{FFFD}') {
            return None;
        }
        let mut parts = packed.split('\0');
        let (action, method, signature, timestamp, nonce) = (
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
        );
        let mut params = Vec::with_capacity(count);
        for _ in 0..count {
            let (name, value) = (parts.next()?, parts.next()?);
            params.push((name.to_owned(), Value::String(value.to_owned())));
        }
        if parts.next().is_some() {
            return None;
        }
        // The exact path's readings of the same values (see timestamp_from_js, spec_from_js).
        let timestamp = if timestamp.is_empty() {
            now().ok()?
        } else if let Some(secs) = timestamp.strip_prefix('@') {
            // Whole seconds only (JavaScript's text of an integer): an `i64` is read without
            // Rust's float parser, whose code and tables (~10 KB gzipped) nothing else in the
            // .wasm needs; any other number (a fraction, an exponent) takes the exact path,
            // which reads the number itself.
            if secs.is_empty() || secs.len() > 15 || !secs.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Timestamp::from_unix_f64(secs.parse::<i64>().ok()? as f64).ok()?
        } else {
            Timestamp::parse(timestamp).ok()?
        };
        let spec = RequestSpec {
            action: action.to_owned(),
            params,
            method: match method {
                "" => None,
                m => Some(Method::parse(m).ok()?),
            },
            signature: match signature {
                "" => SignatureVersion::default(),
                s => SignatureVersion::parse(s).ok()?,
            },
            ..RequestSpec::default()
        };
        self.signer.sign_spec(&spec, timestamp, nonce).ok()
    }
}

fn pack_signed(s: &SignedRequest) -> String {
    let cr = s.canonical_request.as_deref();
    let mut len = s.url.len()
        + s.string_to_sign.len()
        + s.signature.len()
        + s.canonical_query.len()
        + s.body.as_ref().map_or(0, |b| b.len() + 1)
        + cr.map_or(0, |c| c.len() + 1)
        + 24;
    for (n, v) in s.headers_to_send() {
        len += n.len() + v.len() + 2;
    }
    let mut out = String::with_capacity(len);
    out.push_str(s.method.as_str());
    out.push('\0');
    out.push_str(&s.url);
    out.push('\0');
    if let Some(b) = &s.body {
        out.push('=');
        out.push_str(b);
    }
    out.push('\0');
    out.push_str(&s.string_to_sign);
    out.push('\0');
    out.push_str(&s.signature);
    out.push('\0');
    out.push_str(s.signature_version.as_str());
    out.push('\0');
    out.push_str(&s.canonical_query);
    out.push('\0');
    if let Some(c) = cr {
        out.push('=');
        out.push_str(c);
    }
    for (n, v) in s.headers_to_send() {
        out.push('\0');
        out.push_str(n);
        out.push('\0');
        out.push_str(v);
    }
    out
}

pub(crate) fn signed_to_js(s: &SignedRequest) -> JsValue {
    let o = Object::new();
    set(&o, "method", s.method.as_str());
    set(&o, "url", s.url.as_str());
    let headers = Object::new();
    for (n, v) in s.headers_to_send() {
        set(&headers, n, v);
    }
    set(&o, "headers", headers);
    set(&o, "body", opt_str(s.body.as_deref()));
    set(&o, "stringToSign", s.string_to_sign.as_str());
    set(&o, "signature", s.signature.as_str());
    set(&o, "signatureVersion", s.signature_version.as_str());
    set(&o, "canonicalQuery", s.canonical_query.as_str());
    set(
        &o,
        "canonicalRequest",
        opt_str(s.canonical_request.as_deref()),
    );
    o.into()
}
