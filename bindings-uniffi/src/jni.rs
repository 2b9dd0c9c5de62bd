//! A JNI fast path to the same functions uniffi exports, for the JVM's hot paths
//! (`camskit.fast.FastSigner` and `FastReceipts` in `kotlin/FastPath.kt`; the receipts' answer is
//! uniffi's own serialization, see [`Java_camskit_fast_CamsJni_receipts`]).
//!
//! Why: through uniffi's JNA convention every crossing allocates JNA `Structure`s and `Memory`
//! objects that JNA registers in a static map and frees through its cleaner thread; a signed
//! request costs 40–55 µs on the JVM where Rust signs it in about 1 µs (README, "Performance").
//! Here one signing is one JNI call: a `byte[]` in, a `byte[]` out.
//!
//! Pure translation: the request is decoded into the parts of uniffi's own [`SignRequest`]
//! record (its parameters as the map's entries in name order) and given to what
//! [`fast::sign_request`] runs, the answer to [`response::parse_response`]: the very functions the
//! uniffi path calls, so every decision (canonicalization, signing, the endpoint, error kinds,
//! retry advice) is core's. The result (or the [`CamsError`]) is encoded field by field and the
//! Kotlin side rebuilds the uniffi-generated `SignedRequest`, `CamsResponse` or `CamsException`.
//!
//! The frames, both ways: a string or byte string is a little-endian `u32` length and its bytes
//! (`u32::MAX`: absent); a list is its `u32` count then its items; a small enum is one byte; an
//! `i64`/`f64` eight little-endian bytes (an `f64` as its bits). The signed request's answer
//! spares the JVM most of its strings (decoding them was most of the JVM's share of a v3
//! signing): see [`Writer::signed`]. Each thread reuses its buffers both ways: Kotlin passes
//! its request buffer with the length written and an answer buffer the answer is written into
//! when it fits. Kotlin writes and reads the frames in `FastPath.kt`; a change here is a
//! change there (and of [`FRAMES_VERSION`]). No panic crosses: the decoding and the call run
//! under [`guard`] (a panic is `CamsError::Internal`), and `jni`'s `with_env` turns anything
//! left (a JNI failure) into a Java `RuntimeException`.

use std::collections::HashMap;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

use jni_sys::{JNIEnv, jbyteArray, jclass, jint, jlong, jsize};
use zeroize::Zeroize;

use crate::fast::{SignParts, sign_parts};
use crate::response::parse_response;
use crate::{
    AccessKey, CamsError, CamsResponse, HttpMethod, NameValue, ParamValue, SignOptions, SignTime,
    SignatureVersion, guard,
};

/// The frames' version: `FastPath.kt` checks it when it loads the library, so a library of
/// another layout is not used (the uniffi path is, instead).
const FRAMES_VERSION: jint = 4;

const ABSENT: u32 = u32::MAX;

/// In the answer, a string's length with this bit set (and not [`ABSENT`]) is instead the
/// index of a header whose value is that string (the same text decoded once on the JVM).
const HEADER_REF: u32 = 1 << 31;

/// Header names the JVM holds as constants (`FastPath.kt`'s `HEADER_NAMES`, the same order):
/// the answer names one by its index. Any other name is [`LITERAL`] then its text.
const HEADER_NAMES: [&str; 10] = [
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
    "authorization",
    "content-type",
    "x-acs-accesskey-id",
    "x-acs-security-token",
];

/// A header name that is not in [`HEADER_NAMES`]: its text follows.
const LITERAL: u8 = 0xff;

/// Reads the frames Kotlin wrote.
struct Reader<'a> {
    bytes: &'a [u8],
}

