//! The scan's fast path: one pass over the bytes of a common answer, with no serde machinery and no
//! allocation (the wasm build runs it at `opt-level = "z"`, where serde_json's reader costs a call
//! per byte; there its hot functions, and [`scan`](super::scan)'s, carry `optimize(speed)` under
//! the `camskit_speed` cfg that `bindings-wasm/build.sh` sets). It reads exactly what the serde
//! scan reads, through the same [`State`] (the 64-bit paths, the exact integers, the envelope,
//! `Data`), and it is only ever *sure or silent*: anything it does not read with certainty — an
//! escape in a key or in an envelope text, a `\u` surrogate, an exponent, an integer beyond 15
//! digits off a 64-bit path, a fraction on one, an envelope value that is not a string, deep
//! nesting, a byte that breaks the grammar — makes it give up (`None`), and the caller scans again
//! with serde_json, which then decides, or words the error. So no body is accepted here that
//! serde_json refuses: it accepts only RFC 8259 JSON, nests at most [`MAX_DEPTH`] (serde_json's
//! limit is 128), checks the UTF-8 of every string with a byte above 0x7F, and refuses control
//! characters in strings, as serde_json does. `tests/scan.rs` and the `scan_paths` fuzz target
//! compare the two paths.

use std::borrow::Cow;

use super::{Active, Held, State, Step};
use crate::response::envelope_key_index_of_bytes;

/// Deeper bodies go to serde_json (whose recursion limit, 128, then decides).
pub(super) const MAX_DEPTH: usize = 100;

/// Integers with more digits may be beyond ±(2^53 − 1): serde reads those.
const SAFE_DIGITS: usize = 15;

