//! Walking a paged list, pure: the catalog says how each list operation chooses its page and
//! where its items are ([`catalog::Paging`]); [`next_page`] reads an answer and gives the
//! next request's parameters, or `None` after the last page.

use serde_json::{Map, Value};

use crate::catalog::{self, PagingStyle};
use crate::error::Error;
use crate::response::Response;

/// The value at a dotted path of API names (`Data.List`) in an answer's body.
fn at<'a>(body: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut v = body.get(parts.next()?)?;
    for p in parts {
        v = v.as_object()?.get(p)?;
    }
    Some(v)
}

/// The items of one page of `action`'s answer (`ListTemplate` of `ListChatappTemplate`,
/// `Data.List` of `ListChatGroup`, ...): `None` when the operation is not paged or its official
/// model does not type its items; an empty list when the answer has none.
///
/// ```
/// let answer = camskit::parse_response(200, br#"{"Code":"OK","ListTemplate":[{"TemplateCode":"a"}],"Total":1}"#)?;
/// assert_eq!(camskit::page_items("ListChatappTemplate", &answer).unwrap().len(), 1);
/// # Ok::<(), camskit::Error>(())
/// ```
pub fn page_items<'a>(action: &str, answer: &'a Response) -> Option<&'a [Value]> {
    let paging = catalog::operation(action).ok()?.paging()?;
    let path = paging.items_path()?;
    Some(match at(&answer.body, path) {
        Some(Value::Array(items)) => items,
        _ => &[],
    })
}

/// The parameters of the page after the one `answer` answered, or `None` when that was the
/// last page (no items, fewer items than the page size, the total reached, no next cursor).
///
/// `params` are the request's (API or snake names, as given to [`RequestSpec`](crate::RequestSpec));
/// the result keeps them all and sets the page parameter (`PageNo`, `PageIndex`, `Page`'s
/// `Index`, `NextToken`, `After`, `PageKey`). Operations without paging, and those whose
/// official model leaves the items untyped (`ListChatFlow`, `ListChatFlowTemplate`,
/// `ListFlowVersion`: their pages cannot be told apart from the end), give `None`.
///
/// ```
/// use serde_json::json;
/// let params = vec![("CustSpaceId".to_string(), json!("cs")), ("Page".to_string(), json!({"Index": 1, "Size": 2}))];
/// let answer = camskit::parse_response(200, br#"{"Code":"OK","ListTemplate":[{},{}],"Total":5}"#)?;
/// let next = camskit::next_page("ListChatappTemplate", &params, &answer)?.unwrap();
/// assert_eq!(next[1].1, json!({"Index": 2, "Size": 2}));
/// # Ok::<(), camskit::Error>(())
/// ```
///
/// # Errors
/// [`Error::UnknownAction`]; [`Error::InvalidInput`] when the page parameters given are not of
/// their type (a text `PageNo`).
pub fn next_page(
    action: &str,
    params: &[(String, Value)],
    answer: &Response,
) -> Result<Option<Vec<(String, Value)>>, Error> {
    let op = catalog::operation(action)?;
    let Some(paging) = op.paging() else {
        return Ok(None);
    };
    let items = paging.items_path().map(|p| match at(&answer.body, p) {
        Some(Value::Array(items)) => items.len(),
        _ => 0,
    });
    if items == Some(0) {
        return Ok(None);
    }
    let page_param = paging.page_param();
    // The caller's key for a parameter: its API name or its snake name.
    let key_of = |api: &str| {
        params
            .iter()
            .position(|(k, _)| k == api || op.param(api).is_some_and(|p| p.snake_name() == k))
    };
    let integer = |v: Option<&Value>, what: &str| -> Result<Option<u64>, Error> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| {
                Error::invalid(
                    format!("parameter {what}"),
                    format!(
                        "{} is not a page number or size",
                        crate::error::truncate(&v.to_string())
                    ),
                )
            }),
        }
    };
    let mut next = params.to_vec();
    match paging.style() {
        PagingStyle::PageNo | PagingStyle::PageIndex | PagingStyle::PageObject => {
            let Some(items) = items else {
                return Ok(None);
            };
            let object = paging.style() == PagingStyle::PageObject;
            let page_at = key_of(page_param);
            let (current, size) = if object {
                let page = page_at.map(|i| &params[i].1);
                let obj = page.and_then(Value::as_object);
                (
                    integer(obj.and_then(|o| o.get("Index")), "Page.Index")?,
                    integer(obj.and_then(|o| o.get(paging.size_param())), "Page.Size")?,
                )
            } else {
                (
                    integer(page_at.map(|i| &params[i].1), page_param)?,
                    integer(
                        key_of(paging.size_param()).map(|i| &params[i].1),
                        paging.size_param(),
                    )?,
                )
            };
            let current = current.unwrap_or(1).max(1);
            let per_page = size.unwrap_or(items as u64).max(1);
            if size.is_some_and(|s| (items as u64) < s) {
                return Ok(None);
            }
            if let Some(total) = paging
                .total_path()
                .and_then(|p| at(&answer.body, p))
                .and_then(Value::as_u64)
            {
                if current.saturating_mul(per_page) >= total {
                    return Ok(None);
                }
            }
            let value = if object {
                let mut o = page_at
                    .and_then(|i| params[i].1.as_object().cloned())
                    .unwrap_or_default();
                o.insert("Index".into(), Value::from(current + 1));
                Value::Object(o)
            } else {
                Value::from(current + 1)
            };
            set(&mut next, page_at, page_param, value);
        }
        PagingStyle::NextToken | PagingStyle::CursorAfter | PagingStyle::PageKey => {
            let cursor = paging
                .next_path()
                .and_then(|p| at(&answer.body, p))
                .and_then(Value::as_str)
                .filter(|c| !c.is_empty());
            let Some(cursor) = cursor else {
                return Ok(None);
            };
            let page_at = key_of(page_param);
            if page_at.is_some_and(|i| params[i].1.as_str() == Some(cursor)) {
                // The same cursor again: the server is not moving on.
                return Ok(None);
            }
            if let (Some(items), Some(limit)) = (
                items,
                integer(
                    key_of(paging.size_param()).map(|i| &params[i].1),
                    paging.size_param(),
                )?,
            ) {
                if (items as u64) < limit {
                    return Ok(None);
                }
            }
            set(
                &mut next,
                page_at,
                page_param,
                Value::String(cursor.to_owned()),
            );
        }
    }
    Ok(Some(next))
}

