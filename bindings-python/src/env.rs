//! The host's environment (`os.environ` or a mapping given) as core's lookup wants it.

use camskit::EnvValue;
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::cell::RefCell;

/// The host's environment as core's lookup wants it: a mapping (`os.environ` by default) read
/// name by name; a value that is not a `str`, or a `str` that cannot be encoded (lone
/// surrogates), is [`EnvValue::NotUnicode`]. `profile` overrides `ALIBABA_CLOUD_PROFILE`.
pub(crate) struct HostEnv<'py> {
    environ: Bound<'py, PyAny>,
    profile: Option<String>,
    failure: RefCell<Option<PyErr>>,
}

impl<'py> HostEnv<'py> {
    pub(crate) fn new(
        py: Python<'py>,
        environ: Option<&Bound<'py, PyAny>>,
        profile: Option<String>,
    ) -> PyResult<Self> {
        let environ = match environ.filter(|e| !e.is_none()) {
            Some(e) => e.clone(),
            None => py.import("os")?.getattr("environ")?,
        };
        Ok(Self {
            environ,
            profile,
            failure: RefCell::new(None),
        })
    }

    pub(crate) fn get(&self, name: &str) -> Option<EnvValue> {
        if name == "ALIBABA_CLOUD_PROFILE"
            && let Some(p) = &self.profile
        {
            return Some(EnvValue::Text(p.clone()));
        }
        if self.failure.borrow().is_some() {
            return None;
        }
        match self.environ.call_method1("get", (name,)) {
            Ok(v) if v.is_none() => None,
            Ok(v) => match v.cast::<PyString>().map(|s| s.extract::<String>()) {
                Ok(Ok(s)) => Some(EnvValue::Text(s)),
                _ => Some(EnvValue::NotUnicode),
            },
            Err(e) => {
                *self.failure.borrow_mut() = Some(e);
                None
            }
        }
    }

    /// The error reading the mapping raised, if any.
    pub(crate) fn check(self) -> PyResult<()> {
        match self.failure.into_inner() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}