/// Frames that do not parse: a bug on one side of the boundary, never the user's input.
fn malformed() -> CamsError {
    CamsError::Internal {
        error_message: "malformed JNI frames (camskit's FastPath.kt and its library disagree)"
            .into(),
    }
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CamsError> {
        if self.bytes.len() < n {
            return Err(malformed());
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }
    fn byte(&mut self) -> Result<u8, CamsError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, CamsError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, CamsError> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(a))
    }
    fn opt_bytes(&mut self) -> Result<Option<Vec<u8>>, CamsError> {
        match self.u32()? {
            ABSENT => Ok(None),
            n => Ok(Some(self.take(n as usize)?.to_vec())),
        }
    }
    fn bytes(&mut self) -> Result<Vec<u8>, CamsError> {
        self.opt_bytes()?.ok_or_else(malformed)
    }
    /// Kotlin encodes strings as uniffi does (UTF-8, refusing lone surrogates), so this is UTF-8.
    fn opt_str(&mut self) -> Result<Option<String>, CamsError> {
        self.opt_bytes()?
            .map(|b| String::from_utf8(b).map_err(|_| malformed()))
            .transpose()
    }
    fn str(&mut self) -> Result<String, CamsError> {
        self.opt_str()?.ok_or_else(malformed)
    }
    fn count(&mut self) -> Result<usize, CamsError> {
        let n = self.u32()? as usize;
        // every item takes at least one byte: a count beyond what is left is malformed
        if n > self.bytes.len() {
            return Err(malformed());
        }
        Ok(n)
    }
    fn param(&mut self) -> Result<ParamValue, CamsError> {
        Ok(match self.byte()? {
            0 => ParamValue::Text { value: self.str()? },
            1 => ParamValue::Integer {
                value: self.u64()? as i64,
            },
            2 => ParamValue::Boolean {
                value: self.byte()? != 0,
            },
            3 => ParamValue::Number {
                value: f64::from_bits(self.u64()?),
            },
            4 => ParamValue::Null,
            5 => ParamValue::Json { json: self.str()? },
            _ => return Err(malformed()),
        })
    }
    fn params(&mut self) -> Result<HashMap<String, ParamValue>, CamsError> {
        let n = self.count()?;
        let mut map = HashMap::with_capacity(n);
        for _ in 0..n {
            let name = self.str()?;
            map.insert(name, self.param()?);
        }
        Ok(map)
    }
    fn options(&mut self) -> Result<SignOptions, CamsError> {
        let method = match self.byte()? {
            0 => None,
            1 => Some(HttpMethod::Get),
            2 => Some(HttpMethod::Post),
            _ => return Err(malformed()),
        };
        let signature = match self.byte()? {
            0 => None,
            1 => Some(SignatureVersion::V1),
            2 => Some(SignatureVersion::V3),
            _ => return Err(malformed()),
        };
        let timestamp = match self.byte()? {
            0 => None,
            1 => Some(SignTime::Unix {
                seconds: f64::from_bits(self.u64()?),
            }),
            2 => Some(SignTime::Text { text: self.str()? }),
            _ => return Err(malformed()),
        };
        let nonce = self.opt_str()?;
        let n = self.count()?;
        let mut headers = Vec::with_capacity(n);
        for _ in 0..n {
            headers.push(NameValue {
                name: self.str()?,
                value: self.str()?,
            });
        }
        Ok(SignOptions {
            method,
            signature,
            timestamp,
            nonce,
            headers,
            raw: self.byte()? != 0,
            api_version: self.opt_str()?,
            form: self.params()?,
        })
    }
    /// The parameters as pairs in name order (a map's entries: each name once).
    fn sorted_params(&mut self) -> Result<Vec<(String, ParamValue)>, CamsError> {
        let n = self.count()?;
        let mut pairs = Vec::with_capacity(n);
        for _ in 0..n {
            let name = self.str()?;
            pairs.push((name, self.param()?));
        }
        pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if pairs.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(malformed());
        }
        Ok(pairs)
    }
    fn sign_request(&mut self) -> Result<SignParts, CamsError> {
        let key = AccessKey {
            access_key_id: self.str()?,
            access_key_secret: self.bytes()?,
            security_token: self.opt_bytes()?,
        };
        let action = self.str()?;
        let params = self.sorted_params()?;
        let options = match self.byte()? {
            0 => None,
            _ => Some(self.options()?),
        };
        let request = SignParts {
            key,
            action,
            params,
            options,
            region: self.opt_str()?,
            endpoint: self.opt_str()?,
        };
        if !self.bytes.is_empty() {
            return Err(malformed());
        }
        Ok(request)
    }
}

