//! From what a person sent (API body or page form) to a report: the one path the API, the
//! page, the report downloads and the case store share.

use crate::AppState;
use crate::error::ApiError;
use axum::http::StatusCode;
use redflag_engine::{
    AnalyzeOptions, Channel, InputError, InputOptions, Message, OrderHistory, OrdersError, Report,
    read_input,
};
use redflag_message::{InputKind, ParseNote};

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
}

/// A checked message.
pub(crate) struct Checked {
    pub(crate) msg: Message,
    pub(crate) report: Report,
    /// The order history used, if any.
    pub(crate) orders: Option<OrderHistory>,
    /// What was checked, as given.
    pub(crate) input: CheckInput,
}

impl Checked {
    /// The raw email, when the input was one email: emailed reports attach it.
    pub(crate) fn original_email(&self) -> Option<&[u8]> {
        let one_email =
            redflag_message::detect_kind(&self.input.bytes).is_ok_and(|k| k == InputKind::Email);
        (one_email && self.msg.channel == Channel::Email).then_some(self.input.bytes.as_slice())
    }

    /// Who sent it, as read from the message (for email: the From address).
    pub(crate) fn sender(&self) -> Option<String> {
        self.msg.sender.as_ref().map(|s| s.value.clone())
    }
}

/// Checks a message on an analysis thread (analysis is CPU work), a bounded number at once.
pub(crate) async fn run(state: &AppState, input: CheckInput) -> Result<Checked, ApiError> {
    // The permit moves into the task: a request that times out frees its place only when
    // its analysis really ends.
    let permit = state
        .inner
        .analyses
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| ApiError::internal("analysis queue closed", &e))?;
    let engine = state.engine().clone();
    state
        .on_analysis_thread(move || {
            let _permit = permit;
            check(&engine, input)
        })
        .await
        .map_err(|e| ApiError::internal("the analysis panicked", &e))?
}

fn check(engine: &redflag_engine::Engine, input: CheckInput) -> Result<Checked, ApiError> {
    let orders = orders(input.order_numbers.as_deref(), input.orders_csv.as_deref())?;
    let opts = InputOptions {
        channel: input.channel,
        sender: input.sender.clone().filter(|s| !s.trim().is_empty()),
        subject: input.subject.clone().filter(|s| !s.trim().is_empty()),
    };
    let messages = read_input(&input.bytes, &opts).map_err(input_error)?;
    let total = messages.len();
    let msg = messages
        .into_iter()
        .next()
        .ok_or_else(|| input_error(InputError::Message(redflag_message::Error::Empty)))?
        .map_err(input_error)?;
    let mut report = engine.analyze(
        &msg,
        &AnalyzeOptions {
            orders: orders.as_ref(),
            country: input.country.as_deref(),
        },
    );
    if total > 1 {
        report.notes.push(ParseNote::new(
            "first-of-several",
            format!("The input holds {total} messages; only the first was checked."),
        ));
    }
    Ok(Checked {
        msg,
        report,
        orders,
        input,
    })
}

/// The order history from an export and/or typed numbers (the two are merged).
pub(crate) fn orders(
    numbers: Option<&str>,
    csv: Option<&str>,
) -> Result<Option<OrderHistory>, ApiError> {
    let numbers = numbers.map(str::trim).filter(|s| !s.is_empty());
    let csv = csv.map(str::trim).filter(|s| !s.is_empty());
    let mut history = match csv {
        Some(c) => OrderHistory::parse(c).map_err(orders_error)?,
        None => match numbers {
            Some(n) => return OrderHistory::parse(n).map(Some).map_err(orders_error),
            None => return Ok(None),
        },
    };
    if let Some(n) = numbers {
        for o in OrderHistory::parse(n).map_err(orders_error)?.orders {
            if history.find(&o.id).is_none() {
                history.orders.push(o);
            }
        }
    }
    Ok(Some(history))
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
    use redflag_message::Error as M;
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
