//! Reading one field of an answer by path (`Data.List[0].Name`), with an exact type: the
//! accessor the hosts use for the operations whose answers they do not type field by field.
//!
//! ```
//! use camskit_answers::path::{get_i64, get_str, lookup};
//!
//! let body: serde_json::Value = serde_json::from_str(
//!     r#"{"Data":{"Total":2,"List":[{"Name":"a","Id":9007199254740993}]}}"#)?;
//! assert_eq!(get_i64(&body, "Data.List[0].Id")?, 9_007_199_254_740_993);
//! assert_eq!(get_str(&body, "Data.List[0].Name")?, "a");
//! let err = get_str(&body, "Data.Total").unwrap_err();
//! assert_eq!(err.to_string(), r#"answer field "Data.Total": is an integer, not a string"#);
//! assert!(lookup(&body, "Data.List[1]").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A path is keys separated by `.`, each optionally followed by list indexes `[n]`
//! (`Data.List[0].Name`, `Data.Matrix[1][2]`); a path may also start with an index (`[0].Name`,
//! for a list's JSON text). The empty path is the whole value. Keys are matched exactly
//! (CAMS's PascalCase names). Integers are exact: serde_json keeps every `i64` / `u64` as
//! written.

use serde_json::Value;

/// Why a path could not be read: names the path and what was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("answer field {path:?}: {reason}")]
pub struct PathError {
    /// The path as given.
    pub path: String,
    /// What went wrong.
    pub kind: PathErrorKind,
    /// What was found, in words (`has no field "Nme"`, `is a string, not an integer`).
    pub reason: String,
}

/// The kinds of [`PathError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathErrorKind {
    /// The path is not well formed (`Data..Name`, `List[x]`).
    Syntax,
    /// A key or index on the way is not there (or a step goes into a value that is neither
    /// an object nor a list).
    Missing,
    /// The field is there with another JSON type than asked.
    WrongType,
}

impl PathErrorKind {
    /// A stable `snake_case` word for the kind: `invalid_path`, `missing_field`, `wrong_field_type`.
    pub fn code(self) -> &'static str {
        match self {
            PathErrorKind::Syntax => "invalid_path",
            PathErrorKind::Missing => "missing_field",
            PathErrorKind::WrongType => "wrong_field_type",
        }
    }
}

enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

fn steps(path: &str) -> Result<Vec<(Step<'_>, usize)>, String> {
    // Each step with the byte offset where it ends (to name the part of the path read so far).
    let mut out = Vec::new();
    if path.is_empty() {
        return Ok(out);
    }
    let bytes = path.as_bytes();
    let mut i = 0;
    let mut first = true;
    while i < bytes.len() {
        if !first {
            match bytes[i] {
                b'.' => i += 1,
                b'[' => {}
                _ => {
                    return Err(format!(
                        "unexpected {:?} at offset {i}",
                        path[i..].chars().next().unwrap_or('?')
                    ));
                }
            }
        }
        if bytes.get(i) != Some(&b'[') {
            let start = i;
            while i < bytes.len() && bytes[i] != b'.' && bytes[i] != b'[' && bytes[i] != b']' {
                i += 1;
            }
            if i == start {
                return Err(format!("empty key at offset {start}"));
            }
            out.push((Step::Key(&path[start..i]), i));
        }
        while bytes.get(i) == Some(&b'[') {
            let start = i + 1;
            let end = path[start..]
                .find(']')
                .map(|n| start + n)
                .ok_or_else(|| format!("unclosed [ at offset {i}"))?;
            let digits = &path[start..end];
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("the index {digits:?} is not a number"));
            }
            let n = digits
                .parse::<usize>()
                .map_err(|_| format!("the index {digits} is too large"))?;
            i = end + 1;
            out.push((Step::Index(n), i));
        }
        first = false;
    }
    Ok(out)
}

