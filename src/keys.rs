//! The public keys of forms that export encrypted records (`public_key` in `[form.privacy]`).
//! Everything a questionnaire would only find out in the field — the key is missing, is not a
//! P-256 or RSA public key, is too short, lies outside the portal — is an error of the build, at the
//! `public_key` line of the form file.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::diag::{Diagnostic, Diagnostics};
use crate::envelope::{CryptoError, MIN_KEY_BITS};
use crate::forms::form::Export;
use crate::forms::Form;
use crate::source::{read_text, Layers, SourceFile};

/// A PEM public key is a few hundred bytes; a file this large is something else.
const MAX_KEY_BYTES: u64 = 64 * 1024;

/// What `public_key` must name, for the messages.
const NEEDS: &str = "`public_key` must name the office's P-256 (EC) or RSA public key in PEM";

/// How to make a key pair, for the messages.
const MAKE_A_PAIR: &str = "make a key pair on the office computer: `openssl genpkey -algorithm EC -pkeyopt \
     ec_paramgen_curve:P-256 -out office.pem`, then put only its public half in the portal: `openssl pkey -in \
     office.pem -pubout -out keys/office.pub.pem`";

/// The PEM public keys of forms that export encrypted records, by form id.
pub fn load_public_keys(layers: &Layers, forms: &[Form], diags: &mut Diagnostics) -> BTreeMap<String, String> {
    let mut keys = BTreeMap::new();
    for form in forms {
        let Some(file) = layers.file(&format!("forms/{}.toml", form.id)) else { continue };
        let Ok(text) = read_text(&file) else { continue };
        let at = |span: Range<usize>, message: String| Diagnostic::at(&file.shown, &text, span, message);
        let Some(path) = &form.privacy.public_key else {
            if form.privacy.export == Some(Export::Encrypted) {
                let span = crate::config::find_key(&text, "export").unwrap_or(0..0);
                diags.push(at(span, "`export = \"encrypted\"` needs a `public_key`".into()).with_help(
                    "add `public_key = \"keys/office.pub.pem\"`: the path of the office's public key in the portal",
                ));
            }
            continue;
        };
        match public_key(layers, path.get_ref()) {
            Ok(pem) => {
                keys.insert(form.id.clone(), pem);
            }
            Err(problem) => {
                let d = at(path.span(), problem.message);
                diags.push(match problem.help {
                    Some(help) => d.with_help(help),
                    None => d,
                });
            }
        }
    }
    keys
}

/// What is wrong with a `public_key`.
struct Problem {
    message: String,
    help: Option<String>,
}

fn problem(message: String, help: impl Into<String>) -> Problem {
    Problem { message, help: Some(help.into()) }
}

/// The key at `path` (relative to the portal, or to the region's folder first), checked.
fn public_key(layers: &Layers, path: &str) -> Result<String, Problem> {
    check_path(path)?;
    let Some(file) = layers.file(path) else {
        return Err(problem(
            format!("the public key `{path}` does not exist"),
            "the path is relative to the portal folder (for a region's form, its region folder is looked in first)",
        ));
    };
    if !inside(layers, &file) {
        return Err(problem(
            format!("the public key `{path}` is a link that leads outside the portal folder"),
            "copy the public key into the portal folder instead of linking to it",
        ));
    }
    let pem = read_key_file(&file, path)?;
    check_pem(&pem, path)?;
    Ok(pem)
}

/// A path that stays inside the folder by its words alone: relative, with no `..`.
fn check_path(path: &str) -> Result<(), Problem> {
    let help = "put the key in the portal folder, e.g. `keys/office.pub.pem`, and give its path from that folder";
    if path.trim().is_empty() {
        return Err(problem("`public_key` is empty".into(), help));
    }
    let drive = path.as_bytes().get(1) == Some(&b':');
    if path.starts_with(['/', '\\']) || drive {
        return Err(problem(format!("the public key `{path}` is outside the portal: the path is absolute"), help));
    }
    if path.contains('\\') {
        return Err(problem(format!("the public key path `{path}` uses `\\`"), "separate folders with `/`"));
    }
    if path.split('/').any(|part| part == "..") {
        return Err(problem(
            format!("the public key `{path}` is outside the portal: `..` leads out of the folder"),
            help,
        ));
    }
    Ok(())
}

