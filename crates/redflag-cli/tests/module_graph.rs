//! The modules inside each crate form no cycle: `a` may use `b` or `b` use `a`, not both
//! (directly or around a loop). ARCHITECTURE.md draws each crate's modules in layers; a
//! cycle is where a boundary has been lost (the server's page, API and case modules once
//! imported each other, and so did the engine's report, advice and ready-to-send reports).
//! A module's own tests (`#[cfg(test)]` blocks) may reach anywhere and are not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The top-level module a source file belongs to (`page` for `src/page/hotline.rs`), or
/// `None` for the crate root.
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (name != "lib" && name != "main").then_some(name)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without its `#[cfg(test)]` module (by convention the last item).
fn without_tests(code: &str) -> &str {
    code.find("#[cfg(test)]\nmod tests")
        .map_or(code, |i| &code[..i])
}

/// Top-level modules named after `crate::` in the code (comments skipped).
fn uses(code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in without_tests(code).lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let mut names = vec![];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a, b::c}`
                let end = group.find('}').unwrap_or(group.len());
                names.extend(group[..end].split(',').map(str::trim));
            } else {
                names.push(rest);
            }
            for n in names {
                let name: String = n
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if modules.contains(&name) {
                    found.insert(name);
                }
            }
        }
    }
    found
}

/// A cycle in the graph, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(2) => return None,
            Some(1) => {
                let at = path.iter().position(|p| p == n).unwrap_or(0);
                let mut cycle = path[at..].to_vec();
                cycle.push(n.to_string());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(n.to_string(), 1);
        path.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, graph, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if let Some(c) = visit(n, graph, &mut state, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

fn graph_of(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top_module(src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let Some(m) = top_module(src, f) else {
            continue;
        };
        let code = std::fs::read_to_string(f).unwrap();
        let mut used = uses(&code, &modules);
        used.remove(&m);
        graph.entry(m).or_default().extend(used);
    }
    graph
}

#[test]
fn no_crate_has_a_module_cycle() {
    let mut checked = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(crates_dir())
        .unwrap()
        .map(|e| e.unwrap().path().join("src"))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for src in dirs {
        let graph = graph_of(&src);
        if let Some(cycle) = find_cycle(&graph) {
            panic!(
                "{}: modules import each other: {}",
                src.display(),
                cycle.join(" -> ")
            );
        }
        checked += 1;
    }
    assert!(checked >= 9, "only {checked} crates found");
}

#[test]
fn a_cycle_is_found() {
    let mut g = BTreeMap::new();
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    g.insert("page".to_string(), set(&["api", "cases"]));
    g.insert("api".to_string(), set(&["check"]));
    g.insert("cases".to_string(), set(&["page"]));
    assert_eq!(
        find_cycle(&g),
        Some(vec!["cases".into(), "page".into(), "cases".into()])
    );
    g.insert("cases".to_string(), set(&["check"]));
    assert_eq!(find_cycle(&g), None);
    let modules = set(&["a", "b", "c"]);
    assert_eq!(
        uses(
            "use crate::{a, b::X};\n// crate::c\nlet x = crate::c::f();",
            &modules
        ),
        set(&["a", "b", "c"])
    );
}
