//! The options every command that checks shares: which profile, model and hotline
//! (`EngineArgs`), and how screenshots are read (`OcrArgs`).

use anyhow::Context as _;
use redflag_engine::Profile;
use std::path::Path;
use std::sync::Arc;

/// The options that choose what checks a message, shared by every command that checks:
/// `check`, `scan`, `serve`, `filter` and `milter`.
#[derive(clap::Args, Debug)]
pub(crate) struct EngineArgs {
    /// Use another brand profile (TOML, same format as the embedded amazon.toml).
    #[arg(long, value_name = "FILE")]
    brands: Option<std::path::PathBuf>,
    /// Use this text model instead of the embedded one (made with `redflag train`).
    #[arg(long, value_name = "FILE", conflicts_with = "no_model")]
    model: Option<std::path::PathBuf>,
    /// Use no text model: red flags only.
    #[arg(long)]
    no_model: bool,
}

impl EngineArgs {
    /// The engine these options choose, with another local fraud hotline if one is given.
    pub(crate) fn engine(
        &self,
        hotline: Option<&std::path::Path>,
    ) -> anyhow::Result<redflag_engine::Engine> {
        let profile = load_profile(self.brands.as_deref(), hotline)?;
        Ok(redflag_engine::Engine::new(profile)
            .with_model(load_model(self.model.as_deref(), self.no_model)?))
    }
}

/// How screenshots are read, for the commands that take them: `check`, `serve` and `eval`.
#[derive(clap::Args, Debug)]
pub(crate) struct OcrArgs {
    /// The languages text is read in on screenshots (Tesseract's codes joined by `+`:
    /// `eng+deu`); each must be installed (`tesseract-ocr-deu`).
    #[arg(long, value_name = "CODES", default_value = redflag_engine::screenshot::DEFAULT_OCR_LANGUAGES)]
    ocr_languages: String,
}

impl OcrArgs {
    /// A screenshot reader for these languages (in a build without the `ocr` feature, one
    /// whose every read says how to get it).
    pub(crate) fn reader(
        &self,
    ) -> Result<redflag_engine::screenshot::ImageReader, redflag_engine::screenshot::ImageError>
    {
        redflag_engine::screenshot::ImageReader::new(&self.ocr_languages)
    }
}

/// The text model to use: a file, none, or the embedded one. A model lives as long as the
/// program.
pub(crate) fn load_model(
    path: Option<&std::path::Path>,
    none: bool,
) -> anyhow::Result<Option<&'static redflag_engine::Model>> {
    if none {
        return Ok(None);
    }
    let Some(path) = path else {
        return Ok(Some(redflag_engine::Model::embedded()));
    };
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read the model {}", path.display()))?;
    let model = redflag_engine::Model::from_bytes(&bytes, path.display().to_string())
        .with_context(|| format!("invalid model {}", path.display()))?;
    Ok(Some(Box::leak(Box::new(model))))
}

/// The embedded profile, or the one given, with the hotline given (`--brands`,
/// `--hotline`).
pub(crate) fn load_profile(
    brands: Option<&Path>,
    hotline: Option<&Path>,
) -> anyhow::Result<Arc<Profile>> {
    let mut profile = match brands {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read the brand profile {}", p.display()))?;
            Profile::with_brand(&text)
                .with_context(|| format!("invalid brand profile {}", p.display()))?
        }
        None => (*Profile::embedded()).clone(),
    };
    if let Some(p) = hotline {
        let text = std::fs::read_to_string(p)
            .with_context(|| format!("cannot read the hotline file {}", p.display()))?;
        profile.reports = profile
            .reports
            .clone()
            .with_hotline_toml(&text)
            .with_context(|| format!("invalid hotline file {}", p.display()))?;
    }
    Ok(Arc::new(profile))
}
