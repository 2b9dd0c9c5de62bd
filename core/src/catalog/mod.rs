//! Every CAMS operation: its method and parameters, read from Alibaba's official SDK
//! description (`alibabacloud-cams20200606`, see [`SOURCE`]) by `tools/gen-catalog.sh`.
//!
//! The tables are static data compiled in (no start-up cost, no parsing at run time).
//! [`request`] validates a parameter map against them and serializes each value the way the
//! official client does: scalars as text, arrays and objects as compact JSON text (`json`
//! style) or flattened into `Name.1`, `Name.1.Key` (`flat` style), each in the query or the
//! form body as the official client places it.
//!
//! ```
//! use camskit::catalog;
//! use serde_json::json;
//!
//! let op = catalog::operation("ChatappMigrationRegister")?;
//! assert_eq!(op.method(), camskit::Method::Post);
//! assert!(op.param("CustSpaceId").unwrap().required());
//!
//! let params = json!({"CustSpaceId": "cs-1", "PhoneNumber": "8613800001234"});
//! let request = catalog::request("ChatappMigrationRegister", params.as_object().unwrap())?;
//! assert_eq!(request.query_params().len(), 2);
//!
//! let err = catalog::operation("ChatappMigrationRegistr").unwrap_err();
//! assert!(err.to_string().contains("did you mean ChatappMigrationRegister"));
//! # Ok::<(), camskit::Error>(())
//! ```

mod data;

use std::fmt;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::request::{Method, Request};
use crate::validate::{MAX_ACTION_BYTES, MAX_PARAM_NAME_BYTES, truncate};

pub use data::SOURCE;

/// A row of the operations table: (name offset, name length, snake offset, snake length,
/// method, first parameter, parameter count).
#[derive(Debug)]
struct RawOp(u16, u8, u16, u8, u8, u16, u8);

/// A row of the parameters table: (name offset, name length, snake offset, snake length,
/// flags, item type + 1). The flags byte: [`FLAG_BODY`], the type index at [`TYPE_SHIFT`]
/// (3 bits, [`TYPES`]), the style at [`STYLE_SHIFT`] (2 bits) and [`FLAG_REQUIRED`].
#[derive(Debug)]
struct RawParam(u16, u8, u16, u8, u8, u8);

/// A row of the paging table: (operation, style, page parameter, size parameter, items path,
/// total path, next-cursor path).
#[derive(Debug)]
struct RawPaging(
    &'static str,
    u8,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// Operations bit (in the method byte): the operation only reads.
const OP_READ_ONLY: u8 = 2;
/// Operations bit (in the method byte): `POST` (else `GET`).
const OP_POST: u8 = 1;

/// Flags bit: the parameter travels in the form body (else in the query).
const FLAG_BODY: u8 = 1;
/// Flags: where the 3-bit type index (into [`TYPES`]) starts.
const TYPE_SHIFT: u8 = 1;
/// Flags: where the 2-bit style starts (0 plain, 1 json, 2 flat).
const STYLE_SHIFT: u8 = 4;
/// Flags bit: the operation requires the parameter.
const FLAG_REQUIRED: u8 = 64;

fn text(offset: u16, len: u8) -> &'static str {
    let start = usize::from(offset);
    data::STRINGS
        .get(start..start + usize::from(len))
        .unwrap_or_default()
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// In the URL query.
    Query,
    /// In the `application/x-www-form-urlencoded` body.
    Body,
}

impl Location {
    /// `"query"` or `"body"`, the same word in every host.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Query => "query",
            Location::Body => "body",
        }
    }
}

/// A parameter's type, as the official request models declare it. (The Python models do
/// not tell 32-bit from 64-bit integers: `Integer` accepts the whole 64-bit range.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamType {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// Any number.
    Number,
    /// A list.
    Array,
    /// A map / structure.
    Object,
    /// Anything.
    Any,
}

const TYPES: [ParamType; 7] = [
    ParamType::String,
    ParamType::Integer,
    ParamType::Boolean,
    ParamType::Number,
    ParamType::Array,
    ParamType::Object,
    ParamType::Any,
];

