//! The sans-IO client: operation + credentials + environment + timestamp → signed request;
//! response → typed result.

use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue, USER_AGENT};

use crate::auth::{
    Credentials, HEADER_ACCESS_KEY, HEADER_ACCESS_SIGNATURE, HEADER_ACCESS_TIMESTAMP,
};
use crate::environment::{BaseUrl, Environment};
use crate::operation::{Operation, PathWriter, QueryWriter};
use crate::time::Timestamp;
use crate::{Error, response};

/// The `User-Agent` sent by default: this crate's name and version.
pub const DEFAULT_USER_AGENT: &str = concat!("kalshi-rs/", env!("CARGO_PKG_VERSION"));

/// The longest URI `http::Uri` accepts (`u16::MAX - 1` bytes).
const MAX_URI_LEN: usize = u16::MAX as usize - 1;

/// Builds signed requests and reads responses. Performs no I/O and reads no clock.
///
/// Cheap to clone; share one per API key.
#[derive(Debug, Clone)]
pub struct Client {
    base: BaseUrl,
    origin: String,
    credentials: Credentials,
    user_agent: HeaderValue,
}

impl Client {
    /// A client for `environment`, signing with `credentials`.
    pub fn new(environment: Environment, credentials: Credentials) -> Self {
        let base = environment.base_url();
        let origin = format!("{}://{}", base.scheme(), base.authority());
        Client {
            base,
            origin,
            credentials,
            user_agent: HeaderValue::from_static(DEFAULT_USER_AGENT),
        }
    }

    /// Replaces the `User-Agent` (e.g. to name your bot). Refused if not a valid header value.
    pub fn with_user_agent(mut self, user_agent: &str) -> Result<Self, Error> {
        self.user_agent = HeaderValue::from_str(user_agent)
            .map_err(|_| Error::invalid("user_agent", "not a valid HTTP header value"))?;
        Ok(self)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base
    }

    /// The credentials requests are signed with.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Builds the signed request for `op` at `timestamp`.
    ///
    /// The operation's values are checked first; a refused value returns
    /// [`Error::InvalidInput`] and nothing is signed. The signed path is exactly the path of the
    /// returned request's URI.
    pub fn request<O: Operation>(
        &self,
        op: &O,
        timestamp: Timestamp,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        op.validate()?;

        let mut path = String::with_capacity(self.base.path_prefix().len() + 64);
        path.push_str(self.base.path_prefix());
        op.write_path(&mut PathWriter::new(&mut path));

        let mut query = String::new();
        let mut query_writer = QueryWriter::new(&mut query);
        op.write_query(&mut query_writer);
        let longest_query_key = query_writer.longest_key();

        let mut body = Vec::new();
        let has_body = op.write_body(&mut body)?;

        // The URI is complete and checked before anything is signed: a value that cannot be sent
        // is refused naming its field, and nothing is signed for it.
        let mut uri = String::with_capacity(self.origin.len() + path.len() + query.len() + 1);
        uri.push_str(&self.origin);
        uri.push_str(&path);
        if !query.is_empty() {
            uri.push('?');
            uri.push_str(&query);
        }
        if uri.len() > MAX_URI_LEN {
            // Path parameters are capped at 1024 bytes; only the query can grow this long.
            return Err(Error::invalid(
                longest_query_key.unwrap_or("request"),
                format!(
                    "makes the request URI {} bytes long once percent-encoded; at most {MAX_URI_LEN} can be sent",
                    uri.len()
                ),
            ));
        }
        let uri = http::Uri::try_from(uri)
            .map_err(|e| Error::invalid("request", format!("cannot build the request URI: {e}")))?;

        let ts = timestamp.as_millis();
        let signature = self.credentials.sign(ts, O::METHOD.as_str(), &path)?;

        let mut builder = http::Request::builder()
            .method(O::METHOD)
            .uri(uri)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, self.user_agent.clone());
        if has_body {
            builder = builder.header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        let ts_value = HeaderValue::from(ts);
        let sig_value = HeaderValue::from_str(&signature)
            .map_err(|_| Error::Signing("the signer returned a non-ASCII signature".into()))?;
        builder
            .header(HEADER_ACCESS_KEY, self.credentials.key_header().clone())
            .header(HEADER_ACCESS_TIMESTAMP, ts_value)
            .header(HEADER_ACCESS_SIGNATURE, sig_value)
            .body(body)
            .map_err(|e| Error::invalid("request", format!("cannot build the request: {e}")))
    }

    /// [`Client::request`] stamped with the system clock.
    pub fn request_now<O: Operation>(&self, op: &O) -> Result<http::Request<Vec<u8>>, Error> {
        self.request(op, Timestamp::now())
    }

    /// Reads the answer to `op` (status and body) into its typed result or a typed error.
    pub fn response<O: Operation, B: AsRef<[u8]>>(
        &self,
        _op: &O,
        response: &http::Response<B>,
    ) -> Result<O::Output, Error> {
        response::parse_response::<O, B>(response)
    }
}
