//! Images as PNG files and bytes as base64, for embedding a raster in an SVG as a `data:` URL. The PNG is
//! uncompressed (8-bit RGB in *stored* deflate blocks): a few lines instead of a compressor, and the heatmaps
//! it carries are small.

/// The RGB of a `width`×`height` RGBA image (`rgba` holds `width * height * 4` bytes, row 0 at the top) as a
/// PNG file: 8-bit RGB, the alpha dropped, no filtering, zlib with stored blocks.
pub fn rgb(width: u32, height: u32, rgba: &[u8]) -> Vec<u8> {
    // Each row is its filter type (0: none) and its pixels.
    let (width_px, pixels) = (width as usize, width as usize * height as usize);
    let mut raw = Vec::with_capacity(pixels * 3 + height as usize);
    for k in 0..pixels {
        if k.is_multiple_of(width_px) {
            raw.push(0);
        }
        raw.extend_from_slice(&rgba[4 * k..4 * k + 3]);
    }
    // zlib: its header (deflate, 32 KB window, no dictionary, checksum of the header), stored blocks of at
    // most 65535 bytes (the last one flagged, even when empty), and the Adler-32 of the data.
    let mut zlib = vec![0x78, 0x01];
    let mut at = 0;
    loop {
        let end = raw.len().min(at + 0xffff);
        let len = (end - at) as u16;
        zlib.push(u8::from(end == raw.len()));
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(&raw[at..end]);
        at = end;
        if at == raw.len() {
            break;
        }
    }
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());

    let mut png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    let mut header = [0; 13];
    header[..4].copy_from_slice(&width.to_be_bytes());
    header[4..8].copy_from_slice(&height.to_be_bytes());
    // 8 bits per sample, colour type 2 (RGB), deflate, no filtering beyond the per-row byte, no interlace.
    header[8..10].copy_from_slice(&[8, 2]);
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &zlib);
    chunk(&mut png, b"IEND", &[]);
    png
}

/// A PNG chunk: length, type, data and the CRC-32 of type and data.
fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let from = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32(&png[from..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

/// CRC-32 (ISO-HDLC, as PNG and zip use it), bit by bit: no table in the wasm.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xedb8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// Adler-32, zlib's checksum.
fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// Appends `bytes` in base64 (RFC 4648, with padding).
pub fn push_base64(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for group in bytes.chunks(3) {
        let n = group.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= group.len() { char::from(DIGITS[(n >> (18 - 6 * i)) as usize & 63]) } else { '=' });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base64(bytes: &[u8]) -> String {
        let mut out = String::new();
        push_base64(&mut out, bytes);
        out
    }

    #[test]
    fn checksums_match_their_check_values() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"IEND"), 0xae42_6082, "the CRC every PNG ends with");
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
        assert_eq!(adler32(b""), 1);
        // Large enough for both sums to wrap the modulus many times.
        let long: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 256) as u8).collect();
        let (mut a, mut b) = (1u64, 0u64);
        for &byte in &long {
            a += u64::from(byte);
            b += a;
        }
        assert_eq!(adler32(&long), ((b % 65521) << 16 | (a % 65521)) as u32);
    }

    #[test]
    fn base64_matches_rfc_4648() {
        assert_eq!(base64(b"Man"), "TWFu");
        for (text, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(text.as_bytes()), expected, "{text}");
        }
        assert_eq!(base64(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn a_two_by_one_image_is_this_exact_file() {
        // A red and a blue pixel; the alpha is dropped. Checksums from Python's zlib.crc32 and zlib.adler32,
        // and Python's zlib.decompress reads the IDAT data back.
        let png = rgb(2, 1, &[255, 0, 0, 255, 0, 0, 255, 128]);
        let mut expected = vec![0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
        expected.extend(b"IHDR");
        expected.extend([0, 0, 0, 2, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x7b, 0x40, 0xe8, 0xdd, 0, 0, 0, 18]);
        expected.extend(b"IDAT");
        // zlib header, one final stored block of 7 bytes (filter 0 and two pixels), Adler-32, chunk CRC.
        expected.extend([0x78, 0x01, 0x01, 0x07, 0x00, 0xf8, 0xff, 0, 255, 0, 0, 0, 0, 255]);
        expected.extend([0x07, 0x00, 0x01, 0xff, 0x55, 0x36, 0xba, 0xc7, 0, 0, 0, 0]);
        expected.extend(b"IEND");
        expected.extend([0xae, 0x42, 0x60, 0x82]);
        assert_eq!(png, expected);
    }

    #[test]
    fn large_images_take_several_stored_blocks() {
        // 200×120 RGB is 120 · 601 = 72120 bytes of data: a full block of 65535 and one of 6585.
        let png = rgb(200, 120, &vec![7; 200 * 120 * 4]);
        let zlib = &png[8 + 25 + 8..png.len() - 12 - 4];
        assert_eq!(&zlib[..7], &[0x78, 0x01, 0x00, 0xff, 0xff, 0x00, 0x00]);
        let second = 2 + 5 + 65535;
        assert_eq!(&zlib[second..second + 5], &[0x01, 0xb9, 0x19, 0x46, 0xe6]);
        assert_eq!(zlib.len(), second + 5 + 6585 + 4);
    }
}