/// Writes the frames Kotlin reads.
#[derive(Default)]
struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn byte(&mut self, b: u8) {
        self.out.push(b);
    }
    fn u32(&mut self, n: u32) {
        self.out.extend_from_slice(&n.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        // a string longer than 4 GiB - 1 cannot be: core refuses answers beyond MAX_RESPONSE_BYTES
        self.u32(u32::try_from(s.len()).unwrap_or(ABSENT - 1));
        self.out.extend_from_slice(s.as_bytes());
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.u32(ABSENT),
        }
    }

    /// A header name: its index in [`HEADER_NAMES`] (one byte), or [`LITERAL`] then the text.
    fn header_name(&mut self, name: &str) {
        match HEADER_NAMES.iter().position(|n| *n == name) {
            Some(i) => self.byte(i as u8),
            None => {
                self.byte(LITERAL);
                self.str(name);
            }
        }
    }

    /// `0`, then the fields of the signed request in the order of uniffi's record, written
    /// from core's answer as `SignedRequest::from_core` would convert it (without building
    /// that record's thirty-odd strings first). So that the JVM decodes fewer strings: the
    /// method is a byte; header names are indices into [`HEADER_NAMES`]; `headersToSend` are
    /// indices into `headers` (the same texts); the timestamp and the nonce, when a header
    /// holds the same text, are that header's index ([`str_or_header`](Self::str_or_header)).
    fn signed(&mut self, s: &camskit::SignedRequest, timestamp: &camskit::Timestamp, nonce: &str) {
        // One allocation for the whole answer (a 1 KB v3 answer grew the vector 4 times).
        let headers = s
            .headers
            .iter()
            .map(|(n, v)| n.len() + v.len() + 10)
            .sum::<usize>();
        self.out.reserve(
            96 + s.url.len()
                + headers
                + s.body.as_ref().map_or(0, String::len)
                + s.canonical_query.len()
                + s.canonical_request.as_ref().map_or(0, String::len)
                + s.string_to_sign.len()
                + s.signature.len()
                + nonce.len(),
        );
        self.byte(0);
        self.byte(match s.method {
            camskit::Method::Get => 1,
            camskit::Method::Post => 2,
        });
        self.str(&s.url);
        self.u32(s.headers.len() as u32);
        for (name, value) in &s.headers {
            self.header_name(name);
            self.str(value);
        }
        // `headers_to_send` borrows from `headers`, in order: each is found by address.
        self.u32(s.headers_to_send().count() as u32);
        let mut next = 0;
        for (name, value) in s.headers_to_send() {
            let at = s.headers[next.min(s.headers.len())..]
                .iter()
                .position(|(_, v)| std::ptr::eq(v.as_str(), value));
            match at {
                Some(k) => {
                    self.u32((next + k) as u32);
                    next += k + 1;
                }
                None => {
                    self.u32(ABSENT);
                    self.header_name(name);
                    self.str(value);
                }
            }
        }
        self.opt_str(s.body.as_deref());
        self.str(&s.canonical_query);
        self.opt_str(s.canonical_request.as_deref());
        self.str(&s.string_to_sign);
        self.str(&s.signature);
        self.byte(match s.signature_version {
            camskit::SignatureVersion::V1 => 1,
            camskit::SignatureVersion::V3 => 2,
        });
        self.str_or_header(timestamp.as_str(), &s.headers);
        self.str_or_header(nonce, &s.headers);
    }

    /// `text`, or [`HEADER_REF`] + the index of a header whose value is the same text.
    fn str_or_header(&mut self, text: &str, headers: &[(std::borrow::Cow<'static, str>, String)]) {
        match headers.iter().position(|(_, v)| v == text) {
            Some(i) => self.u32(HEADER_REF | i as u32),
            None => self.str(text),
        }
    }

    /// The uniffi record in [`signed`](Self::signed)'s layout, from the record's own fields
    /// (`headersToSend` found by equal name and value, the first not taken yet): the
    /// reference the tests compare that with.
    #[cfg(test)]
    fn signed_record(&mut self, s: &crate::SignedRequest) {
        self.byte(0);
        self.byte(match s.method.as_str() {
            "GET" => 1,
            "POST" => 2,
            other => panic!("method {other}"),
        });
        self.str(&s.url);
        self.u32(s.headers.len() as u32);
        for h in &s.headers {
            self.header_name(&h.name);
            self.str(&h.value);
        }
        self.u32(s.headers_to_send.len() as u32);
        let mut next = 0;
        for h in &s.headers_to_send {
            let k = s.headers[next..]
                .iter()
                .position(|x| x == h)
                .expect("headers_to_send is a subsequence of headers");
            self.u32((next + k) as u32);
            next += k + 1;
        }
        self.opt_str(s.body.as_deref());
        self.str(&s.canonical_query);
        self.opt_str(s.canonical_request.as_deref());
        self.str(&s.string_to_sign);
        self.str(&s.signature);
        self.byte(match s.signature_version {
            SignatureVersion::V1 => 1,
            SignatureVersion::V3 => 2,
        });
        for text in [&s.timestamp, &s.nonce] {
            match s.headers.iter().position(|h| &h.value == text) {
                Some(i) => self.u32(HEADER_REF | i as u32),
                None => self.str(text),
            }
        }
    }

    /// `0`, then the fields of the response in the order of uniffi's record.
    fn response(&mut self, r: &CamsResponse) {
        self.byte(0);
        self.u32(r.status as u32);
        self.opt_str(r.request_id.as_deref());
        self.str(&r.code);
        self.opt_str(r.message.as_deref());
        self.opt_str(r.access_denied_detail.as_deref());
        self.opt_str(r.data_json.as_deref());
        self.str(&r.body_json);
    }

    /// `1`, the variant (`1` Api .. `6` Internal, the order of [`CamsError`]), then its fields
    /// in declaration order; a kind is its position in [`crate::ErrorKind`].
    fn error(&mut self, e: &CamsError) {
        self.byte(1);
        match e {
            CamsError::Api {
                status,
                code,
                error_message,
                request_id,
                host_id,
                recommend,
                access_denied_detail,
                kind,
                retryable,
                server_string_to_sign,
                description,
            } => {
                self.byte(1);
                self.u32(*status as u32);
                self.str(code);
                self.str(error_message);
                self.opt_str(request_id.as_deref());
                self.opt_str(host_id.as_deref());
                self.opt_str(recommend.as_deref());
                self.opt_str(access_denied_detail.as_deref());
                self.byte(*kind as u8);
                self.byte(u8::from(*retryable));
                self.opt_str(server_string_to_sign.as_deref());
                self.str(description);
            }
            CamsError::Validation {
                code,
                error_message,
                action,
                parameter,
                suggestions,
            } => {
                self.byte(2);
                self.str(code);
                self.str(error_message);
                self.opt_str(action.as_deref());
                self.opt_str(parameter.as_deref());
                self.u32(suggestions.len() as u32);
                for s in suggestions {
                    self.str(s);
                }
            }
            CamsError::Parse {
                status,
                reason,
                snippet,
            } => {
                self.byte(3);
                self.u32(*status as u32);
                self.str(reason);
                self.str(snippet);
            }
            CamsError::Credentials { error_message } => {
                self.byte(4);
                self.str(error_message);
            }
            CamsError::Transport {
                reason,
                outcome_unknown,
            } => {
                self.byte(5);
                self.str(reason);
                self.byte(u8::from(*outcome_unknown));
            }
            CamsError::Internal { error_message } => {
                self.byte(6);
                self.str(error_message);
            }
        }
    }
}

/// `sign_request` on frames: the encoded [`SignRequest`] in, the encoded result out.
#[cfg(test)]
fn sign_frames(input: &[u8]) -> Vec<u8> {
    let mut w = Writer::default();
    sign_frames_into(input, &mut w);
    w.out
}

fn sign_frames_into(input: &[u8], w: &mut Writer) {
    match guard(|| sign_parts(Reader { bytes: input }.sign_request()?)) {
        Ok((signed, timestamp, nonce)) => w.signed(&signed, &timestamp, &nonce),
        Err(e) => w.error(&e),
    }
}

thread_local! {
    /// The buffer each thread encodes its signed requests into, kept between calls: a v3 answer
    /// is over 1 KB, and a fresh buffer of that size each call cost glibc a `malloc_consolidate`
    /// (7% of the call). Wiped after each use (it may hold the security token).
    static SIGNED_FRAMES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The buffer each thread copies its requests' frames into, kept between calls likewise
    /// (and wiped after each use: it holds the secret).
    static SIGN_INPUT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Encodes `sign_request` of `input` in the thread's buffer and hands the frames to `use_frames`
/// (which copies them into a Java `byte[]`), then wipes the buffer.
fn with_signed_frames<R>(input: &[u8], use_frames: impl FnOnce(&[u8]) -> R) -> R {
    SIGNED_FRAMES.with(|buf| {
        let mut w = Writer {
            out: std::mem::take(&mut *buf.borrow_mut()),
        };
        w.out.clear();
        sign_frames_into(input, &mut w);
        let r = use_frames(&w.out);
        w.out.as_mut_slice().zeroize();
        w.out.clear();
        // A large form body's buffer is not kept.
        if w.out.capacity() <= 64 * 1024 {
            *buf.borrow_mut() = w.out;
        }
        r
    })
}

/// What the JVM's `CamsJni.sign` runs between copying its `byte[]` in and out, for a native
/// timing loop (`examples/jni_sign_loop.rs`): returns the answer's length. Not part of the API.
#[doc(hidden)]
pub fn sign_frames_for_bench(input: &[u8]) -> usize {
    with_signed_frames(input, |frames| {
        assert_eq!(
            frames[0],
            0,
            "signing failed: {:?}",
            String::from_utf8_lossy(frames)
        );
        frames.len()
    })
}

/// `parse_response` on frames: the encoded [`CamsResponse`] or error out.
fn parse_frames(status: i32, body: Vec<u8>) -> Vec<u8> {
    let mut w = Writer::default();
    match parse_response(status, body) {
        Ok(r) => {
            w.out
                .reserve(r.body_json.len() + r.data_json.as_ref().map_or(0, String::len) + 64);
            w.response(&r);
        }
        Err(e) => w.error(&e),
    }
    w.out
}

/// A Java `byte[]` as bytes; `None` when it is `null` or JNI failed (an exception is pending).
///
/// # Safety
/// `env` is the calling thread's JNI environment and `array` a local reference it passed.
unsafe fn read_bytes(env: *mut JNIEnv, array: jbyteArray) -> Option<Vec<u8>> {
    if array.is_null() {
        return None;
    }
    // SAFETY: a valid `JNIEnv` points at the JVM's function table (JNI 1.1, and 1.2's ExceptionCheck).
    let f = unsafe { &**env };
    let len = unsafe { (f.v1_1.GetArrayLength)(env, array) };
    let mut bytes = vec![0u8; usize::try_from(len).ok()?];
    unsafe { (f.v1_1.GetByteArrayRegion)(env, array, 0, len, bytes.as_mut_ptr().cast()) };
    if unsafe { (f.v1_2.ExceptionCheck)(env) } {
        return None;
    }
    Some(bytes)
}

/// A new Java `byte[]` holding `bytes`; `null` when the JVM could not allocate it (its
/// `OutOfMemoryError` is then pending and thrown on return).
///
/// # Safety
/// `env` is the calling thread's JNI environment.
unsafe fn new_bytes(env: *mut JNIEnv, bytes: &[u8]) -> jbyteArray {
    let Ok(len) = jsize::try_from(bytes.len()) else {
        return ptr::null_mut();
    };
    // SAFETY: as in `read_bytes`; `bytes` holds `len` bytes.
    let f = unsafe { &**env };
    let array = unsafe { (f.v1_1.NewByteArray)(env, len) };
    if !array.is_null() {
        unsafe { (f.v1_1.SetByteArrayRegion)(env, array, 0, len, bytes.as_ptr().cast()) };
    }
    array
}

/// Copies the first `len` bytes of a Java `byte[]` into `into` (replacing what it held);
/// `false` when the array is `null`, shorter than `len`, or JNI failed.
///
/// # Safety
/// `env` is the calling thread's JNI environment and `array` a local reference it passed.
unsafe fn read_bytes_into(
    env: *mut JNIEnv,
    array: jbyteArray,
    len: jint,
    into: &mut Vec<u8>,
) -> bool {
    let Ok(n) = usize::try_from(len) else {
        return false;
    };
    if array.is_null() {
        return false;
    }
    // SAFETY: a valid `JNIEnv` points at the JVM's function table (JNI 1.1, and 1.2's ExceptionCheck).
    let f = unsafe { &**env };
    if unsafe { (f.v1_1.GetArrayLength)(env, array) } < len {
        return false;
    }
    into.clear();
    into.resize(n, 0);
    unsafe { (f.v1_1.GetByteArrayRegion)(env, array, 0, len, into.as_mut_ptr().cast()) };
    !unsafe { (f.v1_2.ExceptionCheck)(env) }
}

/// `bytes` written at the start of `out` (returned) when they fit, else a new `byte[]`
/// holding them (`null` when the JVM could not allocate it: its `OutOfMemoryError` is then
/// pending).
///
/// # Safety
/// `env` is the calling thread's JNI environment and `out` a local reference it passed.
unsafe fn write_bytes(env: *mut JNIEnv, out: jbyteArray, bytes: &[u8]) -> jbyteArray {
    if !out.is_null() {
        // SAFETY: as in `read_bytes_into`.
        let f = unsafe { &**env };
        let room = unsafe { (f.v1_1.GetArrayLength)(env, out) };
        if let Ok(len) = jsize::try_from(bytes.len())
            && len <= room
        {
            unsafe { (f.v1_1.SetByteArrayRegion)(env, out, 0, len, bytes.as_ptr().cast()) };
            return out;
        }
    }
    // SAFETY: as above.
    unsafe { new_bytes(env, bytes) }
}

/// Runs one entry point: its frames in a new `byte[]`, or `null` if JNI failed or something
/// panicked outside [`guard`] (`FastPath.kt` throws `CamsException.Internal` for a `null`
/// without a pending exception). Nothing unwinds into the JVM.
///
/// `jni`'s own `EnvUnowned::with_env` and `Env::convert_byte_array` do the same with class
/// lookups and exception matching that added ~125 KB to the stripped library (against ~20 KB
/// this way), past the 1.5 MB budget: this file therefore uses `jni`'s raw layer, `jni-sys`.
fn entry(env: *mut JNIEnv, run: impl FnOnce() -> Option<Vec<u8>>) -> jbyteArray {
    match catch_unwind(AssertUnwindSafe(run)) {
        // SAFETY: `env` is the environment the JVM passed to the native method.
        Ok(Some(frames)) => unsafe { new_bytes(env, &frames) },
        Ok(None) | Err(_) => ptr::null_mut(),
    }
}

/// `FastPath.kt`'s check that this library speaks its frames.
#[unsafe(no_mangle)]
pub extern "system" fn Java_camskit_fast_CamsJni_framesVersion(
    _env: *mut JNIEnv,
    _class: jclass,
) -> jint {
    FRAMES_VERSION
}

/// `CamsJni.sign(frames, length, out)`: one signed request (see the module's documentation).
/// The request is the first `length` bytes of `frames` (the JVM reuses its buffer); the answer
/// is written into `out` and `out` returned when it fits, else it is a new array.
///
/// # Safety
/// Called by the JVM only, as the native method `camskit.fast.CamsJni.sign(byte[], int, byte[])`.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn Java_camskit_fast_CamsJni_sign(
    env: *mut JNIEnv,
    _class: jclass,
    frames: jbyteArray,
    length: jint,
    out: jbyteArray,
) -> jbyteArray {
    let run = || {
        SIGN_INPUT.with(|buf| {
            let mut input = std::mem::take(&mut *buf.borrow_mut());
            // SAFETY: the JVM passes its environment and local references.
            let answer = if unsafe { read_bytes_into(env, frames, length, &mut input) } {
                // SAFETY: as above.
                Some(with_signed_frames(&input, |answer| unsafe {
                    write_bytes(env, out, answer)
                }))
            } else {
                None
            };
            // The frames hold the secret (and the token): wiped, not just freed.
            input.as_mut_slice().zeroize();
            input.clear();
            if input.capacity() <= 64 * 1024 {
                *buf.borrow_mut() = input;
            }
            answer
        })
    };
    // As `entry`, the answer's array made inside (from the thread's buffer).
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(Some(array)) => array,
        Ok(None) | Err(_) => ptr::null_mut(),
    }
}

