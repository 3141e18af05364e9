//! Images in, grey pixels out: the format from the first bytes, the size from the header
//! before any pixel is decoded, and limits that refuse decompression bombs at once.

use crate::Error;
use image::{ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Largest image file read, in bytes (a phone screenshot is 0.2–5 MB, a 48-megapixel photo
/// as JPEG about 12 MB).
pub const MAX_IMAGE_BYTES: usize = 25 * 1024 * 1024;
/// Most pixels an image may have (40 megapixels: every phone screenshot and most photos; a
/// 50-megapixel image is refused before it is decoded).
pub const MAX_PIXELS: u64 = 40_000_000;
/// Longest side an image may have, in pixels.
pub const MAX_SIDE: u32 = 20_000;
/// Memory the decoder may allocate, in bytes.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// The longest side recognition works on: larger images are scaled down (text on a photo of
/// a screen stays large enough; recognition time grows with the pixels).
const WORK_MAX_SIDE: u32 = 2_600;
/// Images narrower than this are scaled up (text a few pixels high is read better twice as
/// large).
const WORK_MIN_WIDTH: u32 = 1_000;

/// The image formats redflag reads, and those it recognises but cannot read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// WebP.
    Webp,
    /// HEIC/HEIF (iPhone photos): recognised, not decoded.
    Heic,
    /// GIF: recognised, not decoded.
    Gif,
    /// BMP: recognised, not decoded.
    Bmp,
    /// TIFF: recognised, not decoded.
    Tiff,
}

impl Format {
    /// The format's name as people know it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Webp => "WebP",
            Format::Heic => "HEIC",
            Format::Gif => "GIF",
            Format::Bmp => "BMP",
            Format::Tiff => "TIFF",
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Webp => "image/webp",
            Format::Heic => "image/heic",
            Format::Gif => "image/gif",
            Format::Bmp => "image/bmp",
            Format::Tiff => "image/tiff",
        }
    }
}

/// The image format of `bytes` from their first bytes, or `None` when they are not an image
/// redflag knows.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(Format::Webp)
    } else if bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && matches!(
            &bytes[8..12],
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" | b"avif"
        )
    {
        Some(Format::Heic)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(Format::Gif)
    } else if is_bmp(bytes) {
        Some(Format::Bmp)
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some(Format::Tiff)
    } else {
        None
    }
}

/// A BMP file header: `BM`, reserved bytes at zero, and a known size of the header after it
/// (a text that starts with "BM" is not one).
fn is_bmp(bytes: &[u8]) -> bool {
    if bytes.len() < 26 || !bytes.starts_with(b"BM") || bytes[6..10] != [0, 0, 0, 0] {
        return false;
    }
    let dib = u32::from_le_bytes([bytes[14], bytes[15], bytes[16], bytes[17]]);
    matches!(dib, 12 | 40 | 52 | 56 | 64 | 108 | 124)
}

/// A decoded image, as grey pixels ready for recognition.
#[derive(Debug, Clone)]
pub struct Gray {
    /// Width of the image as decoded, in pixels.
    pub width: u32,
    /// Height of the image as decoded, in pixels.
    pub height: u32,
    /// Width of `pixels` (after scaling for recognition).
    pub work_width: u32,
    /// Height of `pixels`.
    pub work_height: u32,
    /// One byte per pixel, row by row, dark text on a light ground.
    pub pixels: Vec<u8>,
    /// The format it was decoded from.
    pub format: Format,
    /// True when the image was mostly dark (a dark theme) and was inverted.
    pub inverted: bool,
}

impl Gray {
    /// The same image with light and dark swapped.
    pub fn inverted(&self) -> Gray {
        Gray {
            pixels: self.pixels.iter().map(|p| 255 - p).collect(),
            inverted: !self.inverted,
            ..self.clone()
        }
    }

