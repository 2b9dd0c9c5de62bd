//! Reading a receipt body's JSON: the events' objects as lists of entries, not maps.
//!
//! serde_json's `Value` would build each event object as a map (SipHash of every key, the
//! table grown as it fills) only for [`Fields`](super::fields::Fields) to take the documented
//! fields out of it again. Here an event object is read straight into its entries, in order;
//! its field values (and anything that is not an event object) are still serde_json's
//! `Value`s.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// An object's entries in order, read the way serde_json's map reads them: a key given twice
/// keeps its first place and its last value.
pub(crate) type Entries = Vec<(String, Value)>;

/// A JSON value as a receipt body is read: an object as its entries, a list as items, any
/// other value as serde_json's. (A list inside a list is read as items too; it is no event,
/// and refused as such.)
pub(crate) enum Item {
    /// A JSON object.
    Object(Entries),
    /// A JSON array.
    List(Vec<Item>),
    /// Any other JSON value.
    Scalar(Value),
}

impl Item {
    /// What kind of value this is, for messages (as [`kind`](super::fields::kind) says it).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Item::Object(_) => "an object",
            Item::List(_) => "a list",
            Item::Scalar(v) => super::fields::kind(v),
        }
    }
}

/// The entries of a JSON object, merged as serde_json's map merges a repeated key.
fn read_entries<'de, A: MapAccess<'de>>(mut map: A) -> Result<Entries, A::Error> {
    let mut entries: Entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
    while let Some((k, v)) = map.next_entry::<String, Value>()? {
        entries.push((k, v));
    }
    Ok(without_repeats(entries))
}

/// `entries` with each repeated key merged into its first place, holding its last value (what
/// serde_json's order-keeping map does). A repeat is rare: it is looked for pairwise in a small
/// object, through a sorted list of names in a large one, and only then merged.
fn without_repeats(entries: Entries) -> Entries {
    let repeated = if entries.len() <= 32 {
        entries
            .iter()
            .enumerate()
            .any(|(i, (k, _))| entries[..i].iter().any(|(m, _)| m == k))
    } else {
        let mut names: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        names.sort_unstable();
        names.windows(2).any(|w| w[0] == w[1])
    };
    if !repeated {
        return entries;
    }
    let merged: Map<String, Value> = entries.into_iter().collect();
    merged.into_iter().collect()
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = Item;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Item, A::Error> {
                read_entries(map).map(Item::Object)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = seq.next_element::<Item>()? {
                    items.push(item);
                }
                Ok(Item::List(items))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Item, E> {
                Ok(Item::Scalar(Value::Null))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Item, E> {
                Ok(Item::Scalar(Value::Bool(b)))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Item, E> {
                Ok(Item::Scalar(Value::from(n)))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Item, E> {
                Ok(Item::Scalar(Value::from(n)))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Item, E> {
                Ok(Item::Scalar(Value::from(n)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Item, E> {
                Ok(Item::Scalar(Value::from(s)))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Item, E> {
                Ok(Item::Scalar(Value::String(s)))
            }
        }
        deserializer.deserialize_any(ItemVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(json: &str) -> Entries {
        match serde_json::from_str::<Item>(json).unwrap() {
            Item::Object(e) => e,
            _ => panic!("not one object"),
        }
    }

    /// Whether every object in an item holds each key once (a value map would hide a repeat).
    fn keys_once(item: &Item) -> bool {
        match item {
            Item::Object(e) => {
                let mut names: Vec<&str> = e.iter().map(|(k, _)| k.as_str()).collect();
                names.sort_unstable();
                names.windows(2).all(|w| w[0] != w[1])
            }
            Item::List(items) => items.iter().all(keys_once),
            Item::Scalar(_) => true,
        }
    }

    /// The value an item was read from.
    fn value(item: Item) -> Value {
        match item {
            Item::Object(e) => Value::Object(e.into_iter().collect()),
            Item::List(items) => Value::Array(items.into_iter().map(value).collect()),
            Item::Scalar(v) => v,
        }
    }

    /// An object reads to the same entries, in the same order, as serde_json's map gives,
    /// repeated keys included, in small and large objects.
    #[test]
    fn entries_are_serde_json_maps_entries() {
        let mut large = String::from("{");
        for i in 0..40 {
            large.push_str(&format!("\"k{}\":{i},", i % 37));
        }
        large.push_str("\"last\":[1,{\"a\":2}]}");
        for json in [
            r#"{}"#,
            r#"{"b":1,"a":"x","c":null}"#,
            r#"{"a":1,"b":2,"a":3}"#,
            r#"{"a":{"z":1,"y":2},"a":[true]}"#,
            large.as_str(),
        ] {
            let map: Map<String, Value> = serde_json::from_str(json).unwrap();
            let expected: Entries = map.into_iter().collect();
            assert_eq!(entries(json), expected, "{json}");
        }
    }

    /// Every kind of value reads back to itself, and says its kind as `kind` does.
    #[test]
    fn values_read_back_whole() {
        for json in [
            "null",
            "true",
            "-1",
            "18446744073709551615",
            "1.5",
            r#""x\u00e9""#,
            r#"[1,"a",[2,{"b":[]}],null,{"k":1}]"#,
            r#"{"a":[{"b":1}]}"#,
        ] {
            let expected: Value = serde_json::from_str(json).unwrap();
            let item: Item = serde_json::from_str(json).unwrap();
            assert_eq!(item.kind(), super::super::fields::kind(&expected), "{json}");
            assert_eq!(value(item), expected, "{json}");
        }
    }

    /// JSON text with keys from a handful (so objects repeat them), nested lists and objects,
    /// and numbers and strings of every kind serde_json reads.
    fn json_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("-0".to_owned()),
            Just("1.5e3".to_owned()),
            Just("18446744073709551616".to_owned()),
            Just("-9223372036854775809".to_owned()),
            Just(r#""\u00e9\ud83d\ude00\n\"""#.to_owned()),
            any::<i64>().prop_map(|n| n.to_string()),
            "[a-z]{0,6}".prop_map(|s| format!("{s:?}")),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            let key = prop_oneof![Just("a"), Just("b"), Just("Status"), Just("MessageId")];
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                proptest::collection::vec((key, inner), 0..6).prop_map(|members| {
                    let members: Vec<String> =
                        members.iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
                    format!("{{{}}}", members.join(","))
                }),
            ]
        })
    }

    proptest::proptest! {
        /// The reader accepts exactly the texts serde_json's `Value` accepts, and reads each
        /// to the same value (a repeated key in its first place with its last value), whole or
        /// cut anywhere.
        #[test]
        fn reads_what_serde_json_reads(text in json_text(), cut in 0usize..400) {
            for text in [text.as_str(), &text[..cut.min(text.len())]] {
                let expected = serde_json::from_str::<Value>(text);
                let item = serde_json::from_str::<Item>(text);
                match (expected, item) {
                    (Ok(expected), Ok(item)) => {
                        proptest::prop_assert!(keys_once(&item), "{}: a key read twice", text);
                        proptest::prop_assert_eq!(value(item), expected);
                    }
                    (Err(_), Err(_)) => {}
                    (expected, item) => proptest::prop_assert!(
                        false,
                        "{text}: serde_json {:?}, the reader {}",
                        expected.map(|_| ()),
                        if item.is_ok() { "read it" } else { "refused it" }
                    ),
                }
            }
        }
    }
}
