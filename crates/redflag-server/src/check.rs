//! From what a person sent (API body or page form) to a report: the one path the API, the
//! page, the report downloads and the case store share.

use crate::AppState;
use crate::error::ApiError;
use axum::http::StatusCode;
use redflag_engine::screenshot::{ImageError, ImageMessage, ImageReader, image_dimensions};
use redflag_engine::{
    AnalyzeOptions, Assessment, Channel, InputError, InputKind, InputOptions, Message,
    OrderHistory, OrdersError, ParseNote, Report, read_input,
};

/// What to check.
#[derive(Debug, Clone, Default)]
pub(crate) struct CheckInput {
    /// The message: text, a raw email, an mbox or a Messenger export.
    pub(crate) bytes: Vec<u8>,
    /// The channel; `None` lets the bytes decide (an email is an email, the rest a text).
    pub(crate) channel: Option<Channel>,
    /// Who sent it.
    pub(crate) sender: Option<String>,
    /// The subject, for a pasted email body.
    pub(crate) subject: Option<String>,
    /// Order numbers typed or pasted.
    pub(crate) order_numbers: Option<String>,
    /// The Your Orders export (CSV).
    pub(crate) orders_csv: Option<String>,
    /// The country whose reporting bodies to name (`JP`); chosen from the message if absent.
    pub(crate) country: Option<String>,
    /// The bytes are a screenshot to read (`image_base64`, or a picture chosen on the page);
    /// an image given as a message or an email is not a message.
    pub(crate) image: bool,
}

/// A checked message.
pub(crate) struct Checked {
    pub(crate) msg: Message,
    pub(crate) report: Report,
    /// The order history used, if any.
    pub(crate) orders: Option<OrderHistory>,
    /// What was checked, as given.
    pub(crate) input: CheckInput,
    /// What reading found the input to be (`None` for a screenshot).
    pub(crate) kind: Option<InputKind>,
}

impl Checked {
    /// The raw email, when the input was one email: emailed reports attach it.
    pub(crate) fn original_email(&self) -> Option<&[u8]> {
        let one_email = self.kind == Some(InputKind::Email);
        (one_email && self.msg.channel == Channel::Email).then_some(self.input.bytes.as_slice())
    }

    /// Who sent it, as read from the message (for email: the From address).
    pub(crate) fn sender(&self) -> Option<String> {
        self.msg.sender.as_ref().map(|s| s.value.clone())
    }
}

/// Inputs up to this size (the message plus an order export) are analysed on the thread
/// that answers the request; larger ones on an analysis thread. A small message is checked
/// in well under a millisecond, less than the hop to another thread and back costs in
/// context switches (about an eighth of the server's CPU per text message, measured with
/// `bench/peers.sh`); a large email can take tens of milliseconds, which would hold up the
/// other connections of that thread. The server's threads are as many as the cores, like
/// the analysis threads, so the regex caches they build stay bounded too.
pub(crate) const INLINE_MAX_BYTES: usize = 16 * 1024;

impl CheckInput {
    /// True when the bytes are a screenshot or photo of the message to read.
    pub(crate) fn is_image(&self) -> bool {
        self.image
    }

    fn is_small(&self) -> bool {
        if self.is_image() {
            return false;
        }
        let orders = self.orders_csv.as_ref().map_or(0, String::len)
            + self.order_numbers.as_ref().map_or(0, String::len);
        self.bytes.len() + orders <= INLINE_MAX_BYTES
    }
}

/// Checks a message, a bounded number at once: a small one right here, a large one on an
/// analysis thread (analysis is CPU work).
pub(crate) async fn run(state: &AppState, input: CheckInput) -> Result<Checked, ApiError> {
    let engine = state.engine().clone();
    let small = input.is_small();
    let images = state.images_handle();
    analyse(state, small, move || {
        check(&engine, images.as_deref(), input)
    })
    .await
}

/// Assesses a message where [`run`] would check it: the verdict, score and findings without
/// the report's words (the country, which only chooses words, is not needed).
pub(crate) async fn assess(state: &AppState, input: CheckInput) -> Result<Assessment, ApiError> {
    let engine = state.engine().clone();
    let small = input.is_small();
    let images = state.images_handle();
    // An assessment is for mail servers: what they send is mail, never a screenshot.
    let _ = images;
    analyse(state, small, move || {
        let Read {
            msg, orders, total, ..
        } = read(&engine, &input, None)?;
        let mut assessment = engine.assess(
            &msg,
            &AnalyzeOptions {
                orders: orders.as_ref(),
                country: None,
            },
        );
        if total > 1 {
            assessment.notes += 1;
        }
        Ok(assessment)
    })
    .await
}

/// Runs an analysis once one of the bounded places is free: `here` on this thread, else on
/// an analysis thread. A panic is an error for this request only.
async fn analyse<T: Send + 'static>(
    state: &AppState,
    here: bool,
    job: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    // The permit moves into the task: a request that times out frees its place only when
    // its analysis really ends.
    let permit = state
        .inner
        .analyses
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| ApiError::internal("analysis queue closed", &e))?;
    if here {
        let _permit = permit;
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))
            .map_err(|_| ApiError::internal("the analysis panicked", &Panicked))?;
    }
    state
        .on_analysis_thread(move || {
            let _permit = permit;
            job()
        })
        .await
        .map_err(|e| ApiError::internal("the analysis panicked", &e))?
}

