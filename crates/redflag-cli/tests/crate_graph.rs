//! The crate boundaries of ARCHITECTURE.md, checked on every crate's `Cargo.toml`: which
//! redflag crates each may depend on (nothing imports upward, and the surfaces reach the
//! analysis only through `redflag-engine`), and which kinds of IO each may pull in (the
//! analysis does none; only the store talks to a database and only the server to the
//! network). A new dependency that crosses a boundary fails here with the reason, before it
//! spreads; a deliberate change edits this table and ARCHITECTURE.md together.

use std::collections::BTreeSet;
use std::path::Path;

/// Each crate and the redflag crates its library and binary may depend on (tests may use
/// more, through `[dev-dependencies]`).
const ALLOWED: &[(&str, &[&str])] = &[
    ("redflag-message", &[]),
    ("redflag-profile", &[]),
    ("redflag-ocr", &[]),
    ("redflag-extract", &["redflag-message", "redflag-profile"]),
    ("redflag-model", &["redflag-message", "redflag-extract"]),
    (
        "redflag-rules",
        &["redflag-message", "redflag-extract", "redflag-profile"],
    ),
    (
        "redflag-engine",
        &[
            "redflag-ocr",
            "redflag-message",
            "redflag-extract",
            "redflag-profile",
            "redflag-rules",
            "redflag-model",
        ],
    ),
    // The surfaces and the store see the analysis only through the engine's face.
    ("redflag-store", &["redflag-engine"]),
    ("redflag-scan", &["redflag-engine"]),
    ("redflag-mailflow", &["redflag-engine"]),
    (
        "redflag-server",
        &["redflag-engine", "redflag-store", "redflag-mailflow"],
    ),
    (
        "redflag-cli",
        &[
            "redflag-engine",
            "redflag-server",
            "redflag-scan",
            "redflag-mailflow",
        ],
    ),
];

/// Crates that do a kind of IO, and the only redflag crates that may depend on them.
const IO: &[(&str, &str, &[&str])] = &[
    ("sqlx", "database IO", &["redflag-store"]),
    ("axum", "an HTTP server", &["redflag-server"]),
    ("hyper", "an HTTP server", &["redflag-server"]),
    ("hyper-util", "an HTTP server", &["redflag-server"]),
    ("tower-http", "an HTTP server", &["redflag-server"]),
    (
        "tokio",
        "an async runtime (network IO)",
        &[
            "redflag-server",
            "redflag-mailflow",
            "redflag-cli",
            "redflag-store",
        ],
    ),
    ("indymilter", "a milter socket", &["redflag-mailflow"]),
    ("tempfile", "temporary files", &["redflag-scan"]),
    ("indicatif", "the terminal", &["redflag-cli"]),
    ("tracing-subscriber", "log output", &["redflag-cli"]),
];

/// The names of a crate's normal and build dependencies, on every target.
fn dependencies(manifest: &toml::Table) -> BTreeSet<String> {
    let mut tables: Vec<&toml::Table> = Vec::new();
    for key in ["dependencies", "build-dependencies"] {
        tables.extend(manifest.get(key).and_then(|v| v.as_table()));
    }
    if let Some(targets) = manifest.get("target").and_then(|v| v.as_table()) {
        for t in targets.values().filter_map(|v| v.as_table()) {
            for key in ["dependencies", "build-dependencies"] {
                tables.extend(t.get(key).and_then(|v| v.as_table()));
            }
        }
    }
    tables.into_iter().flat_map(|t| t.keys().cloned()).collect()
}

#[test]
fn crates_depend_only_across_allowed_boundaries() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seen = BTreeSet::new();
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&crates).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let manifest: toml::Table = text.parse().unwrap();
        let name = manifest["package"]["name"].as_str().unwrap().to_string();
        let Some((_, allowed)) = ALLOWED.iter().find(|(n, _)| *n == name) else {
            failures.push(format!(
                "{name} is not in this test's table: add it, with the crates it may use"
            ));
            continue;
        };
        seen.insert(name.clone());
        let deps = dependencies(&manifest);
        for dep in deps.iter().filter(|d| d.starts_with("redflag-")) {
            if !allowed.contains(&dep.as_str()) {
                failures.push(format!(
                    "{name} depends on {dep}; it may use only {allowed:?} (ARCHITECTURE.md)"
                ));
            }
        }
        for (dep, what, who) in IO {
            if deps.contains(*dep) && !who.contains(&name.as_str()) {
                failures.push(format!(
                    "{name} depends on {dep} ({what}); only {who:?} may (ARCHITECTURE.md)"
                ));
            }
        }
    }
    for (name, _) in ALLOWED {
        if !seen.contains(*name) {
            failures.push(format!("{name} is in the table but not in crates/"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The test can fail: a table that allows nothing flags the engine's dependencies.
#[test]
fn a_crossed_boundary_is_found() {
    let manifest: toml::Table = "[package]\nname = \"redflag-store\"\n[dependencies]\nredflag-rules.workspace = true\nsqlx.workspace = true\naxum = \"0.8\"\n"
        .parse()
        .unwrap();
    let deps = dependencies(&manifest);
    let allowed = ALLOWED
        .iter()
        .find(|(n, _)| *n == "redflag-store")
        .unwrap()
        .1;
    assert!(deps.contains("redflag-rules") && !allowed.contains(&"redflag-rules"));
    let (_, _, who) = IO.iter().find(|(d, _, _)| *d == "axum").unwrap();
    assert!(deps.contains("axum") && !who.contains(&"redflag-store"));
}