    /// The image with its contrast stretched locally: each pixel mapped from the darkest to
    /// the lightest of its neighbourhood (tiles of `tile` pixels, interpolated between tile
    /// centres) onto the full range, dark text on a light ground. Grey text on a grey
    /// bubble in a photo, which one threshold for the whole image loses, stands out.
    pub fn contrast_stretched(&self, tile: u32) -> Gray {
        let (w, h) = (self.work_width as usize, self.work_height as usize);
        let t = tile.max(8) as usize;
        let (tw, th) = (w.div_ceil(t), h.div_ceil(t));
        // Each tile's 2nd and 98th percentile (robust against specks).
        let mut lo = vec![0f32; tw * th];
        let mut hi = vec![255f32; tw * th];
        for ty in 0..th {
            for tx in 0..tw {
                let mut hist = [0u32; 256];
                let mut n = 0u32;
                for y in ty * t..((ty + 1) * t).min(h) {
                    for &p in &self.pixels[y * w + tx * t..y * w + ((tx + 1) * t).min(w)] {
                        hist[p as usize] += 1;
                        n += 1;
                    }
                }
                let pick = |q: u32| {
                    let mut acc = 0;
                    for (v, c) in hist.iter().enumerate() {
                        acc += c;
                        if acc * 100 >= q * n {
                            return v as f32;
                        }
                    }
                    255.0
                };
                lo[ty * tw + tx] = pick(2);
                hi[ty * tw + tx] = pick(98);
            }
        }
        let at = |grid: &[f32], fx: f32, fy: f32| {
            let x0 = (fx.floor().max(0.0) as usize).min(tw - 1);
            let y0 = (fy.floor().max(0.0) as usize).min(th - 1);
            let (x1, y1) = ((x0 + 1).min(tw - 1), (y0 + 1).min(th - 1));
            let (ax, ay) = (
                (fx - x0 as f32).clamp(0.0, 1.0),
                (fy - y0 as f32).clamp(0.0, 1.0),
            );
            let top = grid[y0 * tw + x0] * (1.0 - ax) + grid[y0 * tw + x1] * ax;
            let bottom = grid[y1 * tw + x0] * (1.0 - ax) + grid[y1 * tw + x1] * ax;
            top * (1.0 - ay) + bottom * ay
        };
        let mut out = Vec::with_capacity(self.pixels.len());
        for y in 0..h {
            let fy = (y as f32 + 0.5) / t as f32 - 0.5;
            for x in 0..w {
                let fx = (x as f32 + 0.5) / t as f32 - 0.5;
                let (l, u) = (at(&lo, fx, fy), at(&hi, fx, fy));
                let p = f32::from(self.pixels[y * w + x]);
                // A flat neighbourhood stays as it is: stretching it would make noise text.
                let v = if u - l < 24.0 {
                    p
                } else {
                    (p - l) * 255.0 / (u - l)
                };
                out.push(v.clamp(0.0, 255.0) as u8);
            }
        }
        Gray {
            pixels: out,
            ..self.clone()
        }
    }

    /// Scale from work pixels back to the image's own pixels.
    pub fn scale(&self) -> f64 {
        f64::from(self.width) / f64::from(self.work_width.max(1))
    }
}

/// The width and height an image's header declares, without decoding a pixel.
pub fn dimensions(bytes: &[u8]) -> Result<(Format, u32, u32), Error> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(Error::TooLarge {
            size: bytes.len(),
            limit: MAX_IMAGE_BYTES,
        });
    }
    let format = sniff(bytes).ok_or(Error::NotAnImage)?;
    // A PNG's size is at a fixed place in its first chunk: a bomb is refused from it even
    // when nothing follows (the decoder would first complain that the file ends).
    if format == Format::Png && bytes.len() >= 24 && &bytes[12..16] == b"IHDR" {
        let w = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
        let h = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
        check_size(w, h)?;
    }
    let image_format = match format {
        Format::Png => ImageFormat::Png,
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Webp => ImageFormat::WebP,
        other => return Err(Error::Unsupported(other)),
    };
    let (w, h) = ImageReader::with_format(Cursor::new(bytes), image_format)
        .into_dimensions()
        .map_err(|e| Error::Malformed {
            format,
            detail: short(&e.to_string()),
        })?;
    check_size(w, h)?;
    Ok((format, w, h))
}

