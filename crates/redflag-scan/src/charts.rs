//! The HTML report's charts, drawn by plotters as SVG to inline in the page.
//!
//! No fonts are needed: plotters' SVG backend writes text as `<text>` that the browser lays
//! out, and without its `ttf` feature plotters estimates text sizes itself.

use crate::ReportError;
use crate::summary::TimeBucket;
use crate::text::clip;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Width of every chart, in pixels (the page scales it down on narrow screens).
const WIDTH: u32 = 900;
/// Height of one bar's row.
const ROW: i32 = 24;
/// Longest bar label, in characters.
const MAX_LABEL: usize = 44;

/// Red for scams, amber for suspicious, green for clean, blue for anything else.
pub(crate) const SCAM: RGBColor = RGBColor(0xb3, 0x26, 0x1e);
pub(crate) const SUSPICIOUS: RGBColor = RGBColor(0xd9, 0x8a, 0x00);
pub(crate) const CLEAN: RGBColor = RGBColor(0x2e, 0x7d, 0x32);
pub(crate) const NEUTRAL: RGBColor = RGBColor(0x1f, 0x5f, 0x99);
const MUTED: RGBColor = RGBColor(0xb0, 0xb8, 0xc4);

fn err(e: impl std::fmt::Display) -> ReportError {
    ReportError::Chart(e.to_string())
}

/// Makes plotters' `<svg>` an accessible image that scales with the page.
fn finish(svg: String, label: &str) -> String {
    let svg = match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    };
    svg.replacen(
        "<svg ",
        &format!(
            "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" ",
            crate::text::html(label)
        ),
        1,
    )
}

/// One horizontal bar per item, label on the left and value on the right, in the order
/// given.
pub(crate) fn bars(
    items: &[(String, usize, RGBColor)],
    label: &str,
) -> Result<String, ReportError> {
    let rows = i32::try_from(items.len().max(1)).unwrap_or(i32::MAX / ROW - 1);
    let height = u32::try_from(rows * ROW + 16).unwrap_or(u32::MAX);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let chars = items
            .iter()
            .map(|i| i.0.chars().count().min(MAX_LABEL + 1))
            .max()
            .unwrap_or(0);
        let label_w = i32::try_from(chars).unwrap_or(0) * 7 + 16;
        let value_w = 64;
        let room = f64::from(WIDTH as i32 - label_w - value_w).max(40.0);
        let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1) as f64;
        let font = ("sans-serif", 13).into_font();
        let left = font.color(&BLACK).pos(Pos::new(HPos::Right, VPos::Center));
        let right = font.color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
        for (k, (name, value, color)) in items.iter().enumerate() {
            let y = 8 + i32::try_from(k).unwrap_or(0) * ROW;
            let mid = y + ROW / 2;
            root.draw(&Text::new(clip(name, MAX_LABEL), (label_w - 8, mid), &left))
                .map_err(err)?;
            let len = ((*value as f64 / max) * room).round() as i32;
            root.draw(&Rectangle::new(
                [(label_w, y + 4), (label_w + len.max(1), y + ROW - 4)],
                color.filled(),
            ))
            .map_err(err)?;
            root.draw(&Text::new(
                value.to_string(),
                (label_w + len + 6, mid),
                &right,
            ))
            .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(finish(svg, label))
}

/// Messages per period as columns, the flagged part of each in red.
pub(crate) fn timeline(buckets: &[TimeBucket], label: &str) -> Result<String, ReportError> {
    let n = buckets.len().max(1);
    let max = buckets.iter().map(|b| b.messages).max().unwrap_or(0).max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 300)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d((0..n).into_segmented(), 0..(max + max / 10 + 1))
            .map_err(err)?;
        let name = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                buckets.get(*i).map(|b| b.label.clone()).unwrap_or_default()
            }
            SegmentValue::Last => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(8))
            .y_labels(6)
            .x_label_formatter(&name)
            .y_desc("messages")
            .label_style(("sans-serif", 12))
            .axis_desc_style(("sans-serif", 13))
            .draw()
            .map_err(err)?;
        let column = |i: usize, top: usize, color: RGBColor| {
            let mut r = Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0),
                    (SegmentValue::Exact(i + 1), top),
                ],
                color.filled(),
            );
            r.set_margin(0, 0, 1, 1);
            r
        };
        chart
            .draw_series(
                buckets
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.messages > 0)
                    .map(|(i, b)| column(i, b.messages, MUTED)),
            )
            .map_err(err)?;
        chart
            .draw_series(
                buckets
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.flagged > 0)
                    .map(|(i, b)| column(i, b.flagged, SCAM)),
            )
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(finish(svg, label))
}
