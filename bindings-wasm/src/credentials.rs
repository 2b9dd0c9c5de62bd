//! Credentials: the environment object as core's lookup (`Credentials::from_env`), and the
//! default chain — core's sans-I/O [`Plan`] handed to JavaScript, which reads the files it
//! names and sends the requests it asks for. Which source, when to refresh: core's.

use camskit::provider::{
    self, CacheStep, ChainOptions, CredentialsCache, Plan, ResolvedCredentials,
};
use camskit::{EnvValue, Signer};
use js_sys::Object;
use wasm_bindgen::prelude::*;

use crate::client::{WasmSigner, endpoint_from_options};
use crate::convert::{get, opt_str, opt_string, options_object, set};
use crate::env::{HostEnv, KEY_ENV, env_credentials};
use crate::errors::core;
use crate::http::{failure_from_js, request_to_js};

/// The most bytes the host reads of a file the chain names ([`provider::MAX_FILE_BYTES`]).
#[wasm_bindgen(js_name = maxFileBytes)]
pub fn max_file_bytes() -> f64 {
    provider::MAX_FILE_BYTES as f64
}

/// What the environment holds, without the secret: `null` when no credentials are set, else
/// `{ accessKeyId, hasSecurityToken, idVariable, secretVariable, tokenVariable }`.
#[wasm_bindgen(js_name = credentialsFromEnv)]
pub fn credentials_from_env(env: JsValue) -> Result<JsValue, JsValue> {
    let Some(found) = env_credentials(&env)? else {
        return Ok(JsValue::NULL);
    };
    let o = Object::new();
    set(&o, "accessKeyId", found.credentials.access_key_id());
    set(
        &o,
        "hasSecurityToken",
        found.credentials.security_token().is_some(),
    );
    set(&o, "idVariable", found.id_variable);
    set(&o, "secretVariable", found.secret_variable);
    set(&o, "tokenVariable", opt_str(found.token_variable));
    Ok(o.into())
}

#[wasm_bindgen]
impl WasmSigner {
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
        // `profile` overrides ALIBABA_CLOUD_PROFILE (the variable is then not read).
        let skip = profile.as_ref().map(|_| "ALIBABA_CLOUD_PROFILE");
        let lists = [&provider::CHAIN_ENV[..], KEY_ENV[0], KEY_ENV[1], KEY_ENV[2]];
        let mut env = HostEnv::read(&env, true, &lists, skip)?;
        if let Some(p) = profile {
            env.vars.push(("ALIBABA_CLOUD_PROFILE", EnvValue::Text(p)));
        }
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
            provider::Step::Fetch(r) => return Ok(request_to_js("fetch", &r)),
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

    /// The request asked for got no answer: `kind` as for `WasmCall.onTransportError`
    /// (core's `TransportFailure`), `message` the host's words (no secret).
    #[wasm_bindgen(js_name = feedTransportError)]
    pub fn feed_transport_error(&mut self, kind: &str, message: &str) -> Result<(), JsValue> {
        core(
            self.plan
                .feed_transport_error(failure_from_js(kind)?, message),
        )
    }
}

/// A client's credentials between calls (core's [`CredentialsCache`]): when to refresh, and
/// what a failed refresh means (keep a still-valid key and warn once, fail once it expired).
#[wasm_bindgen]
pub struct WasmCache {
    cache: CredentialsCache,
}

#[wasm_bindgen]
impl WasmCache {
    /// A cache holding what the chain resolved.
    #[wasm_bindgen(constructor)]
    pub fn new(resolved: &WasmResolved) -> WasmCache {
        WasmCache {
            cache: CredentialsCache::with(resolved.inner.clone()),
        }
    }

    /// What to do before signing at `now_secs`: `{ type: "ready" }`, `{ type: "refresh", plan }`
    /// (walk it, then `refreshed` or `refreshFailed`) or `{ type: "resolve" }` (walk the
    /// default chain again, then the same).
    pub fn next(&self, now_secs: f64, nonce: &str) -> JsValue {
        let o = Object::new();
        match self.cache.next(now_secs.floor() as i64, nonce) {
            CacheStep::Ready(_) => set(&o, "type", "ready"),
            CacheStep::Refresh(plan) => {
                set(&o, "type", "refresh");
                set(&o, "plan", WasmPlan { plan });
            }
            CacheStep::Resolve => set(&o, "type", "resolve"),
        }
        o.into()
    }

    /// The walk gave fresh credentials.
    pub fn refreshed(&mut self, resolved: &WasmResolved) {
        self.cache.refreshed(resolved.inner.clone());
    }

    /// The walk failed with `error` (what the glue caught): the warning to log once (a string,
    /// else `undefined`) while the cached key is still valid; else `error` is thrown back.
    #[wasm_bindgen(js_name = refreshFailed)]
    pub fn refresh_failed(
        &mut self,
        now_secs: f64,
        error: JsValue,
    ) -> Result<Option<String>, JsValue> {
        // Core's words for it: a CamsError's `problem` (a CredentialsError) or `message`.
        let words = ["problem", "message"]
            .iter()
            .find_map(|k| get(&error, k).as_string())
            .or_else(|| error.as_string())
            .unwrap_or_else(|| "the refresh failed".to_owned());
        let failure = camskit::Error::Credentials { problem: words };
        match self.cache.refresh_failed(now_secs.floor() as i64, failure) {
            Ok(kept) => Ok(kept.warning),
            Err(_) => Err(error),
        }
    }

    /// Which source the cached credentials came from.
    #[wasm_bindgen(getter)]
    pub fn source(&self) -> Option<String> {
        self.cache.current().map(|r| r.source.clone())
    }

    /// Whether the cached credentials are due for a refresh (core's rule: from 15 minutes
    /// before they expire).
    #[wasm_bindgen(js_name = needsRefresh)]
    pub fn needs_refresh(&self, now_secs: f64) -> bool {
        self.cache
            .current()
            .is_some_and(|r| r.needs_refresh(now_secs.floor() as i64))
    }

    /// Expiry (unix seconds) of cached temporary credentials, else `undefined`.
    #[wasm_bindgen(getter)]
    pub fn expiration(&self) -> Option<f64> {
        self.cache
            .current()
            .and_then(|r| r.expiration)
            .map(|e| e as f64)
    }
}

/// Credentials the chain resolved (core's [`ResolvedCredentials`]); the secret stays in
/// WebAssembly memory.
#[wasm_bindgen]
pub struct WasmResolved {
    inner: ResolvedCredentials,
}
