//! Parses a receipt push body in a loop, for a profiler:
//! `python3 bench/receipts_bodies.py /tmp/push16.json /tmp/mns16.xml && cargo build --release -p camskit --example push_loop && perf record -g target/release/examples/push_loop /tmp/push16.json 60000`
//! (prints the events parsed and the time per parse).

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("a push body file (bench/receipts_bodies.py writes one)");
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let body = std::fs::read(&path).expect("the push body");
    let mut total = 0;
    let start = std::time::Instant::now();
    for _ in 0..n {
        total += camskit::receipts::parse_push(std::hint::black_box(&body), None)
            .expect("a readable push body")
            .len();
    }
    let us = start.elapsed().as_secs_f64() * 1e6 / n as f64;
    println!("{total} events, {us:.2} µs per parse");
}
