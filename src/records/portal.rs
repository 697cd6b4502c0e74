//! What the records commands take from elsewhere: the portal's forms (national and each
//! region's) and the office's key.

use std::collections::BTreeMap;
use std::path::Path;

use super::decrypt::read_limited;
use super::{CryptoError, RecordsError};
use crate::envelope::{OfficeKey, MAX_KEY_BYTES};
use crate::forms::{Form, LangText};

/// The national portal's forms, checked as a build checks them.
pub fn portal_forms(root: &Path) -> Result<Vec<Form>, RecordsError> {
    Ok(site(root, None)?.forms)
}

fn site(root: &Path, region: Option<&str>) -> Result<crate::site::Site, RecordsError> {
    let mut diags = crate::diag::Diagnostics::default();
    let mut stages = Vec::new();
    match crate::build::open_site(root, region, &mut diags, &mut stages) {
        Some((site, _)) if !diags.has_errors() => Ok(site),
        _ => {
            crate::stdio::err(&diags.report());
            let shown = root.display().to_string();
            Err(match region {
                None => RecordsError::Portal(shown),
                Some(slug) => RecordsError::RegionalPortal { portal: shown, region: slug.to_string() },
            })
        }
    }
}

/// The forms of the national portal and of every region, each as that portal builds it: a region
/// may replace a national form (another version, other questions) or add one of its own, and the
/// questionnaires of its portal export records of that form, naming the region.
#[derive(Debug, Default)]
pub struct PortalForms {
    pub national: Vec<Form>,
    /// Each region's forms by slug: the national ones it keeps, and those it replaces or adds.
    pub regions: BTreeMap<String, Vec<Form>>,
    /// Each region's name, for tables counted by region.
    pub region_names: BTreeMap<String, LangText>,
}

/// Why a record's form cannot be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The record names a region the portal has no folder for.
    Region(String),
    /// Neither the portal the record names nor, if any, the regions listed have the form.
    Form { form: String, elsewhere: Vec<String> },
}

impl PortalForms {
    /// Loads the national portal and every region under `regions/`.
    pub fn load(root: &Path) -> Result<PortalForms, RecordsError> {
        let mut out = PortalForms { national: site(root, None)?.forms, ..PortalForms::default() };
        for slug in crate::region::slugs(root) {
            let site = site(root, Some(&slug))?;
            if let Ok(region) = crate::region::load(root, &slug) {
                out.region_names.insert(slug.clone(), region.name);
            }
            out.regions.insert(slug, site.forms);
        }
        Ok(out)
    }

    /// Only the national portal's forms.
    pub fn national(forms: Vec<Form>) -> PortalForms {
        PortalForms { national: forms, ..PortalForms::default() }
    }

    /// The forms of the portal a record names: `None` for the national one.
    pub fn of(&self, region: Option<&str>) -> Result<&[Form], Missing> {
        match region {
            None => Ok(&self.national),
            Some(slug) => self.regions.get(slug).map(Vec::as_slice).ok_or_else(|| Missing::Region(slug.to_string())),
        }
    }

    /// Form `id` as the portal `region` builds it.
    pub fn form(&self, region: Option<&str>, id: &str) -> Result<&Form, Missing> {
        self.of(region)?.iter().find(|f| f.id == id).ok_or_else(|| Missing::Form {
            form: id.to_string(),
            elsewhere: self
                .regions
                .iter()
                .filter(|(_, forms)| forms.iter().any(|f| f.id == id))
                .map(|(s, _)| s.clone())
                .collect(),
        })
    }

    /// Form `id` as the portal `region` builds it, for a command that names them.
    pub fn chosen(&self, region: Option<&str>, id: &str) -> Result<&Form, RecordsError> {
        self.form(region, id).map_err(|m| match m {
            Missing::Region(region) => {
                let known: Vec<&str> = self.regions.keys().map(String::as_str).collect();
                let known = if known.is_empty() { "none".to_string() } else { known.join(", ") };
                RecordsError::UnknownRegion { region, known }
            }
            Missing::Form { form, elsewhere } if region.is_none() && !elsewhere.is_empty() => {
                let first = elsewhere[0].clone();
                RecordsError::RegionalForm { form, regions: elsewhere.join(", "), first }
            }
            Missing::Form { form, .. } => match region {
                None => RecordsError::UnknownForm(form),
                Some(r) => RecordsError::UnknownRegionalForm { form, region: r.to_string() },
            },
        })
    }

    /// Every portal's forms: the national portal as `None`, then each region.
    pub fn all(&self) -> impl Iterator<Item = (Option<&str>, &[Form])> {
        std::iter::once((None, self.national.as_slice()))
            .chain(self.regions.iter().map(|(s, f)| (Some(s.as_str()), f.as_slice())))
    }

    /// The portals (national as `None`) whose form `id` is the same form as `form`: the same
    /// version and the same record schema, so their records read as `form` with no column
    /// shifted.
    pub fn sharing(&self, form: &Form) -> Vec<Option<String>> {
        // A region's added languages change only which `language` a record may name.
        let schema = |f: &Form| {
            let mut s = crate::forms::record_schema(f, "en", &|k: &str| k.to_string());
            s["properties"]["language"] = serde_json::Value::Null;
            s
        };
        let wanted = schema(form);
        self.all()
            .filter(|(_, forms)| {
                forms.iter().any(|f| f.id == form.id && f.version == form.version && schema(f) == wanted)
            })
            .map(|(region, _)| region.map(str::to_string))
            .collect()
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

/// What a command says of the records of `form` it passed over, because their portal builds
/// another form of that id; empty when there were none.
pub fn passed_over_note(form: &str, passed: &BTreeMap<Option<String>, usize>) -> String {
    let mut out = String::new();
    for (portal, n) in passed {
        let (whose, how) = match portal {
            None => ("the national portal".to_string(), "without --region".to_string()),
            Some(r) => (format!("region `{r}`"), format!("with --region {r}")),
        };
        out.push_str(&format!(
            "note: {n} record(s) of `{form}` left out: {whose} builds another form `{form}`; read them {how}\n"
        ));
    }
    out
}