/// `CamsJni.parse(status, body)`: one parsed answer (see the module's documentation).
///
/// # Safety
/// Called by the JVM only, as the native method `camskit.fast.CamsJni.parse(int, byte[])`.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn Java_camskit_fast_CamsJni_parse(
    env: *mut JNIEnv,
    _class: jclass,
    status: jint,
    body: jbyteArray,
) -> jbyteArray {
    // SAFETY: the JVM passes its environment and a local reference.
    entry(env, || {
        Some(parse_frames(status, unsafe { read_bytes(env, body) }?))
    })
}

/// `CamsJni.receipts(kind, body, messageType)`: `body` (UTF-8) through the very function uniffi
/// exports for it, `parse_push` (`kind` 0) or `parse_mns_body` (1), `messageType` `null` for
/// none. The answer is not this file's frames but uniffi's own serialization, read on the JVM
/// by the generated converters of the same build: `0` then the events
/// (`FfiConverterSequenceTypeReceiptEvent`), or `1` then the error (`FfiConverterTypeCamsError`).
/// The events are most of the bytes, and uniffi already reads them; only the crossing is
/// JNI's instead of JNA's.
///
/// # Safety
/// Called by the JVM only, as the native method `camskit.fast.CamsJni.receipts(int, byte[], byte[])`.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn Java_camskit_fast_CamsJni_receipts(
    env: *mut JNIEnv,
    _class: jclass,
    kind: jint,
    body: jbyteArray,
    message_type: jbyteArray,
) -> jbyteArray {
    entry(env, || {
        // SAFETY: the JVM passes its environment and local references (`message_type` may be null).
        let body = unsafe { read_bytes(env, body) }?;
        let message_type = if message_type.is_null() {
            None
        } else {
            Some(unsafe { read_bytes(env, message_type) }?)
        };
        Some(receipts_frames(kind, body, message_type))
    })
}

