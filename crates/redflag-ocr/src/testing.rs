//! Images for tests, made by hand (the `test-util` feature): a PNG header that declares any
//! size (all a decompression bomb needs), and metadata to add to a PNG.

/// CRC-32 (IEEE), as PNG chunks carry it.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG that declares `w` x `h` pixels and holds none.
pub fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    png
}

/// `png` with a text chunk (as a photo's EXIF would be) after its header: `text` is what a
/// clean copy must not keep.
pub fn with_text_chunk(mut png: Vec<u8>, text: &[u8]) -> Vec<u8> {
    let mut chunk = (text.len() as u32 + 8).to_be_bytes().to_vec();
    chunk.extend_from_slice(b"tEXt");
    chunk.extend_from_slice(b"Comment\0");
    chunk.extend_from_slice(text);
    let crc = crc32(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    png.splice(33..33, chunk);
    png
}