fn set(params: &mut Vec<(String, Value)>, at: Option<usize>, name: &str, value: Value) {
    match at {
        Some(i) => params[i].1 = value,
        None => params.push((name.to_owned(), value)),
    }
}

/// The most pages one walk reads: a list that has not ended by then is refused rather than
/// walked forever (a server that repeats its cursor, a total that keeps growing).
pub const MAX_PAGES: u32 = 10_000;

/// A walk through every page of a list, pure: the parameters of the page to ask for, and
/// after each answer whether another page follows ([`next_page`]), within [`MAX_PAGES`].
///
/// ```
/// use serde_json::json;
/// let mut walk = camskit::PageWalk::new("ListChatappTemplate", vec![
///     ("CustSpaceId".into(), json!("cs-1")),
///     ("Page".into(), json!({"Index": 1, "Size": 1})),
/// ]);
/// let first = camskit::parse_response(200, br#"{"Code":"OK","Total":2,"ListTemplate":[{"TemplateCode":"a"}]}"#)?;
/// assert!(walk.on_answer(&first)?);
/// assert_eq!(walk.params()[1].1, json!({"Index": 2, "Size": 1}));
/// let last = camskit::parse_response(200, br#"{"Code":"OK","Total":2,"ListTemplate":[{"TemplateCode":"b"}]}"#)?;
/// assert!(!walk.on_answer(&last)?);
/// assert_eq!(walk.pages(), 2);
/// # Ok::<(), camskit::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct PageWalk {
    action: String,
    params: Vec<(String, Value)>,
    pages: u32,
    done: bool,
}

impl PageWalk {
    /// A walk of `action` from the page `params` ask for.
    pub fn new(action: impl Into<String>, params: Vec<(String, Value)>) -> Self {
        Self {
            action: action.into(),
            params,
            pages: 0,
            done: false,
        }
    }

    /// The action walked.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The parameters of the page to ask for next.
    pub fn params(&self) -> &[(String, Value)] {
        &self.params
    }

    /// Pages answered so far.
    pub fn pages(&self) -> u32 {
        self.pages
    }