/// [`Java_camskit_fast_CamsJni_receipts`]'s answer for its decoded arguments.
fn receipts_frames(kind: jint, body: Vec<u8>, message_type: Option<Vec<u8>>) -> Vec<u8> {
    let text = |b: Vec<u8>| String::from_utf8(b).map_err(|_| malformed());
    let parsed = text(body).and_then(|body| {
        let message_type = message_type.map(text).transpose()?;
        match kind {
            0 => crate::receipts::parse_push(body, message_type),
            1 => crate::receipts::parse_mns_body(body, message_type),
            _ => Err(malformed()),
        }
    });
    uniffi_frames(parsed)
}

/// The consumer whose uniffi handle the JVM passes: `ReceiptsConsumer.callWithHandle`, the
/// generated code's own guard, clones the handle for the call (the object cannot be freed
/// meanwhile), and this takes that clone over exactly as uniffi's scaffolding does (`Lift`),
/// so the count of references stays uniffi's.
fn consumer_of(handle: jlong) -> Result<std::sync::Arc<crate::ReceiptsConsumer>, CamsError> {
    <std::sync::Arc<crate::ReceiptsConsumer> as uniffi::Lift<crate::UniFfiTag>>::try_lift(
        uniffi::Handle::from_raw_unchecked(handle as u64),
    )
    .map_err(|_| malformed())
}

