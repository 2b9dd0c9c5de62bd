//! Receipts: core's typed events (`camskit::receipts`) as the Python classes of
//! `camskit._receipts`, the dedup window and the status order.
//!
//! Each event is converted in one pass, straight from core's structs to Python objects (no
//! JSON text, no intermediate dict): its documented fields become the class's keyword
//! arguments, its JSON parts (`extra`, an inbound `Message`, an unknown type's `raw`) go
//! through [`ToPy`] (one key cache for the whole batch). Core's `Serialize` is not used here
//! because it flattens `extra` into the event's keys; the structs are destructured without
//! `..`, so a field core adds is a compile error here, not a silent omission.

use camskit::receipts::{
    self, ChatAppAudit, ChatAppInbound, ChatAppStatus, DedupWindow, Event, InboundContent,
    Location, Media, Reply, Status,
};
use pyo3::IntoPyObjectExt;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyModule, PyString};

use crate::convert::{opt_text, text, type_name};
use crate::errors::{guard, to_py, type_error};
use crate::json::ToPy;
use crate::response::body_bytes;

/// Every status, in core's order; [`status_index`] is its place.
const STATUSES: [Status; 6] = [
    Status::Sent,
    Status::Delivered,
    Status::Read,
    Status::Failed,
    Status::Deleted,
    Status::Other,
];

fn status_index(s: Status) -> usize {
    match s {
        Status::Sent => 0,
        Status::Delivered => 1,
        Status::Read => 2,
        Status::Failed => 3,
        Status::Deleted => 4,
        Status::Other => 5,
    }
}

/// The classes of `camskit._receipts`, looked up once.
struct Classes {
    status: Py<PyAny>,
    inbound: Py<PyAny>,
    audit: Py<PyAny>,
    other: Py<PyAny>,
    text: Py<PyAny>,
    image: Py<PyAny>,
    video: Py<PyAny>,
    audio: Py<PyAny>,
    document: Py<PyAny>,
    sticker: Py<PyAny>,
    location: Py<PyAny>,
    reply: Py<PyAny>,
    contacts: Py<PyAny>,
    system: Py<PyAny>,
    other_content: Py<PyAny>,
    unparsed: Py<PyAny>,
    /// `Status` members, in [`STATUSES`] order.
    statuses: Vec<Py<PyAny>>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || {
        let m = PyModule::import(py, "camskit._receipts")?;
        let get = |name: &str| m.getattr(name).map(Bound::unbind);
        let status_enum = m.getattr("Status")?;
        let statuses = STATUSES
            .iter()
            .map(|s| status_enum.call1((s.as_str(),)).map(Bound::unbind))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Classes {
            status: get("ChatAppStatus")?,
            inbound: get("ChatAppInbound")?,
            audit: get("ChatAppAudit")?,
            other: get("Other")?,
            text: get("Text")?,
            image: get("Image")?,
            video: get("Video")?,
            audio: get("Audio")?,
            document: get("Document")?,
            sticker: get("Sticker")?,
            location: get("Location")?,
            reply: get("Reply")?,
            contacts: get("Contacts")?,
            system: get("System")?,
            other_content: get("OtherContent")?,
            unparsed: get("Unparsed")?,
            statuses,
        })
    })
}

/// A record's fields, given one by one, then made into an instance of its class ([`Kw::call`]).
struct Kw<'py> {
    py: Python<'py>,
    fields: Vec<(Bound<'py, PyString>, Bound<'py, PyAny>)>,
}

