//! `redflag train`: the text model, trained on a labelled corpus index.

use crate::corpus::training_rows;
use anyhow::Context as _;
use clap::Args;
use rayon::prelude::*;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub(crate) struct TrainArgs {
    /// The index (JSON Lines; paths are relative to its folder).
    #[arg(long, value_name = "FILE")]
    index: PathBuf,
    /// Where to write the model.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Train on every labelled row, not only those whose licence allows a shipped model
    /// (`train_ok`). For a site's own model on its own mail.
    #[arg(long)]
    all_rows: bool,
    /// Random seed.
    #[arg(long, default_value_t = redflag_engine::training::TrainOptions::default().seed)]
    seed: i32,
}

pub(crate) fn run(args: TrainArgs) -> anyhow::Result<ExitCode> {
    let index = crate::corpus::read_index(&args.index)?;
    let rows = training_rows(
        &redflag_engine::Engine::default(),
        &index.base,
        index
            .rows
            .par_iter()
            .filter(|r| args.all_rows || r.train_ok),
    );
    let scam = rows.iter().filter(|(s, _)| *s).count();
    eprintln!(
        "redflag train: {} rows ({scam} scam, {} legitimate)",
        rows.len(),
        rows.len() - scam
    );
    let opts = redflag_engine::training::TrainOptions {
        seed: args.seed,
        ..Default::default()
    };
    let bytes = redflag_engine::training::train(&rows, &opts)?;
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "redflag train: wrote {} ({} bytes)",
        args.out.display(),
        bytes.len()
    );
    Ok(ExitCode::SUCCESS)
}
