//! `~/.aliyun/config.json` and the credentials ini file on arbitrary text.
//!
//! Properties: parsing never panics; an error never shows the canary secret planted in the
//! input; an accepted static profile gives back a key id that appears in the text.
#![no_main]

use camskit::provider::{ProfileSource, parse_cli_config, parse_credentials_ini};
use libfuzzer_sys::fuzz_target;

const CANARY: &str = "CanarySecret0123";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Half the inputs carry the canary as a secret the parsers must never echo.
    let text = if data.first().is_some_and(|b| b & 1 == 1) {
        text.replace("SECRET", CANARY)
    } else {
        text.into_owned()
    };
    for profile in [None, Some("default"), Some("p")] {
        match parse_cli_config("/home/u/.aliyun/config.json", &text, profile) {
            Ok((name, ProfileSource::Static(c))) => {
                assert!(text.contains(c.access_key_id()), "key id from nowhere");
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
