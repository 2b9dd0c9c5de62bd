//! `tests/vectors/credentials.json`, recorded from the official `alibabacloud-credentials` by
//! `tools/gen-credentials-vectors.sh`: camskit's AssumeRole requests are byte-identical, its
//! AssumeRoleWithOIDC requests carry the same query, and it accepts and rejects the same
//! files (camskit extensions, marked in the vectors, are accepted).

use std::path::PathBuf;

use camskit::provider::{
    ChainOptions, Plan, ProfileSource, RoleHop, Step, StsRole, parse_cli_config,
    parse_credentials_ini, sign_assume_role,
};
use camskit::{Credentials, Endpoint, Timestamp};
use serde_json::Value;

fn doc() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/credentials.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("{k} in {v}"))
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect();
    out.sort();
    out
}

fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

fn source(input: &Value) -> Credentials {
    let c = Credentials::new(s(input, "access_key_id"), s(input, "access_key_secret")).unwrap();
    match input["security_token"].as_str() {
        Some(t) => c.with_security_token(t).unwrap(),
        None => c,
    }
}

#[test]
fn assume_role_is_byte_identical() {
    let d = doc();
    let cases = d["assume_role"].as_array().unwrap();
    assert!(cases.len() >= 6);
    for case in cases {
        let (name, input, exp) = (s(case, "name"), &case["input"], &case["expected"]);
        let role = StsRole {
            role_arn: s(input, "role_arn").into(),
            role_session_name: s(input, "role_session_name").into(),
            duration_seconds: input["duration_seconds"].as_u64().unwrap() as u32,
            policy: input["policy"].as_str().map(Into::into),
            external_id: input["external_id"].as_str().map(Into::into),
            endpoint: Endpoint::parse(s(exp, "host")).unwrap(),
        };
        let t = Timestamp::parse(s(input, "timestamp")).unwrap();
        let signed = sign_assume_role(&source(input), &role, t, s(input, "nonce")).unwrap();
        assert_eq!(signed.method.as_str(), s(exp, "method"), "{name}");
        assert_eq!(signed.canonical_query, s(exp, "canonical_query"), "{name}");
        assert_eq!(signed.string_to_sign, s(exp, "string_to_sign"), "{name}");
        assert_eq!(signed.signature, s(exp, "signature"), "{name}");
        assert!(
            signed
                .url
                .starts_with(&format!("https://{}/?", s(exp, "host"))),
            "{name}"
        );

        // The plan sends the same request, to the host the official client picks from the
        // region and VPC settings.
        let hop = RoleHop {
            role_arn: role.role_arn.clone(),
            role_session_name: Some(role.role_session_name.clone()),
            duration_seconds: role.duration_seconds,
            policy: role.policy.clone(),
            external_id: role.external_id.clone(),
            sts_region: input["sts_region_id"].as_str().map(Into::into),
            enable_vpc: input["enable_vpc"].as_bool(),
        };
        let src = ProfileSource::RamRoleArn {
            source: Box::new(ProfileSource::Static(source(input))),
            role: hop,
        };
        let mut plan = Plan::for_source(
            &src,
            |_| None,
            t.unix(),
            s(input, "nonce"),
            ChainOptions::default(),
        )
        .unwrap();
        let Step::Fetch(req) = plan.next().unwrap() else {
            panic!("{name}: a fetch")
        };
        assert_eq!(req.url, signed.url, "{name}");
        assert_eq!(sorted(req.query_pairs()), pairs(&exp["query"]), "{name}");
        assert_eq!(req.purpose, "sts:AssumeRole");
    }
}

#[test]
fn assume_role_with_oidc_sends_the_same_query() {
    let d = doc();
    let cases = d["assume_role_with_oidc"].as_array().unwrap();
    assert!(cases.len() >= 2);
    for case in cases {
        let (name, input, exp) = (s(case, "name"), &case["input"], &case["expected"]);
        let src = ProfileSource::Oidc(camskit::provider::OidcRole {
            role_arn: s(input, "role_arn").into(),
            oidc_provider_arn: s(input, "oidc_provider_arn").into(),
            oidc_token_file: "/var/run/secrets/token".into(),
            role_session_name: Some(s(input, "role_session_name").into()),
            duration_seconds: input["duration_seconds"].as_u64().unwrap() as u32,
            policy: input["policy"].as_str().map(Into::into),
            sts_region: input["sts_region_id"].as_str().map(Into::into),
            enable_vpc: None,
        });
        let t = Timestamp::parse(s(input, "timestamp")).unwrap();
        let mut plan =
            Plan::for_source(&src, |_| None, t.unix(), "n", ChainOptions::default()).unwrap();
        let Step::ReadFile { path } = plan.next().unwrap() else {
            panic!("{name}: the token file first")
        };
        assert_eq!(path, "/var/run/secrets/token");
        plan.feed_file(Some(s(input, "oidc_token"))).unwrap();
        let Step::Fetch(req) = plan.next().unwrap() else {
            panic!("{name}: a fetch")
        };
        assert_eq!(req.method, s(exp, "method"), "{name}");
        assert!(
            req.url
                .starts_with(&format!("https://{}/?", s(exp, "host"))),
            "{name}"
        );
        assert_eq!(sorted(req.query_pairs()), pairs(&exp["query"]), "{name}");
        assert!(req.headers.is_empty(), "{name}: unsigned, no extra headers");
        let shown = format!("{req:?}");
        assert!(!shown.contains(s(input, "oidc_token")), "{name}: {shown}");
    }
}

#[test]
fn files_are_accepted_and_rejected_as_the_official_client_does() {
    let d = doc();
    let mut n = 0;
    for (kind, cases) in [
        ("cli", d["cli_config"].as_array().unwrap()),
        ("ini", d["credentials_ini"].as_array().unwrap()),
    ] {
        for case in cases {
            n += 1;
            let name = s(case, "name");
            let file = s(case, "file");
            let official = case["expected"]["accepted"].as_bool().unwrap();
            let extension = case["camskit_extension"].as_bool().unwrap_or(false);
            let parsed = match kind {
                "cli" => parse_cli_config("/h/.aliyun/config.json", file, None).map(|(_, s)| s),
                _ => parse_credentials_ini("/h/.alibabacloud/credentials.ini", file, "default"),
            };
            // A parsed source must also yield a plan (STS role checks happen there).
            let accepted = parsed.and_then(|src| {
                Plan::for_source(&src, |_| None, 1_752_480_000, "n", ChainOptions::default())
                    .map(|_| src)
            });
            if extension {
                assert!(!official && accepted.is_ok(), "{kind} {name}: {accepted:?}");
                continue;
            }
            assert_eq!(accepted.is_ok(), official, "{kind} {name}: {accepted:?}");
            if let (Ok(ProfileSource::Static(c)), Some(id)) =
                (&accepted, case["expected"]["access_key_id"].as_str())
            {
                assert_eq!(c.access_key_id(), id, "{kind} {name}");
            }
        }
    }
    assert!(n >= 25, "{n} file cases");
}