/// `0` then `value` in uniffi's serialization, or `1` then the error in uniffi's.
fn uniffi_frames<T: uniffi::Lower<crate::UniFfiTag>>(result: Result<T, CamsError>) -> Vec<u8> {
    let mut out = Vec::new();
    match result {
        Ok(value) => {
            out.push(0);
            T::write(value, &mut out);
        }
        Err(e) => {
            out.push(1);
            <CamsError as uniffi::Lower<crate::UniFfiTag>>::write(e, &mut out);
        }
    }
    out
}

/// `CamsJni.consumerNext(handle)`: `ReceiptsConsumer.next()` (the same method: core's consumer
/// driven over the app's `HttpTransport`), its `List<Delivery>?` or error in uniffi's
/// serialization (`FfiConverterOptionalSequenceTypeDelivery`, `FfiConverterTypeCamsError`).
///
/// # Safety
/// Called by the JVM only, as `camskit.fast.CamsJni.consumerNext(long)`, with a handle cloned
/// for this call by `callWithHandle`.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn Java_camskit_fast_CamsJni_consumerNext(
    env: *mut JNIEnv,
    _class: jclass,
    handle: jlong,
) -> jbyteArray {
    entry(env, || {
        Some(uniffi_frames(
            consumer_of(handle).and_then(|consumer| consumer.next()),
        ))
    })
}

