//! What the JVM's `CamsJni.sign` runs natively (src/jni.rs: decode the frames, `fast::sign_request`,
//! encode the answer), in a loop, for a profiler or a quick timing:
//!
//! `cargo run --release -p camskit-uniffi --example jni_sign_loop -- [N] [1.0|v3|both] [given|fresh]`
//!
//! `given` (the default, as bench/jvm's SignBench): the time and nonce are in the request;
//! `fresh`: the library takes the clock and makes a nonce. Prints µs per call.
use std::hint::black_box;
use std::time::Instant;

fn str_frame(out: &mut Vec<u8>, s: &str) {
    out.extend((s.len() as u32).to_le_bytes());
    out.extend(s.as_bytes());
}

/// The frames `FastPath.kt` writes for bench/jvm's `fastV1`/`fastV3` request.
fn frames(v3: bool, given: bool) -> Vec<u8> {
    let mut f = Vec::new();
    str_frame(&mut f, "LTAI5tCamsKitBench01");
    str_frame(&mut f, "BenchSecret0123456789abcdefABC");
    f.extend(u32::MAX.to_le_bytes()); // no token
    str_frame(&mut f, "ChatappMigrationRegister");
    f.extend(2u32.to_le_bytes());
    for (k, v) in [
        ("CustSpaceId", "29348393884"),
        ("PhoneNumber", "8613800001234"),
    ] {
        str_frame(&mut f, k);
        f.push(0);
        str_frame(&mut f, v);
    }
    f.push(1); // options
    f.push(0); // method
    f.push(if v3 { 2 } else { 1 });
    if given {
        f.push(1);
        f.extend(1_752_480_000f64.to_bits().to_le_bytes());
        str_frame(&mut f, "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21");
    } else {
        f.push(0);
        f.extend(u32::MAX.to_le_bytes());
    }
    f.extend(0u32.to_le_bytes()); // headers
    f.push(0); // raw
    f.extend(u32::MAX.to_le_bytes()); // api version
    f.extend(0u32.to_le_bytes()); // form
    f.extend(u32::MAX.to_le_bytes()); // region
    f.extend(u32::MAX.to_le_bytes()); // endpoint
    f
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let which = args.next().unwrap_or_else(|| "both".into());
    let given = args.next().as_deref() != Some("fresh");
    let versions: &[bool] = match which.as_str() {
        "1.0" => &[false],
        "v3" => &[true],
        _ => &[false, true],
    };
    for &v3 in versions {
        let input = frames(v3, given);
        camskit_uniffi::jni::sign_frames_for_bench(&input); // asserts it signed
        for _ in 0..n / 10 {
            black_box(camskit_uniffi::jni::sign_frames_for_bench(black_box(
                &input,
            )));
        }
        let t0 = Instant::now();
        for _ in 0..n {
            black_box(camskit_uniffi::jni::sign_frames_for_bench(black_box(
                &input,
            )));
        }
        let us = t0.elapsed().as_secs_f64() * 1e6 / n as f64;
        println!(
            "{} ({}): {us:.3} µs per sign_frames",
            if v3 { "v3" } else { "1.0" },
            if given {
                "time+nonce given"
            } else {
                "fresh time+nonce"
            }
        );
    }
}