impl<'py> Kw<'py> {
    fn new(py: Python<'py>) -> Self {
        Kw {
            py,
            fields: Vec::with_capacity(32),
        }
    }
    /// Sets field `name`, an interned string (`intern!`): CPython then finds the slot by
    /// identity.
    fn set<T: IntoPyObject<'py>>(
        mut self,
        name: &Bound<'py, PyString>,
        value: T,
    ) -> PyResult<Self> {
        let value = value.into_bound_py_any(self.py)?;
        self.fields.push((name.clone(), value));
        Ok(self)
    }
    /// An instance of `class` (a frozen, slotted dataclass of `_receipts.py`) holding these
    /// fields: made as `object.__new__(class)` with each slot set by `object.__setattr__`,
    /// which is what the dataclass's generated `__init__` does, without running its Python
    /// frame or matching keywords (push 99 -> 79 us). The classes have no `__post_init__`;
    /// every field is given (an unset slot would raise on access: `test_receipts.py` compares
    /// every field with what `__init__` makes).
    fn call(self, class: &Py<PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let object = py.get_type::<PyAny>();
        let new = object.call_method1(intern!(py, "__new__"), (class.bind(py),))?;
        let setattr = object.getattr(intern!(py, "__setattr__"))?;
        for (name, value) in self.fields {
            setattr.call1((&new, name, value))?;
        }
        Ok(new)
    }
}

/// One conversion of core's events (one key cache for the JSON parts of all of them).
pub(crate) struct Events<'py, 'v> {
    py: Python<'py>,
    classes: &'py Classes,
    json: ToPy<'py, 'v>,
}

impl<'py, 'v> Events<'py, 'v> {
    pub(crate) fn new(py: Python<'py>) -> PyResult<Self> {
        Ok(Self {
            py,
            classes: classes(py)?,
            json: ToPy::new(py),
        })
    }

