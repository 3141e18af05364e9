//! Words and their boxes, from Tesseract's TSV output.

use serde::Serialize;

/// A rectangle in the image's own pixels (not the scaled copy recognition worked on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rect {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
}

impl Rect {
    /// The smallest rectangle holding both.
    pub fn union(self, o: Rect) -> Rect {
        let x = self.x.min(o.x);
        let y = self.y.min(o.y);
        let r = (self.x + self.w).max(o.x + o.w);
        let b = (self.y + self.h).max(o.y + o.h);
        Rect {
            x,
            y,
            w: r - x,
            h: b - y,
        }
    }

    /// The bottom edge.
    pub fn bottom(self) -> u32 {
        self.y + self.h
    }
}

/// One recognised word.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// The text Tesseract read.
    pub text: String,
    /// Where it is.
    pub rect: Rect,
    /// Tesseract's confidence, 0 to 100.
    pub conf: f32,
    /// Block, paragraph and line numbers: words with the same three are on one line.
    pub line: (u32, u32, u32),
}

/// Reads the word rows (level 5) of Tesseract's TSV output, scaling boxes by `scale` back to
/// the image's own pixels. Rows that do not parse are skipped: the TSV comes from Tesseract,
/// not from the person.
pub fn parse_tsv(tsv: &str, scale: f64) -> Vec<Word> {
    let mut out = Vec::new();
    for row in tsv.lines() {
        let cols: Vec<&str> = row.splitn(12, '\t').collect();
        if cols.len() < 12 || cols[0] != "5" {
            continue;
        }
        let num = |i: usize| cols[i].trim().parse::<u32>().ok();
        let (Some(block), Some(par), Some(line)) = (num(2), num(3), num(4)) else {
            continue;
        };
        let (Some(x), Some(y), Some(w), Some(h)) = (num(6), num(7), num(8), num(9)) else {
            continue;
        };
        let conf = cols[10].trim().parse::<f32>().unwrap_or(-1.0);
        let text = cols[11].trim();
        if text.is_empty() || conf < 0.0 {
            continue;
        }
        let s = |v: u32| (f64::from(v) * scale).round() as u32;
        out.push(Word {
            text: text.to_string(),
            rect: Rect {
                x: s(x),
                y: s(y),
                w: s(w).max(1),
                h: s(h).max(1),
            },
            conf,
            line: (block, par, line),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_word_rows_and_scales_them() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
            1\t1\t0\t0\t0\t0\t0\t0\t800\t600\t-1\t\n\
            5\t1\t1\t1\t1\t1\t10\t20\t30\t12\t96.5\tYour\n\
            5\t1\t1\t1\t1\t2\t44\t20\t50\t12\t91\taccount\n\
            5\t1\t1\t1\t1\t3\t44\t20\t50\t12\t95\t \n\
            5\tbroken\n";
        let words = parse_tsv(tsv, 0.5);
        assert_eq!(words.len(), 2);
        assert_eq!(words[0].text, "Your");
        assert_eq!(
            words[0].rect,
            Rect {
                x: 5,
                y: 10,
                w: 15,
                h: 6
            }
        );
        assert_eq!(words[1].line, (1, 1, 1));
    }
}
