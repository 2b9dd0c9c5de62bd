//! Calls, pages and the default credentials chain: core's sans-I/O machines ([`Call`],
//! [`next_page`](camskit::next_page) / [`page_items`](camskit::page_items),
//! [`provider::Plan`]) handed to JavaScript as objects. The glue (`js/camskit.js`) only
//! loops: it sends what they ask with `fetch`, sleeps with `setTimeout`, reads files with
//! `node:fs/promises`, and feeds the results back. Every decision (retry or not, how long to
//! wait, the clock offset, "outcome unknown", the next page, which credentials source, when
//! to refresh) is core's.

use camskit::provider::{self, ChainOptions, Plan, ResolvedCredentials};
use camskit::{Call, EnvValue, Error, RequestSpec, RetryPolicy, Signer, Step, TransportFailure};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use crate::{
    WasmSigner, bad_arg, core, endpoint_from_options, error_to_js, get, headers_from_js,
    is_plain_object, js_text, opt_bool, opt_string, options_object, response_to_js, set, spec_of,
    type_name, value_to_js,
};

/// The options of `client.call` that become the [`RequestSpec`] (the glue takes its own —
/// `fetch`, `signal`, `timeoutMs`, `maxAttempts`, `retry`, `allowInsecureHttp`, `onRetry` —
/// out first).
const CALL_SPEC_OPTIONS: [&str; 6] = [
    "raw",
    "form",
    "apiVersion",
    "method",
    "signature",
    "headers",
];

/// The fields of the `retry` option, as core's [`RetryPolicy`].
const POLICY_FIELDS: [&str; 5] = [
    "maxAttempts",
    "baseDelayMs",
    "maxDelayMs",
    "deadlineMs",
    "recoverClockSkew",
];

fn opt_u64(v: &JsValue, what: &str) -> Result<Option<u64>, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(f) if f.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&f) => {
            Ok(Some(f as u64))
        }
        _ => Err(bad_arg(
            what,
            format!(
                "expected a whole number of 0 or more, got {}",
                if v.as_f64().is_some() {
                    format!("{}", v.as_f64().unwrap_or_default())
                } else {
                    type_name(v)
                }
            ),
        )),
    }
}