    /// A list of Python events.
    pub(crate) fn list(&mut self, events: &'v [Event]) -> PyResult<Bound<'py, PyList>> {
        let mut out = Vec::with_capacity(events.len());
        for e in events {
            out.push(self.event(e)?);
        }
        PyList::new(self.py, out)
    }

    fn event(&mut self, event: &'v Event) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let key = event.dedup_key();
        let kind = event.message_type();
        match event {
            Event::Status(e) => self.status(e, kind, key),
            Event::Inbound(e) => self.inbound(e, kind, key),
            Event::Audit(e) => self.audit(e, kind, key),
            Event::Other { message_type, raw } => Kw::new(py)
                .set(intern!(self.py, "message_type"), message_type.as_deref())?
                .set(intern!(self.py, "raw"), self.json.value(raw)?)?
                .set(intern!(self.py, "dedup_key"), key)?
                .call(&self.classes.other),
            _ => Kw::new(py)
                .set(intern!(self.py, "message_type"), kind)?
                .set(intern!(self.py, "raw"), py.None())?
                .set(intern!(self.py, "dedup_key"), key)?
                .call(&self.classes.other),
        }
    }

    fn status(
        &mut self,
        e: &'v ChatAppStatus,
        kind: Option<&str>,
        key: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let ChatAppStatus {
            message_id,
            from,
            to,
            timestamp,
            status,
            status_text,
            status_description,
            error_code,
            error_description,
            conversation_type,
            conversation_id,
            conversation_expiration_time,
            msg_frame_type,
            content_type,
            task_id,
            origin_phone_number,
            template_code,
            template_name,
            language,
            from_user_id,
            from_parent_user_id,
            from_user_name,
            user_id,
            parent_user_id,
            user_name,
            extra,
        } = e;
        let status = self.classes.statuses[status_index(*status)].bind(self.py);
        Kw::new(self.py)
            .set(intern!(self.py, "message_type"), kind)?
            .set(intern!(self.py, "message_id"), message_id)?
            .set(intern!(self.py, "status"), status)?
            .set(intern!(self.py, "status_text"), status_text)?
            .set(intern!(self.py, "from_"), from)?
            .set(intern!(self.py, "to"), to)?
            .set(intern!(self.py, "timestamp"), timestamp)?
            .set(intern!(self.py, "status_description"), status_description)?
            .set(intern!(self.py, "error_code"), error_code)?
            .set(intern!(self.py, "error_description"), error_description)?
            .set(intern!(self.py, "conversation_type"), conversation_type)?
            .set(intern!(self.py, "conversation_id"), conversation_id)?
            .set(
                intern!(self.py, "conversation_expiration_time"),
                conversation_expiration_time,
            )?
            .set(intern!(self.py, "msg_frame_type"), msg_frame_type)?
            .set(intern!(self.py, "content_type"), content_type)?
            .set(intern!(self.py, "task_id"), task_id)?
            .set(intern!(self.py, "origin_phone_number"), origin_phone_number)?
            .set(intern!(self.py, "template_code"), template_code)?
            .set(intern!(self.py, "template_name"), template_name)?
            .set(intern!(self.py, "language"), language)?
            .set(intern!(self.py, "from_user_id"), from_user_id)?
            .set(intern!(self.py, "from_parent_user_id"), from_parent_user_id)?
            .set(intern!(self.py, "from_user_name"), from_user_name)?
            .set(intern!(self.py, "user_id"), user_id)?
            .set(intern!(self.py, "parent_user_id"), parent_user_id)?
            .set(intern!(self.py, "user_name"), user_name)?
            .set(intern!(self.py, "extra"), self.json.map(extra)?)?
            .set(intern!(self.py, "dedup_key"), key)?
            .call(&self.classes.status)
    }

    fn inbound(
        &mut self,
        e: &'v ChatAppInbound,
        kind: Option<&str>,
        key: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let ChatAppInbound {
            message_id,
            cust_space_id,
            waba_id,
            from,
            to,
            from_user_id,
            from_parent_user_id,
            from_user_name,
            timestamp,
            display_name,
            message_type,
            message,
            content,
            name,
            extra,
        } = e;
        let content = self.content(content)?;
        Kw::new(self.py)
            .set(intern!(self.py, "message_type"), kind)?
            .set(intern!(self.py, "message_id"), message_id)?
            .set(intern!(self.py, "content_type"), message_type)?
            .set(intern!(self.py, "content"), content)?
            .set(intern!(self.py, "message"), self.json.value(message)?)?
            .set(intern!(self.py, "cust_space_id"), cust_space_id)?
            .set(intern!(self.py, "waba_id"), waba_id)?
            .set(intern!(self.py, "from_"), from)?
            .set(intern!(self.py, "to"), to)?
            .set(intern!(self.py, "from_user_id"), from_user_id)?
            .set(intern!(self.py, "from_parent_user_id"), from_parent_user_id)?
            .set(intern!(self.py, "from_user_name"), from_user_name)?
            .set(intern!(self.py, "timestamp"), timestamp)?
            .set(intern!(self.py, "display_name"), display_name)?
            .set(intern!(self.py, "name"), name)?
            .set(intern!(self.py, "extra"), self.json.map(extra)?)?
            .set(intern!(self.py, "dedup_key"), key)?
            .call(&self.classes.inbound)
    }

    fn audit(
        &mut self,
        e: &'v ChatAppAudit,
        kind: Option<&str>,
        key: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let ChatAppAudit {
            waba_id,
            template_code,
            language,
            audit_status,
            reason,
            notice_type,
            phone_number,
            status,
            current_limit,
            extra,
        } = e;
        Kw::new(self.py)
            .set(intern!(self.py, "message_type"), kind)?
            .set(intern!(self.py, "waba_id"), waba_id)?
            .set(intern!(self.py, "template_code"), template_code)?
            .set(intern!(self.py, "language"), language)?
            .set(intern!(self.py, "audit_status"), audit_status)?
            .set(intern!(self.py, "reason"), reason)?
            .set(intern!(self.py, "notice_type"), notice_type)?
            .set(intern!(self.py, "phone_number"), phone_number)?
            .set(intern!(self.py, "status"), status)?
            .set(intern!(self.py, "current_limit"), current_limit)?
            .set(intern!(self.py, "extra"), self.json.map(extra)?)?
            .set(intern!(self.py, "dedup_key"), key)?
            .call(&self.classes.audit)
    }

    fn content(&mut self, c: &'v InboundContent) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let k = &self.classes;
        match c {
            InboundContent::Text { text } => Kw::new(py)
                .set(intern!(self.py, "text"), text)?
                .call(&k.text),
            InboundContent::Image(m) => self.media(m, &self.classes.image),
            InboundContent::Video(m) => self.media(m, &self.classes.video),
            InboundContent::Audio(m) => self.media(m, &self.classes.audio),
            InboundContent::Document(m) => self.media(m, &self.classes.document),
            InboundContent::Sticker(m) => self.media(m, &self.classes.sticker),
            InboundContent::Location(l) => {
                let Location {
                    address,
                    latitude,
                    longitude,
                    name,
                    extra,
                } = l;
                Kw::new(py)
                    .set(intern!(self.py, "address"), address)?
                    .set(intern!(self.py, "latitude"), latitude)?
                    .set(intern!(self.py, "longitude"), longitude)?
                    .set(intern!(self.py, "name"), name)?
                    .set(intern!(self.py, "extra"), self.json.map(extra)?)?
                    .call(&self.classes.location)
            }
            InboundContent::Reply(r) => {
                let Reply {
                    text,
                    payload,
                    extra,
                } = r;
                Kw::new(py)
                    .set(intern!(self.py, "text"), text)?
                    .set(intern!(self.py, "payload"), payload)?
                    .set(intern!(self.py, "extra"), self.json.map(extra)?)?
                    .call(&self.classes.reply)
            }
            InboundContent::Contacts { value } => Kw::new(py)
                .set(intern!(self.py, "value"), self.json.value(value)?)?
                .call(&self.classes.contacts),
            InboundContent::System { value } => Kw::new(py)
                .set(intern!(self.py, "value"), self.json.value(value)?)?
                .call(&self.classes.system),
            InboundContent::Other {
                message_type,
                value,
            } => Kw::new(py)
                .set(intern!(self.py, "content_type"), message_type)?
                .set(intern!(self.py, "value"), self.json.value(value)?)?
                .call(&self.classes.other_content),
            InboundContent::Unparsed {
                message_type,
                reason,
                raw,
            } => Kw::new(py)
                .set(intern!(self.py, "content_type"), message_type)?
                .set(intern!(self.py, "reason"), reason)?
                .set(intern!(self.py, "raw"), self.json.value(raw)?)?
                .call(&self.classes.unparsed),
        }
    }

    fn media(&mut self, m: &'v Media, class: &Py<PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let Media {
            id,
            url,
            mime_type,
            caption,
            name,
            filename,
            animated,
            extra,
        } = m;
        Kw::new(self.py)
            .set(intern!(self.py, "id"), id)?
            .set(intern!(self.py, "url"), url)?
            .set(intern!(self.py, "mime_type"), mime_type)?
            .set(intern!(self.py, "caption"), caption)?
            .set(intern!(self.py, "name"), name)?
            .set(intern!(self.py, "filename"), filename)?
            .set(intern!(self.py, "animated"), animated)?
            .set(intern!(self.py, "extra"), self.json.map(extra)?)?
            .call(class)
    }
}