    /// Whether the last page was read.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Takes the successful answer to the page of [`params`](Self::params): `true` when another
    /// page follows (its parameters are now [`params`](Self::params)), `false` after the last.
    ///
    /// # Errors
    /// As [`next_page`]; and [`Error::InvalidInput`] when the list has not ended after
    /// [`MAX_PAGES`] pages, or when asked again after the last page.
    pub fn on_answer(&mut self, answer: &Response) -> Result<bool, Error> {
        if self.done {
            return Err(Error::invalid(
                "pages",
                format!("{}: the last page was already read", self.action),
            ));
        }
        self.pages += 1;
        match next_page(&self.action, &self.params, answer)? {
            None => {
                self.done = true;
                Ok(false)
            }
            Some(_) if self.pages >= MAX_PAGES => {
                self.done = true;
                Err(Error::invalid(
                    "pages",
                    format!(
                        "{}: the list has not ended after {MAX_PAGES} pages; stopped (ask for a larger page size, or walk it with next_page)",
                        self.action
                    ),
                ))
            }
            Some(next) => {
                self.params = next;
                Ok(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::parse_response;
    use serde_json::json;

    fn answer(v: Value) -> Response {
        parse_response(200, v.to_string().as_bytes()).unwrap()
    }

    fn p(pairs: &[(&str, Value)]) -> Vec<(String, Value)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    /// Walks a list of `n` items served `size` at a time by `serve`, counting pages.
    fn walk(
        action: &str,
        first: Vec<(String, Value)>,
        serve: impl Fn(&[(String, Value)]) -> Value,
    ) -> usize {
        let mut params = first;
        let mut pages = 0;
        loop {
            pages += 1;
            assert!(pages < 100, "no end");
            let a = answer(serve(&params));
            match next_page(action, &params, &a).unwrap() {
                Some(n) => params = n,
                None => return pages,
            }
        }
    }

    fn slice(n: usize, index: u64, size: u64) -> Vec<Value> {
        let start = ((index - 1) * size) as usize;
        (start..n.min(start + size as usize))
            .map(|i| json!({"Id": i}))
            .collect()
    }

    #[test]
    fn page_object_with_total() {
        let serve = |ps: &[(String, Value)]| {
            let page = &ps.iter().find(|(k, _)| k == "Page").unwrap().1;
            let (i, s) = (
                page["Index"].as_u64().unwrap(),
                page["Size"].as_u64().unwrap(),
            );
            json!({"Code": "OK", "ListTemplate": slice(25, i, s), "Total": 25})
        };
        let first = p(&[
            ("CustSpaceId", json!("c")),
            ("Page", json!({"Index": 1, "Size": 10})),
        ]);
        assert_eq!(walk("ListChatappTemplate", first, serve), 3);
        // Exactly a multiple of the size: the total ends it without an empty page.
        let serve20 = |ps: &[(String, Value)]| {
            let page = &ps.iter().find(|(k, _)| k == "Page").unwrap().1;
            json!({"Code": "OK", "ListTemplate": slice(20, page["Index"].as_u64().unwrap(), 10), "Total": 20})
        };
        let first = p(&[("Page", json!({"Index": 1, "Size": 10}))]);
        assert_eq!(walk("ListChatappTemplate", first, serve20), 2);
    }

    #[test]
    fn page_no_without_total_ends_on_a_short_page() {
        let serve = |ps: &[(String, Value)]| {
            let no = ps
                .iter()
                .find(|(k, _)| k == "PageNo")
                .map_or(1, |(_, v)| v.as_u64().unwrap());
            json!({"Code": "OK", "Data": {"Model": slice(7, no, 3)}})
        };
        assert_eq!(
            walk("ListFlowNodeGroup", p(&[("PageSize", json!(3))]), serve),
            3
        );
    }

    #[test]
    fn page_index_by_snake_names_with_total_count() {
        let serve = |ps: &[(String, Value)]| {
            let i = ps
                .iter()
                .find(|(k, _)| k == "page_index")
                .map_or(1, |(_, v)| v.as_u64().unwrap());
            json!({"Code": "OK", "Data": slice(9, i, 4), "TotalCount": 9})
        };
        let first = p(&[("page_index", json!(1)), ("page_size", json!(4))]);
        assert_eq!(walk("ListInstance", first, serve), 3);
    }

    #[test]
    fn next_token_and_cursors() {
        let serve = |ps: &[(String, Value)]| {
            let t = ps
                .iter()
                .find(|(k, _)| k == "NextToken")
                .map(|(_, v)| v.as_str().unwrap().to_owned());
            match t.as_deref() {
                None => json!({"Code": "OK", "Data": {"List": [1, 2], "NextToken": "t2"}}),
                Some("t2") => json!({"Code": "OK", "Data": {"List": [3], "NextToken": ""}}),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(walk("GetAutoGeneratedTemplate", vec![], serve), 2);
        let serve = |ps: &[(String, Value)]| {
            let a = ps
                .iter()
                .find(|(k, _)| k == "After")
                .map(|(_, v)| v.as_str().unwrap().to_owned());
            match a.as_deref() {
                None => {
                    json!({"Code": "OK", "Model": {"Data": [1, 2], "Paging": {"Cursors": {"After": "c1"}}}})
                }
                Some("c1") => {
                    json!({"Code": "OK", "Model": {"Data": [3, 4], "Paging": {"Cursors": {"After": "c1"}}}})
                }
                other => panic!("{other:?}"),
            }
        };
        // The same cursor twice: the walk stops instead of looping.
        assert_eq!(walk("ListProduct", vec![], serve), 2);
        let serve = |ps: &[(String, Value)]| {
            let k = ps
                .iter()
                .find(|(k, _)| k == "PageKey")
                .map(|(_, v)| v.as_str().unwrap().to_owned());
            match k.as_deref() {
                None => json!({"Code": "OK", "Data": [1], "NextPage": "k2"}),
                Some("k2") => json!({"Code": "OK", "Data": [2]}),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(walk("ListMessengerSubscriptionToken", vec![], serve), 2);
    }

    #[test]
    fn unpaged_and_untyped_operations_have_one_page() {
        let a = answer(json!({"Code": "OK", "Response": {"List": [1]}}));
        assert_eq!(next_page("ListChatFlow", &[], &a).unwrap(), None);
        assert_eq!(
            next_page("ChatappMigrationRegister", &[], &a).unwrap(),
            None
        );
        assert!(next_page("NoSuchOp", &[], &a).is_err());
        let bad = p(&[("PageNo", json!("2"))]);
        let a = answer(json!({"Code": "OK", "Data": {"Model": [1]}}));
        assert!(next_page("ListFlowNodeGroup", &bad, &a).is_err());
    }
}