/// `CamsJni.consumerReport(handle, kind, messageId)`: `ReceiptsConsumer.handled` (`kind` 0),
/// `failed` (1) or `release` (2) of `messageId` (UTF-8); the answer is `0`, or `1` then the error.
///
/// # Safety
/// As [`Java_camskit_fast_CamsJni_consumerNext`]; `message_id` a local reference.
#[unsafe(no_mangle)]
pub unsafe extern "system" fn Java_camskit_fast_CamsJni_consumerReport(
    env: *mut JNIEnv,
    _class: jclass,
    handle: jlong,
    kind: jint,
    message_id: jbyteArray,
) -> jbyteArray {
    // The handle is taken over first, whatever follows: it was cloned for this call.
    let consumer = consumer_of(handle);
    entry(env, || {
        // SAFETY: the JVM passes its environment and a local reference.
        let id = unsafe { read_bytes(env, message_id) }?;
        Some(report_frames(consumer, kind, id))
    })
}

/// [`Java_camskit_fast_CamsJni_consumerReport`]'s answer for its decoded arguments.
fn report_frames(
    consumer: Result<std::sync::Arc<crate::ReceiptsConsumer>, CamsError>,
    kind: jint,
    id: Vec<u8>,
) -> Vec<u8> {
    let done = consumer.and_then(|consumer| {
        let id = String::from_utf8(id).map_err(|_| malformed())?;
        match kind {
            0 => consumer.handled(id),
            1 => consumer.failed(id),
            2 => consumer.release(id),
            _ => Err(malformed()),
        }
    });
    match done {
        Ok(()) => vec![0],
        Err(e) => uniffi_frames::<u8>(Err(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SignRequest;

    /// The receipts entry: the events' count leads uniffi's list; bad input, an unknown kind and
    /// text that is not UTF-8 come back as errors (tag 1), never as events.
    #[test]
    fn receipts_frames_carry_events_or_an_error() {
        let push = br#"[{"Status":"read","MessageId":"m1","To":"86138","From":"86139","Timestamp":1,"ConversationType":"business"},{"Status":"sent","MessageId":"m2"}]"#;
        let out = receipts_frames(0, push.to_vec(), Some(b"ChatAppStatus".to_vec()));
        assert_eq!(out[0], 0, "{out:?}");
        assert_eq!(i32::from_be_bytes([out[1], out[2], out[3], out[4]]), 2);
        let bad = receipts_frames(0, b"[1,".to_vec(), None);
        assert_eq!(bad[0], 1);
        assert_eq!(
            receipts_frames(1, b"not base64 nor JSON".to_vec(), None)[0],
            1
        );
        assert_eq!(receipts_frames(7, push.to_vec(), None)[0], 1);
        assert_eq!(receipts_frames(0, vec![0xff, 0xfe], None)[0], 1);
        assert_eq!(receipts_frames(0, push.to_vec(), Some(vec![0xc3]))[0], 1);
    }

    fn frame(s: &str) -> Vec<u8> {
        let mut v = (s.len() as u32).to_le_bytes().to_vec();
        v.extend_from_slice(s.as_bytes());
        v
    }

    #[test]
    fn a_request_decodes_to_the_uniffi_record() {
        let mut input = Vec::new();
        input.extend(frame("LTAI5tCamsKitBench01"));
        input.extend(frame("BenchSecret0123456789abcdefABCD"));
        input.extend(ABSENT.to_le_bytes());
        input.extend(frame("ChatappMigrationRegister"));
        input.extend(2u32.to_le_bytes());
        input.extend(frame("PhoneNumber"));
        input.push(1);
        input.extend(8613800001234i64.to_le_bytes());
        input.extend(frame("CustSpaceId"));
        input.push(0);
        input.extend(frame("29348393884"));
        input.push(1); // options
        input.extend([0, 2, 1]); // no method, v3, unix time
        input.extend(1_752_480_000f64.to_bits().to_le_bytes());
        input.extend(frame("nonce-1"));
        input.extend(0u32.to_le_bytes()); // headers
        input.push(0); // raw
        input.extend(ABSENT.to_le_bytes()); // api version
        input.extend(0u32.to_le_bytes()); // form
        input.extend(ABSENT.to_le_bytes()); // region
        input.extend(ABSENT.to_le_bytes()); // endpoint
        let r = Reader { bytes: &input }.sign_request().unwrap();
        assert_eq!(r.action, "ChatappMigrationRegister");
        // in name order, whatever order the frames gave them in
        assert_eq!(r.params[0].0, "CustSpaceId");
        assert_eq!(
            r.params[1],
            (
                "PhoneNumber".to_string(),
                ParamValue::Integer {
                    value: 8613800001234
                }
            )
        );
        let o = r.options.unwrap();
        assert_eq!(o.signature, Some(SignatureVersion::V3));
        assert_eq!(
            o.timestamp,
            Some(SignTime::Unix {
                seconds: 1_752_480_000.0
            })
        );
        assert_eq!(o.nonce.as_deref(), Some("nonce-1"));
        assert_eq!(r.key.security_token, None);
        // a truncated or overlong request is an Internal error, never a panic
        for cut in [0, 3, 10, input.len() - 1] {
            let out = sign_frames(&input[..cut]);
            assert_eq!(&out[..2], &[1, 6], "cut at {cut}");
        }
        let mut longer = input.clone();
        longer.push(0);
        assert_eq!(&sign_frames(&longer)[..2], &[1, 6]);
        // a name twice (no Kotlin map gives that) is malformed, not one value silently kept
        let mut twice = input.clone();
        let at = twice.windows(11).position(|w| w == b"PhoneNumber").unwrap();
        twice[at..at + 11].copy_from_slice(b"CustSpaceId");
        assert_eq!(&sign_frames(&twice)[..2], &[1, 6]);
        // a number where the catalog wants text: core's wrong_type (Validation)
        assert_eq!(&sign_frames(&input)[..2], &[1, 2]);
    }

    /// The frames written from core's answer are those of the uniffi record `sign_request`
    /// returns, for 1.0 and v3, with a token, a header and a form body; a second call with the
    /// same key (the thread's reused signer) gives the same frames again.
    #[test]
    fn frames_from_core_are_the_uniffi_records() {
        for (signature, token) in [(1u8, None), (2, Some("sts-token")), (1, Some("sts"))] {
            let mut input = Vec::new();
            input.extend(frame("LTAI5tCamsKitBench01"));
            input.extend(frame("BenchSecret0123456789abcdefABCD"));
            match token {
                Some(t) => input.extend(frame(t)),
                None => input.extend(ABSENT.to_le_bytes()),
            }
            input.extend(frame("DescribeRegions"));
            input.extend(1u32.to_le_bytes());
            input.extend(frame("Tag"));
            input.push(5);
            input.extend(frame(r#"[{"Key":"k","Value":"a b"}]"#));
            input.push(1); // options
            input.extend([0, signature, 2]); // no method, 1.0 or v3, time as text
            input.extend(frame("2025-07-14T08:00:00Z"));
            input.extend(frame("nonce-1"));
            input.extend(1u32.to_le_bytes()); // headers
            input.extend(frame("User-Agent"));
            input.extend(frame("camskit-test"));
            input.push(1); // raw
            input.extend(frame("2014-05-26"));
            input.extend(1u32.to_le_bytes()); // form
            input.extend(frame("Content"));
            input.push(0);
            input.extend(frame("x*y"));
            input.extend(frame("cn-hangzhou")); // region
            input.extend(ABSENT.to_le_bytes()); // endpoint
            let parts = Reader { bytes: &input }.sign_request().unwrap();
            let record = crate::fast::sign_request(SignRequest {
                key: parts.key,
                action: parts.action,
                params: parts.params.into_iter().collect(),
                options: parts.options,
                region: parts.region,
                endpoint: parts.endpoint,
            })
            .unwrap();
            let mut expected = Writer::default();
            expected.signed_record(&record);
            assert_eq!(sign_frames(&input), expected.out, "signature {signature}");
            assert_eq!(
                sign_frames(&input),
                expected.out,
                "again, signature {signature}"
            );
        }
    }

    #[test]
    fn an_error_answer_is_framed_with_its_kind() {
        let out = parse_frames(
            403,
            br#"{"Code":"Throttling.User","Message":"slow down","RequestId":"R1"}"#.to_vec(),
        );
        assert_eq!(&out[..2], &[1, 1]);
        let mut r = Reader { bytes: &out[2..] };
        assert_eq!(r.u32().unwrap(), 403);
        assert_eq!(r.str().unwrap(), "Throttling.User");
        assert_eq!(r.str().unwrap(), "slow down");
        assert_eq!(r.opt_str().unwrap().as_deref(), Some("R1"));
        for _ in 0..3 {
            r.opt_str().unwrap();
        }
        assert_eq!(r.byte().unwrap(), crate::ErrorKind::Throttling as u8);
    }
}