/// The JSON type of `v` in words: `null`, `a boolean`, `an integer`, `a number`, `a string`,
/// `a list`, `an object`.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The value at `path` in `root`.
///
/// # Errors
/// [`PathErrorKind::Syntax`] for a malformed path, [`PathErrorKind::Missing`] when a key or
/// index is not there; the message names the path and the part that was found.
pub fn lookup<'a>(root: &'a Value, path: &str) -> Result<&'a Value, PathError> {
    let err = |kind, reason: String| PathError {
        path: path.to_string(),
        kind,
        reason,
    };
    let steps = steps(path).map_err(|r| err(PathErrorKind::Syntax, format!("not a path: {r}")))?;
    let mut here = root;
    let mut read = 0; // bytes of the path read so far
    for (step, end) in steps {
        let at = if read == 0 {
            "the answer".to_string()
        } else {
            format!("{:?}", &path[..read])
        };
        here = match (step, here) {
            (Step::Key(k), Value::Object(m)) => m
                .get(k)
                .ok_or_else(|| err(PathErrorKind::Missing, format!("{at} has no field {k:?}")))?,
            (Step::Index(n), Value::Array(a)) => a.get(n).ok_or_else(|| {
                err(
                    PathErrorKind::Missing,
                    format!("{at} has {} items, no [{n}]", a.len()),
                )
            })?,
            (Step::Key(k), other) => {
                return Err(err(
                    PathErrorKind::Missing,
                    format!(
                        "{at} is {}, not an object: no field {k:?}",
                        type_name(other)
                    ),
                ));
            }
            (Step::Index(n), other) => {
                return Err(err(
                    PathErrorKind::Missing,
                    format!("{at} is {}, not a list: no [{n}]", type_name(other)),
                ));
            }
        };
        read = end;
    }
    Ok(here)
}

fn wrong(path: &str, v: &Value, want: &str) -> PathError {
    PathError {
        path: path.to_string(),
        kind: PathErrorKind::WrongType,
        reason: format!("is {}, not {want}", type_name(v)),
    }
}

/// The integer at `path`, exact.
///
/// # Errors
/// As [`lookup`]; [`PathErrorKind::WrongType`] when the value is not an integer or does not
/// fit in 64 signed bits.
pub fn get_i64(root: &Value, path: &str) -> Result<i64, PathError> {
    let v = lookup(root, path)?;
    match v {
        Value::Number(n) if n.is_i64() => Ok(n.as_i64().unwrap_or_default()),
        Value::Number(n) if n.is_u64() => Err(PathError {
            path: path.to_string(),
            kind: PathErrorKind::WrongType,
            reason: format!("{n} does not fit in a signed 64-bit integer"),
        }),
        _ => Err(wrong(path, v, "an integer")),
    }
}

/// The number at `path` (an integer too, as the nearest `f64`).
///
/// # Errors
/// As [`lookup`]; [`PathErrorKind::WrongType`] when the value is not a number.
pub fn get_f64(root: &Value, path: &str) -> Result<f64, PathError> {
    let v = lookup(root, path)?;
    v.as_f64().ok_or_else(|| wrong(path, v, "a number"))
}

/// The string at `path`.
///
/// # Errors
/// As [`lookup`]; [`PathErrorKind::WrongType`] when the value is not a string.
pub fn get_str<'a>(root: &'a Value, path: &str) -> Result<&'a str, PathError> {
    let v = lookup(root, path)?;
    v.as_str().ok_or_else(|| wrong(path, v, "a string"))
}

