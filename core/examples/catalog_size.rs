//! Prints how many bytes the compiled-in catalog tables take (`cargo run --example catalog_size`).
fn main() {
    let (strings, ops, params) = camskit::catalog::table_sizes();
    println!(
        "catalog: {} operations, {} parameters",
        camskit::catalog::operations().len(),
        camskit::catalog::operations()
            .map(|o| o.params().len())
            .sum::<usize>()
    );
    println!(
        "string table {strings} B + operations {ops} B + parameters {params} B = {} B",
        strings + ops + params
    );
}
