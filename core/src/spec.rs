//! What a host asks to sign, in host-neutral values: the one place where a host's arguments
//! (an action, parameters of any JSON type, `raw`, a form, an API version, a method, a
//! signature version, headers) become a [`Request`]. Every binding and the CLI build one of
//! these and nothing else, so the rules below hold the same in every host.

use serde_json::Value;

use crate::catalog;
use crate::error::Error;
use crate::request::{CAMS_API_VERSION, Method, Request, SignatureVersion};

/// A request as a host describes it.
///
/// * A CAMS operation (the default): `params` are checked against the
///   [catalog](crate::catalog) (names as API or snake names, values of the declared types,
///   `null` meaning "not given") and serialized as the official client does. `form` and
///   `api_version` are refused: the catalog decides where each parameter goes, and CAMS has
///   one version.
/// * `raw`: any Alibaba Cloud RPC API, no catalog. Each value means what the official
///   flattener (`Utils.query`, [`catalog::flatten`]) makes of it: text as given, numbers as
///   JSON writes them, booleans `True`/`False` (as the official Python client sends them),
///   lists and objects flattened into `Name.1`, `Name.Key`, and `null` left out. `params` go
///   in the query, `form` in the body.
///
/// ```
/// use camskit::RequestSpec;
/// use serde_json::json;
/// let spec = RequestSpec {
///     action: "DescribeRegions".into(),
///     raw: true,
///     api_version: Some("2014-05-26".into()),
///     params: vec![("Tag".into(), json!([{"Key": "k", "Value": true}])), ("Skip".into(), json!(null))],
///     ..RequestSpec::default()
/// };
/// let request = spec.to_request()?;
/// assert_eq!(request.query_params(), &[("Tag.1.Key".to_string(), "k".to_string()), ("Tag.1.Value".into(), "True".into())]);
/// # Ok::<(), camskit::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestSpec {
    /// The action (`ChatappMigrationRegister`).
    pub action: String,
    /// The parameters, in the caller's order.
    pub params: Vec<(String, Value)>,
    /// `raw` only: form-body parameters.
    pub form: Vec<(String, Value)>,
    /// Skip the catalog (any RPC API).
    pub raw: bool,
    /// `raw` only: the API version (default CAMS's, 2020-06-06).
    pub api_version: Option<String>,
    /// Overrides the method (default: the catalog's; `POST` for raw requests).
    pub method: Option<Method>,
    /// 1.0 (default) or v3.
    pub signature: SignatureVersion,
    /// Extra headers to send (signed under v3).
    pub headers: Vec<(String, String)>,
}

impl RequestSpec {
    /// A CAMS operation with these parameters, every other option at its default.
    pub fn new(action: impl Into<String>, params: Vec<(String, Value)>) -> Self {
        Self {
            action: action.into(),
            params,
            ..Self::default()
        }
    }

