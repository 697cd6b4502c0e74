//! The questionnaire's data block: the compiled form as JSON, deflated (zlib) and written in
//! base64, which the runtime inflates with the browser's own `DecompressionStream`.
//!
//! The texts of every language travel in the page (the language switch must keep the answers,
//! which live in memory only), and deflating them halves the page a worker opens from a stick
//! or downloads over a weak connection. Base64 also means no label can ever close the element
//! or open markup, whatever it contains.

use std::io::{Read, Write};

use base64::Engine;
use flate2::{read::ZlibDecoder, write::ZlibEncoder, Compression};
use serde_json::Value;

/// Why a data block could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    #[error("the form data is not base64: {0}")]
    Base64(#[from] base64::DecodeError),
    #[error("the form data does not inflate: {0}")]
    Inflate(#[from] std::io::Error),
    #[error("the form data is not JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The text of the page's `#form-data` block for `data`.
pub fn pack(data: &Value) -> String {
    let json = data.to_string();
    let mut deflater = ZlibEncoder::new(Vec::with_capacity(json.len() / 3), Compression::best());
    // Writing into a Vec cannot fail.
    let deflated = deflater.write_all(json.as_bytes()).and_then(|()| deflater.finish()).unwrap_or_default();
    base64::engine::general_purpose::STANDARD.encode(deflated)
}

/// The compiled form a data block carries (tests, tools that read a built page).
pub fn unpack(block: &str) -> Result<Value, UnpackError> {
    let deflated = base64::engine::general_purpose::STANDARD.decode(block.trim())?;
    let mut json = String::new();
    ZlibDecoder::new(deflated.as_slice()).read_to_string(&mut json)?;
    Ok(serde_json::from_str(&json)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_and_cannot_close_the_block() {
        let v = json!({ "label": ["</script><script>alert(1)</script> & <!--", "ґ’ʼ'\u{2028}"] });
        let block = pack(&v);
        assert!(block.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)), "{block}");
        assert_eq!(unpack(&block).unwrap(), v);
    }

    #[test]
    fn damaged_blocks_are_errors() {
        assert!(matches!(unpack("not base64!"), Err(UnpackError::Base64(_))));
        assert!(matches!(unpack("AAAA"), Err(UnpackError::Inflate(_))));
    }
}
