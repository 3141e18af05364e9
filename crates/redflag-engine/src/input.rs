//! From input bytes to messages: the one path the CLI, the evaluation and the server share.

use redflag_message::{Channel, InputKind, Message, TextInput};

/// What is known about an input besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// The channel, when the person said (`--channel`). `None`: detect (an email if the bytes
    /// are an email, mbox or Messenger export; else a text message).
    pub channel: Option<Channel>,
    /// The sender (`--from`): phone number, short code, email address or name.
    pub sender: Option<String>,
    /// A subject, for a pasted email body.
    pub subject: Option<String>,
}

/// Why input could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Empty, binary, over-size or not the format it claims.
    #[error(transparent)]
    Message(#[from] redflag_message::Error),
    /// The text is not valid UTF-8 and is not an email (which may declare its charset).
    #[error("the text is not valid UTF-8; save it as UTF-8 or pass it as an email")]
    NotUtf8,
    /// An image that could not be read (too large, damaged, no text, or no recognition in
    /// this build).
    #[error(transparent)]
    Image(#[from] redflag_ocr::Error),
}

/// What [`read_input`] read: the kind of input it detected, and the messages in it.
#[derive(Debug)]
pub struct ReadInput {
    /// What the bytes are (an email, an mbox, a Messenger export, text), as detected before
    /// any option chose how to read them: surfaces ask it instead of detecting again (the
    /// web page attaches the original to its emailed reports only for one email).
    pub kind: InputKind,
    /// The messages, in input order; each may fail on its own (an mbox's).
    pub messages: Vec<Result<Message, InputError>>,
}

impl IntoIterator for ReadInput {
    type Item = Result<Message, InputError>;
    type IntoIter = std::vec::IntoIter<Result<Message, InputError>>;

    fn into_iter(self) -> Self::IntoIter {
        self.messages.into_iter()
    }
}

/// Reads input bytes as one or more messages (an mbox gives several; each may fail on its
/// own), with the kind of input detected. Never panics.
pub fn read_input(bytes: &[u8], opts: &InputOptions) -> Result<ReadInput, InputError> {
    let kind = redflag_message::detect_kind(bytes)?;
    Ok(ReadInput {
        kind,
        messages: read_kind(kind, bytes, opts)?,
    })
}

/// The messages of bytes of the given kind.
fn read_kind(
    kind: InputKind,
    bytes: &[u8],
    opts: &InputOptions,
) -> Result<Vec<Result<Message, InputError>>, InputError> {
    let wants_text = matches!(
        opts.channel,
        Some(Channel::Sms | Channel::Call | Channel::Chat)
    );
    match kind {
        InputKind::Mbox if !wants_text => Ok(redflag_message::parse_mbox(bytes)
            .into_iter()
            .map(|r| r.map_err(InputError::from))
            .collect()),
        InputKind::Email if !wants_text => Ok(vec![Ok(redflag_message::parse_email(bytes)?)]),
        InputKind::MessengerJson if matches!(opts.channel, None | Some(Channel::Chat)) => {
            Ok(vec![Ok(redflag_message::parse_messenger_json(bytes)?)])
        }
        _ if opts.channel.is_none_or(|c| c == Channel::Email) && looks_like_html(bytes) => {
            // A saved web page or HTML body: read it as an HTML email so links keep their
            // targets.
            let mut raw = b"Content-Type: text/html; charset=utf-8\r\n".to_vec();
            if let Some(s) = &opts.subject {
                raw.extend_from_slice(
                    format!("Subject: {}\r\n", s.replace(['\r', '\n'], " ")).as_bytes(),
                );
            }
            raw.extend_from_slice(b"\r\n");
            raw.extend_from_slice(bytes);
            let mut msg = redflag_message::parse_email(&raw)?;
            if let Some(sender) = opts.sender.as_deref() {
                msg.notes.push(redflag_message::ParseNote::new(
                    "sender-not-shown",
                    format!(
                        "The sender given ({}) was not part of the HTML.",
                        sender.chars().take(80).collect::<String>()
                    ),
                ));
            }
            Ok(vec![Ok(msg)])
        }
        _ => {
            let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
                .map_err(|_| InputError::NotUtf8)?;
            let channel = opts.channel.unwrap_or(Channel::Sms);
            let msg = redflag_message::parse_text_message(TextInput {
                channel,
                text,
                sender: opts.sender.as_deref(),
                subject: opts.subject.as_deref(),
            })?;
            Ok(vec![Ok(msg)])
        }
    }
}

/// True for bytes that start like an HTML document.
fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let head = String::from_utf8_lossy(head)
        .trim_start()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<head")
        || head.starts_with("<body")
}
