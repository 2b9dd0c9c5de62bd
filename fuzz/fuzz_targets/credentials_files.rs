//! `~/.aliyun/config.json` and the credentials ini file on arbitrary text.
//!
//! Properties: parsing never panics; an error never shows the canary planted as a secret's
//! value (`access_key_secret` / `sts_token` in config.json, `access_key_secret` /
//! `security_token` in the ini; other values, names and section headers may be echoed); an
//! accepted static profile gives back a key id that appears in the text.
#![no_main]

use camskit::provider::{ProfileSource, parse_cli_config, parse_credentials_ini};
use libfuzzer_sys::fuzz_target;

const CANARY: &str = "CanarySecret0123";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Half the inputs carry the canary as a value the parsers must never echo.
    let text = if data.first().is_some_and(|b| b & 1 == 1) {
        let mut t = text.into_owned();
        for key in ["access_key_secret", "sts_token", "security_token"] {
            for (from, to) in [
                (format!("\"{key}\":\"SECRET\""), format!("\"{key}\":\"{CANARY}\"")),
                // ini: only a line of its own (inside another key's value it is that value).
                (format!("\n{key} = SECRET\n"), format!("\n{key} = {CANARY}\n")),
                (format!("\n{key}=SECRET\n"), format!("\n{key}={CANARY}\n")),
            ] {
                t = t.replace(&from, &to);
            }
        }
        t
    } else {
        text.into_owned()
    };
    for profile in [None, Some("default"), Some("p")] {
        match parse_cli_config("/home/u/.aliyun/config.json", &text, profile) {
            Ok((name, ProfileSource::Static(c))) => {
                // (JSON escapes such as `\\` make the decoded id differ from the text.)
                assert!(
                    text.contains('\\') || text.contains(c.access_key_id()),
                    "key id from nowhere"
                );
                assert!(!name.is_empty() || profile.is_none());
            }
            Ok(_) => {}
            Err(e) => assert!(!e.to_string().contains(CANARY), "{e}"),
        }
    }
    for section in ["default", "p"] {
        if let Err(e) = parse_credentials_ini("/home/u/.alibabacloud/credentials.ini", &text, section) {
            assert!(!e.to_string().contains(CANARY), "{e}");
        }
    }
});
