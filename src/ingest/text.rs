//! Turning bytes into text: byte-order marks, declared code pages, and files that lie about theirs.

use super::error::{IngestError, Location};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use std::borrow::Cow;
use std::path::Path;

/// Text decoded from a file, and how.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The text.
    pub text: Cow<'a, str>,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// A note when the declared encoding was overridden (e.g. declared Latin-1, actually UTF-8).
    pub warning: Option<String>,
}

/// Looks up an encoding label as PX files and CSV exports spell it (`windows-1252`, `iso-8859-1`,
/// `utf-8`, `ANSI`, `1252`, `latin1` …).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().trim_matches('"').to_ascii_lowercase();
    match l.as_str() {
        // PX CHARSET="ANSI" means the Windows ANSI code page, which for the Nordic publishers is 1252.
        "ansi" | "1252" | "cp1252" | "windows1252" => Some(WINDOWS_1252),
        "utf8" | "utf-8" | "65001" => Some(UTF_8),
        // encoding_rs maps iso-8859-1 to windows-1252 (the WHATWG rule), which agrees on every printable byte.
        "latin1" | "latin-1" | "iso88591" | "28591" => Some(WINDOWS_1252),
        "iso885915" | "28605" => Encoding::for_label(b"iso-8859-15"),
        _ => Encoding::for_label(l.as_bytes()),
    }
}

/// Strips a UTF-8 byte-order mark.
pub fn strip_bom(bytes: &[u8]) -> (&[u8], bool) {
    match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    }
}

/// Decodes `bytes` as `declared` (or UTF-8 when `None`).
///
/// A UTF-8 byte-order mark wins over any declaration. A file declared as a single-byte code page whose
/// bytes are valid UTF-8 with multi-byte sequences is decoded as UTF-8, and the override is reported in
/// [`Decoded::warning`]: such files exist in the wild (a PX file declaring iso-8859-15 whose bytes are
/// UTF-8) and reading them as declared would turn every `ä` into `Ã¤` without a word.
///
/// # Errors
///
/// Bytes that are not valid in a declared UTF-8 encoding, with the line of the first bad byte.
pub fn decode<'a>(
    path: &Path,
    bytes: &'a [u8],
    declared: Option<&'static Encoding>,
) -> Result<Decoded<'a>, IngestError> {
    let (body, bom) = strip_bom(bytes);
    let enc = if bom {
        UTF_8
    } else {
        declared.unwrap_or(UTF_8)
    };
    if enc == UTF_8 {
        return match std::str::from_utf8(body) {
            Ok(s) => Ok(Decoded {
                text: Cow::Borrowed(s),
                encoding: UTF_8,
                warning: None,
            }),
            Err(e) => {
                let upto = e.valid_up_to();
                let line = body[..upto].iter().filter(|&&b| b == b'\n').count() + 1;
                Err(IngestError::Encoding {
                    path: path.to_path_buf(),
                    location: Location::Line(line),
                    found: format!(
                        "byte 0x{:02X} that is not UTF-8",
                        body.get(upto).copied().unwrap_or(0)
                    ),
                    expected: if bom {
                        "UTF-8 throughout, as the byte-order mark at the start of the file says \
                         (part of the file is in another encoding: re-save it all as UTF-8)"
                            .into()
                    } else {
                        "UTF-8 text (or declare the code page, e.g. windows-1252)".into()
                    },
                })
            }
        };
    }
    if !body.is_ascii()
        && let Ok(s) = std::str::from_utf8(body)
    {
        return Ok(Decoded {
            text: Cow::Borrowed(s),
            encoding: UTF_8,
            warning: Some(format!(
                "declared {} but the bytes are UTF-8; read as UTF-8",
                enc.name()
            )),
        });
    }
    let (text, _, _) = enc.decode(body);
    Ok(Decoded {
        text,
        encoding: enc,
        warning: None,
    })
}

/// The first C0 control character (U+0000–U+001F: NUL, tab, line breaks and the rest) in `s`, with
/// its 1-based position in characters.
///
/// Codes, labels, dimension ids and status symbols may not hold one: hwf's CSV reader refuses a NUL
/// and a line break inside a quoted field, a tab can pass for the separator when hwf reads its own CSV
/// back, and XML (hwf's xlsx, SVG and HTML outputs) cannot carry the others. The readers refuse them
/// at their place (see [`control_message`]).
pub fn control_char(s: &str) -> Option<(usize, char)> {
    // The C0 controls are single bytes, and no byte of a longer UTF-8 sequence is below 0x80.
    if !s.bytes().any(|b| b < 0x20) {
        return None;
    }
    s.chars()
        .enumerate()
        .find(|(_, c)| (*c as u32) < 0x20)
        .map(|(i, c)| (i + 1, c))
}

/// What [`control_char`] found, for a message: `a NUL (U+0000) at character 4 of the code "ab…"`.
pub fn control_message(what: &str, s: &str, (pos, c): (usize, char)) -> String {
    let name = match c {
        '\0' => "a NUL",
        '\t' => "a tab",
        '\n' => "a line feed",
        '\r' => "a carriage return",
        _ => "a control character",
    };
    let shown: String = s
        .chars()
        .map(|c| if (c as u32) < 0x20 { '\u{fffd}' } else { c })
        .collect();
    format!(
        "{name} (U+{:04X}) at character {pos} of {what} {:?}",
        c as u32,
        super::error::excerpt(&shown)
    )
}

/// What [`control_message`] expects instead.
pub const NO_CONTROL: &str =
    "text without control characters (U+0000–U+001F), which hwf's CSV and xlsx cannot carry";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_as_publishers_write_them() {
        assert_eq!(encoding_for_label("ANSI"), Some(WINDOWS_1252));
        assert_eq!(encoding_for_label("Windows-1252"), Some(WINDOWS_1252));
        assert_eq!(encoding_for_label("iso-8859-1"), Some(WINDOWS_1252));
        assert_eq!(encoding_for_label("utf-8"), Some(UTF_8));
        assert_eq!(
            encoding_for_label("iso-8859-15").map(|e| e.name()),
            Some("ISO-8859-15")
        );
        assert_eq!(encoding_for_label("klingon-7"), None);
    }

    #[test]
    fn latin1_bytes_decode_and_utf8_impostors_are_caught() {
        let p = Path::new("x");
        let d = decode(p, b"G\xF6teborg", Some(WINDOWS_1252)).unwrap();
        assert_eq!(d.text, "Göteborg");
        assert!(d.warning.is_none());
        let d = decode(p, "Göteborg".as_bytes(), Some(WINDOWS_1252)).unwrap();
        assert_eq!(d.text, "Göteborg");
        assert!(d.warning.unwrap().contains("UTF-8"));
        let e = decode(p, b"ok\nG\xF6", None).unwrap_err();
        assert!(e.to_string().starts_with("x:2: byte 0xF6"), "{e}");
        let d = decode(p, b"\xEF\xBB\xBFSk\xC3\xA5ne", Some(WINDOWS_1252)).unwrap();
        assert_eq!(d.text, "Skåne");
    }
}