/// The top-level object of `body` into `state` (`all`: every 64-bit pattern), or `None`: not
/// sure, scan again with serde_json.
#[cfg_attr(camskit_speed, optimize(speed))]
pub(super) fn scan<'de>(body: &'de [u8], state: &mut State<'_, 'de>, all: Active) -> Option<()> {
    let mut s = Bytes { b: body, i: 0 };
    s.ws();
    s.eat(b'{')?;
    s.ws();
    if s.peek()? == b'}' {
        s.i += 1;
    } else {
        loop {
            s.ws();
            s.eat(b'"')?;
            let (key, escaped) = s.string()?;
            if escaped {
                return None;
            }
            s.ws();
            s.eat(b':')?;
            s.ws();
            if let Some(i) = envelope_key_index_of_bytes(key) {
                // An envelope text as the serde scan keeps it: a string without escapes.
                s.eat(b'"')?;
                let (raw, escaped) = s.string()?;
                if escaped {
                    return None;
                }
                state.envelope[i] = Some(Held::Text(Cow::Borrowed(utf8(raw)?)));
            } else {
                if key == b"Data" {
                    state.has_data = true;
                }
                if all == 0 {
                    // No 64-bit path: the key is not needed as text (string() checked it).
                    s.value(state, 0, false, 1)?;
                } else {
                    s.child(state, all, Step::Key(Cow::Borrowed(utf8(key)?)), 1)?;
                }
            }
            s.ws();
            match s.next()? {
                b',' => {}
                b'}' => break,
                _ => return None,
            }
        }
    }
    s.ws();
    (s.i == body.len()).then_some(())
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Whether a word of eight string bytes holds a quote, a backslash or a control byte (the
/// classic "has a zero byte" / "has a byte less than n" tests; exact as yes or no).
#[inline(always)]
fn special(x: u64) -> bool {
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH_BITS;
    let quote = zero(x ^ (ONES * u64::from(b'"')));
    let backslash = zero(x ^ (ONES * u64::from(b'\\')));
    let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH_BITS;
    (quote | backslash | control) != 0
}

fn utf8(raw: &[u8]) -> Option<&str> {
    std::str::from_utf8(raw).ok()
}

struct Bytes<'de> {
    b: &'de [u8],
    i: usize,
}

impl<'de> Bytes<'de> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    #[inline(always)]
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.i += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i.checked_add(word.len())?;
        (self.b.get(self.i..end)? == word).then(|| self.i = end)
    }

    /// A string after its opening quote: its raw bytes and whether it had an escape. Checks
    /// the escapes (giving up on a `\u` surrogate, whose reading serde_json decides), refuses
    /// control characters, and checks the UTF-8 of a string with a byte above 0x7F.
    #[cfg_attr(camskit_speed, optimize(speed))]
    fn string(&mut self) -> Option<(&'de [u8], bool)> {
        let start = self.i;
        let (mut escaped, mut high) = (false, false);
        loop {
            let rest = self.b.get(self.i..)?;
            // Eight plain bytes at a time (no quote, backslash or control byte), then one by one.
            let mut plain = 0;
            let mut seen = 0u64;
            while let Some(word) = rest.get(plain..plain + 8) {
                let x = u64::from_le_bytes(word.try_into().ok()?);
                if special(x) {
                    break;
                }
                seen |= x;
                plain += 8;
            }
            high |= seen & HIGH_BITS != 0;
            loop {
                match rest.get(plain)? {
                    b'"' | b'\\' | 0..=0x1F => break,
                    0x80.. => high = true,
                    _ => {}
                }
                plain += 1;
            }
            self.i += plain;
            match rest[plain] {
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\\' => {
                    escaped = true;
                    self.i += 1;
                    match self.next()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                        b'u' => {
                            let end = self.i.checked_add(4)?;
                            let hex = self.b.get(self.i..end)?;
                            let mut v = 0u32;
                            for &d in hex {
                                v = v * 16 + char::from(d).to_digit(16)?;
                            }
                            if (0xD800..0xE000).contains(&v) {
                                return None;
                            }
                            self.i = end;
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
        let raw = &self.b[start..self.i - 1];
        if high {
            utf8(raw)?;
        }
        Some((raw, escaped))
    }

    /// A value below the root, at `step` from its parent (`active`: the parent's patterns).
    fn child(
        &mut self,
        state: &mut State<'_, 'de>,
        active: Active,
        step: Step<'de>,
        depth: usize,
    ) -> Option<()> {
        // Off every 64-bit path the path is not needed: no integer is recorded there (the
        // unsafe ones are serde's).
        if active == 0 {
            return self.value(state, 0, false, depth);
        }
        let (active, target) = state.enter(active, step);
        let r = self.value(state, active, target, depth);
        state.path.pop();
        r
    }

    #[cfg_attr(camskit_speed, optimize(speed))]
    fn value(
        &mut self,
        state: &mut State<'_, 'de>,
        active: Active,
        target: bool,
        depth: usize,
    ) -> Option<()> {
        match self.peek()? {
            b'"' => {
                self.i += 1;
                self.string().map(drop)
            }
            b'{' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.i += 1;
                self.ws();
                if self.peek()? == b'}' {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    self.ws();
                    self.eat(b'"')?;
                    let (raw, escaped) = self.string()?;
                    if escaped {
                        return None;
                    }
                    self.ws();
                    self.eat(b':')?;
                    self.ws();
                    if active == 0 {
                        // Off the 64-bit paths the key is not needed as text (string() has
                        // checked its UTF-8).
                        self.value(state, 0, false, depth + 1)?;
                    } else {
                        let key = utf8(raw)?;
                        self.child(state, active, Step::Key(Cow::Borrowed(key)), depth + 1)?;
                    }
                    self.ws();
                    match self.next()? {
                        b',' => {}
                        b'}' => return Some(()),
                        _ => return None,
                    }
                }
            }
            b'[' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.i += 1;
                self.ws();
                if self.peek()? == b']' {
                    self.i += 1;
                    return Some(());
                }
                let mut index = 0;
                loop {
                    self.ws();
                    self.child(state, active, Step::Index(index), depth + 1)?;
                    index += 1;
                    self.ws();
                    match self.next()? {
                        b',' => {}
                        b']' => return Some(()),
                        _ => return None,
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(state, target),
            _ => None,
        }
    }

    /// A number (RFC 8259's grammar). An integer is handed to the state (which records it on a
    /// 64-bit path); a fraction off such a path is only checked.
    fn number(&mut self, state: &mut State<'_, 'de>, target: bool) -> Option<()> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        let start = self.i;
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => {
                while let Some(b'0'..=b'9') = self.peek() {
                    self.i += 1;
                }
            }
            _ => return None,
        }
        let digits = &self.b[start..self.i];
        if digits.len() > SAFE_DIGITS && !(target && digits.len() <= 18) {
            return None;
        }
        let mut fraction = false;
        if self.peek() == Some(b'.') {
            self.i += 1;
            let from = self.i;
            while let Some(b'0'..=b'9') = self.peek() {
                self.i += 1;
            }
            if self.i == from {
                return None;
            }
            fraction = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            return None;
        }
        if fraction {
            // serde reads a double; a whole one on a 64-bit path is recorded: serde's to say.
            return (!target).then_some(());
        }
        // At most 18 digits: a u64 holds it (no 128-bit multiply per digit).
        let magnitude = i128::from(
            digits
                .iter()
                .fold(0u64, |v, d| v * 10 + u64::from(d - b'0')),
        );
        state.integer(if negative { -magnitude } else { magnitude }, target);
        Some(())
    }
}
