//! The environment object of JavaScript (`process.env` or any map of strings) as core's
//! lookup: what `Credentials::from_env` and the credentials chain read. Below the client and
//! the chain, which both use it.

use camskit::{Credentials, EnvValue};
use wasm_bindgen::prelude::*;

use crate::convert::{get, is_plain_object, js_text, type_name};
use crate::errors::{bad_arg, core};

/// The variables core's `Credentials::from_env` reads.
pub(crate) const KEY_ENV: [&[&str]; 3] = [
    &camskit::ENV_ACCESS_KEY_ID,
    &camskit::ENV_ACCESS_KEY_SECRET,
    &camskit::ENV_SECURITY_TOKEN,
];

/// The variables of a JavaScript environment object (`process.env` or any map of strings)
/// among `names`, as core reads them: a lone surrogate is [`EnvValue::NotUnicode`], a value
/// that is not a string an error; `undefined`/`null` values (and an `undefined`/`null` `env`
/// when `optional`) are "not set".
pub(crate) struct HostEnv {
    pub(crate) vars: Vec<(&'static str, EnvValue)>,
}

impl HostEnv {
    pub(crate) fn read(
        env: &JsValue,
        optional: bool,
        lists: &[&[&'static str]],
        skip: Option<&str>,
    ) -> Result<HostEnv, JsValue> {
        let absent = env.is_undefined() || env.is_null();
        if !(is_plain_object(env) || (optional && absent)) {
            return Err(bad_arg(
                "env",
                format!(
                    "expected an object of environment variables (process.env), got {}",
                    type_name(env)
                ),
            ));
        }
        let mut vars = Vec::new();
        for &name in lists.iter().flat_map(|l| l.iter()) {
            if skip == Some(name) {
                continue;
            }
            let v = if absent {
                JsValue::UNDEFINED
            } else {
                get(env, name)
            };
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
            vars.push((name, value));
        }
        Ok(HostEnv { vars })
    }

    pub(crate) fn get(&self, name: &str) -> Option<EnvValue> {
        self.vars
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }
}

/// The environment's credentials ([`Credentials::from_env`]), `None` when none are set.
pub(crate) fn env_credentials(env: &JsValue) -> Result<Option<camskit::EnvCredentials>, JsValue> {
    let env = HostEnv::read(env, false, &KEY_ENV, None)?;
    core(Credentials::from_env(|name| env.get(name)))
}
