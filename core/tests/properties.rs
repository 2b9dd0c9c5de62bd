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
        action in ".{0,20}",
        name in ".{0,12}",
        value in any::<String>(),
        nonce in ".{0,40}",
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

    #[test]
    fn timestamps_parse_or_error(s in ".{0,24}") {
        if let Ok(t) = Timestamp::parse(&s) {
            prop_assert_eq!(t.as_str(), s.as_str());
        }
    }

    #[test]
    fn endpoints_parse_or_error(s in ".{0,40}") {
        let _ = Endpoint::parse(&s);
        let _ = Endpoint::region(&s);
    }
}