    /// Parameters from the text of one JSON object, in its order. A name given twice is an
    /// error (a JSON parser would keep the last one silently); so is anything but an object.
    ///
    /// ```
    /// use camskit::RequestSpec;
    /// let params = RequestSpec::params_from_json(br#"{"CustSpaceId":"c","PhoneNumber":"p"}"#)?;
    /// assert_eq!(params[1].0, "PhoneNumber");
    /// assert!(RequestSpec::params_from_json(br#"{"A":1,"A":2}"#).is_err());
    /// // Inside a parameter's object too.
    /// assert!(RequestSpec::params_from_json(br#"{"Page":{"Index":1,"Index":2}}"#).is_err());
    /// # Ok::<(), camskit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming what is wrong.
    pub fn params_from_json(text: &[u8]) -> Result<Vec<(String, Value)>, Error> {
        use serde::Deserializer as _;
        use serde::de::{MapAccess, Visitor};
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Vec<(String, Value)>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object of parameters")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, Value)> = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    if out.iter().any(|(n, _)| *n == k) {
                        return Err(serde::de::Error::custom(format!(
                            "parameter {:?} is given more than once",
                            crate::error::truncate(&k)
                        )));
                    }
                    // Objects inside a parameter hold each key once too.
                    let v = map.next_value_seed(crate::catalog::Strict)?;
                    out.push((k, v));
                }
                Ok(out)
            }
        }
        let bad = |e: serde_json::Error| {
            Error::invalid(
                "parameters",
                format!(
                    "not a JSON object of parameters: {}",
                    crate::catalog::json_problem(&e)
                ),
            )
        };
        let mut de = serde_json::Deserializer::from_slice(text);
        let pairs = (&mut de).deserialize_map(Pairs).map_err(bad)?;
        de.end().map_err(bad)?;
        Ok(pairs)
    }

    /// The unsigned request.
    ///
    /// # Errors
    /// For a CAMS operation, the catalog's errors, and [`Error::InvalidInput`] for `form` or
    /// `api_version` given without `raw`. The signer checks the rest (names, sizes,
    /// duplicates, headers) when it signs.
    pub fn to_request(&self) -> Result<Request, Error> {
        let mut request = if self.raw {
            let mut r = Request::new(self.action.as_str());
            if let Some(v) = &self.api_version {
                r = r.with_api_version(v.as_str());
            }
            for (name, value) in &self.params {
                for (n, v) in catalog::flatten(name, value) {
                    r.push_param(n, v);
                }
            }
            for (name, value) in &self.form {
                for (n, v) in catalog::flatten(name, value) {
                    r.push_form_param(n, v);
                }
            }
            r
        } else {
            if !self.form.is_empty() {
                return Err(Error::invalid(
                    "form",
                    "form parameters need raw: for CAMS operations the catalog places each parameter in the query or the body",
                ));
            }
            if let Some(v) = self
                .api_version
                .as_deref()
                .filter(|v| *v != CAMS_API_VERSION)
            {
                return Err(Error::invalid(
                    "API version",
                    format!(
                        "{:?} needs raw: the catalog describes CAMS {CAMS_API_VERSION}",
                        crate::error::truncate(v)
                    ),
                ));
            }
            catalog::request_from_pairs(
                &self.action,
                self.params.iter().map(|(k, v)| (k.as_str(), v)),
            )?
        };
        if let Some(m) = self.method {
            request = request.with_method(m);
        }
        request = request.with_signature(self.signature);
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn raw_values_of_every_json_type() {
        let spec = RequestSpec {
            action: "A".into(),
            raw: true,
            params: vec![
                ("S".into(), json!("x y")),
                ("I".into(), json!(12345678901234567_i64)),
                ("F".into(), json!(1.5)),
                ("T".into(), json!(true)),
                ("N".into(), json!(null)),
                ("L".into(), json!(["a", 1])),
                ("O".into(), json!({"K": false})),
            ],
            form: vec![("B".into(), json!("body"))],
            ..RequestSpec::default()
        };
        let r = spec.to_request().unwrap();
        let q: Vec<(&str, &str)> = r
            .query_params()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            q,
            [
                ("S", "x y"),
                ("I", "12345678901234567"),
                ("F", "1.5"),
                ("T", "True"),
                ("L.1", "a"),
                ("L.2", "1"),
                ("O.K", "False"),
            ]
        );
        assert_eq!(r.form_params(), &[("B".to_string(), "body".to_string())]);
        assert_eq!(r.api_version(), CAMS_API_VERSION);
    }

    #[test]
    fn catalog_refuses_raw_only_options() {
        let mut spec = RequestSpec::new(
            "ChatappMigrationRegister",
            vec![
                ("CustSpaceId".into(), json!("c")),
                ("PhoneNumber".into(), json!("p")),
            ],
        );
        assert!(spec.to_request().is_ok());
        spec.api_version = Some(CAMS_API_VERSION.into());
        assert!(spec.to_request().is_ok());
        spec.api_version = Some("2014-05-26".into());
        assert!(
            spec.to_request()
                .unwrap_err()
                .to_string()
                .contains("needs raw")
        );
        spec.api_version = None;
        spec.form = vec![("X".into(), json!("1"))];
        assert!(
            spec.to_request()
                .unwrap_err()
                .to_string()
                .contains("need raw")
        );
    }
}
