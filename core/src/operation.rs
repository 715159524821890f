//! The contract between an API operation and the request builder.

use http::{Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::Error;

/// How safe an operation is to repeat after its outcome became unknown (a timeout, a cut
/// connection, a 5xx).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Reads, and writes whose repetition leaves the same state (cancel, reset, trigger,
    /// limit update, delete): repeating is harmless.
    Idempotent,
    /// Creates that carry an idempotency key (`client_order_id`): a repeat with the same key
    /// cannot create a second object (the exchange answers 409), so a repeat is safe as long as
    /// a 409 is then resolved by looking the object up.
    IdempotentWithKey,
    /// Creates without an idempotency key (e.g. `CreateOrderGroup`): a repeat may create a
    /// second object, so it is never repeated automatically.
    NotIdempotent,
}

/// One Kalshi API operation: a plain value the caller fills in, which knows its method, path,
/// query, body and response type. [`crate::Client::request`] turns it into a signed
/// `http::Request`; [`crate::Client::response`] turns the answer into `Self::Output`.
pub trait Operation {
    /// The typed result of a successful call.
    type Output: DeserializeOwned;

    /// The operation's name in the API reference (`CreateOrderGroup`).
    const NAME: &'static str;
    /// The HTTP method.
    const METHOD: Method;
    /// The documented success status (201 for creates, 200 otherwise).
    const SUCCESS: StatusCode;
    /// Whether the operation may be repeated safely.
    const IDEMPOTENCY: Idempotency;
    /// Whether an empty success body means "no content" (operations answering `{}`).
    const EMPTY_BODY_OK: bool = false;
    /// Whether the success body holds a secret (`GenerateApiKey`'s private key): then an answer
    /// that does not parse is reported without its body or the parser's message, which may
    /// quote it.
    const SECRET_RESPONSE: bool = false;

    /// This value's idempotency (defaults to [`Operation::IDEMPOTENCY`]; operations whose
    /// safety depends on their values override it).
    fn idempotency(&self) -> Idempotency {
        Self::IDEMPOTENCY
    }

    /// Tokens this request costs against Kalshi's rate limits (10 by default; batches cost per
    /// item).
    fn cost(&self) -> u64 {
        crate::rate_limit::DEFAULT_COST
    }

    /// How many items the exchange bills this request for: 1, or the number of orders of a
    /// batch (whose endpoint cost is per item). Used with the exchange's own cost table
    /// ([`crate::rate_limit::EndpointCosts`]).
    fn cost_items(&self) -> u64 {
        1
    }

    /// A faster reader for the usual shape of a success body, tried before the general (serde)
    /// parser. `None` means "not the usual shape" and the general parser decides; when it
    /// answers, it must give exactly what the general parser gives for the same bytes (the
    /// order book's is checked against it by property tests). Defaults to `None`.
    fn decode_fast(_body: &[u8]) -> Option<Self::Output> {
        None
    }

    /// Checks the caller's values; called before anything is signed.
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }

    /// Appends the endpoint path (after the base URL's prefix) to `path`.
    fn write_path(&self, path: &mut PathWriter<'_>);

    /// Appends query parameters, if any.
    fn write_query(&self, _query: &mut QueryWriter<'_>) {}

    /// Writes the JSON body into `out` and returns true, or returns false for no body.
    fn write_body(&self, _out: &mut Vec<u8>) -> Result<bool, Error> {
        Ok(false)
    }
}

/// Characters left as they are in path segments and query values: RFC 3986 "unreserved".
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn percent_encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

/// Percent-encodes one path segment or query value (everything but RFC 3986 unreserved bytes).
///
/// ```
/// assert_eq!(kalshi_core::operation::percent_encode("a/b c?é"), "a%2Fb%20c%3F%C3%A9");
/// ```
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    percent_encode_into(&mut out, s);
    out
}

