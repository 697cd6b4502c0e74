//! What the records commands take from elsewhere: the portal's forms and the office's key.

use std::path::Path;

use super::decrypt::read_limited;
use super::{CryptoError, RecordsError};
use crate::envelope::{OfficeKey, MAX_KEY_BYTES};
use crate::forms::Form;

/// The national portal's forms, checked as a build checks them.
pub fn portal_forms(root: &Path) -> Result<Vec<Form>, RecordsError> {
    let mut diags = crate::diag::Diagnostics::default();
    let mut stages = Vec::new();
    let site = crate::build::open_site(root, None, &mut diags, &mut stages);
    match site {
        Some((site, _)) if !diags.has_errors() => Ok(site.forms),
        _ => {
            crate::stdio::err(&diags.report());
            Err(RecordsError::Portal(root.display().to_string()))
        }
    }
}

/// Reads the office's private key once for the whole run. A key others can read is named, since
/// whoever reads it can read every record.
pub fn read_office_key(path: &Path) -> Result<OfficeKey, RecordsError> {
    let bytes = read_limited(path, MAX_KEY_BYTES).map_err(|e| match e {
        CryptoError::TooLarge { size_mb, .. } => {
            CryptoError::PrivateKey(format!("`{}` is {size_mb} MB, far too large to be a key", path.display()))
        }
        other => other,
    })?;
    let pem = String::from_utf8(bytes).map_err(|_| CryptoError::PrivateKey("the file is not text".into()))?;
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            crate::stdio::err(&format!(
                "warning: the private key `{}` can be read by others than its owner; run `chmod 600` on it\n",
                path.display()
            ));
        }
    }
    Ok(OfficeKey::from_pem(&pem)?)
}
