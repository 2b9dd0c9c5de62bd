//! `cargo run --release -p camskit --example parse_peak -- FILE`: parses the file as a CAMS
//! answer (HTTP 200), for measuring peak memory with `/usr/bin/time -v`.
fn main() {
    let path = std::env::args().nth(1).expect("a file");
    let body = std::fs::read(&path).expect("readable");
    match camskit::parse_response(200, &body) {
        Ok(r) => println!("ok: {} top-level fields", r.body.len()),
        Err(e) => println!("error: {}", camskit::truncate(&e.to_string())),
    }
}
