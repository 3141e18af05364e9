//! Registers the rule families: every file in `src/rules/` is one family (a `family!`
//! declaration and its `rule!`s). This script writes the module list and
//! `RULES` (sorted by ID, the order rules run in), so that a new family or rule is one file,
//! not an edit of a list.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("src/rules");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("src/rules exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| p.file_name().is_some_and(|n| n != "mod.rs"))
        .collect();
    files.sort();
    let mut modules = String::new();
    let mut rules: Vec<(String, String)> = Vec::new();
    for path in &files {
        println!("cargo::rerun-if-changed={}", path.display());
        let module = path.file_stem().unwrap().to_str().unwrap().to_string();
        let src = std::fs::read_to_string(path).expect("readable rule file");
        let _ = writeln!(
            modules,
            "#[path = {:?}]\npub(crate) mod {module};",
            path.display().to_string()
        );
        if !src.contains("family! {") {
            panic!(
                "{}: a rule file declares its family with `family! {{ ... }}`",
                path.display()
            );
        }
        for block in src.split("rule! {").skip(1) {
            let name = block
                .lines()
                .find_map(|l| l.trim().strip_prefix("pub struct ")?.strip_suffix(';'))
                .unwrap_or_else(|| {
                    panic!("{}: a rule! without `pub struct Name;`", path.display())
                });
            let id = block
                .split("id: \"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or_else(|| panic!("{}: rule {name} has no `id: \"...\"`", path.display()));
            rules.push((id.to_string(), format!("{module}::{name}")));
        }
    }
    rules.sort();
    let mut out = modules;
    out.push_str("\n/// Every rule, sorted by ID. IDs are permanent; see `docs/rules.md`.\npub static RULES: &[&dyn crate::Rule] = &[\n");
    for (_, path) in &rules {
        let _ = writeln!(out, "    &{path},");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("registry.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