/// Core's [`RetryPolicy`] from the `retry` option (`false`: [`RetryPolicy::no_retry`], an
/// object of [`POLICY_FIELDS`], or nothing: the default) and the `maxAttempts` shortcut.
fn policy_from_js(retry: &JsValue, max_attempts: &JsValue) -> Result<RetryPolicy, JsValue> {
    let mut policy = if retry.as_bool() == Some(false) {
        RetryPolicy::no_retry()
    } else if retry.is_undefined() || retry.is_null() || retry.as_bool() == Some(true) {
        RetryPolicy::default()
    } else {
        let o = options_object(retry, "retry", &POLICY_FIELDS)?;
        let mut p = RetryPolicy::default();
        if let Some(n) = opt_u64(&get(&o, "maxAttempts"), "retry.maxAttempts")? {
            p.max_attempts = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(n) = opt_u64(&get(&o, "baseDelayMs"), "retry.baseDelayMs")? {
            p.base_delay_ms = n;
        }
        if let Some(n) = opt_u64(&get(&o, "maxDelayMs"), "retry.maxDelayMs")? {
            p.max_delay_ms = n;
        }
        let deadline = get(&o, "deadlineMs");
        if deadline.is_null() {
            p.deadline_ms = None;
        } else if let Some(n) = opt_u64(&deadline, "retry.deadlineMs")? {
            p.deadline_ms = Some(n);
        }
        let skew = get(&o, "recoverClockSkew");
        if !skew.is_undefined() {
            p.recover_clock_skew = opt_bool(&skew, "retry.recoverClockSkew")?;
        }
        p
    };
    if let Some(n) = opt_u64(max_attempts, "maxAttempts")? {
        if n == 0 {
            return Err(bad_arg("maxAttempts", "must be at least 1"));
        }
        policy.max_attempts = u32::try_from(n).unwrap_or(u32::MAX);
    }
    Ok(policy)
}

/// Milliseconds of JavaScript's clock as core's unsigned milliseconds.
fn millis(now_ms: f64) -> u64 {
    if now_ms.is_finite() && now_ms > 0.0 {
        now_ms as u64
    } else {
        0
    }
}

#[wasm_bindgen]
impl WasmSigner {
    /// Starts one logical call (core's [`Call`]). `options`: the request's `{ raw?, form?,
    /// apiVersion?, method?, signature?, headers? }`; `policy`: `{ retry?, maxAttempts? }`
    /// (see [`policy_from_js`]); `clock_offset`: the seconds a client learnt from an earlier
    /// call; `allow_insecure_http`: the opt-in of [`Endpoint::check_credentials_transport`](camskit::Endpoint::check_credentials_transport).
    #[wasm_bindgen(js_name = startCall)]
    pub fn start_call(
        &self,
        action: JsValue,
        params: JsValue,
        options: JsValue,
        policy: JsValue,
        clock_offset: f64,
        allow_insecure_http: bool,
    ) -> Result<WasmCall, JsValue> {
        let options = options_object(&options, "call options", &CALL_SPEC_OPTIONS)?;
        let spec = spec_of(&action, &params, &options)?;
        let policy = policy_from_js(&get(&policy, "retry"), &get(&policy, "maxAttempts"))?;
        core(
            self.signer
                .endpoint()
                .check_credentials_transport(allow_insecure_http),
        )?;
        WasmCall::start(&self.signer, spec, policy, clock_offset)
    }

    /// A signer of the chain's credentials for the endpoint `options` name (`{ regionId?,
    /// endpoint?, allowInsecureHttp? }`).
    #[wasm_bindgen(js_name = fromResolved)]
    pub fn from_resolved(resolved: &WasmResolved, options: JsValue) -> Result<WasmSigner, JsValue> {
        let options = options_object(
            &options,
            "Client options",
            &["regionId", "endpoint", "allowInsecureHttp"],
        )?;
        let endpoint = endpoint_from_options(&options)?;
        Ok(WasmSigner {
            signer: Signer::new(resolved.inner.credentials.clone(), endpoint),
        })
    }

    /// The same endpoint with refreshed credentials.
    #[wasm_bindgen(js_name = withCredentials)]
    pub fn with_credentials(&self, resolved: &WasmResolved) -> WasmSigner {
        WasmSigner {
            signer: Signer::new(
                resolved.inner.credentials.clone(),
                self.signer.endpoint().clone(),
            ),
        }
    }

    /// Whether the credentials carry an STS token.
    #[wasm_bindgen(getter, js_name = hasSecurityToken)]
    pub fn has_security_token(&self) -> bool {
        self.signer.credentials().security_token().is_some()
    }
}

/// One logical call: core's [`Call`], plus what paging needs (the request and the answer).
#[wasm_bindgen]
pub struct WasmCall {
    call: Call,
    spec: RequestSpec,
    policy: RetryPolicy,
    last: Option<camskit::Response>,
}

impl WasmCall {
    fn start(
        signer: &Signer,
        spec: RequestSpec,
        policy: RetryPolicy,
        clock_offset: f64,
    ) -> Result<WasmCall, JsValue> {
        let offset = if clock_offset.is_finite() {
            clock_offset as i64
        } else {
            0
        };
        let call =
            core(Call::new(signer.clone(), &spec, policy.clone()))?.with_clock_offset(offset);
        Ok(WasmCall {
            call,
            spec,
            policy,
            last: None,
        })
    }
}

#[wasm_bindgen]
impl WasmCall {
    /// What to do next at `now_ms` (JavaScript's `Date.now()`) with 16 fresh random bytes:
    /// `{ type: "send", method, url, headers, body }` (headers: an object to hand to `fetch`;
    /// body: a string or null), `{ type: "wait", millis, attempt, reason }`, or `{ type:
    /// "done", answer }`; a call that ended in an error throws its error object.
    pub fn poll(&mut self, now_ms: f64, entropy: &[u8]) -> Result<JsValue, JsValue> {
        let entropy: [u8; 16] = entropy
            .try_into()
            .map_err(|_| bad_arg("entropy", "expected 16 random bytes"))?;
        let o = Object::new();
        match self.call.poll(millis(now_ms), entropy) {
            Step::Send(signed) => {
                set(&o, "type", "send");
                set(&o, "method", signed.method.as_str());
                set(&o, "url", signed.url.as_str());
                let headers = Object::new();
                for (n, v) in signed.headers_to_send() {
                    set(&headers, n, v);
                }
                set(&o, "headers", headers);
                set(&o, "body", crate::opt_str(signed.body.as_deref()));
            }
            Step::Wait(w) => {
                set(&o, "type", "wait");
                set(&o, "millis", w.millis as f64);
                set(&o, "attempt", w.attempt);
                set(&o, "reason", w.reason);
            }
            Step::Done(Ok(r)) => {
                set(&o, "type", "done");
                set(&o, "answer", response_to_js(&r));
                self.last = Some(r);
            }
            Step::Done(Err(e)) => return Err(error_to_js(&e)),
        }
        Ok(o.into())
    }

    /// The answer to the request last sent: its status, headers (`[name, value]` pairs or an
    /// object) and body bytes (at most `maxResponseBytes() + 1`).
    #[wasm_bindgen(js_name = onResponse)]
    pub fn on_response(
        &mut self,
        now_ms: f64,
        status: u16,
        headers: JsValue,
        body: &[u8],
    ) -> Result<(), JsValue> {
        let headers = headers_from_js(&headers)?;
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.call.on_response(millis(now_ms), status, &pairs, body);
        Ok(())
    }

    /// The request last sent got no answer: `kind` is `"refused_before_send"`,
    /// `"timed_out"` or `"reset_after_send"` (core's [`TransportFailure`]), `message` the
    /// host's words (no secret).
    #[wasm_bindgen(js_name = onTransportError)]
    pub fn on_transport_error(
        &mut self,
        now_ms: f64,
        kind: &str,
        message: &str,
    ) -> Result<(), JsValue> {
        let failure = TransportFailure::from_name(kind).ok_or_else(|| {
            bad_arg(
                "transport failure",
                format!(
                    "unknown kind {:?} (refused_before_send, timed_out, reset_after_send)",
                    camskit::truncate(kind)
                ),
            )
        })?;
        self.call
            .on_transport_error(millis(now_ms), failure, message);
        Ok(())
    }

    /// The error of a call its caller stopped (an `AbortSignal`) where the machine would have
    /// tried again: the machine retries only what is safe to repeat, so the outcome is known
    /// (nothing took effect, or the operation only reads). core's [`Error::Transport`].
    pub fn stopped(&self, why: &str) -> JsValue {
        error_to_js(&Error::Transport {
            reason: format!("stopped by the caller: {}", camskit::truncate(why)),
            outcome_unknown: false,
        })
    }

    /// Attempts sent so far.
    #[wasm_bindgen(getter)]
    pub fn attempts(&self) -> u32 {
        self.call.attempts()
    }

    /// Server time minus the host's clock, in seconds, as the machine learnt it.
    #[wasm_bindgen(getter, js_name = clockOffsetSecs)]
    pub fn clock_offset_secs(&self) -> f64 {
        self.call.clock_offset_secs() as f64
    }

    /// The items of the answer (core's `page_items`): an array, or `undefined` when the
    /// operation is not paged or its items are untyped (or the call has not succeeded).
    #[wasm_bindgen(js_name = pageItems)]
    pub fn page_items(&self) -> JsValue {
        let items = self
            .last
            .as_ref()
            .and_then(|r| camskit::page_items(&self.spec.action, r));
        match items {
            Some(items) => items.iter().map(value_to_js).collect::<Array>().into(),
            None => JsValue::UNDEFINED,
        }
    }

    /// The call of the next page (core's `next_page` over this call's answer), signed by
    /// `signer`, or `undefined` after the last page.
    #[wasm_bindgen(js_name = nextPage)]
    pub fn next_page(
        &self,
        signer: &WasmSigner,
        clock_offset: f64,
    ) -> Result<Option<WasmCall>, JsValue> {
        let Some(last) = &self.last else {
            return Ok(None);
        };
        let Some(params) = core(camskit::next_page(
            &self.spec.action,
            &self.spec.params,
            last,
        ))?
        else {
            return Ok(None);
        };
        let spec = RequestSpec {
            params,
            ..self.spec.clone()
        };
        WasmCall::start(&signer.signer, spec, self.policy.clone(), clock_offset).map(Some)
    }
}

// ---------------------------------------------------------------------------------------------
// The default credentials chain.

/// A JavaScript environment object as core's lookup; `profile` overrides
/// `ALIBABA_CLOUD_PROFILE`. A value that is not a string is an error; a lone surrogate is
/// [`EnvValue::NotUnicode`].
struct HostEnv {
    vars: Vec<(String, EnvValue)>,
}

impl HostEnv {
    fn new(env: &JsValue, profile: Option<String>) -> Result<HostEnv, JsValue> {
        if !env.is_undefined() && !env.is_null() && !is_plain_object(env) {
            return Err(bad_arg(
                "env",
                format!(
                    "expected an object of environment variables (process.env), got {}",
                    type_name(env)
                ),
            ));
        }
        let mut vars = Vec::new();
        let names = provider::CHAIN_ENV
            .iter()
            .chain(&camskit::ENV_ACCESS_KEY_ID)
            .chain(&camskit::ENV_ACCESS_KEY_SECRET)
            .chain(&camskit::ENV_SECURITY_TOKEN);
        for name in names {
            if let (true, Some(p)) = (*name == "ALIBABA_CLOUD_PROFILE", &profile) {
                vars.push((name.to_string(), EnvValue::Text(p.clone())));
                continue;
            }
            if env.is_undefined() || env.is_null() {
                continue;
            }
            let v = get(env, name);
            if v.is_undefined() || v.is_null() {
                continue;
            }
            let value = match js_text(&v) {
                Ok(Some(s)) => EnvValue::Text(s),
                Ok(None) => {
                    return Err(bad_arg(
                        &format!("env.{name}"),
                        format!("expected a string, got {}", type_name(&v)),
                    ));
                }
                Err(()) => EnvValue::NotUnicode,
            };
            vars.push((name.to_string(), value));
        }
        Ok(HostEnv { vars })
    }

    fn get(&self, name: &str) -> Option<EnvValue> {
        self.vars
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }
}

/// A walk of the default credentials chain (core's [`Plan`]).
#[wasm_bindgen]
pub struct WasmPlan {
    plan: Plan,
}

#[wasm_bindgen]
impl WasmPlan {
    /// The default chain over `env` (an object; `undefined`: no variables), `home` (the home
    /// directory), `now_secs` (unix seconds), `nonce` (a fresh UUID) and `options`:
    /// `{ profile?, stsEndpoint?, ecsMetadataEndpoint? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        env: JsValue,
        home: &str,
        now_secs: f64,
        nonce: &str,
        options: JsValue,
    ) -> Result<WasmPlan, JsValue> {
        let options = options_object(
            &options,
            "default chain options",
            &["profile", "stsEndpoint", "ecsMetadataEndpoint"],
        )?;
        let profile = opt_string(&get(&options, "profile"), "profile")?;
        let chain = ChainOptions {
            sts_endpoint: opt_string(&get(&options, "stsEndpoint"), "stsEndpoint")?,
            ecs_metadata_endpoint: opt_string(
                &get(&options, "ecsMetadataEndpoint"),
                "ecsMetadataEndpoint",
            )?,
            ..ChainOptions::default()
        };
        let env = HostEnv::new(&env, profile)?;
        let plan = core(Plan::new(
            |name| env.get(name),
            home,
            now_secs.floor() as i64,
            nonce,
            chain,
        ))?;
        Ok(WasmPlan { plan })
    }

    /// The next step: `{ type: "read_file", path }`, `{ type: "fetch", method, url, headers,
    /// body, purpose }` or `{ type: "ready", resolved }`; when no source gave credentials it
    /// throws a `CredentialsError` naming every source's reason (never a secret).
    pub fn next(&mut self) -> Result<JsValue, JsValue> {
        let o = Object::new();
        match core(self.plan.next())? {
            provider::Step::ReadFile { path } => {
                set(&o, "type", "read_file");
                set(&o, "path", path);
            }
            provider::Step::Fetch(r) => {
                set(&o, "type", "fetch");
                set(&o, "method", r.method);
                set(&o, "url", r.url);
                let headers = Object::new();
                for (n, v) in &r.headers {
                    set(&headers, n, v.as_str());
                }
                set(&o, "headers", headers);
                set(&o, "body", crate::opt_str(r.body.as_deref()));
                set(&o, "purpose", r.purpose);
            }
            provider::Step::Ready(resolved) => {
                set(&o, "type", "ready");
                set(&o, "resolved", WasmResolved { inner: resolved });
            }
        }
        Ok(o.into())
    }

    /// The text of the file asked for (`null`/`undefined`: it does not exist or cannot be
    /// read).
    #[wasm_bindgen(js_name = feedFile)]
    pub fn feed_file(&mut self, text: Option<String>) -> Result<(), JsValue> {
        core(self.plan.feed_file(text.as_deref()))
    }

    /// The answer to the request asked for: HTTP status and body text.
    #[wasm_bindgen(js_name = feedResponse)]
    pub fn feed_response(&mut self, status: u16, body: &str) -> Result<(), JsValue> {
        core(self.plan.feed_response(status, body))
    }

    /// The request asked for got no answer (`message`: the host's words, no secret).
    #[wasm_bindgen(js_name = feedFailure)]
    pub fn feed_failure(&mut self, message: &str) -> Result<(), JsValue> {
        core(self.plan.feed_failure(message))
    }
}

