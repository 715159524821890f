//! Loading RSA private keys from PEM.

use std::fmt;
use std::path::Path;

use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use zeroize::Zeroizing;

use crate::Error;

/// An RSA private key, loaded from PEM (PKCS#1 `BEGIN RSA PRIVATE KEY`, the format Kalshi hands
/// out, or PKCS#8 `BEGIN PRIVATE KEY`).
///
/// The key material is zeroized on drop and never appears in `Debug`, `Display` or errors.
///
/// ```
/// # let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/test-key.pkcs1.pem")).unwrap();
/// let key = kalshi_core::auth::PrivateKey::from_pem(&pem)?;
/// assert_eq!(key.size_bits(), 2048);
/// assert_eq!(format!("{key:?}"), "PrivateKey { bits: 2048, .. }");
/// # Ok::<(), kalshi_core::Error>(())
/// ```
#[derive(Clone)]
pub struct PrivateKey {
    pub(crate) inner: rsa::PrivateKey,
}

impl PrivateKey {
    /// Parses a PEM string holding an unencrypted RSA private key in PKCS#1 or PKCS#8 form.
    ///
    /// Anything else (an encrypted key, an EC or Ed25519 key, an OpenSSH key, a public key,
    /// garbage) is refused with [`Error::InvalidKey`] saying what was found.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let label = pem_label(pem).ok_or_else(|| {
            Error::InvalidKey("no PEM block found (expected `-----BEGIN RSA PRIVATE KEY-----` or `-----BEGIN PRIVATE KEY-----`)".into())
        })?;
        let inner = match label {
            "RSA PRIVATE KEY" => {
                if pem.contains("Proc-Type: 4,ENCRYPTED") {
                    return Err(Error::InvalidKey(
                        "the PKCS#1 key is encrypted with a passphrase; decrypt it first (openssl rsa -in key -out key.pem)".into(),
                    ));
                }
                rsa::PrivateKey::from_pkcs1_pem(pem).map_err(|e| {
                    Error::InvalidKey(format!("malformed PKCS#1 RSA private key: {e}"))
                })?
            }
            "PRIVATE KEY" => rsa::PrivateKey::from_pkcs8_pem(pem).map_err(|e| {
                let msg = e.to_string();
                if msg.contains("OID") || msg.contains("algorithm") {
                    Error::InvalidKey(format!(
                        "the PKCS#8 key is not an RSA key ({msg}); Kalshi keys are RSA"
                    ))
                } else {
                    Error::InvalidKey(format!("malformed PKCS#8 private key: {msg}"))
                }
            })?,
            "ENCRYPTED PRIVATE KEY" => {
                return Err(Error::InvalidKey(
                    "the PKCS#8 key is encrypted with a passphrase; decrypt it first (openssl pkcs8 -in key -out key.pem)".into(),
                ));
            }
            "EC PRIVATE KEY" => {
                return Err(Error::InvalidKey(
                    "this is an EC private key; Kalshi API keys are RSA".into(),
                ));
            }
            "OPENSSH PRIVATE KEY" => {
                return Err(Error::InvalidKey(
                    "this is an OpenSSH private key; Kalshi API keys are PEM RSA keys".into(),
                ));
            }
            "PUBLIC KEY" | "RSA PUBLIC KEY" => {
                return Err(Error::InvalidKey(
                    "this is a public key; signing needs the private key".into(),
                ));
            }
            other => {
                return Err(Error::InvalidKey(format!(
                    "unsupported PEM block `{}`; expected an RSA private key",
                    other.chars().take(40).collect::<String>()
                )));
            }
        };
        Ok(PrivateKey { inner })
    }

    /// Reads and parses a PEM private key file. The file contents are zeroized after parsing.
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        Self::from_pem(&read_pem_file(path.as_ref())?)
    }

    /// A warning when the key file at `path` can be read or written by anyone but its owner
    /// (Unix permission bits `0o077`), or `None` when it is private (or on other systems).
    ///
    /// The loaders do not print anything; call this and show the warning where your program
    /// reports things (the examples do).
    pub fn file_permission_warning(path: impl AsRef<Path>) -> Option<String> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = path.as_ref();
            let mode = std::fs::metadata(path).ok()?.permissions().mode();
            if mode & 0o077 != 0 {
                return Some(format!(
                    "the private key file {} is accessible to other users (mode {:o}); run `chmod 600 {}`",
                    path.display(),
                    mode & 0o777,
                    path.display()
                ));
            }
            None
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            None
        }
    }

    /// The modulus size in bits (2048 for Kalshi keys).
    pub fn size_bits(&self) -> usize {
        use rsa::traits::PublicKeyParts;
        self.inner.n().bit_width() as usize
    }

    /// The matching public key, for verifying.
    pub fn verifying_key(&self) -> super::VerifyingKey {
        super::VerifyingKey::from_rsa(self.inner.to_public_key())
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey {{ bits: {}, .. }}", self.size_bits())
    }
}