/// Core's two body parsers (`parse_push`, `parse_mns_body`).
type Parser = fn(&[u8], Option<&str>) -> Result<Vec<Event>, camskit::Error>;

fn parse_with(
    py: Python<'_>,
    entry: &str,
    body: &Bound<'_, PyAny>,
    message_type: Option<&Bound<'_, PyAny>>,
    parse: Parser,
) -> PyResult<Py<PyList>> {
    guard(py, entry, || {
        let body = body_bytes(py, body)?;
        let message_type = opt_text(py, message_type, "message_type")?;
        let events = parse(&body, message_type.as_deref()).map_err(|e| to_py(py, e))?;
        Ok(Events::new(py)?.list(&events)?.unbind())
    })
}

/// Core's `parse_push`: the events of an HTTP batch push body.
#[pyfunction]
#[pyo3(signature = (body, message_type=None))]
pub(crate) fn parse_push(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    message_type: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyList>> {
    parse_with(py, "parse_push", body, message_type, receipts::parse_push)
}

/// Core's `parse_mns_body`: the events of one MNS message body (base64 or JSON).
#[pyfunction]
#[pyo3(signature = (body, message_type=None))]
pub(crate) fn parse_mns_body(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    message_type: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyList>> {
    parse_with(
        py,
        "parse_mns_body",
        body,
        message_type,
        receipts::parse_mns_body,
    )
}

/// The status names, in core's order (`Status::as_str`).
#[pyfunction]
pub(crate) fn statuses() -> Vec<&'static str> {
    STATUSES.iter().map(|s| s.as_str()).collect()
}

/// Core's `Status::from_text`: the status a `Status` text means (its name).
#[pyfunction]
pub(crate) fn status_of(py: Python<'_>, text_: &Bound<'_, PyAny>) -> PyResult<&'static str> {
    let t = text(py, text_, "status")?;
    Ok(Status::from_text(&t).as_str())
}