impl ParamType {
    /// `"string"`, `"integer"`, `"boolean"`, `"number"`, `"array"`, `"object"` or `"any"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Integer => "integer",
            ParamType::Boolean => "boolean",
            ParamType::Number => "number",
            ParamType::Array => "array",
            ParamType::Object => "object",
            ParamType::Any => "any",
        }
    }
}

impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a value travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// A scalar, as text.
    Plain,
    /// An array or object as one compact JSON text (the official SDK's "shrink").
    Json,
    /// An array or object flattened into `Name.1`, `Name.1.Key`, ...
    Flat,
}

impl Style {
    /// `"plain"`, `"json"` or `"flat"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Style::Plain => "plain",
            Style::Json => "json",
            Style::Flat => "flat",
        }
    }
}

/// One CAMS operation.
#[derive(Clone, Copy)]
pub struct Operation(&'static RawOp);

impl Operation {
    /// The action name (`ChatappMigrationRegister`).
    pub fn name(self) -> &'static str {
        text(self.0.0, self.0.1)
    }

    /// The official Python SDK's method name (`chatapp_migration_register`).
    pub fn snake_name(self) -> &'static str {
        text(self.0.2, self.0.3)
    }

    /// The name in lowerCamelCase (`chatappMigrationRegister`), for JavaScript and Kotlin.
    pub fn camel_name(self) -> String {
        lower_first(self.name())
    }

    /// The HTTP method the official client uses.
    pub fn method(self) -> Method {
        if self.0.4 & OP_POST == 0 {
            Method::Get
        } else {
            Method::Post
        }
    }

    /// Whether a call may be sent again after a failure whose outcome is unknown: read-only
    /// operations (`Get*`, `List*`, `Query*`, `Check*`, `Read*`) may; every other operation
    /// changes state (sends a message, creates or deletes something) and may not. Generated
    /// with the catalog and reviewed by hand where the name misleads (`GetChatappVerifyCode`
    /// sends an SMS: a write; see `tools/catalog/gen_catalog.py`).
    pub fn safety(self) -> Safety {
        if self.0.4 & OP_READ_ONLY != 0 {
            Safety::ReadOnly
        } else {
            Safety::Write
        }
    }

    /// How the operation's answers are paged, for list operations.
    pub fn paging(self) -> Option<Paging> {
        let name = self.name();
        data::PAGING
            .binary_search_by(|g| g.0.cmp(name))
            .ok()
            .map(|i| Paging(&data::PAGING[i]))
    }

    /// The parameters, sorted by API name.
    pub fn params(self) -> impl ExactSizeIterator<Item = Param> + Clone {
        let start = usize::from(self.0.5);
        data::PARAMS
            .get(start..start + usize::from(self.0.6))
            .unwrap_or_default()
            .iter()
            .map(Param)
    }

    /// A parameter by API name (`CustSpaceId`) or official snake name (`cust_space_id`).
    pub fn param(self, name: &str) -> Option<Param> {
        self.params()
            .find(|p| p.name() == name)
            .or_else(|| self.params().find(|p| p.snake_name() == name))
    }
}

impl fmt::Debug for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("name", &self.name())
            .field("method", &self.method())
            .field("params", &self.params().collect::<Vec<_>>())
            .finish()
    }
}

/// Whether an operation may be re-sent when the outcome of an attempt is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Safety {
    /// Only reads: retried after any retryable failure.
    ReadOnly,
    /// Changes state: retried only when the request surely did not take effect.
    Write,
}

impl Safety {
    /// `"read_only"` or `"write"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::ReadOnly => "read_only",
            Safety::Write => "write",
        }
    }

    /// The safety of an action: the catalog's, or [`Safety::Write`] for an action it does not
    /// know (a raw request to another API: assume the worst).
    pub fn of(action: &str) -> Safety {
        operation(action).map_or(Safety::Write, Operation::safety)
    }
}