/// An analysis that panicked on the request's own thread.
#[derive(Debug)]
struct Panicked;

impl std::fmt::Display for Panicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("panicked")
    }
}

impl std::error::Error for Panicked {}

fn check(
    engine: &redflag_engine::Engine,
    images: Option<&ImageReader>,
    input: CheckInput,
) -> Result<Checked, ApiError> {
    let Read {
        msg,
        orders,
        total,
        image,
        kind,
    } = read(engine, &input, images)?;
    let mut report = engine.analyze(
        &msg,
        &AnalyzeOptions {
            orders: orders.as_ref(),
            country: input.country.as_deref(),
        },
    );
    if let Some(img) = &image {
        report.image = Some(img.image_report(&report));
    }
    if total > 1 {
        report.notes.push(first_of_several(total));
    }
    Ok(Checked {
        msg,
        report,
        orders,
        input,
        kind,
    })
}

/// What was read from the input.
struct Read {
    /// Its first message.
    msg: Message,
    /// The order history given with it.
    orders: Option<OrderHistory>,
    /// How many messages the input holds.
    total: usize,
    /// The screenshot the message was read from.
    image: Option<ImageMessage>,
    /// What the input is, as reading detected it (`None` for a screenshot).
    kind: Option<InputKind>,
}

fn read(
    engine: &redflag_engine::Engine,
    input: &CheckInput,
    images: Option<&ImageReader>,
) -> Result<Read, ApiError> {
    let orders = engine
        .order_history(&[
            input.orders_csv.as_deref().unwrap_or(""),
            input.order_numbers.as_deref().unwrap_or(""),
        ])
        .map_err(orders_error)?;
    let opts = InputOptions {
        channel: input.channel,
        sender: input.sender.clone().filter(|s| !s.trim().is_empty()),
        subject: input.subject.clone().filter(|s| !s.trim().is_empty()),
    };
    if input.is_image() {
        // An image this server could never read is refused for what it is first.
        image_dimensions(&input.bytes).map_err(|e| input_error(e.into()))?;
        let reader = images.ok_or_else(|| input_error(ImageError::NoRecognizer.into()))?;
        let img = reader.read(&input.bytes, &opts).map_err(input_error)?;
        return Ok(Read {
            msg: img.message.clone(),
            orders,
            total: 1,
            image: Some(img),
            kind: None,
        });
    }
    let read = read_input(&input.bytes, &opts).map_err(input_error)?;
    let (kind, total) = (read.kind, read.messages.len());
    let msg = read
        .into_iter()
        .next()
        .ok_or_else(|| input_error(InputError::Message(redflag_engine::MessageError::Empty)))?
        .map_err(input_error)?;
    Ok(Read {
        msg,
        orders,
        total,
        image: None,
        kind: Some(kind),
    })
}

fn first_of_several(total: usize) -> ParseNote {
    ParseNote::new(
        "first-of-several",
        format!("The input holds {total} messages; only the first was checked."),
    )
}

fn orders_error(e: OrdersError) -> ApiError {
    let message = match e {
        OrdersError::NoOrders => {
            "No order numbers (like 112-1234567-1234567) were found in the order history."
        }
        OrdersError::TooMany => "The order history has too many orders to check.",
    };
    ApiError::bad_input("invalid_orders", message)
}

/// What to tell a person whose input could not be read.
pub(crate) fn input_error(e: InputError) -> ApiError {
    use redflag_engine::MessageError as M;
    match e {
        InputError::Message(M::Empty) => ApiError::bad_input(
            "empty_message",
            "The message is empty. Paste the message or choose a file.",
        ),
        InputError::Message(M::TooLarge { limit, .. }) => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "The message is too big: the limit is {} MiB.",
                limit / (1024 * 1024)
            ),
        ),
        InputError::Message(M::Binary) => ApiError::bad_input(
            "not_a_message",
            "This looks like a picture, an archive or a program, not a message. Paste the text of the message, or save the email as an .eml file.",
        ),
        InputError::Message(M::Messenger(why)) => ApiError::bad_input(
            "not_a_message",
            format!("This is not a Messenger export we can read: {why}."),
        ),
        InputError::Image(e) => image_error(e),
        InputError::NotUtf8 => ApiError::bad_input(
            "not_utf8",
            "The text could not be read: save it as UTF-8 text, or as an .eml file if it is an email.",
        ),
        other => ApiError::bad_input(
            "not_a_message",
            format!("The message could not be read: {other}."),
        ),
    }
}

/// What to tell a person whose image could not be read.
fn image_error(e: ImageError) -> ApiError {
    match e {
        ImageError::TooLarge { .. } | ImageError::TooManyPixels { .. } => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "image_too_large",
            format!("{}.", capitalised(&e.to_string())),
        ),
        ImageError::Unsupported(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_image",
            format!("{}.", capitalised(&e.to_string())),
        ),
        ImageError::NoRecognizer => ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            "images_unsupported",
            "This server cannot read text in pictures. Paste the text of the message instead.",
        ),
        ImageError::NoText => ApiError::bad_input(
            "no_text",
            "No text could be read on the picture. Try a sharper screenshot, or paste the text of the message.",
        ),
        ImageError::Engine(_) => ApiError::internal("text recognition failed", &e),
        other => ApiError::bad_input("bad_image", format!("{}.", capitalised(&other.to_string()))),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
