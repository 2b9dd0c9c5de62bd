//! The request the options describe: parameters (`NAME=VALUE`, the `--params-json` file), the
//! time, the endpoint and the credentials to sign with, resolved into a signer.

use camskit::{Endpoint, Method, RequestSpec, SignatureVersion, Signer, Timestamp, catalog};
use serde_json::Value;

use crate::args::RequestArgs;
use crate::credentials::{Keys, Source, credentials};
use crate::failure::Failure;
use crate::input::{MAX_INPUT_BYTES, ReadError, read_bounded};

pub fn split_pair(arg: &str, what: &str) -> Result<(String, String), Failure> {
    arg.split_once('=')
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .ok_or_else(|| Failure::Usage(format!("{what} {arg:?} is not NAME=VALUE")))
}

fn timestamp(arg: Option<&str>) -> Result<Timestamp, Failure> {
    Ok(match arg {
        Some(t) => Timestamp::parse(t)?,
        None => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|_| Failure::Usage("the system clock is before 1970".into()))?;
            Timestamp::from_unix_f64(now.as_secs_f64())?
        }
    })
}

/// What the arguments describe: the signer, the request, where the credentials came from
/// (and the cache that refreshes them).
pub struct Prepared {
    pub signer: Signer,
    pub spec: RequestSpec,
    pub source: Source,
    pub endpoint: Endpoint,
    pub keys: Keys,
}

/// Signs what the arguments describe; also says where the credentials came from.
pub fn build(args: &RequestArgs) -> Result<(camskit::SignedRequest, Source, Endpoint), Failure> {
    let p = prepare(args)?;
    let nonce = args
        .nonce
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let signed = p
        .signer
        .sign_spec(&p.spec, timestamp(args.timestamp.as_deref())?, &nonce)?;
    Ok((signed, p.source, p.endpoint))
}

pub fn prepare(args: &RequestArgs) -> Result<Prepared, Failure> {
    let endpoint = Endpoint::resolve(args.region.as_deref(), args.endpoint.as_deref())?;
    if let Some(warning) = endpoint.warning() {
        eprintln!("camskit: warning: {warning}");
    }
    let params = args
        .params
        .iter()
        .map(|p| split_pair(p, "parameter"))
        .collect::<Result<Vec<_>, _>>()?;
    let form = args
        .form
        .iter()
        .map(|p| split_pair(p, "--form"))
        .collect::<Result<Vec<_>, _>>()?;
    let text = |pairs: Vec<(String, String)>| -> Vec<(String, Value)> {
        pairs
            .into_iter()
            .map(|(n, v)| (n, Value::String(v)))
            .collect()
    };
    let mut spec = RequestSpec {
        action: args.action.clone(),
        raw: args.raw,
        api_version: Some(args.api_version.clone()),
        form: text(form),
        method: args.method.as_deref().map(Method::parse).transpose()?,
        signature: SignatureVersion::parse(&args.signature)?,
        headers: args
            .headers
            .iter()
            .map(|h| split_pair(h, "--header"))
            .collect::<Result<_, _>>()?,
        ..RequestSpec::default()
    };
    spec.params = if args.raw {
        let mut all = text(params);
        if let Some(source) = &args.params_json {
            let text = read_input(source, MAX_PARAMS_JSON_BYTES, "--params-json")?;
            all.extend(
                RequestSpec::params_from_json(&text)
                    .map_err(|e| Failure::Usage(format!("--params-json {source}: {e}")))?,
            );
        }
        all
    } else {
        catalog_params(&args.action, params, args.params_json.as_deref())?
    };
    let (resolved, source, keys) = credentials(&args.chain)?;
    let creds = resolved.credentials;
    Ok(Prepared {
        signer: Signer::new(creds, endpoint.clone()),
        spec,
        source,
        endpoint,
        keys,
    })
}

/// The largest `--params-json` accepted, in bytes.
const MAX_PARAMS_JSON_BYTES: usize = MAX_INPUT_BYTES;

/// Parameters for the catalog: NAME=VALUE text read as each parameter's type, and/or one JSON
/// object of parameters (`--params-json`; a name given twice in it is an error, as twice on
/// the command line is).
fn catalog_params(
    action: &str,
    params: Vec<(String, String)>,
    params_json: Option<&str>,
) -> Result<Vec<(String, Value)>, Failure> {
    let mut out: Vec<(String, Value)> = catalog::values_from_text(action, &params)?
        .into_iter()
        .collect();
    let Some(source) = params_json else {
        return Ok(out);
    };
    let text = read_input(source, MAX_PARAMS_JSON_BYTES, "--params-json")?;
    let object = RequestSpec::params_from_json(&text)
        .map_err(|e| Failure::Usage(format!("--params-json {source}: {e}")))?;
    for (name, value) in object {
        if out.iter().any(|(n, _)| *n == name) {
            return Err(Failure::Usage(format!(
                "parameter {name} is given both in --params-json and as an argument"
            )));
        }
        out.push((name, value));
    }
    Ok(out)
}

/// Reads a regular file or standard input (`-`), refusing anything else and more than
/// `limit` bytes.
pub fn read_input(source: &str, limit: usize, what: &str) -> Result<Vec<u8>, Failure> {
    read_bounded(source, limit, what).map_err(|e| match e {
        ReadError::Unreadable(message) | ReadError::Refused(message) => Failure::Usage(message),
    })
}