/// How a list operation chooses its page, as catalog data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PagingStyle {
    /// `PageNo` (from 1) and `PageSize`.
    PageNo,
    /// `PageIndex` (from 1) and `PageSize`.
    PageIndex,
    /// A `Page` JSON object `{"Index": n, "Size": m}` (from 1).
    PageObject,
    /// `NextToken` from the previous answer (and `MaxResults`).
    NextToken,
    /// `After`: the cursor the previous answer gave (and `Limit`).
    CursorAfter,
    /// `PageKey`: the previous answer's `NextPage` (and `Limit`).
    PageKey,
}

impl PagingStyle {
    /// `"page_no"`, `"page_index"`, `"page_object"`, `"next_token"`, `"cursor_after"` or
    /// `"page_key"`.
    pub fn as_str(self) -> &'static str {
        match self {
            PagingStyle::PageNo => "page_no",
            PagingStyle::PageIndex => "page_index",
            PagingStyle::PageObject => "page_object",
            PagingStyle::NextToken => "next_token",
            PagingStyle::CursorAfter => "cursor_after",
            PagingStyle::PageKey => "page_key",
        }
    }
}

const PAGING_STYLES: [PagingStyle; 6] = [
    PagingStyle::PageNo,
    PagingStyle::PageIndex,
    PagingStyle::PageObject,
    PagingStyle::NextToken,
    PagingStyle::CursorAfter,
    PagingStyle::PageKey,
];

/// Where a list operation's page is chosen and its items are found.
#[derive(Clone, Copy)]
pub struct Paging(&'static RawPaging);

impl Paging {
    /// The style.
    pub fn style(self) -> PagingStyle {
        PAGING_STYLES[usize::from(self.0.1).min(5)]
    }

    /// The request parameter that chooses the page (`PageNo`, `Page`, `NextToken`, ...).
    pub fn page_param(self) -> &'static str {
        self.0.2
    }

    /// The parameter (or, for [`PagingStyle::PageObject`], the key of `Page`) for the size.
    pub fn size_param(self) -> &'static str {
        self.0.3
    }

    /// The items' path in the answer (`ListTemplate`, `Data.List`), if the official model
    /// types it.
    pub fn items_path(self) -> Option<&'static str> {
        (!self.0.4.is_empty()).then_some(self.0.4)
    }

    /// The total's path in the answer, if it has one.
    pub fn total_path(self) -> Option<&'static str> {
        (!self.0.5.is_empty()).then_some(self.0.5)
    }

    /// The next cursor's path in the answer (token and cursor styles).
    pub fn next_path(self) -> Option<&'static str> {
        (!self.0.6.is_empty()).then_some(self.0.6)
    }
}

impl fmt::Debug for Paging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paging")
            .field("style", &self.style())
            .field("page", &self.page_param())
            .field("size", &self.size_param())
            .field("items", &self.items_path())
            .field("total", &self.total_path())
            .field("next", &self.next_path())
            .finish()
    }
}

/// One parameter of an operation.
#[derive(Clone, Copy)]
pub struct Param(&'static RawParam);

impl Param {
    /// The API name (`CustSpaceId`).
    pub fn name(self) -> &'static str {
        text(self.0.0, self.0.1)
    }

    /// The official Python SDK's attribute name (`cust_space_id`; `from_` for `From`).
    pub fn snake_name(self) -> &'static str {
        text(self.0.2, self.0.3)
    }

    /// The name in lowerCamelCase (`custSpaceId`).
    pub fn camel_name(self) -> String {
        lower_first(self.name())
    }

    /// Query or form body.
    pub fn location(self) -> Location {
        if self.0.4 & FLAG_BODY == 0 {
            Location::Query
        } else {
            Location::Body
        }
    }

    /// The declared type.
    pub fn ty(self) -> ParamType {
        TYPES[usize::from((self.0.4 >> TYPE_SHIFT) & 7).min(6)]
    }

    /// For arrays, the type of the elements when the model declares it.
    pub fn item_type(self) -> Option<ParamType> {
        (self.0.5 > 0).then(|| TYPES[usize::from(self.0.5 - 1).min(6)])
    }

    /// How the value travels.
    pub fn style(self) -> Style {
        match (self.0.4 >> STYLE_SHIFT) & 3 {
            1 => Style::Json,
            2 => Style::Flat,
            _ => Style::Plain,
        }
    }

    /// Whether the operation requires it.
    pub fn required(self) -> bool {
        self.0.4 & FLAG_REQUIRED != 0
    }
}