fn check_size(w: u32, h: u32) -> Result<(), Error> {
    if w == 0 || h == 0 {
        return Err(Error::Malformed {
            format: Format::Png,
            detail: "the image has no pixels".into(),
        });
    }
    let pixels = u64::from(w) * u64::from(h);
    if pixels > MAX_PIXELS || w > MAX_SIDE || h > MAX_SIDE {
        return Err(Error::TooManyPixels {
            width: w,
            height: h,
            limit: MAX_PIXELS,
        });
    }
    Ok(())
}

/// Decodes an image within the limits and makes it ready for recognition: grey, dark text on
/// a light ground, scaled so that text is neither tiny nor needlessly large.
pub fn decode(bytes: &[u8]) -> Result<Gray, Error> {
    let (format, img) = decode_limited(bytes)?;
    let (w, h) = (img.width(), img.height());
    let mut luma = img.to_luma8();
    let (work_w, work_h) = work_size(w, h);
    if (work_w, work_h) != (w, h) {
        luma =
            image::imageops::resize(&luma, work_w, work_h, image::imageops::FilterType::Triangle);
    }
    let mut pixels = luma.into_raw();
    let inverted = mostly_dark(&pixels);
    if inverted {
        for p in &mut pixels {
            *p = 255 - *p;
        }
    }
    Ok(Gray {
        width: w,
        height: h,
        work_width: work_w,
        work_height: work_h,
        pixels,
        format,
        inverted,
    })
}

/// An image re-encoded from its pixels alone: no EXIF (a photo's place and time), no
/// comments, no colour profile. What a case keeps and a page shows.
#[derive(Debug, Clone)]
pub struct CleanImage {
    /// PNG (from a PNG or WebP) or JPEG (from a JPEG).
    pub format: Format,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The encoded image.
    pub bytes: Vec<u8>,
}

/// Decodes an image within the limits and encodes its pixels again, without metadata.
pub fn clean_copy(bytes: &[u8]) -> Result<CleanImage, Error> {
    let (format, img) = decode_limited(bytes)?;
    let (w, h) = (img.width(), img.height());
    let mut out = Vec::new();
    let format = if format == Format::Jpeg {
        let rgb = img.to_rgb8();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88)
            .encode_image(&rgb)
            .map_err(|e| Error::Engine(format!("re-encoding the image failed: {e}")))?;
        Format::Jpeg
    } else {
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(|e| Error::Engine(format!("re-encoding the image failed: {e}")))?;
        Format::Png
    };
    Ok(CleanImage {
        format,
        width: w,
        height: h,
        bytes: out,
    })
}

/// Decodes an image whose header passed [`dimensions`], with the decoder's own limits.
fn decode_limited(bytes: &[u8]) -> Result<(Format, image::DynamicImage), Error> {
    let (format, _, _) = dimensions(bytes)?;
    let image_format = match format {
        Format::Png => ImageFormat::Png,
        Format::Jpeg => ImageFormat::Jpeg,
        _ => ImageFormat::WebP,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| Error::Malformed {
        format,
        detail: short(&e.to_string()),
    })?;
    Ok((format, img))
}

/// The size recognition works at.
fn work_size(w: u32, h: u32) -> (u32, u32) {
    let long = w.max(h);
    if long > WORK_MAX_SIDE {
        let f = f64::from(WORK_MAX_SIDE) / f64::from(long);
        return (scaled(w, f), scaled(h, f));
    }
    if w < WORK_MIN_WIDTH {
        let f = (f64::from(WORK_MIN_WIDTH) / f64::from(w)).min(3.0);
        let f = f.min(f64::from(WORK_MAX_SIDE) / f64::from(long));
        if f > 1.2 {
            return (scaled(w, f), scaled(h, f));
        }
    }
    (w, h)
}

