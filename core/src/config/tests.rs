//! The `KALSHI_*` rules, through the injectable lookup (the process environment is never
//! touched here).

use std::collections::HashMap;
use std::path::PathBuf;

use super::*;

const PKCS1: &str = include_str!("../../testdata/test-key.pkcs1.pem");
const PKCS8: &str = include_str!("../../testdata/test-key.pkcs8.pem");
const PUBLIC: &str = include_str!("../../testdata/test-key.pub.pem");

/// A scratch directory of this test process, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("kalshi-core-config-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// Writes `contents` to `name` with mode 0600 (Unix) and returns its path.
    fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn config(pairs: &[(&str, &str)]) -> Result<EnvConfig, EnvError> {
    let map = vars(pairs);
    EnvConfig::from_env_with(|name| map.get(name).cloned())
}

fn error(pairs: &[(&str, &str)]) -> EnvError {
    config(pairs).expect_err("the configuration was accepted")
}

/// Pieces of the test key's base64 body that no output may contain.
fn key_lines() -> Vec<&'static str> {
    PKCS1
        .lines()
        .chain(PKCS8.lines())
        .filter(|l| !l.starts_with("-----") && l.len() > 20)
        .collect()
}

fn assert_no_key_material(e: &EnvError) {
    for shown in [e.to_string(), format!("{e:?}")] {
        for line in key_lines() {
            assert!(!shown.contains(&line[..20]), "key material in {shown}");
        }
        assert!(!shown.contains("MII"), "key material in {shown}");
    }
}

#[test]
fn id_and_pem_text_default_to_demo() {
    let c = config(&[(KALSHI_API_KEY_ID, " my-key "), (KALSHI_PRIVATE_KEY, PKCS1)]).unwrap();
    assert_eq!(c.environment(), &Environment::Demo);
    assert_eq!(c.credentials().key_id(), "my-key");
    assert_eq!(c.key_source(), &KeySource::Variable);
    assert!(c.warnings().is_empty());
    // PKCS#8 too.
    config(&[(KALSHI_API_KEY_ID, "k"), (KALSHI_PRIVATE_KEY, PKCS8)]).unwrap();
}

#[test]
fn id_and_key_file() {
    let dir = Scratch::new("file");
    let path = dir.file("key.pem", PKCS1.as_bytes());
    let c = config(&[(KALSHI_API_KEY_ID, "k"), (KALSHI_PRIVATE_KEY_PATH, &path)]).unwrap();
    assert_eq!(c.key_source(), &KeySource::File(PathBuf::from(&path)));
    assert_eq!(c.environment(), &Environment::Demo);
    #[cfg(unix)]
    assert!(c.warnings().is_empty(), "{:?}", c.warnings());
    // A blank KALSHI_PRIVATE_KEY beside it counts as unset.
    config(&[
        (KALSHI_API_KEY_ID, "k"),
        (KALSHI_PRIVATE_KEY_PATH, &path),
        (KALSHI_PRIVATE_KEY, ""),
    ])
    .unwrap();
}

#[test]
fn both_keys_sign_identically() {
    let dir = Scratch::new("same");
    let path = dir.file("key.pem", PKCS1.as_bytes());
    let a = config(&[(KALSHI_API_KEY_ID, "k"), (KALSHI_PRIVATE_KEY_PATH, &path)]).unwrap();
    let b = config(&[(KALSHI_API_KEY_ID, "k"), (KALSHI_PRIVATE_KEY, PKCS1)]).unwrap();
    let verifier = crate::auth::VerifyingKey::from_pem(PUBLIC).unwrap();
    for c in [a, b] {
        let signature = c.credentials().sign(1, "GET", "/x").unwrap();
        verifier
            .verify(&crate::auth::signing_message(1, "GET", "/x"), &signature)
            .unwrap();
    }
}

#[cfg(unix)]
#[test]
fn a_key_file_others_can_read_loads_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Scratch::new("perm");
    let path = dir.file("key.pem", PKCS1.as_bytes());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let c = config(&[(KALSHI_API_KEY_ID, "k"), (KALSHI_PRIVATE_KEY_PATH, &path)]).unwrap();
    assert_eq!(c.warnings().len(), 1);
    assert!(c.warnings()[0].contains("chmod 600"), "{:?}", c.warnings());
    assert!(c.warnings()[0].contains(&path), "{:?}", c.warnings());
}

#[test]
fn flattened_newlines_are_restored() {
    let flat = PKCS1.trim_end().replace('\n', "\\n");
    assert!(!flat.contains('\n'));
    let c = config(&[(KALSHI_API_KEY_ID, "k"), (KALSHI_PRIVATE_KEY, &flat)]).unwrap();
    assert_eq!(c.key_source(), &KeySource::Variable);
    let crlf = PKCS8.trim_end().replace('\n', "\\r\\n");
    config(&[(KALSHI_API_KEY_ID, "k"), (KALSHI_PRIVATE_KEY, &crlf)]).unwrap();
    // Real line breaks are left alone.
    assert_eq!(unflatten_newlines(PKCS1), None);
    assert_eq!(
        unflatten_newlines("a\\nb\\r\\nc")
            .as_deref()
            .map(String::as_str),
        Some("a\nb\nc")
    );
}

