//! `uniffi-bindgen` for camskit-uniffi (library mode):
//! `uniffi-bindgen generate --library target/debug/libcamskit_uniffi.so --language kotlin --no-format --out-dir DIR`.
fn main() {
    uniffi::uniffi_bindgen_main()
}
