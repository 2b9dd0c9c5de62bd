//! The MNS XML answer parsers on arbitrary bytes: 2 bytes big-endian HTTP status, then the body.
//!
//! Properties:
//! - No panic in any parser, whatever the bytes.
//! - A message, a batch, a delete or a visibility change is `Ok` only for a 2xx status (an
//!   empty poll, `MessageNotExist`, is `Ok` with nothing for a 4xx); every failure is an API
//!   error or a parse error that reports the status it was given.
//! - A message parsed has a message id and a receipt handle, and checking its body's MD5
//!   does not panic; an error answer is classified (`is_stale_receipt_handle`,
//!   `needs_new_token`) without a panic.
#![no_main]

use camskit::Error;
use camskit::mns::{
    is_stale_receipt_handle, needs_new_token, parse_batch_delete_message,
    parse_batch_receive_message, parse_change_message_visibility, parse_delete_message,
    parse_mns_error, parse_receive_message,
};
use libfuzzer_sys::fuzz_target;

fn check_error(what: &str, status: u16, e: &Error) {
    match e {
        Error::Api(api) => assert_eq!(api.status, status, "{what}"),
        Error::Parse(p) => assert_eq!(p.status, status, "{what}"),
        other => panic!("{what}: an error of another kind: {other:?}"),
    }
    let _ = (is_stale_receipt_handle(e), needs_new_token(e));
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = u16::from_be_bytes([data[0], data[1]]);
    let body = &data[2..];
    let ok_status = (200..300).contains(&status);
    match parse_receive_message(status, body) {
        Ok(Some(m)) => {
            assert!(ok_status, "a message from HTTP {status}");
            assert!(!m.message_id.is_empty() && !m.receipt_handle.is_empty(), "{m:?}");
            let _ = m.body_md5_matches();
        }
        Ok(None) => assert!(
            ok_status || (400..500).contains(&status),
            "an empty poll from HTTP {status}"
        ),
        Err(e) => check_error("receive", status, &e),
    }
    match parse_batch_receive_message(status, body) {
        Ok(batch) => {
            assert!(
                ok_status || ((400..500).contains(&status) && batch.is_empty()),
                "HTTP {status}"
            );
            for m in &batch {
                let _ = m.body_md5_matches();
            }
        }
        Err(e) => check_error("batch receive", status, &e),
    }
    match parse_delete_message(status, body) {
        Ok(()) => assert!(ok_status, "a delete from HTTP {status}"),
        Err(e) => check_error("delete", status, &e),
    }
    match parse_batch_delete_message(status, body) {
        Ok(_) => {}
        Err(e) => check_error("batch delete", status, &e),
    }
    match parse_change_message_visibility(status, body) {
        Ok(_) => assert!(ok_status, "a visibility change from HTTP {status}"),
        Err(e) => check_error("visibility", status, &e),
    }
    let e = parse_mns_error(status, body);
    check_error("error", status, &e);
});