/// Whether the status is terminal (`Status::is_terminal`).
#[pyfunction]
pub(crate) fn status_is_terminal(py: Python<'_>, text_: &Bound<'_, PyAny>) -> PyResult<bool> {
    let t = text(py, text_, "status")?;
    Ok(Status::from_text(&t).is_terminal())
}

/// Core's `advances(current, incoming)`, statuses given by their text.
#[pyfunction]
#[pyo3(signature = (current, incoming))]
pub(crate) fn advances(
    py: Python<'_>,
    current: Option<&Bound<'_, PyAny>>,
    incoming: &Bound<'_, PyAny>,
) -> PyResult<bool> {
    let current = opt_text(py, current, "current")?.map(|t| Status::from_text(&t));
    let incoming = Status::from_text(&text(py, incoming, "incoming")?);
    Ok(receipts::advances(current, incoming))
}

/// Core's `DedupWindow`.
#[pyclass(module = "camskit", name = "_NativeDedupWindow")]
pub(crate) struct NativeDedupWindow {
    window: DedupWindow,
}

#[pymethods]
impl NativeDedupWindow {
    #[new]
    fn new(py: Python<'_>, capacity: &Bound<'_, PyAny>) -> PyResult<Self> {
        if capacity.cast::<pyo3::types::PyBool>().is_ok() {
            return Err(type_error(py, "capacity must be an int, not bool"));
        }
        let capacity: usize = capacity.extract().map_err(|_| {
            type_error(
                py,
                format!(
                    "capacity must be a non-negative int, not {}",
                    type_name(capacity)
                ),
            )
        })?;
        Ok(Self {
            window: DedupWindow::new(capacity),
        })
    }
    fn seen(&mut self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.window.seen(&text(py, key, "key")?))
    }
    fn contains(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.window.contains(&text(py, key, "key")?))
    }
    fn __len__(&self) -> usize {
        self.window.len()
    }
    #[getter]
    fn capacity(&self) -> usize {
        self.window.capacity()
    }
}

/// `MAX_RECEIPT_BYTES` and `MESSAGE_TYPES` for the module.
pub(crate) fn add_constants(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("MAX_RECEIPT_BYTES", receipts::MAX_RECEIPT_BYTES)?;
    m.add("RECEIPT_MESSAGE_TYPES", receipts::MESSAGE_TYPES.to_vec())?;
    Ok(())
}

/// Core's `message_type_of_queue`: the receipt type a CAMS queue name carries.
#[pyfunction]
pub(crate) fn message_type_of_queue(
    py: Python<'_>,
    queue_name: &Bound<'_, PyAny>,
) -> PyResult<Option<&'static str>> {
    Ok(receipts::message_type_of_queue(&text(
        py,
        queue_name,
        "queue_name",
    )?))
}