fn scaled(v: u32, f: f64) -> u32 {
    // The factor is at most 3 and the sides at most MAX_SIDE, so this fits in u32.
    ((f64::from(v) * f).round() as u32).max(1)
}

/// True when most pixels are dark: a dark theme, whose light text Tesseract reads better
/// inverted.
fn mostly_dark(pixels: &[u8]) -> bool {
    if pixels.is_empty() {
        return false;
    }
    let dark = pixels.iter().filter(|&&p| p < 96).count();
    dark * 2 > pixels.len()
}

fn short(s: &str) -> String {
    s.chars().take(160).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{crc32, with_text_chunk};

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::GrayImage::from_pixel(w, h, image::Luma([200]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn sniffs_the_formats_people_send() {
        assert_eq!(sniff(&png(2, 2)), Some(Format::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(Format::Jpeg));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Format::Webp));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Some(Format::Heic));
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), Some(Format::Gif));
        assert_eq!(sniff(b"From: someone\r\n"), None);
        // A text that starts like a BMP is a text.
        assert_eq!(
            sniff(b"BMWC You have a new notification: https://x.example/6y"),
            None
        );
        let mut bmp = b"BM\x46\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0".to_vec();
        bmp.resize(70, 0);
        assert_eq!(sniff(&bmp), Some(Format::Bmp));
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn refuses_a_bomb_from_its_header_alone() {
        // A PNG header claiming 10,000 x 5,000 pixels (50 megapixels), with no pixel data.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&10_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&5_000u32.to_be_bytes());
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        match dimensions(&bomb) {
            Err(Error::TooManyPixels { width, height, .. }) => {
                assert_eq!((width, height), (10_000, 5_000));
            }
            other => panic!("{other:?}"),
        }
        // The header alone, nothing after it.
        bomb.truncate(33);
        assert!(matches!(
            dimensions(&bomb),
            Err(Error::TooManyPixels { .. })
        ));
    }

    #[test]
    fn scales_small_screenshots_up_and_photos_down() {
        assert_eq!(work_size(400, 800), (1000, 2000));
        assert_eq!(work_size(1170, 2532), (1170, 2532));
        let (w, h) = work_size(4032, 3024);
        assert_eq!(w, 2600);
        assert!(h < 2600);
        assert_eq!(work_size(1, 1), (3, 3));
    }

    #[test]
    fn a_clean_copy_has_the_pixels_without_the_metadata() {
        // A PNG with a text chunk (as metadata) after its header.
        let with_meta = with_text_chunk(png(30, 20), b"taken at 51.5007 N, 0.1246 W");
        assert!(decode(&with_meta).is_ok());
        let clean = clean_copy(&with_meta).unwrap();
        assert_eq!(
            (clean.format, clean.width, clean.height),
            (Format::Png, 30, 20)
        );
        assert!(!clean.bytes.windows(7).any(|w| w == b"51.5007"));
        assert!(decode(&clean.bytes).is_ok());
    }

    #[test]
    fn inverts_a_dark_theme() {
        let img = image::GrayImage::from_pixel(1200, 100, image::Luma([20]));
        let mut bytes = Vec::new();
        img.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        let g = decode(&bytes).unwrap();
        assert!(g.inverted);
        assert_eq!(g.pixels[0], 235);
    }

    #[test]
    fn truncated_and_unknown_input_give_errors() {
        let mut cut = png(50, 50);
        cut.truncate(40);
        assert!(matches!(decode(&cut), Err(Error::Malformed { .. })));
        assert!(matches!(decode(b"hello"), Err(Error::NotAnImage)));
        assert!(matches!(decode(b""), Err(Error::Empty)));
        assert!(matches!(
            decode(b"\0\0\0\x18ftypheic\0\0\0\0"),
            Err(Error::Unsupported(Format::Heic))
        ));
    }
}
