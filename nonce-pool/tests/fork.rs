//! A real `fork()` (libc's, no host hook): the child's nonces differ from the ones its parent
//! draws next. Both start from the same pool (the parent filled it before the fork), so without
//! the `pthread_atfork` handler they would be the same nonces.
#![cfg(unix)]
#![allow(unsafe_code)]

use camskit_nonce_pool::{NONCE_LEN, fresh_nonce};
use std::io::Read;
use std::os::fd::FromRawFd;

const EACH: usize = 4;

fn is_v4(n: &str) -> bool {
    uuid::Uuid::parse_str(n)
        .is_ok_and(|u| u.get_version_num() == 4 && u.hyphenated().to_string() == n)
}

#[test]
fn a_forked_child_never_repeats_its_parents_nonces() {
    let mut buf = [0u8; NONCE_LEN];
    // Fills this thread's pool (and registers the fork handler).
    let before = fresh_nonce(&mut buf).unwrap().to_owned();
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: a two-element array for pipe(2) to fill.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: the child only draws nonces (no allocation, no lock), writes them and _exits.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let mut b = [0u8; NONCE_LEN];
        let mut code = 0;
        for _ in 0..EACH {
            match fresh_nonce(&mut b) {
                Ok(n) => {
                    // SAFETY: writes n.len() bytes of a live buffer to the pipe.
                    let w = unsafe { libc::write(fds[1], n.as_ptr().cast(), n.len()) };
                    if w != n.len() as isize {
                        code = 1;
                    }
                }
                Err(_) => code = 2,
            }
        }
        // SAFETY: ends the child at once, without running the test harness's exit path.
        unsafe { libc::_exit(code) };
    }
    // SAFETY: closes the parent's copy of the write end (the child holds its own).
    unsafe { libc::close(fds[1]) };
    let parent: Vec<String> = (0..EACH)
        .map(|_| fresh_nonce(&mut buf).unwrap().to_owned())
        .collect();
    // SAFETY: the read end is ours alone; the File closes it.
    let mut from_child = unsafe { std::fs::File::from_raw_fd(fds[0]) };
    let mut text = String::new();
    from_child.read_to_string(&mut text).unwrap();
    let mut status = 0;
    // SAFETY: waits for the child forked above.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "child status {status}"
    );

    assert_eq!(text.len(), EACH * NONCE_LEN, "{text}");
    let child: Vec<&str> = (0..EACH)
        .map(|i| &text[i * NONCE_LEN..(i + 1) * NONCE_LEN])
        .collect();
    for n in child
        .iter()
        .copied()
        .chain(parent.iter().map(String::as_str))
    {
        assert!(is_v4(n), "{n}");
    }
    for n in &child {
        assert!(
            !parent.iter().any(|p| p == n),
            "the child repeated its parent's nonce {n}"
        );
        assert_ne!(*n, before);
    }
}
