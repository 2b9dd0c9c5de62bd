//! Pages: core's [`PageWalk`](camskit::PageWalk) (`next_page` within `MAX_PAGES`) and `page_items` over a call's
//! answer. The glue's async
//! iterators (`client.pages`, `client.items`) only loop.

use camskit::RequestSpec;
use wasm_bindgen::prelude::*;

use crate::call::WasmCall;
use crate::client::WasmSigner;
use crate::convert::{Int64Fields, Step, parse_exact};
use crate::errors::core;

#[wasm_bindgen]
impl WasmCall {
    /// The items of the answer (core's `page_items`): an array, or `undefined` when the
    /// operation is not paged or its items are untyped (or the call has not succeeded).
    #[wasm_bindgen(js_name = pageItems)]
    pub fn page_items(&self) -> JsValue {
        let items = self
            .last
            .as_ref()
            .and_then(|r| camskit::page_items(&self.spec.action, r));
        match items {
            // One JSON text, one JSON.parse; the items' 64-bit fields BigInt always (core's
            // table, the same decoder as the answer's).
            Some(items) => parse_exact(
                &serde_json::to_string(items).unwrap_or_default(),
                items.iter().enumerate().map(|(i, v)| (Step::Index(i), v)),
                None,
                &Int64Fields::page_items(&self.spec.action),
            ),
            None => JsValue::UNDEFINED,
        }
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