#[test]
fn every_environment_name() {
    let base = [(KALSHI_API_KEY_ID, "k"), (KALSHI_PRIVATE_KEY, PKCS1)];
    for (name, want) in [
        ("demo", Environment::Demo),
        ("DEMO", Environment::Demo),
        (" prod ", Environment::Production),
        ("Production", Environment::Production),
        ("demo-shared", Environment::DemoShared),
        ("prod-shared", Environment::ProductionShared),
        ("PRODUCTION-SHARED", Environment::ProductionShared),
        ("", Environment::Demo),
    ] {
        let mut pairs = base.to_vec();
        pairs.push((KALSHI_ENV, name));
        assert_eq!(config(&pairs).unwrap().environment(), &want, "{name:?}");
    }
    // Every documented name is accepted.
    for (name, _) in ENVIRONMENT_NAMES {
        environment_named(name).unwrap();
    }
}

#[test]
fn the_base_url_overrides_the_environment() {
    let c = config(&[
        (KALSHI_API_KEY_ID, "k"),
        (KALSHI_PRIVATE_KEY, PKCS1),
        (KALSHI_ENV, "prod"),
        (KALSHI_BASE_URL, "http://127.0.0.1:9/trade-api/v2/"),
    ])
    .unwrap();
    assert_eq!(
        c.environment().base_url().to_string(),
        "http://127.0.0.1:9/trade-api/v2"
    );
    assert_eq!(
        c.client().base_url().to_string(),
        "http://127.0.0.1:9/trade-api/v2"
    );
    // Blank: unset.
    let c = config(&[
        (KALSHI_API_KEY_ID, "k"),
        (KALSHI_PRIVATE_KEY, PKCS1),
        (KALSHI_BASE_URL, "  "),
    ])
    .unwrap();
    assert_eq!(c.environment(), &Environment::Demo);
}

#[test]
fn credentials_alone_ignore_the_environment_variables() {
    let map = vars(&[
        (KALSHI_API_KEY_ID, "k"),
        (KALSHI_PRIVATE_KEY, PKCS1),
        (KALSHI_ENV, "staging"),
    ]);
    let c = Credentials::from_env_with(|n| map.get(n).cloned()).unwrap();
    assert_eq!(c.key_id(), "k");
}

#[test]
fn optional_is_none_only_without_any_credential_variable() {
    let none = vars(&[(KALSHI_ENV, "prod"), (KALSHI_BASE_URL, "https://x.example")]);
    assert!(
        EnvConfig::from_env_optional_with(|n| none.get(n).cloned())
            .unwrap()
            .is_none()
    );
    let blank = vars(&[(KALSHI_API_KEY_ID, ""), (KALSHI_PRIVATE_KEY_PATH, " ")]);
    assert!(
        EnvConfig::from_env_optional_with(|n| blank.get(n).cloned())
            .unwrap()
            .is_none()
    );
    let blank_id = vars(&[(KALSHI_API_KEY_ID, ""), (KALSHI_PRIVATE_KEY, PKCS1)]);
    assert_eq!(
        EnvConfig::from_env_optional_with(|n| blank_id.get(n).cloned()).unwrap_err(),
        EnvError::Empty {
            variable: KALSHI_API_KEY_ID
        }
    );
    let key_only = vars(&[(KALSHI_PRIVATE_KEY, PKCS1)]);
    assert_eq!(
        EnvConfig::from_env_optional_with(|n| key_only.get(n).cloned()).unwrap_err(),
        EnvError::MissingKeyId
    );
    let full = vars(&[(KALSHI_API_KEY_ID, "k"), (KALSHI_PRIVATE_KEY, PKCS1)]);
    assert!(
        EnvConfig::from_env_optional_with(|n| full.get(n).cloned())
            .unwrap()
            .is_some()
    );
}