/// Credentials the chain resolved (core's [`ResolvedCredentials`]); the secret stays in
/// WebAssembly memory.
#[wasm_bindgen]
pub struct WasmResolved {
    inner: ResolvedCredentials,
}

#[wasm_bindgen]
impl WasmResolved {
    /// The access key id (not secret).
    #[wasm_bindgen(getter, js_name = accessKeyId)]
    pub fn access_key_id(&self) -> String {
        self.inner.credentials.access_key_id().to_owned()
    }

    /// Which source gave them (`env`, `cli_profile:<name>/<kind>`, `ecs_ram_role`, ...).
    #[wasm_bindgen(getter)]
    pub fn source(&self) -> String {
        self.inner.source.clone()
    }

    /// Expiry (unix seconds) of temporary credentials, else `undefined`.
    #[wasm_bindgen(getter)]
    pub fn expiration(&self) -> Option<f64> {
        self.inner.expiration.map(|e| e as f64)
    }

    /// Core's rule: refresh from 15 minutes before the expiry.
    #[wasm_bindgen(js_name = needsRefresh)]
    pub fn needs_refresh(&self, now_secs: f64) -> bool {
        self.inner.needs_refresh(now_secs.floor() as i64)
    }

    /// The plan that fetches them again from the same source (`undefined` for a fixed key).
    pub fn refresh(&self, now_secs: f64, nonce: &str) -> Option<WasmPlan> {
        self.inner
            .refresh(now_secs.floor() as i64, nonce)
            .map(|plan| WasmPlan { plan })
    }
}
