#[cfg(target_arch = "wasm32")]
fn main() {
    mmrace_app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "mmrace-app runs in a browser: build it with `bash scripts/build.sh` (output in dist/)."
    );
    std::process::exit(2);
}
