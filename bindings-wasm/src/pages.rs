//! Pages: core's [`PageWalk`](camskit::PageWalk) (`next_page` within `MAX_PAGES`) and `page_items` over a call's
//! answer. The glue's async
//! iterators (`client.pages`, `client.items`) only loop.

use camskit::RequestSpec;
use wasm_bindgen::prelude::*;

use crate::call::WasmCall;
use crate::client::WasmSigner;
use crate::errors::core;

#[wasm_bindgen]
impl WasmCall {
    /// Where the answer's items are (core's `page_items`: the catalog's items path, keys joined
    /// by `.`; the items are the list there, none when it is not a list), or `undefined` when the
    /// operation is not paged or its items are untyped (or the call has not succeeded). The
    /// glue takes them from the answer it decoded (the one decoder), so an item is the same
    /// object in `pages` and `items`.
    #[wasm_bindgen(js_name = itemsPath)]
    pub fn items_path(&self) -> Option<String> {
        let r = self.last.as_ref()?;
        camskit::page_items(&self.spec.action, r)?;
        camskit::catalog::operation(&self.spec.action)
            .ok()?
            .paging()?
            .items_path()
            .map(str::to_owned)
    }

    /// The call of the next page (core's [`PageWalk`](camskit::PageWalk) over this call's answer: `next_page`,
    /// within `MAX_PAGES`), signed by `signer`, or `undefined` after the last page.
    #[wasm_bindgen(js_name = nextPage)]
    pub fn next_page(
        &self,
        signer: &WasmSigner,
        clock_offset: f64,
    ) -> Result<Option<WasmCall>, JsValue> {
        let Some(last) = &self.last else {
            return Ok(None);
        };
        let mut walk = self.walk.clone();
        if !core(walk.on_answer(last))? {
            return Ok(None);
        }
        let spec = RequestSpec {
            params: walk.params().to_vec(),
            ..self.spec.clone()
        };
        let policy = self.policy.clone();
        WasmCall::start(
            &signer.signer,
            spec,
            policy,
            self.timeout_ms,
            clock_offset,
            walk,
        )
        .map(Some)
    }
}