/// The label of the first PEM block (`RSA PRIVATE KEY` for `-----BEGIN RSA PRIVATE KEY-----`).
/// Reads a key file into a buffer that is wiped when dropped, checking that it is text.
pub(crate) fn read_pem_file(path: &Path) -> Result<Zeroizing<String>, Error> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::InvalidKey(format!("cannot read key file {}: {e}", path.display())))?;
    // `String::from_utf8` keeps the same buffer (no copy), and hands it back on failure.
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Zeroizing::new(text)),
        Err(e) => {
            drop(Zeroizing::new(e.into_bytes()));
            Err(Error::InvalidKey(format!(
                "key file {} is not PEM text",
                path.display()
            )))
        }
    }
}

pub(crate) fn pem_label(pem: &str) -> Option<&str> {
    let start = pem.find("-----BEGIN ")? + "-----BEGIN ".len();
    let rest = &pem[start..];
    let end = rest.find("-----")?;
    Some(rest[..end].trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
    const PKCS8: &str = include_str!("../../testdata/test-key.pkcs8.pem");
    const PUBLIC: &str = include_str!("../../testdata/test-key.pub.pem");

    #[test]
    fn loads_both_formats_to_the_same_key() {
        let a = PrivateKey::from_pem(PKCS1).unwrap();
        let b = PrivateKey::from_pem(PKCS8).unwrap();
        assert_eq!(a.inner, b.inner);
        assert_eq!(a.size_bits(), 2048);
    }

    fn err(pem: &str) -> String {
        match PrivateKey::from_pem(pem) {
            Err(Error::InvalidKey(m)) => m,
            other => panic!("expected InvalidKey, got {other:?}"),
        }
    }

    #[test]
    fn refuses_what_is_not_an_rsa_private_key() {
        assert!(err("garbage").contains("no PEM block"));
        assert!(err(PUBLIC).contains("public key"));
        assert!(
            err("-----BEGIN EC PRIVATE KEY-----\nMHc=\n-----END EC PRIVATE KEY-----\n")
                .contains("EC")
        );
        assert!(
            err(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF\n-----END ENCRYPTED PRIVATE KEY-----\n"
            )
            .contains("encrypted")
        );
        assert!(err("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n").contains("encrypted"));
        assert!(
            err("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")
                .contains("malformed")
        );
        // An Ed25519 PKCS#8 key: well-formed, but not RSA.
        let ed = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n";
        assert!(err(ed).contains("not an RSA key") || err(ed).contains("malformed"));
    }

    #[test]
    fn errors_and_debug_never_show_key_material() {
        let key = PrivateKey::from_pem(PKCS1).unwrap();
        let dbg = format!("{key:?}");
        assert!(!dbg.contains("MII"), "{dbg}");
        let body: String = PKCS1.lines().nth(1).unwrap().to_string();
        let broken = PKCS1.replace(&body, &body[..body.len() - 4]);
        let msg = err(&broken);
        assert!(!msg.contains(&body[..20]), "{msg}");
    }

    #[cfg(unix)]
    #[test]
    fn warns_about_key_files_others_can_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("kalshi-key-perm-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("key.pem");
        std::fs::write(&path, PKCS1).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let w = PrivateKey::file_permission_warning(&path).expect("a warning for 0644");
        assert!(w.contains("chmod 600") && w.contains("644"), "{w}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(PrivateKey::file_permission_warning(&path), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_file_is_a_clear_error() {
        let e = PrivateKey::from_pem_file("/nonexistent/key.pem").unwrap_err();
        assert!(e.to_string().contains("/nonexistent/key.pem"));
    }
}