/// The boolean at `path`.
///
/// # Errors
/// As [`lookup`]; [`PathErrorKind::WrongType`] when the value is not a boolean.
pub fn get_bool(root: &Value, path: &str) -> Result<bool, PathError> {
    let v = lookup(root, path)?;
    v.as_bool().ok_or_else(|| wrong(path, v, "a boolean"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body() -> Value {
        serde_json::from_str(
            r#"{"RequestId":"r","Data":{"Total":2,"Rate":0.5,"On":true,"Gone":null,
                "List":[{"Name":"a","Id":9007199254740993},{"Name":"b","Id":-9223372036854775808}],
                "Grid":[[1,2],[3]],"Big":18446744073709551615}}"#,
        )
        .unwrap()
    }

    #[test]
    fn existing_paths_read_exactly() {
        let b = body();
        assert_eq!(get_str(&b, "RequestId").unwrap(), "r");
        assert_eq!(get_i64(&b, "Data.Total").unwrap(), 2);
        assert_eq!(get_f64(&b, "Data.Rate").unwrap(), 0.5);
        assert_eq!(get_f64(&b, "Data.Total").unwrap(), 2.0);
        assert!(get_bool(&b, "Data.On").unwrap());
        assert_eq!(lookup(&b, "Data.Gone").unwrap(), &Value::Null);
        assert_eq!(get_str(&b, "Data.List[1].Name").unwrap(), "b");
        assert_eq!(get_i64(&b, "Data.Grid[1][0]").unwrap(), 3);
        assert_eq!(lookup(&b, "").unwrap(), &b);
        assert_eq!(lookup(&b, "Data.Grid[0]").unwrap(), &json!([1, 2]));
        let list = json!([{"Name": "x"}]);
        assert_eq!(get_str(&list, "[0].Name").unwrap(), "x");
    }

    #[test]
    fn integers_beyond_2_pow_53_are_exact() {
        let b = body();
        assert_eq!(
            get_i64(&b, "Data.List[0].Id").unwrap(),
            9_007_199_254_740_993
        );
        assert_eq!(get_i64(&b, "Data.List[1].Id").unwrap(), i64::MIN);
        let e = get_i64(&b, "Data.Big").unwrap_err();
        assert_eq!(e.kind, PathErrorKind::WrongType);
        assert!(e.to_string().contains("18446744073709551615"), "{e}");
    }

    #[test]
    fn a_missing_path_is_named() {
        let b = body();
        let e = lookup(&b, "Data.List[0].Nme").unwrap_err();
        assert_eq!(e.kind, PathErrorKind::Missing);
        assert_eq!(
            e.to_string(),
            r#"answer field "Data.List[0].Nme": "Data.List[0]" has no field "Nme""#
        );
        let e = lookup(&b, "Data.List[2].Name").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"answer field "Data.List[2].Name": "Data.List" has 2 items, no [2]"#
        );
        let e = lookup(&b, "Nope").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"answer field "Nope": the answer has no field "Nope""#
        );
        let e = lookup(&b, "Data.Total.X").unwrap_err();
        assert_eq!(e.kind, PathErrorKind::Missing);
        assert!(
            e.to_string().contains("is an integer, not an object"),
            "{e}"
        );
        let e = lookup(&b, "Data.Total[0]").unwrap_err();
        assert!(e.to_string().contains("not a list"), "{e}");
    }

    #[test]
    fn a_wrong_type_is_named() {
        let b = body();
        let e = get_str(&b, "Data.Total").unwrap_err();
        assert_eq!(e.kind, PathErrorKind::WrongType);
        assert_eq!(e.kind.code(), "wrong_field_type");
        assert_eq!(
            e.to_string(),
            r#"answer field "Data.Total": is an integer, not a string"#
        );
        assert!(get_i64(&b, "Data.Rate").is_err());
        assert!(
            get_i64(&b, "Data.Gone")
                .unwrap_err()
                .to_string()
                .contains("is null")
        );
        assert!(get_bool(&b, "RequestId").is_err());
        assert!(get_f64(&b, "Data.List").is_err());
    }

    #[test]
    fn a_malformed_path_is_refused() {
        let b = body();
        for p in [
            "Data..Total",
            "Data.",
            ".Data",
            "Data.List[x]",
            "Data.List[",
            "Data.List[]",
            "Data]",
            "Data.List[0]Name",
        ] {
            let e = lookup(&b, p).unwrap_err();
            assert_eq!(e.kind, PathErrorKind::Syntax, "{p}");
            assert!(e.to_string().contains(p), "{e}");
        }
    }
}