impl fmt::Debug for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Param")
            .field("name", &self.name())
            .field("location", &self.location())
            .field("type", &self.ty())
            .field("style", &self.style())
            .field("required", &self.required())
            .finish()
    }
}

fn lower_first(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    if let Some(c) = chars.next() {
        out.push(c.to_ascii_lowercase());
    }
    out.extend(chars);
    out
}

/// The bytes the static tables take: (string table, operations, parameters).
pub fn table_sizes() -> (usize, usize, usize) {
    (
        data::STRINGS.len(),
        std::mem::size_of_val(&data::OPS),
        std::mem::size_of_val(&data::PARAMS),
    )
}

/// Every operation, sorted by name.
pub fn operations() -> impl ExactSizeIterator<Item = Operation> + Clone {
    data::OPS.iter().map(Operation)
}

/// The operation named `action`.
///
/// # Errors
/// [`Error::UnknownAction`] with the closest names ([`Error::InvalidInput`] when empty).
pub fn operation(action: &str) -> Result<Operation, Error> {
    if action.is_empty() {
        return Err(Error::invalid("action", "the action is empty"));
    }
    data::OPS
        .binary_search_by(|op| text(op.0, op.1).cmp(action))
        .map(|i| Operation(&data::OPS[i]))
        .map_err(|_| Error::UnknownAction {
            action: truncate(action),
            // Only names within the length limit are compared: the edit distance is
            // quadratic, and nothing longer is near a real name.
            suggestions: if action.len() <= MAX_ACTION_BYTES {
                closest(action, operations().map(Operation::name))
            } else {
                Vec::new()
            },
        })
}

/// The operation whose official snake name is `snake` (`chatapp_migration_register`).
pub fn operation_by_snake(snake: &str) -> Option<Operation> {
    operations().find(|op| op.snake_name() == snake)
}

/// Up to three candidates closest to `wanted` (case-insensitive edit similarity).
fn closest(wanted: &str, candidates: impl Iterator<Item = &'static str>) -> Vec<String> {
    let w = wanted.to_ascii_lowercase();
    // The best three, best first (ties: the earlier name, candidates come sorted).
    let mut best: Vec<(f64, &str)> = Vec::with_capacity(4);
    for c in candidates {
        let cl = c.to_ascii_lowercase();
        let mut score = strsim::normalized_damerau_levenshtein(&w, &cl);
        if !w.is_empty() && (cl.contains(&w) || w.contains(&cl)) {
            score = score.max(0.75);
        }
        if score < 0.5 {
            continue;
        }
        let at = best
            .iter()
            .position(|(s, _)| score > *s)
            .unwrap_or(best.len());
        if at < 3 {
            best.insert(at, (score, c));
            best.truncate(3);
        }
    }
    best.into_iter().map(|(_, c)| c.to_owned()).collect()
}

/// The unsigned request for `action` with these parameters, checked against the catalog.
///
/// Keys are API names (`CustSpaceId`) or the official snake names (`cust_space_id`); a `null`
/// value means "not given". Scalars must have the declared type (`"5"` is not an integer);
/// arrays and objects are given as structured values and serialized as the catalog says.
///
/// # Errors
/// [`Error::UnknownAction`], [`Error::UnknownParameter`] (with the closest names),
/// [`Error::MissingParameter`] (absent, `null` or empty text), [`Error::WrongType`] (naming
/// the parameter, the expected and the given type), [`Error::InvalidInput`] for a parameter
/// given twice.
pub fn request(action: &str, params: &Map<String, Value>) -> Result<Request, Error> {
    request_with(action, params.iter().map(|(k, v)| (k.as_str(), v)))
}

