//! Signs one ChatappMigrationRegister request N times (default 1,000,000): a fixed workload
//! for profilers (`perf record`, `valgrind --tool=callgrind`).
use camskit::ops::ChatappMigrationRegister;
use camskit::{Credentials, Endpoint, Signer, Timestamp};

fn main() -> Result<(), camskit::Error> {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let signer = Signer::new(
        Credentials::new("LTAI5tCamsKitBench01", "BenchSecret0123456789abcdefABC")?,
        Endpoint::default(),
    );
    let t = Timestamp::parse("2025-07-14T08:00:00Z")?;
    let req = ChatappMigrationRegister::new("29348393884", "8613800001234").to_request()?;
    let mut total = 0usize;
    for _ in 0..n {
        total += signer
            .sign(&req, t, "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21")?
            .url
            .len();
    }
    println!("{total}");
    Ok(())
}