/// Builds the request path; the result is both what is sent and what is signed.
pub struct PathWriter<'a> {
    out: &'a mut String,
}

impl<'a> PathWriter<'a> {
    pub(crate) fn new(out: &'a mut String) -> Self {
        PathWriter { out }
    }

    /// Appends a literal piece of path such as `/portfolio/order_groups/`.
    pub fn literal(&mut self, s: &'static str) -> &mut Self {
        self.out.push_str(s);
        self
    }

    /// Appends a path parameter, percent-encoded so that it stays one segment.
    pub fn segment(&mut self, s: &str) -> &mut Self {
        percent_encode_into(self.out, s);
        self
    }
}

/// Builds the query string (`a=1&b=2`), percent-encoding values.
pub struct QueryWriter<'a> {
    out: &'a mut String,
    /// The parameter with the longest encoded value, to name when the URI is too long.
    longest: Option<(&'static str, usize)>,
}

impl<'a> QueryWriter<'a> {
    pub(crate) fn new(out: &'a mut String) -> Self {
        QueryWriter { out, longest: None }
    }

    /// Appends `key=value`.
    pub fn pair(&mut self, key: &'static str, value: &str) -> &mut Self {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        self.out.push_str(key);
        self.out.push('=');
        let start = self.out.len();
        percent_encode_into(self.out, value);
        let len = self.out.len() - start;
        if self.longest.is_none_or(|(_, l)| len > l) {
            self.longest = Some((key, len));
        }
        self
    }

    /// The parameter whose encoded value is the longest so far.
    pub(crate) fn longest_key(&self) -> Option<&'static str> {
        self.longest.map(|(k, _)| k)
    }

    /// Appends `key=value` when `value` is `Some`.
    pub fn opt<T: std::fmt::Display>(&mut self, key: &'static str, value: Option<T>) -> &mut Self {
        if let Some(v) = value {
            self.pair(key, &v.to_string());
        }
        self
    }
}

/// Refuses a path parameter that would not survive as one path segment.
pub(crate) fn validate_id(field: &'static str, id: &str) -> Result<(), Error> {
    if id.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if id == "." || id == ".." {
        return Err(Error::invalid(
            field,
            "`.` and `..` are not valid ids (they would change the path)",
        ));
    }
    if id.len() > 1024 {
        return Err(Error::invalid(field, "longer than 1024 bytes"));
    }
    Ok(())
}

/// Builder methods for a request's optional fields, written once: for each `/// doc`
/// `name: Type` it generates `pub fn name(mut self, v: Type) -> Self` setting
/// `self.name = Some(v)`; `String` and `ExchangeIndex` fields take `impl Into<...>`. Types are single
/// identifiers (import them first).
///
/// ```ignore
/// opt_setters! { GetOrders {
///     /// Only this market.
///     ticker: String,
///     /// Only this subaccount.
///     subaccount: u32,
/// }}
/// ```
macro_rules! opt_setters {
    ($op:ident { $($(#[$doc:meta])* $field:ident : $ty:ident),* $(,)? }) => {
        impl $op {
            $( $crate::operation::opt_setters!(@one $(#[$doc])* $field : $ty); )*
        }
    };
    (@one $(#[$doc:meta])* $field:ident : String) => {
        $(#[$doc])*
        pub fn $field(mut self, value: impl Into<String>) -> Self {
            self.$field = Some(value.into());
            self
        }
    };
    (@one $(#[$doc:meta])* $field:ident : ExchangeIndex) => {
        $(#[$doc])*
        pub fn $field(mut self, value: impl Into<$crate::ExchangeIndex>) -> Self {
            self.$field = Some(value.into());
            self
        }
    };
    (@one $(#[$doc:meta])* $field:ident : $ty:ty) => {
        $(#[$doc])*
        pub fn $field(mut self, value: $ty) -> Self {
            self.$field = Some(value);
            self
        }
    };
}
pub(crate) use opt_setters;
