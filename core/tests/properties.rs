//! Property tests: the encoder, and "bad input is an error value, never a panic".

use camskit::encode::{is_unreserved, percent_encode};
use camskit::{Credentials, Endpoint, Method, Request, Signer, Timestamp, parse_response};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;

proptest! {
    #[test]
    fn encoding_is_reversible(s in any::<String>()) {
        let enc = percent_encode(&s);
        let back = percent_decode_str(&enc).decode_utf8().unwrap();
        prop_assert_eq!(back.as_ref(), s.as_str());
    }

    #[test]
    fn only_unreserved_bytes_stay_literal(s in any::<String>()) {
        let enc = percent_encode(&s);
        let bytes = enc.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                // An escape: two upper-case hex digits of a byte that is not unreserved.
                let hex = &enc[i + 1..i + 3];
                prop_assert!(hex.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)));
                let byte = u8::from_str_radix(hex, 16).unwrap();
                prop_assert!(!is_unreserved(byte));
                i += 3;
            } else {
                prop_assert!(is_unreserved(bytes[i]), "literal {:?}", bytes[i] as char);
                i += 1;
            }
        }
    }

    #[test]
    fn parse_response_never_panics(status in 0u16..1000, body in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_response(status, &body);
    }

    #[test]
    fn parse_response_never_panics_on_jsonish(status in 100u16..600, body in "[{}\\[\\]\":,0-9a-zA-Z .-]{0,200}") {
        let _ = parse_response(status, body.as_bytes());
    }

    #[test]
    fn signing_any_input_is_ok_or_an_error(
        action in prop_oneof![".{0,20}", "[A-Za-z0-9]{1,20}"],
        name in prop_oneof![".{0,12}", "[A-Za-z0-9._-]{1,12}"],
        value in any::<String>(),
        nonce in prop_oneof![".{0,40}", "[a-z0-9-]{1,40}"],
        secs in any::<i64>(),
        get in any::<bool>(),
    ) {
        let signer = Signer::new(Credentials::new("id", "secret").unwrap(), Endpoint::default());
        let method = if get { Method::Get } else { Method::Post };
        let req = Request::new(action).with_method(method).param(name, value);
        let t = Timestamp::from_unix(secs).unwrap_or_else(|_| Timestamp::from_unix(0).unwrap());
        if let Ok(s) = signer.sign(&req, t, &nonce) {
            prop_assert!(s.url.contains("Signature="));
            prop_assert_eq!(s.signature.len(), 28);
        }
    }

    /// The generators above reach the `Ok` branch: valid inputs always sign.
    #[test]
    fn valid_inputs_always_sign(
        action in "[A-Za-z0-9]{1,20}",
        name in "[A-Za-z0-9._-]{1,12}",
        value in any::<String>(),
        nonce in "[a-z0-9-]{1,40}",
        secs in 0i64..253_402_300_800,
        v3 in any::<bool>(),
    ) {
        prop_assume!(!camskit::SIGNER_PARAMS.contains(&name.as_str()));
        let signer = Signer::new(Credentials::new("id", "secret").unwrap(), Endpoint::default());
        let version = if v3 { camskit::SignatureVersion::V3 } else { camskit::SignatureVersion::V1 };
        let req = Request::new(action).with_signature(version).param(name, value);
        let signed = signer.sign(&req, Timestamp::from_unix(secs).unwrap(), &nonce);
        prop_assert!(signed.is_ok(), "{:?}", signed.err());
    }

    #[test]
    fn timestamps_parse_or_error(s in prop_oneof![
        ".{0,24}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z",
        "-?[0-9]{1,13}(\\.[0-9]{1,3})?",
    ]) {
        if let Ok(t) = Timestamp::parse(&s) {
            if s.ends_with('Z') {
                prop_assert_eq!(t.as_str(), s.as_str());
            } else {
                let whole: f64 = s.parse().unwrap();
                prop_assert_eq!(t.unix(), whole.floor() as i64);
            }
            prop_assert_eq!(Timestamp::parse(t.as_str()).unwrap(), t);
        }
    }

    #[test]
    fn formatted_times_round_trip(secs in 0i64..253_402_300_800) {
        let t = Timestamp::from_unix(secs).unwrap();
        prop_assert_eq!(Timestamp::parse(t.as_str()).unwrap(), t);
        prop_assert_eq!(Timestamp::parse(&secs.to_string()).unwrap(), t);
    }

    #[test]
    fn endpoints_parse_or_error(s in ".{0,40}") {
        let _ = Endpoint::parse(&s);
        let _ = Endpoint::region(&s);
    }
}
