//! Property tests of the MNS half: its XML answers never panic, any message body comes back
//! as MNS escaped it, and what a queue will sign is what it sends.

use camskit::Credentials;
use camskit::mns::{self, MnsQueue};
use proptest::prelude::*;

/// XML-escapes text the way an XML writer does (MNS's answers).
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn message_xml(body: &str, handle: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Message xmlns=\"http://mns.aliyuncs.com/doc/v1/\">\
         <MessageId>1</MessageId><ReceiptHandle>{handle}</ReceiptHandle><MessageBody>{}</MessageBody>\
         <MessageBodyMD5>0</MessageBodyMD5><EnqueueTime>1</EnqueueTime><NextVisibleTime>2</NextVisibleTime>\
         <FirstDequeueTime>3</FirstDequeueTime><DequeueCount>4</DequeueCount><Priority>8</Priority></Message>",
        escape(body)
    )
}

/// Text XML 1.0 can carry (no control characters but tab and line feed; a carriage return
/// is normalized away by any XML reader, the official SDK's included).
fn xml_text() -> impl Strategy<Value = String> {
    any::<String>().prop_map(|s| {
        s.chars()
            .filter(|&c| c == '\t' || c == '\n' || !c.is_control())
            .filter(|&c| !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
            .collect()
    })
}

proptest! {
    #[test]
    fn answers_never_panic(status in 0u16..1000, body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = mns::parse_receive_message(status, &body);
        let _ = mns::parse_batch_receive_message(status, &body);
        let _ = mns::parse_delete_message(status, &body);
        let _ = mns::parse_batch_delete_message(status, &body);
        let _ = mns::parse_change_message_visibility(status, &body);
        let _ = mns::parse_mns_error(status, &body);
    }

    #[test]
    fn xml_like_answers_never_panic(status in prop_oneof![Just(200u16), Just(404u16)],
                                    body in "(<[A-Za-z/!?]{0,3}[A-Za-z]{0,12}[ =\"'a-z]{0,6}>|&[#a-z0-9]{0,6};?|[a-z ]{0,5}|<!\\[CDATA\\[[a-z<>&]{0,5}\\]\\]>){0,30}") {
        let _ = mns::parse_receive_message(status, body.as_bytes());
        let _ = mns::parse_batch_receive_message(status, body.as_bytes());
        let _ = mns::parse_batch_delete_message(status, body.as_bytes());
        let _ = mns::parse_mns_error(status, body.as_bytes());
    }

    #[test]
    fn any_body_comes_back_unescaped(body in xml_text(), handle in "[0-9]-[A-Za-z0-9+/=_-]{1,60}") {
        let xml = message_xml(&body, &handle);
        let m = mns::parse_receive_message(200, xml.as_bytes()).unwrap().unwrap();
        prop_assert_eq!(m.message_body, body);
        prop_assert_eq!(m.receipt_handle, handle);
    }

    #[test]
    fn the_signed_resource_is_the_sent_one(handle in "[0-9]-[A-Za-z0-9+/=_.~-]{1,80}", timeout in 0u32..=43_200) {
        let q = MnsQueue::new("https://1943695596114318.mns.cn-hangzhou.aliyuncs.com", "Alicom-Queue-1-ChatAppStatus").unwrap();
        let c = Credentials::new("id", "secret").unwrap();
        for req in [q.delete_message(&handle).unwrap(), q.change_message_visibility(&handle, timeout).unwrap()] {
            let s = q.sign(&c, &req, "Sun, 06 Dec 2026 02:40:35 GMT").unwrap();
            let path = s.request.url.strip_prefix("https://1943695596114318.mns.cn-hangzhou.aliyuncs.com").unwrap();
            let tail = format!("\n{}", path);
            prop_assert!(s.string_to_sign.ends_with(&tail));
            let param = format!("ReceiptHandle={}", handle);
            prop_assert!(path.contains(&param));
        }
    }
}
