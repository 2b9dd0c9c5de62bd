//! `cargo run --release -p camskit --example scan_loop`: the native cost of one
//! `scan_response` on the seed answer and on `{}` (the floor under the wasm figure).
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let seed = br#"{"RequestId":"90E63D28-E31D-1EB2-8939-A9486641****","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None"}"#;
    for (name, body) in [("seed", &seed[..]), ("{}", &b"{}"[..])] {
        let n = 1_000_000;
        let t = Instant::now();
        for _ in 0..n {
            black_box(camskit::scan_response(200, [], black_box(body), &[]).unwrap());
        }
        println!("{name}: {:.0} ns", t.elapsed().as_nanos() as f64 / n as f64);
    }
}