/// Like [`request`], for parameters that are all text (`name`, `value`) pairs, as a host
/// hands them over without building a JSON map: a text value is what a JSON string would be
/// (so a text given for an integer parameter is [`Error::WrongType`], as in [`request`]).
///
/// ```
/// let req = camskit::catalog::request_from_strs(
///     "ChatappMigrationRegister",
///     [("CustSpaceId", "cs-1"), ("PhoneNumber", "8613800001234")],
/// )?;
/// assert_eq!(req.query_params()[1], ("PhoneNumber".to_string(), "8613800001234".to_string()));
/// # Ok::<(), camskit::Error>(())
/// ```
///
/// # Errors
/// As [`request`].
pub fn request_from_strs<'a>(
    action: &str,
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Request, Error> {
    request_with(action, params)
}

/// Like [`request`], for `(name, value)` pairs in the caller's order (a name given twice is
/// an error, where a map would keep one).
///
/// # Errors
/// As [`request`].
pub fn request_from_pairs<'a>(
    action: &str,
    params: impl IntoIterator<Item = (&'a str, &'a Value)>,
) -> Result<Request, Error> {
    request_with(action, params)
}

/// A parameter value the catalog reads: a JSON value, or a text (a JSON string).
trait Input {
    /// `null`, or empty text for a required parameter: "not given".
    fn is_absent(&self, required: bool) -> bool;
    /// Checks the type and writes the value's parameters through `put`.
    fn encode(
        &self,
        op: Operation,
        p: Param,
        put: &mut impl FnMut(String, String),
    ) -> Result<(), Error>;
}

impl Input for &Value {
    fn is_absent(&self, required: bool) -> bool {
        self.is_null() || (required && self.as_str() == Some(""))
    }
    fn encode(
        &self,
        op: Operation,
        p: Param,
        put: &mut impl FnMut(String, String),
    ) -> Result<(), Error> {
        encode(op, p, self, put)
    }
}

impl Input for &str {
    fn is_absent(&self, required: bool) -> bool {
        required && self.is_empty()
    }
    fn encode(
        &self,
        op: Operation,
        p: Param,
        put: &mut impl FnMut(String, String),
    ) -> Result<(), Error> {
        match p.ty() {
            // What `encode` does with a JSON string for these, without building one.
            ParamType::String | ParamType::Any => {
                put(p.name().to_owned(), (*self).to_owned());
                Ok(())
            }
            _ => encode(op, p, &Value::String((*self).to_owned()), put),
        }
    }
}

fn request_with<'a, V: Input>(
    action: &str,
    params: impl IntoIterator<Item = (&'a str, V)>,
) -> Result<Request, Error> {
    let op = operation(action)?;
    let mut req = Request::for_static_action(op.name()).with_method(op.method());
    let params = params.into_iter();
    req.query.reserve(params.size_hint().0);
    // Which parameters (by index in the operation) were given, and given with a value.
    let (mut given, mut present) = (0u64, 0u64);
    for (key, value) in params {
        let (index, p) = op
            .params()
            .enumerate()
            .find(|(_, p)| p.name() == key)
            .or_else(|| op.params().enumerate().find(|(_, p)| p.snake_name() == key))
            .ok_or_else(|| Error::UnknownParameter {
                action: op.name().to_owned(),
                parameter: truncate(key),
                suggestions: if key.len() <= MAX_PARAM_NAME_BYTES {
                    closest(key, op.params().map(Param::name))
                } else {
                    Vec::new()
                },
            })?;
        let bit = 1u64 << index;
        if given & bit != 0 {
            return Err(Error::invalid(
                format!("parameter {:?}", p.name()),
                "it is given more than once (an API name and its snake name are the same parameter)",
            ));
        }
        given |= bit;
        if value.is_absent(p.required()) {
            continue;
        }
        present |= bit;
        let mut put = |name: String, text: String| match p.location() {
            Location::Query => req.push_param(name, text),
            Location::Body => req.push_form_param(name, text),
        };
        value.encode(op, p, &mut put)?;
    }
    if let Some(missing) = op
        .params()
        .enumerate()
        .find(|(i, p)| p.required() && present & (1u64 << i) == 0)
    {
        return Err(Error::MissingParameter {
            action: op.name().to_owned(),
            parameter: missing.1.name().to_owned(),
        });
    }
    Ok(req)
}

