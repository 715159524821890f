//! Key material is wiped before its memory goes back to the allocator.
//!
//! This test binary installs a global allocator that, while armed, looks inside every block
//! being freed for pieces of the demo private key: the PEM text, the DER encoding, and the
//! in-memory words of the private exponent `d` and of both primes. A key is loaded from a file,
//! cloned, used to sign and dropped, once per signing backend, and the freed blocks are counted.
//!
//! What it found, and so what it asserts:
//! - our code (file reading, PEM handling, `Credentials`, `Client`) leaves no copy of the PEM
//!   text, the DER or `d` in freed memory, with either backend;
//! - the pure-Rust backend, the `rsa` crate (0.10.0), leaves copies of the primes (or of
//!   p − 1 / q − 1, which the needles also match) in freed memory: temporaries while a key is
//!   loaded and at every signature, and the Montgomery form of `qinv`, which its `Zeroize` impl
//!   skips, at drop. We cannot wipe memory inside that crate; the counts are printed and the
//!   README says so. It is what the ordinary constructors (`Credentials::from_pem_file`, ...)
//!   use in the pure-Rust build (`--no-default-features --features ring`, as `.ci/run` also
//!   runs this test), and what `RsaPssSigner` always is;
//! - the AWS-LC backend, which the ordinary constructors pick in the default build (the
//!   transports' default feature `aws-lc`, this crate's default too), leaves nothing: the key
//!   goes from the zeroizing file buffer to AWS-LC's own heap, which AWS-LC wipes on free;
//! - `Credentials::from_private_key` with AWS-LC hands over a key the `rsa` crate has already
//!   parsed (so the primes are left as above) through a zeroizing DER: no PEM, DER or `d`.
//!
//! It sees heap memory handed back to Rust's allocator only: stack copies, memory never freed,
//! and memory of C code are out of its sight. The file holds a single test so that no other test
//! allocates while it is armed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use std::sync::Arc;

use base64::Engine as _;
#[cfg(feature = "aws-lc")]
use kalshi_core::auth::AwsLcSigner;
use kalshi_core::auth::{Credentials, PrivateKey, RsaPssSigner, Signer};
use kalshi_core::order_groups::CreateOrderGroup;
use kalshi_core::{Client, Environment, Timestamp};
use kalshi_simulator::{DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM};
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::traits::PrivateKeyParts;

/// Length of every needle: long enough that a chance match is out of the question.
const NEEDLE: usize = 32;

/// What the needles are, in the order of `HITS`.
const NAMES: [&str; 5] = [
    "PEM text",
    "DER encoding",
    "private exponent d",
    "prime p",
    "prime q",
];

static NEEDLES: OnceLock<[[u8; NEEDLE]; 5]> = OnceLock::new();
static ARMED: AtomicBool = AtomicBool::new(false);
static HITS: [AtomicUsize; 5] = [const { AtomicUsize::new(0) }; 5];
static SCANNED: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, plus a look into each block it is asked to free while armed.
struct Scanning;

