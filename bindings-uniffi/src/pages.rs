//! Pages: core's paging ([`camskit::next_page`], [`camskit::page_items`]) walked one `call`
//! per page. Which parameter pages and when the walk ends is core's; this file only keeps the
//! next page's parameters between calls.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::call::{CallOptions, HttpTransport};
use crate::convert::pairs;
use crate::response::response;
use crate::{CamsClient, CamsError, CamsResponse, ParamValue, guard};

/// One page of a `PageWalk`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Page {
    /// 1 for the first page walked, and so on.
    pub number: u32,
    /// The answer.
    pub response: CamsResponse,
    /// The page's items, each as JSON text (numbers exact), when core knows where an
    /// operation's items are (`camskit::page_items`); `null` otherwise.
    pub items_json: Option<Vec<String>>,
}

/// The pages of a list operation, one call per `nextPage()` (Kotlin: `walk.asSequence()`,
/// `walk.items()` in the companion file). Which parameter pages and when the walk ends is
/// core's (`camskit::next_page`). Thread-safe; a failed page may be asked for again.
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct PageWalk {
    client: Arc<CamsClient>,
    action: String,
    /// The next page's parameters; `None` once the walk is over.
    params: Mutex<Option<Vec<(String, Value)>>>,
    options: CallOptions,
    transport: Arc<dyn HttpTransport>,
    pages: AtomicU32,
}

#[uniffi::export]
impl PageWalk {
    /// Calls for the next page (blocking, with retries as `call`), or `null` when the last
    /// page was returned already.
    pub fn next_page(&self) -> Result<Option<Page>, CamsError> {
        guard(|| {
            let mut next = self.params.lock().unwrap_or_else(|p| p.into_inner());
            let Some(params) = next.clone() else {
                return Ok(None);
            };
            let answer = self.client.drive(
                self.action.clone(),
                params.clone(),
                &self.options,
                self.transport.as_ref(),
            )?;
            let items_json = camskit::page_items(&self.action, &answer)
                .map(|items| items.iter().map(Value::to_string).collect());
            *next = camskit::next_page(&self.action, &params, &answer)?;
            let number = self.pages.fetch_add(1, Ordering::Relaxed) + 1;
            Ok(Some(Page {
                number,
                response: response(answer),
                items_json,
            }))
        })
    }

    /// Pages returned so far.
    pub fn pages(&self) -> u32 {
        self.pages.load(Ordering::Relaxed)
    }
}

impl fmt::Display for PageWalk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PageWalk({}, {} page(s))", self.action, self.pages())
    }
}

#[uniffi::export]
impl CamsClient {
    /// Walks the pages of a list operation (`ListChatappTemplate`, ...) from the page
    /// `params` ask for: each `nextPage()` is one `call` (same options, same transport).
    /// Nothing is sent before the first `nextPage()`.
    #[uniffi::method(default(options = None))]
    pub fn pages(
        self: Arc<Self>,
        action: String,
        params: HashMap<String, ParamValue>,
        transport: Arc<dyn HttpTransport>,
        options: Option<CallOptions>,
    ) -> Result<Arc<PageWalk>, CamsError> {
        guard(|| {
            let params = pairs(&params)?;
            Ok(Arc::new(PageWalk {
                client: self.clone(),
                action,
                params: Mutex::new(Some(params)),
                options: options.unwrap_or_default(),
                transport,
                pages: AtomicU32::new(0),
            }))
        })
    }
}
