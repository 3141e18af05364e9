//! `redflag check`.

use crate::render;
use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum};
use redflag_engine::screenshot::{ImageError, ImageReader, image_dimensions, sniff_image};
use redflag_engine::{
    AnalyzeOptions, Channel, InputError, InputOptions, Report, Verdict, read_input,
};
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

pub(crate) fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let engine = args.engine.engine(args.hotline.as_deref())?;
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
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let many = sources.len() > 1;
    let mut stdout = std::io::stdout().lock();
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
                    let words = engine.profile().locale(&report.lang);
                    let name = many.then_some(src.name.as_str());
                    print_report(&mut stdout, &args, &report, words, name, color)?;
                }
                Err(e) => {
                    errors += 1;
                    report_error(&mut stdout, args.json, &src.name, &e.to_string())?;
                }
            }
            continue;
        }
        let messages = match read_input(&src.bytes, &opts) {
            Ok(m) => m.messages,
            Err(e) => {
                errors += 1;
                report_error(&mut stdout, args.json, &src.name, &e.to_string())?;
                continue;
            }
        };
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
    stdout.flush()?;
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
