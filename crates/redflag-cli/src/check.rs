//! `redflag check`.

use crate::render;
use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum};
use redflag_engine::screenshot::{ImageError, ImageReader, image_dimensions, sniff_image};
use redflag_engine::{
    AnalyzeOptions, Channel, InputError, InputKind, InputOptions, ReadyReport, Report,
    ReportTarget, Verdict, read_input, ready_report,
};
use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    /// The message: a file (.eml, mbox, .txt, Messenger .json, or a screenshot or photo as
    /// PNG, JPEG or WebP), a Maildir or folder of messages, or `-` for standard input.
    #[arg(required_unless_present = "text", conflicts_with = "text")]
    input: Option<String>,
    /// The message text itself, instead of a file.
    #[arg(long)]
    text: Option<String>,
    /// What the message is. Without it, emails are recognised and other text is a text
    /// message (SMS); on a screenshot, what the screen shows decides (`screen`: a pop-up or
    /// web page).
    #[arg(long, value_enum)]
    channel: Option<ChannelArg>,
    /// Who sent it: phone number, short code, email address or name (for texts, chats and
    /// calls: the caller's number).
    #[arg(long = "from")]
    from: Option<String>,
    /// The subject, for a pasted email body.
    #[arg(long)]
    subject: Option<String>,
    /// Print the report as JSON (one object; JSON Lines for several messages).
    #[arg(long)]
    json: bool,
    /// Also write the report ready to send to TO, the same bytes as the API's
    /// `/api/v1/report/{TO}`: `amazon` (the brand's id: an .eml draft to its report address,
    /// the original email attached), `hotline` (an .eml draft to the local hotline), `ftc`
    /// (the FTC form's fields, JSON) or `sms7726` (the steps to forward a text or report a
    /// call to 7726, JSON). Needs --out, and an input of one message.
    #[arg(long, value_name = "TO", requires = "out")]
    report: Option<String>,
    /// Where --report writes: a file, replaced if it exists (written whole or not at all), or
    /// `-` for standard output instead of the usual report.
    #[arg(long, value_name = "FILE", requires = "report")]
    out: Option<PathBuf>,
    #[command(flatten)]
    engine: crate::EngineArgs,
    /// Use another local fraud hotline (TOML with a [hotline] table).
    #[arg(long, value_name = "FILE")]
    hotline: Option<PathBuf>,
    /// Your order history (Amazon "Request your data" order CSV, or order numbers), to check
    /// that the order the message claims is real.
    #[arg(long, value_name = "FILE")]
    orders: Option<PathBuf>,
    /// Name the reporting bodies of this country (ISO code: JP, DE, UK, IN, ...). Without
    /// it, the marketplace the message claims, the sender's number or its language decide.
    #[arg(long, value_name = "CODE")]
    country: Option<String>,
    #[command(flatten)]
    ocr: crate::OcrArgs,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ChannelArg {
    Email,
    Sms,
    Chat,
    Call,
    /// A pop-up or web page (screenshots).
    Screen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

/// One thing to check: its bytes and a name for messages.
struct Source {
    name: String,
    bytes: Vec<u8>,
}

/// What `--report` and `--out` ask for.
struct Wanted {
    to: ReportTarget,
    /// `None`: standard output.
    out: Option<PathBuf>,
}

impl Wanted {
    /// The report asked for, refused before anything is read when it cannot be made: an
    /// unknown target, a hotline without email, or two things for standard output.
    fn of(args: &CheckArgs, profile: &redflag_engine::Profile) -> anyhow::Result<Option<Wanted>> {
        let (Some(name), Some(out)) = (&args.report, &args.out) else {
            return Ok(None);
        };
        let to = ReportTarget::parse(name, profile).with_context(|| {
            format!("no report `{name}`: use {}", ReportTarget::choices(profile))
        })?;
        if let Err(e) = to.usable(profile) {
            bail!("--report {name}: {e} Phone it instead: there is no email to write.");
        }
        let out = (out.as_os_str() != "-").then(|| out.clone());
        if let Some(dir) = out.as_deref().filter(|p| p.is_dir()) {
            bail!("{} is a folder: give --out a file name", dir.display());
        }
        if out.is_none() && args.json {
            bail!("--json and --out - both write to standard output: give --out a file name");
        }
        Ok(Some(Wanted { to, out }))
    }

    /// The report of the one message checked, written where asked.
    fn write(&self, ready: &ReadyReport, profile: &redflag_engine::Profile) -> anyhow::Result<()> {
        let bytes = ready.to_bytes();
        match &self.out {
            None => {
                let mut stdout = crate::out::Stdout::lock();
                stdout.write_all(&bytes)?;
                stdout.flush()?;
            }
            Some(path) => {
                write_whole(path, &bytes)?;
                eprintln!(
                    "redflag: the report to {} was written to {}",
                    self.to.name(profile),
                    render::sanitize(&path.display().to_string())
                );
            }
        }
        Ok(())
    }
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed over
/// it, so a reader (or a crash) never sees half a report and an old file is replaced only
/// by a complete one.
fn write_whole(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let shown = path.display();
    if path.is_dir() {
        bail!("{shown} is a folder: give --out a file name");
    }
    let name = path
        .file_name()
        .with_context(|| format!("{shown} is not a file name"))?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp_name = OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.with_context(|| format!("cannot write {shown}"))
}

pub(crate) fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let engine = args.engine.engine(args.hotline.as_deref())?;
    let wanted = Wanted::of(&args, engine.profile())?;
    let orders = args
        .orders
        .as_deref()
        .map(|p| crate::orders::read(&engine, p))
        .transpose()?;
    let opts = InputOptions {
        channel: args.channel.map(|c| match c {
            ChannelArg::Email => Channel::Email,
            ChannelArg::Sms => Channel::Sms,
            ChannelArg::Chat => Channel::Chat,
            ChannelArg::Call => Channel::Call,
            ChannelArg::Screen => Channel::Screen,
        }),
        sender: args.from.clone(),
        subject: args.subject.clone(),
    };
    let sources = sources(&args)?;
    if wanted.is_some() && sources.len() > 1 {
        bail!(
            "--report writes the report of one message, and {} holds {} files: give one of them",
            args.input.as_deref().unwrap_or("the input"),
            sources.len()
        );
    }
    // With `--out -` the ready report is the output: the usual report is not printed.
    let print = wanted.as_ref().is_none_or(|w| w.out.is_some());
    let mut ready: Option<ReadyReport> = None;
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let many = sources.len() > 1;
    let mut stdout = crate::out::Stdout::lock();
    let mut flagged = false;
    let mut errors = 0usize;
    let mut count = 0usize;
    let analyze_opts = AnalyzeOptions {
        orders: orders.as_ref(),
        country: args.country.as_deref(),
    };
    let mut images: Option<ImageReader> = None;
    for src in &sources {
        if sniff_image(&src.bytes).is_some() {
            // A bomb or a damaged file is refused from its header, before Tesseract starts.
            let read = image_dimensions(&src.bytes)
                .and_then(|_| started(&mut images, &args.ocr))
                .map_err(InputError::from)
                .and_then(|r| r.read(&src.bytes, &opts));
            match read {
                Ok(img) => {
                    let mut report = engine.analyze(&img.message, &analyze_opts);
                    report.image = Some(img.image_report(&report));
                    flagged |= report.verdict != Verdict::Clean;
                    count += 1;
                    if let Some(w) = &wanted {
                        ready = Some(ready_report(
                            engine.profile(),
                            &img.message,
                            &report,
                            w.to,
                            None,
                        )?);
                    }
                    if print {
                        let words = engine.profile().locale(&report.lang);
                        let name = many.then_some(src.name.as_str());
                        print_report(&mut stdout, &args, &report, words, name, color)?;
                    }
                }
                Err(e) => {
                    errors += 1;
                    report_error(&mut stdout, args.json, &src.name, &e.to_string())?;
                }
            }
            continue;
        }
        let (kind, messages) = match read_input(&src.bytes, &opts) {
            Ok(m) => (m.kind, m.messages),
            Err(e) => {
                errors += 1;
                report_error(&mut stdout, args.json, &src.name, &e.to_string())?;
                continue;
            }
        };
        if wanted.is_some() && messages.len() > 1 {
            bail!(
                "--report writes the report of one message, and {} holds {}: give one message",
                src.name,
                messages.len()
            );
        }
        let multi = many || messages.len() > 1;
        for (i, m) in messages.into_iter().enumerate() {
            let name = if multi && !many {
                format!("{} #{}", src.name, i + 1)
            } else {
                src.name.clone()
            };
            let msg = match m {
                Ok(msg) => msg,
                Err(e) => {
                    errors += 1;
                    report_error(&mut stdout, args.json, &name, &e.to_string())?;
                    continue;
                }
            };
            let report = engine.analyze(&msg, &analyze_opts);
            flagged |= report.verdict != Verdict::Clean;
            count += 1;
            if let Some(w) = &wanted {
                // One email as read: the emailed reports attach it, as the API's do.
                let original = (kind == InputKind::Email && msg.channel == Channel::Email)
                    .then_some(src.bytes.as_slice());
                ready = Some(ready_report(
                    engine.profile(),
                    &msg,
                    &report,
                    w.to,
                    original,
                )?);
            }
            if print {
                print_report(
                    &mut stdout,
                    &args,
                    &report,
                    engine.profile().locale(&report.lang),
                    multi.then_some(name.as_str()),
                    color,
                )?;
            }
        }
    }
    stdout.flush()?;
    drop(stdout);
    if let Some(w) = &wanted {
        match &ready {
            Some(r) => w.write(r, engine.profile())?,
            None => eprintln!("redflag: no report was written"),
        }
    }
    if errors > 0 {
        if count == 0 && sources.len() == 1 {
            // A single unreadable input: the error was printed on stderr already.
            return Ok(ExitCode::from(2));
        }
        eprintln!("redflag: {errors} message(s) could not be read");
        return Ok(ExitCode::from(2));
    }
    Ok(if flagged {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The screenshot reader, started on the first image.
fn started<'a>(
    slot: &'a mut Option<ImageReader>,
    ocr: &crate::OcrArgs,
) -> Result<&'a ImageReader, ImageError> {
    if slot.is_none() {
        *slot = Some(ocr.reader()?);
    }
    Ok(slot.as_ref().expect("started above"))
}

fn print_report(
    out: &mut impl Write,
    args: &CheckArgs,
    report: &Report,
    words: &redflag_engine::Locale,
    name: Option<&str>,
    color: bool,
) -> anyhow::Result<()> {
    if args.json {
        match name {
            Some(n) => serde_json::to_writer(
                &mut *out,
                &serde_json::json!({ "source": n, "report": report }),
            )?,
            None => serde_json::to_writer_pretty(&mut *out, report)?,
        }
        writeln!(out)?;
    } else {
        if let Some(n) = name {
            writeln!(out, "==> {} <==", render::sanitize(n))?;
        }
        render::report(out, report, words, color)?;
    }
    Ok(())
}

fn report_error(out: &mut impl Write, json: bool, name: &str, err: &str) -> anyhow::Result<()> {
    if json {
        serde_json::to_writer(
            &mut *out,
            &serde_json::json!({ "source": name, "error": err }),
        )?;
        writeln!(out)?;
    }
    eprintln!("redflag: {}: {err}", render::sanitize(name));
    Ok(())
}

/// Reads at most the size limit plus one byte, so an over-size input is refused without
/// reading all of it.
fn read_limited(r: impl Read, name: &str) -> anyhow::Result<Vec<u8>> {
    let limit = redflag_engine::MAX_INPUT_BYTES as u64;
    let mut buf = Vec::new();
    r.take(limit + 1)
        .read_to_end(&mut buf)
        .with_context(|| format!("cannot read {name}"))?;
    if buf.len() as u64 > limit {
        bail!("{name} is over the {} MiB limit", limit / (1024 * 1024));
    }
    Ok(buf)
}

fn sources(args: &CheckArgs) -> anyhow::Result<Vec<Source>> {
    if let Some(t) = &args.text {
        return Ok(vec![Source {
            name: "text".into(),
            bytes: t.clone().into_bytes(),
        }]);
    }
    let input = args.input.as_deref().unwrap_or("-");
    if input == "-" {
        return Ok(vec![Source {
            name: "standard input".into(),
            bytes: read_limited(std::io::stdin().lock(), "standard input")?,
        }]);
    }
    let path = Path::new(input);
    if path.is_dir() {
        return dir_sources(path);
    }
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {input}"))?;
    Ok(vec![Source {
        name: input.to_string(),
        bytes: read_limited(file, input)?,
    }])
}

/// A Maildir (cur/ and new/) or a folder of message files, in name order.
fn dir_sources(dir: &Path) -> anyhow::Result<Vec<Source>> {
    let mut files = Vec::new();
    let maildir = dir.join("cur").is_dir() || dir.join("new").is_dir();
    let subdirs: Vec<PathBuf> = if maildir {
        vec![dir.join("new"), dir.join("cur")]
    } else {
        vec![dir.to_path_buf()]
    };
    for d in subdirs.iter().filter(|d| d.is_dir()) {
        for entry in std::fs::read_dir(d).with_context(|| format!("cannot list {}", d.display()))? {
            let p = entry?.path();
            let hidden = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if p.is_file() && !hidden {
                files.push(p);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        bail!("{} has no message files", dir.display());
    }
    files
        .into_iter()
        .map(|p| {
            let name = p.display().to_string();
            let f = std::fs::File::open(&p).with_context(|| format!("cannot open {name}"))?;
            Ok(Source {
                bytes: read_limited(f, &name)?,
                name,
            })
        })
        .collect()
}
