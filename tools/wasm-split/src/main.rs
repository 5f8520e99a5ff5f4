//! Splits the app's wasm (built with `-Clink-args=--emit-relocs`) at its `#[wasm_split]` points,
//! with the library of `wasm-split-cli` (crate `wasm_split_cli_support`), so the site's pipeline
//! needs no `cargo install`. scripts/build.sh runs it between `cargo build` and `wasm-bindgen`:
//!
//!   mmrace-wasm-split INPUT.wasm OUT_DIR STEM
//!
//! writes `OUT_DIR/STEM.wasm` (the main module, for wasm-bindgen `--out-name STEM`), one
//! `OUT_DIR/*.wasm` per lazily loaded chunk, and `OUT_DIR/__wasm_split.js`, the loader the main
//! module imports (it imports `initSync` from `./STEM.js`, wasm-bindgen's output).

use std::{path::Path, process::ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir, stem] = args.as_slice() else {
        eprintln!("usage: mmrace-wasm-split INPUT.wasm OUT_DIR STEM");
        return ExitCode::from(2);
    };
    match split(Path::new(input), Path::new(out_dir), stem) {
        Ok(chunks) => {
            println!("wasm-split: {input} -> {out_dir}/{stem}.wasm + {chunks} lazy chunk(s)");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("wasm-split: splitting {input} failed: {e:?}");
            ExitCode::FAILURE
        }
    }
}

fn split(input: &Path, out_dir: &Path, stem: &str) -> Result<usize, String> {
    let wasm = std::fs::read(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let main_out_path = out_dir.join(format!("{stem}.wasm"));
    let main_module = format!("./{stem}.js");
    let mut opts = wasm_split_cli_support::Options::new(&wasm);
    opts.output_dir = out_dir;
    opts.main_out_path = &main_out_path;
    opts.main_module = &main_module;
    opts.target.web();
    let split = wasm_split_cli_support::transform(opts).map_err(|e| format!("{e:?}"))?;
    Ok(split.split_modules.len())
}
