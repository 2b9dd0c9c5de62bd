//! Parses an MNS `BatchReceiveMessage` answer and each message's receipt body in a loop, for a
//! profiler: `python3 bench/receipts_bodies.py /tmp/push16.json /tmp/mns16.xml && cargo build
//! --release -p camskit --example mns_loop && perf record -g target/release/examples/mns_loop /tmp/mns16.xml 20000`
//! (prints the events parsed and the time per batch).

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("an MNS batch file (bench/receipts_bodies.py writes one)");
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let xml = std::fs::read(&path).expect("the MNS batch");
    let mut total = 0;
    let start = std::time::Instant::now();
    for _ in 0..n {
        let batch = camskit::mns::parse_batch_receive_message(200, std::hint::black_box(&xml))
            .expect("a readable batch");
        for m in &batch {
            total +=
                camskit::receipts::parse_mns_body(m.message_body.as_bytes(), Some("ChatAppStatus"))
                    .expect("a readable body")
                    .len();
        }
    }
    let us = start.elapsed().as_secs_f64() * 1e6 / n as f64;
    println!("{total} events, {us:.2} µs per batch");
}
