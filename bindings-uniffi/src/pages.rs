//! Pages: core's [`camskit::PageWalk`] walked one `call` per page. Which parameter pages,
//! when the walk ends and how many pages it may take (`camskit::MAX_PAGES`) are core's; this
//! file only sends each page's call and converts the answer.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::call::CallOptions;
use crate::convert::pairs;
use crate::response::response;
use crate::transport::HttpTransport;
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
/// core's (`camskit::PageWalk`, at most `camskit::MAX_PAGES` pages). Thread-safe; a failed
/// page may be asked for again.
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct PageWalk {
    client: Arc<CamsClient>,
    action: String,
    /// Core's walk: the next page's parameters, the pages read, whether it is over.
    walk: Mutex<camskit::PageWalk>,
    options: CallOptions,
    transport: Arc<dyn HttpTransport>,
    /// The walk's page count, readable while a page is being called for.
    pages: AtomicU32,
}

#[uniffi::export]
impl PageWalk {
    /// Calls for the next page (blocking, with retries as `call`), or `null` when the last
    /// page was returned already.
    pub fn next_page(&self) -> Result<Option<Page>, CamsError> {
        guard(|| {
            let mut walk = self.walk.lock().unwrap_or_else(|p| p.into_inner());
            if walk.is_done() {
                return Ok(None);
            }
            let answer = self.client.drive(
                self.action.clone(),
                walk.params().to_vec(),
                &self.options,
                self.transport.as_ref(),
            )?;
            let items_json = camskit::page_items(&self.action, &answer)
                .map(|items| items.iter().map(Value::to_string).collect());
            walk.on_answer(&answer)?;
            let number = walk.pages();
            self.pages.store(number, Ordering::Relaxed);
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
                walk: Mutex::new(camskit::PageWalk::new(action.clone(), params)),
                action,
                options: options.unwrap_or_default(),
                transport,
                pages: AtomicU32::new(0),
            }))
        })
    }
}
