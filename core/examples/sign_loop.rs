//! Signs the seed's request in a loop, for a profiler:
//! `cargo build --release -p camskit --example sign_loop && perf record -g target/release/examples/sign_loop 2000000 1.0`
use camskit::ops::ChatappMigrationRegister;
use camskit::{Credentials, Endpoint, SignatureVersion, Signer, Timestamp};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let version = match args.next().as_deref() {
        Some("v3") => SignatureVersion::V3,
        _ => SignatureVersion::V1,
    };
    let signer = Signer::new(
        Credentials::new("LTAI5tCamsKitBench01", "BenchSecret0123456789abcdefABC").unwrap(),
        Endpoint::default(),
    );
    let t = Timestamp::parse("2025-07-14T08:00:00Z").unwrap();
    let req = ChatappMigrationRegister::new("29348393884", "8613800001234")
        .to_request()
        .unwrap()
        .with_signature(version);
    let mut total = 0usize;
    for _ in 0..n {
        let s = signer
            .sign(
                std::hint::black_box(&req),
                t,
                "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21",
            )
            .unwrap();
        total += s.url.len();
    }
    println!("{total}");
}