/// Every bad value: its error, the variable it names, and that no key material shows.
#[test]
fn every_bad_value_names_its_variable() {
    let dir = Scratch::new("bad");
    let good = dir.file("good.pem", PKCS1.as_bytes());
    let public = dir.file("public.pem", PUBLIC.as_bytes());
    let binary = dir.file("binary.pem", &[0xff, 0xfe, 0x00, 0x80]);
    let huge = dir.file("huge.pem", &vec![b'A'; MAX_KEY_FILE_BYTES + 10]);
    let broken_text = PKCS1.replace(&PKCS1[40..60], "");
    let broken = dir.file("broken.pem", broken_text.as_bytes());
    let missing = dir.0.join("missing.pem").to_str().unwrap().to_owned();
    let directory = dir.0.to_str().unwrap().to_owned();
    let flat_pem = PKCS1.trim_end().replace('\n', "\\n");
    let id = (KALSHI_API_KEY_ID, "k");
    let pem = (KALSHI_PRIVATE_KEY, PKCS1);

    // (the variables, the variable the error must name, what it must say)
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (vec![pem], KALSHI_API_KEY_ID, "not set"),
        (
            vec![(KALSHI_API_KEY_ID, " "), pem],
            KALSHI_API_KEY_ID,
            "empty",
        ),
        (
            vec![(KALSHI_API_KEY_ID, "a\u{7f}b"), pem],
            KALSHI_API_KEY_ID,
            "HTTP header",
        ),
        (
            vec![(KALSHI_API_KEY_ID, PKCS1), pem],
            KALSHI_API_KEY_ID,
            "PEM key",
        ),
        (
            vec![(KALSHI_API_KEY_ID, &flat_pem), pem],
            KALSHI_API_KEY_ID,
            "PEM key",
        ),
        (vec![id], KALSHI_PRIVATE_KEY_PATH, "neither is set"),
        (
            vec![id, (KALSHI_PRIVATE_KEY_PATH, "")],
            KALSHI_PRIVATE_KEY_PATH,
            "empty",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY, "\n")],
            KALSHI_PRIVATE_KEY,
            "empty",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY_PATH, &good), pem],
            KALSHI_PRIVATE_KEY_PATH,
            "both are set",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY_PATH, &missing)],
            KALSHI_PRIVATE_KEY_PATH,
            "cannot read the key file",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY_PATH, &directory)],
            KALSHI_PRIVATE_KEY_PATH,
            "cannot read the key file",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY_PATH, "~/key.pem")],
            KALSHI_PRIVATE_KEY_PATH,
            "not expanded",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY_PATH, &public)],
            KALSHI_PRIVATE_KEY_PATH,
            "public key",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY_PATH, &binary)],
            KALSHI_PRIVATE_KEY_PATH,
            "not PEM text",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY_PATH, &huge)],
            KALSHI_PRIVATE_KEY_PATH,
            "larger than 64 KiB",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY_PATH, &broken)],
            KALSHI_PRIVATE_KEY_PATH,
            "malformed",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY_PATH, PKCS1)],
            KALSHI_PRIVATE_KEY_PATH,
            "not a path",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY, "garbage")],
            KALSHI_PRIVATE_KEY,
            "no PEM block",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY, &broken_text)],
            KALSHI_PRIVATE_KEY,
            "malformed",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY, PUBLIC)],
            KALSHI_PRIVATE_KEY,
            "public key",
        ),
        (
            vec![id, (KALSHI_PRIVATE_KEY, "/run/secrets/kalshi.pem")],
            KALSHI_PRIVATE_KEY,
            "looks like a file path",
        ),
        (
            vec![id, pem, (KALSHI_ENV, "staging")],
            KALSHI_ENV,
            "unknown environment `staging`",
        ),
        (
            vec![id, pem, (KALSHI_ENV, PKCS1)],
            KALSHI_ENV,
            "value not shown",
        ),
        (
            vec![
                id,
                pem,
                (KALSHI_ENV, "prod"),
                (KALSHI_BASE_URL, "http://example.com/trade-api/v2"),
            ],
            KALSHI_BASE_URL,
            "plain http is only allowed to loopback",
        ),
        (
            vec![id, pem, (KALSHI_BASE_URL, "http://10.0.0.1/trade-api/v2")],
            KALSHI_BASE_URL,
            "loopback",
        ),
        (
            vec![id, pem, (KALSHI_BASE_URL, "example.com/trade-api/v2")],
            KALSHI_BASE_URL,
            "not a URL",
        ),
        (
            vec![id, pem, (KALSHI_BASE_URL, "ftp://127.0.0.1/")],
            KALSHI_BASE_URL,
            "scheme",
        ),
        (
            vec![
                id,
                pem,
                (KALSHI_BASE_URL, "https://user:hunter2@example.com/"),
            ],
            KALSHI_BASE_URL,
            "user info",
        ),
        (
            vec![id, pem, (KALSHI_BASE_URL, PKCS1)],
            KALSHI_BASE_URL,
            "not a URL",
        ),
    ];
    for (pairs, variable, says) in &cases {
        let e = error(pairs);
        let shown = e.to_string();
        assert_eq!(e.variable(), *variable, "{shown}");
        assert!(shown.starts_with(variable), "{shown}");
        assert!(shown.contains(says), "{shown:?} does not say {says:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert_no_key_material(&e);
    }
}

#[test]
fn the_process_environment_is_read_with_std_env() {
    // Only reads: whatever the environment holds, `from_env` gives the same answer as the
    // lookup over `std::env::var` (the test binary's environment is not changed here).
    let direct = EnvConfig::from_env_optional().map(|c| c.map(|c| c.key_source().clone()));
    let lookup = EnvConfig::from_env_optional_with(|n| std::env::var(n).ok())
        .map(|c| c.map(|c| c.key_source().clone()));
    assert_eq!(direct, lookup);
}
