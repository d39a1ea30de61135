//! Embeds the shipped lexicons (`lexicons/**/*.terms` and `lexicons/rules.toml`) into the crate,
//! so the binary works anywhere without files beside it.

use std::path::PathBuf;

#[path = "src/lexicon/walk.rs"]
mod walk;

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("lexicons");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    if let Err((path, e)) = walk::lexicon_files(&root, &root, 0, &mut files) {
        panic!("reading the shipped lexicons at {}: {e}", path.display());
    }
    files.sort();
    let mut out = String::from("&[\n");
    for (rel, path) in files {
        println!("cargo:rerun-if-changed={}", path.display());
        if let Some(parent) = path.parent() {
            println!("cargo:rerun-if-changed={}", parent.display());
        }
        out.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push(']');
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("shipped_lexicons.rs");
    std::fs::write(dest, out).expect("write shipped_lexicons.rs");
}