/// Whether the file, links followed, lies inside one of the input folders.
fn inside(layers: &Layers, file: &SourceFile) -> bool {
    let Ok(real) = file.abs.canonicalize() else { return false };
    layers.roots().filter_map(|root| root.canonicalize().ok()).any(|root| real.starts_with(root))
}

fn read_key_file(file: &SourceFile, path: &str) -> Result<String, Problem> {
    let size = std::fs::metadata(&file.abs).map(|m| m.len()).unwrap_or(0);
    if size > MAX_KEY_BYTES {
        return Err(problem(
            format!("the public key `{path}` is {} kB, far too large to be a key", size / 1024),
            NEEDS,
        ));
    }
    let bytes = std::fs::read(&file.abs)
        .map_err(|e| Problem { message: format!("cannot read the public key `{path}`: {e}"), help: None })?;
    String::from_utf8(bytes).map_err(|_| {
        problem(
            format!("the public key `{path}` is not a PEM text file (it is binary data: a DER key?)"),
            format!("convert it to PEM: `openssl pkey -pubin -inform DER -in {path} -out keys/office.pub.pem`"),
        )
    })
}

/// A P-256 public key, or an RSA one of at least [`MIN_KEY_BITS`], in PEM SubjectPublicKeyInfo, or
/// what the file is instead.
fn check_pem(pem: &str, path: &str) -> Result<(), Problem> {
    if pem.contains("PRIVATE KEY-----") {
        return Err(problem(
            format!(
                "`{path}` is a private key: the portal folder is shared and published, and the key would be \
                 published with it"
            ),
            "move it out of the portal now and keep it only on the computer that runs `oberih decrypt`; if the \
             folder was shared already, make a new key pair. Put only the public half in the portal: `openssl \
             pkey -in office.pem -pubout -out keys/office.pub.pem`",
        ));
    }
    if pem.contains("-----BEGIN RSA PUBLIC KEY-----") {
        return Err(problem(
            format!(
                "the public key `{path}` is in PKCS#1 form (`BEGIN RSA PUBLIC KEY`); the questionnaire needs \
                 SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`)"
            ),
            format!("convert it: `openssl rsa -RSAPublicKey_in -in {path} -pubout -out keys/office.pub.pem`"),
        ));
    }
    if pem.contains("-----BEGIN CERTIFICATE-----") {
        return Err(problem(
            format!("`{path}` is a certificate, not a public key"),
            format!("take the public key out of it: `openssl x509 -in {path} -pubkey -noout > keys/office.pub.pem`"),
        ));
    }
    if pem.trim_start().starts_with("ssh-") {
        return Err(problem(
            format!("the public key `{path}` is an OpenSSH key; the questionnaire needs PEM (`BEGIN PUBLIC KEY`)"),
            format!("convert it: `ssh-keygen -e -m PKCS8 -f {path} > keys/office.pub.pem`"),
        ));
    }
    if !pem.contains("-----BEGIN PUBLIC KEY-----") {
        let found = pem.lines().find_map(|l| l.trim().strip_prefix("-----BEGIN ")?.strip_suffix("-----"));
        let message = match found {
            Some(label) => format!("`{path}` holds a PEM `{label}`, not a public key (`BEGIN PUBLIC KEY`)"),
            None => format!("`{path}` is not a key: it has no `-----BEGIN PUBLIC KEY-----` line"),
        };
        return Err(problem(message, NEEDS));
    }
    match crate::envelope::public_key_info(pem) {
        Ok(_) => Ok(()),
        Err(CryptoError::WeakKey(bits)) => Err(problem(
            format!("the public key `{path}` has {bits} bits; records need an RSA key of at least {MIN_KEY_BITS} bits"),
            MAKE_A_PAIR,
        )),
        Err(CryptoError::OtherAlgorithm(what)) => Err(problem(
            format!("the public key `{path}` is {what}; records need a P-256 (EC) key or an RSA key"),
            MAKE_A_PAIR,
        )),
        Err(CryptoError::PublicKey(detail)) => Err(problem(
            format!("the public key `{path}` is damaged: its PEM block is not a public key ({detail})"),
            NEEDS,
        )),
        Err(e) => Err(problem(format!("the public key `{path}`: {e}"), NEEDS)),
    }
}