/// Like [`request`], for values that arrive as text (a command line): each is read as the
/// parameter's type (`5` as an integer, `true` as a boolean, JSON text for arrays and objects).
///
/// # Errors
/// As [`request`]; text that does not read as the declared type is [`Error::WrongType`].
pub fn request_from_text(action: &str, params: &[(String, String)]) -> Result<Request, Error> {
    request(action, &values_from_text(action, params)?)
}

/// Reads text values (a command line) as each parameter's type, for [`request`]: `5` as an
/// integer, `true` as a boolean, JSON text for arrays and objects, anything for strings.
/// Names the operation does not have stay text ([`request`] then names them).
///
/// # Errors
/// [`Error::UnknownAction`]; [`Error::WrongType`] for text that is not of the declared type;
/// [`Error::InvalidInput`] for a name given twice.
pub fn values_from_text(
    action: &str,
    params: &[(String, String)],
) -> Result<Map<String, Value>, Error> {
    let op = operation(action)?;
    let mut map = Map::new();
    for (key, text) in params {
        let value = match op.param(key) {
            Some(p) => value_from_text(op, p, text)?,
            None => Value::String(text.clone()),
        };
        if map.insert(key.clone(), value).is_some() {
            return Err(Error::invalid(
                format!("parameter {key:?}"),
                "it is given more than once",
            ));
        }
    }
    Ok(map)
}

fn value_from_text(op: Operation, p: Param, text: &str) -> Result<Value, Error> {
    let wrong = |given: &str| Error::WrongType {
        action: op.name().to_owned(),
        parameter: p.name().to_owned(),
        expected: p.ty().as_str().to_owned(),
        given: given.to_owned(),
    };
    let json = || serde_json::from_str::<Value>(text).ok();
    Ok(match p.ty() {
        ParamType::String => Value::String(text.to_owned()),
        ParamType::Integer => match json() {
            Some(v @ Value::Number(_)) if is_integer(&v) => v,
            _ => return Err(wrong(&format!("text {:?}", truncate(text)))),
        },
        ParamType::Number => match json() {
            Some(v @ Value::Number(_)) => v,
            _ => return Err(wrong(&format!("text {:?}", truncate(text)))),
        },
        ParamType::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(wrong(&format!("text {:?}", truncate(text)))),
        },
        ParamType::Array | ParamType::Object => match json() {
            Some(v) if v.is_array() || v.is_object() => v,
            _ => return Err(wrong("text that is not a JSON array or object")),
        },
        ParamType::Any => json()
            .filter(|v| v.is_array() || v.is_object())
            .unwrap_or_else(|| Value::String(text.to_owned())),
    })
}

fn is_integer(v: &Value) -> bool {
    v.as_i64().is_some() || v.as_u64().is_some()
}

/// The JSON type of a value, for error messages.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.as_i64().is_some() || n.as_u64().is_some() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A scalar as the official Python client writes it (`str(value)`: `True`, `False`, `42`).
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(true) => Some("True".to_owned()),
        Value::Bool(false) => Some("False".to_owned()),
        _ => None,
    }
}

fn encode(
    op: Operation,
    p: Param,
    value: &Value,
    put: &mut impl FnMut(String, String),
) -> Result<(), Error> {
    let wrong = |path: String, expected: &str, given: &Value| Error::WrongType {
        action: op.name().to_owned(),
        parameter: path,
        expected: expected.to_owned(),
        given: type_name(given).to_owned(),
    };
    let ok = match (p.ty(), value) {
        (ParamType::String, Value::String(_))
        | (ParamType::Boolean, Value::Bool(_))
        | (ParamType::Number, Value::Number(_))
        | (ParamType::Array, Value::Array(_))
        | (ParamType::Object, Value::Object(_))
        | (ParamType::Any, _) => true,
        (ParamType::Integer, v) => is_integer(v),
        _ => false,
    };
    if !ok {
        let expected = if p.ty() == ParamType::Integer {
            "integer (64-bit)"
        } else {
            p.ty().as_str()
        };
        return Err(wrong(p.name().to_owned(), expected, value));
    }
    if let (Some(item), Value::Array(items)) = (p.item_type(), value) {
        for (i, v) in items.iter().enumerate() {
            let fits = match item {
                ParamType::String => v.is_string(),
                ParamType::Integer => is_integer(v),
                ParamType::Boolean => v.is_boolean(),
                ParamType::Number => v.is_number(),
                ParamType::Object => v.is_object(),
                ParamType::Array => v.is_array(),
                ParamType::Any => true,
            };
            if !fits {
                return Err(wrong(format!("{}[{i}]", p.name()), item.as_str(), v));
            }
        }
    }
    match (p.style(), value) {
        (_, v) if !v.is_array() && !v.is_object() => {
            put(p.name().to_owned(), scalar_text(v).unwrap_or_default());
        }
        (Style::Json | Style::Plain, v) => {
            let text = serde_json::to_string(v)
                .map_err(|e| Error::invalid(format!("parameter {:?}", p.name()), e.to_string()))?;
            put(p.name().to_owned(), text);
        }
        (Style::Flat, v) => {
            for (name, text) in flatten(p.name(), v) {
                put(name, text);
            }
        }
    }
    Ok(())
}

