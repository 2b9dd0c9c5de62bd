//! A bounded, in-memory window of the receipts already handled.

use std::collections::{HashSet, VecDeque};

/// The last `capacity` dedup keys seen, to drop repeated pushes.
///
/// Alibaba says receipts may be pushed more than once ("Network exceptions or response
/// timeouts can cause duplicate receipt pushes", "Message receipts do not guarantee
/// idempotency": "Message receipts and configuration",
/// <https://help.aliyun.com/en/chatapp/developer-reference/configure-message-receipts>).
/// This window catches the repeats that come close together, in one process: it forgets the
/// oldest key once it holds `capacity`, and everything on restart. Persistent dedup (across
/// restarts, several consumers, long gaps) is your store's job: a unique index on
/// [`Event::dedup_key`](super::Event::dedup_key), for example.
///
/// ```
/// use camskit::receipts::DedupWindow;
/// let mut window = DedupWindow::new(2);
/// assert!(!window.seen("a"));
/// assert!(window.seen("a"));
/// assert!(!window.seen("b"));
/// assert!(!window.seen("c")); // "a" is forgotten now
/// assert!(!window.seen("a"));
/// ```
#[derive(Debug, Clone)]
pub struct DedupWindow {
    capacity: usize,
    order: VecDeque<String>,
    keys: HashSet<String>,
}

impl DedupWindow {
    /// A window of the last `capacity` keys (at least 1).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        DedupWindow {
            capacity,
            order: VecDeque::with_capacity(capacity.min(4096)),
            keys: HashSet::with_capacity(capacity.min(4096)),
        }
    }

    /// Whether `key` is in the window. A key not seen yet is remembered (and `false`
    /// returned); the oldest key is forgotten when the window is full. Seeing a key again
    /// does not make it newer: the window evicts in first-seen order.
    pub fn seen(&mut self, key: &str) -> bool {
        if self.keys.contains(key) {
            return true;
        }
        if self.order.len() == self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.keys.remove(&oldest);
            }
        }
        self.order.push_back(key.to_owned());
        self.keys.insert(key.to_owned());
        false
    }

    /// Whether `key` is in the window, without remembering it.
    pub fn contains(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    /// How many keys the window holds now.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether the window holds no key.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The most keys it holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_oldest_and_stays_bounded() {
        let mut w = DedupWindow::new(3);
        for k in ["a", "b", "c"] {
            assert!(!w.seen(k));
        }
        assert!(w.seen("a"));
        assert!(!w.seen("d")); // evicts "a" (first seen), not "b"
        assert_eq!(w.len(), 3);
        assert!(!w.seen("a"));
        assert!(w.seen("d"));
        for i in 0..1000 {
            w.seen(&i.to_string());
        }
        assert_eq!(w.len(), 3);
        assert_eq!(w.capacity(), 3);
    }

    #[test]
    fn capacity_zero_is_one() {
        let mut w = DedupWindow::new(0);
        assert!(!w.seen("x"));
        assert!(w.seen("x"));
        assert!(!w.seen("y"));
        assert!(!w.seen("x"));
    }
}