impl Scanning {
    fn scan(block: &[u8]) {
        let Some(needles) = NEEDLES.get() else {
            return;
        };
        SCANNED.fetch_add(1, Ordering::Relaxed);
        for (i, needle) in needles.iter().enumerate() {
            if block.windows(NEEDLE).any(|w| w == needle) {
                HITS[i].fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

// SAFETY: every call is passed on to `System` with the same layout; the scan only reads the
// `layout.size()` bytes of a block that is still allocated.
unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::Relaxed) && layout.size() >= NEEDLE {
            // SAFETY: `ptr` is a live block of `layout.size()` bytes until the call below.
            Self::scan(unsafe { std::slice::from_raw_parts(ptr, layout.size()) });
        }
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Move by hand so that the old block goes through `dealloc` (and its scan) too.
        // SAFETY: the caller guarantees `new_size` is valid for `layout.align()`.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Scanning = Scanning;

/// `NEEDLE` bytes from the middle of `bytes`.
fn middle(bytes: &[u8]) -> [u8; NEEDLE] {
    let start = (bytes.len() - NEEDLE) / 2;
    bytes[start..start + NEEDLE].try_into().unwrap()
}

/// `NEEDLE` bytes from the middle of a big integer's words as they lie in memory.
fn middle_words(words: &[u64]) -> [u8; NEEDLE] {
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_ne_bytes()).collect();
    let start = (words.len() / 2) * 8 - NEEDLE / 2;
    bytes[start..start + NEEDLE].try_into().unwrap()
}

// `Word` is u64 on the 64-bit targets this test runs on (asserted below), so `u64::from` is a no-op
// there; it keeps the intent explicit.
#[allow(clippy::useless_conversion)]
fn needles() -> [[u8; NEEDLE]; 5] {
    let body: String = DEMO_PRIVATE_KEY_PEM
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(&body)
        .expect("the demo key is PEM");
    // Parsed once with the rsa crate itself, before arming, to learn the key's words.
    let key = rsa::PrivateKey::from_pkcs1_der(&der).expect("the demo key is PKCS#1");
    assert_eq!(
        std::mem::size_of_val(&key.d().as_words()[0]),
        8,
        "this test reads big-integer words as u64"
    );
    let words =
        |n: &rsa::BoxedUint| -> Vec<u64> { n.as_words().iter().map(|w| u64::from(*w)).collect() };
    [
        middle(body.as_bytes()),
        middle(&der),
        middle_words(&words(key.d())),
        middle_words(&words(key.primes()[0].as_ref())),
        middle_words(&words(key.primes()[1].as_ref())),
    ]
}

/// Runs `work` with the scan armed and returns the hits per needle.
fn freed_copies(work: impl FnOnce()) -> [usize; 5] {
    for hits in &HITS {
        hits.store(0, Ordering::SeqCst);
    }
    ARMED.store(true, Ordering::SeqCst);
    work();
    ARMED.store(false, Ordering::SeqCst);
    std::array::from_fn(|i| HITS[i].load(Ordering::SeqCst))
}

fn report(backend: &str, hits: &[usize; 5]) -> String {
    let found: Vec<String> = NAMES
        .iter()
        .zip(hits)
        .map(|(name, n)| format!("{name}: {n}"))
        .collect();
    format!("{backend}: freed blocks holding {}", found.join(", "))
}

const SIGNATURES: u64 = 3;
const MESSAGE: &[u8] = b"1703123456789POST/trade-api/v2/portfolio/order_groups/create";

/// Signs `SIGNATURES` requests with `credentials` and checks they carry a signature.
fn sign_requests(credentials: Credentials) {
    let client = Client::new(Environment::Demo, credentials);
    for i in 0..SIGNATURES {
        let request = client
            .request(
                &CreateOrderGroup::new(10 + i),
                Timestamp::from_millis(1_703_123_456_789 + i),
            )
            .unwrap();
        assert!(request.headers().contains_key("KALSHI-ACCESS-SIGNATURE"));
    }
}

#[test]
fn key_material_is_wiped_before_it_is_freed() {
    let path = std::env::temp_dir().join(format!("kalshi-zeroize-{}.pem", std::process::id()));
    std::fs::write(&path, DEMO_PRIVATE_KEY_PEM).unwrap();
    NEEDLES.set(needles()).unwrap();

    // The scan must see a block that still holds a needle: free one on purpose.
    let planted = freed_copies(|| drop(NEEDLES.get().unwrap()[2].to_vec()));
    assert_eq!(
        planted,
        [0, 0, 1, 0, 0],
        "the scan does not see a freed copy of d"
    );

    // The pure-Rust backend, chosen explicitly: everything a program does with a key, from the
    // file on.
    let rsa = freed_copies(|| {
        let key = PrivateKey::from_pem_file(&path).unwrap();
        let signer = RsaPssSigner::new(key.clone());
        assert!(signer.sign(MESSAGE).is_ok());
        let credentials = Credentials::new(DEMO_KEY_ID, Arc::new(RsaPssSigner::new(key))).unwrap();
        assert_eq!(credentials.signer_name(), RsaPssSigner::NAME);
        sign_requests(credentials);
    });
    let scanned = SCANNED.load(Ordering::SeqCst);
    assert!(scanned > 100, "only {scanned} blocks were looked at");
    eprintln!("{}", report("rsa 0.10 (RsaPssSigner)", &rsa));
    assert_eq!(
        rsa[..3],
        [0, 0, 0],
        "our key handling left key material in freed memory; {}",
        report("rsa", &rsa)
    );

    // The ordinary constructors, with whichever backend this build picks.
    let ordinary = freed_copies(|| {
        for credentials in [
            Credentials::from_pem_file(DEMO_KEY_ID, &path).unwrap(),
            Credentials::from_pem(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap(),
        ] {
            assert_eq!(
                credentials.signer_name(),
                if cfg!(feature = "aws-lc") {
                    "rsa-pss (aws-lc-rs)"
                } else {
                    RsaPssSigner::NAME
                }
            );
            sign_requests(credentials);
        }
    });
    let label = format!(
        "Credentials::from_pem_file / from_pem ({})",
        if cfg!(feature = "aws-lc") {
            "aws-lc-rs, the transports' default"
        } else {
            "rsa 0.10, the pure-Rust build"
        }
    );
    eprintln!("{}", report(&label, &ordinary));
    if cfg!(feature = "aws-lc") {
        // Nothing at all: the key never passes through the `rsa` crate.
        assert_eq!(
            ordinary,
            [0; 5],
            "the AWS-LC path left key material in freed memory; {}",
            report(&label, &ordinary)
        );
    } else {
        assert_eq!(
            ordinary[..3],
            [0, 0, 0],
            "our key handling left key material in freed memory; {}",
            report(&label, &ordinary)
        );
    }

    #[cfg(feature = "aws-lc")]
    {
        #[allow(deprecated)]
        let aws = freed_copies(|| {
            let signer = AwsLcSigner::from_pem_file(&path).unwrap();
            assert!(signer.sign(MESSAGE).is_ok());
            sign_requests(Credentials::from_pem_file_fast(DEMO_KEY_ID, &path).unwrap());
            sign_requests(Credentials::from_pem_fast(DEMO_KEY_ID, DEMO_PRIVATE_KEY_PEM).unwrap());
        });
        eprintln!(
            "{}",
            report("AwsLcSigner, from_pem_file_fast (deprecated)", &aws)
        );
        assert_eq!(
            aws,
            [0; 5],
            "the AWS-LC path left key material in freed memory; {}",
            report("aws-lc-rs", &aws)
        );

        // A key the `rsa` crate parsed, handed to AWS-LC.
        let handed = freed_copies(|| {
            let key = PrivateKey::from_pem_file(&path).unwrap();
            let credentials = Credentials::from_private_key(DEMO_KEY_ID, key).unwrap();
            assert_eq!(credentials.signer_name(), AwsLcSigner::NAME);
            sign_requests(credentials);
        });
        eprintln!(
            "{}",
            report(
                "Credentials::from_private_key (rsa parse, aws-lc-rs)",
                &handed
            )
        );
        assert_eq!(
            handed[..3],
            [0, 0, 0],
            "our key handling left key material in freed memory; {}",
            report("from_private_key", &handed)
        );
    }
    std::fs::remove_file(&path).ok();
}