/// Flattens a value the way the official clients do (`Utils.query`): list items are numbered
/// from 1 (`Name.1`), object keys are appended (`Name.Key`), `null`s are dropped, scalars are
/// written as the Python client writes them.
///
/// ```
/// let v = serde_json::json!([{"Key": "k", "Value": true}, "x"]);
/// assert_eq!(
///     camskit::catalog::flatten("Tag", &v),
///     vec![("Tag.1.Key".to_string(), "k".to_string()), ("Tag.1.Value".into(), "True".into()), ("Tag.2".into(), "x".into())],
/// );
/// ```
pub fn flatten(prefix: &str, value: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    flatten_into(prefix, value, &mut out);
    out
}

fn flatten_into(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten_into(&format!("{prefix}.{}", i + 1), v, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                flatten_into(&format!("{prefix}.{k}"), v, out);
            }
        }
        scalar => out.push((prefix.to_owned(), scalar_text(scalar).unwrap_or_default())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn tables_are_consistent() {
        let ops: Vec<Operation> = operations().collect();
        assert_eq!(ops.len(), 173);
        for w in ops.windows(2) {
            assert!(w[0].name() < w[1].name(), "sorted and unique");
        }
        for op in &ops {
            assert!(!op.name().is_empty() && op.name().bytes().all(|b| b.is_ascii_alphanumeric()));
            assert!(!op.snake_name().is_empty());
            assert_eq!(operation(op.name()).unwrap().name(), op.name());
            assert_eq!(
                operation_by_snake(op.snake_name()).unwrap().name(),
                op.name()
            );
            assert!(
                op.params().len() <= 64,
                "request() keeps a 64-bit set of parameters"
            );
            for p in op.params() {
                assert!(!p.name().is_empty(), "{}", op.name());
                assert!(!p.snake_name().is_empty());
                assert_eq!(op.param(p.name()).unwrap().name(), p.name());
                if p.style() != Style::Plain {
                    assert!(matches!(
                        p.ty(),
                        ParamType::Array | ParamType::Object | ParamType::Any
                    ));
                }
            }
        }
    }

    #[test]
    fn migration_workflow_parameters() {
        let op = operation("CreateChatappMigrationInitiate").unwrap();
        let required: Vec<&str> = op
            .params()
            .filter(|p| p.required())
            .map(|p| p.name())
            .collect();
        assert_eq!(required, ["CountryCode", "CustSpaceId", "MobileNumber"]);
        let op = operation("GetPreValidatePhoneId").unwrap();
        assert_eq!(op.param("PhoneNumber").unwrap().location(), Location::Body);
        let op = operation("SendChatappMessage").unwrap();
        let tp = op.param("TemplateParams").unwrap();
        assert_eq!((tp.ty(), tp.style()), (ParamType::Object, Style::Json));
        assert_eq!(op.param("from_").unwrap().name(), "From");
        assert_eq!(op.camel_name(), "sendChatappMessage");
    }

    #[test]
    fn serializes_json_style_in_the_callers_order() {
        let req = request(
            "SendChatappMessage",
            &map(json!({"CustSpaceId": "cs", "ChannelType": "whatsapp", "Type": "template", "To": "1", "From": "2",
                         "TemplateParams": {"z": "1", "a": "é \n"}, "Payload": ["x", "y"]})),
        )
        .unwrap();
        let q = req.query_params();
        let tp = &q.iter().find(|(n, _)| n == "TemplateParams").unwrap().1;
        assert_eq!(tp, "{\"z\":\"1\",\"a\":\"é \\n\"}");
        let pl = &q.iter().find(|(n, _)| n == "Payload").unwrap().1;
        assert_eq!(pl, "[\"x\",\"y\"]");
    }

    #[test]
    fn errors_name_the_problem() {
        let e = request("SendMessage", &Map::new()).unwrap_err();
        assert!(
            matches!(&e, Error::UnknownAction { suggestions, .. } if !suggestions.is_empty()),
            "{e}"
        );
        let e = request(
            "ChatappMigrationRegister",
            &map(json!({"CustSpaceId": "c", "PhoneNumber": "1", "PhoneNumbr": "x"})),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "ChatappMigrationRegister: unknown parameter \"PhoneNumbr\"; did you mean PhoneNumber?"
        );
        let e = request(
            "ChatappMigrationRegister",
            &map(json!({"CustSpaceId": "c"})),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "ChatappMigrationRegister: missing required parameter PhoneNumber"
        );
        let e = request(
            "ChatappMigrationRegister",
            &map(json!({"CustSpaceId": "", "PhoneNumber": "1"})),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "ChatappMigrationRegister: missing required parameter CustSpaceId"
        );
        let e = request(
            "ChatappMigrationRegister",
            &map(json!({"CustSpaceId": "c", "PhoneNumber": 8613800001234_u64})),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "ChatappMigrationRegister: parameter PhoneNumber expects string, got integer"
        );
        let e = request(
            "ChatappMigrationRegister",
            &map(json!({"CustSpaceId": "c", "PhoneNumber": "1", "OwnerId": "5"})),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "ChatappMigrationRegister: parameter OwnerId expects integer (64-bit), got string"
        );
        let e = request(
            "SendChatappMessage",
            &map(json!({"CustSpaceId": "c", "ChannelType": "w", "Type": "t", "To": "1", "Payload": "x"})),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "SendChatappMessage: parameter Payload expects array, got string"
        );
        let e = request(
            "SendChatappMessage",
            &map(json!({"CustSpaceId": "c", "ChannelType": "w", "Type": "t", "To": "1", "Payload": ["a", 1]})),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "SendChatappMessage: parameter Payload[1] expects string, got integer"
        );
        let e = request(
            "ChatappMigrationRegister",
            &map(json!({"CustSpaceId": "c", "cust_space_id": "d", "PhoneNumber": "1"})),
        )
        .unwrap_err();
        assert!(e.to_string().contains("more than once"));
    }

    #[test]
    fn text_values_are_read_as_their_type() {
        let p = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        let req = request_from_text(
            "ChatappMigrationRegister",
            &[
                p("CustSpaceId", "c"),
                p("PhoneNumber", "007"),
                p("OwnerId", "42"),
            ],
        )
        .unwrap();
        assert!(
            req.query_params()
                .contains(&("PhoneNumber".into(), "007".into()))
        );
        assert!(
            req.query_params()
                .contains(&("OwnerId".into(), "42".into()))
        );
        let e = request_from_text(
            "ChatappMigrationRegister",
            &[
                p("CustSpaceId", "c"),
                p("PhoneNumber", "1"),
                p("OwnerId", "4x"),
            ],
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("OwnerId expects integer, got text \"4x\""),
            "{e}"
        );
        let req = request_from_text(
            "SendChatappMessage",
            &[
                p("CustSpaceId", "c"),
                p("ChannelType", "w"),
                p("Type", "t"),
                p("To", "1"),
                p("From", "2"),
                p("TemplateParams", "{ \"k\" : \"v\" }"),
            ],
        )
        .unwrap();
        assert!(
            req.query_params()
                .contains(&("TemplateParams".into(), "{\"k\":\"v\"}".into()))
        );
    }
}
