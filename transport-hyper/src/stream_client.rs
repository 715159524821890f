//! The async stream client: one [`StreamConnection`] and one core [`Session`] driven by the
//! caller's task, reconnecting by itself.

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use kalshi_core::Timestamp;
use kalshi_core::stream::driver::FILLS_REMEMBERED;
use kalshi_core::stream::fills::FillLedger;
use kalshi_core::stream::handshake::Backoff;
use kalshi_core::stream::message::StreamMessage;
use kalshi_core::stream::session::{Event, Session, SubscriptionKey};
use kalshi_core::stream::{Channel, LocalOrderbook, Subscribe};

use crate::{AsyncClient, Error, Frame, StreamConnection};

pub use kalshi_core::stream::driver::StreamClientConfig;

/// What [`StreamClient::next_event`] hands the caller: the session's events, and the
/// connection's life (see [`kalshi_core::stream::driver::StreamEvent`]).
pub type StreamEvent = kalshi_core::stream::driver::StreamEvent<Error>;

/// What a failed connection means for reconnecting.
enum Failure {
    /// Do not retry: a refused certificate, a URL or key that cannot work.
    Fatal,
    /// The exchange refused the handshake (4xx): retried a few times.
    Refused,
    /// Retried with backoff for as long as it takes.
    Transient,
}

fn classify(e: &Error) -> Failure {
    match e {
        Error::Certificate(_) | Error::InsecureUrl(_) | Error::Env(_) => Failure::Fatal,
        Error::Api(core) if core.is_refused_before_sending() => Failure::Fatal,
        Error::Api(core) => match core.status() {
            Some(s) if s.is_client_error() && s.as_u16() != 408 && s.as_u16() != 429 => {
                Failure::Refused
            }
            _ => Failure::Transient,
        },
        _ => Failure::Transient,
    }
}

/// A live stream: a [`StreamConnection`] and a core [`Session`] driven together by the
/// caller's task, with the books of the `orderbook_delta` subscriptions kept in sync. No task
/// is spawned: nothing happens between two calls of [`next_event`](Self::next_event).
///
/// [`next_event`](Self::next_event) is the whole loop: it sends the session's commands, reads
/// frames (text to the session, pings and pongs as signs of life) with the session's next
/// deadline as timeout, runs the session's timers, and reconnects when the connection is lost
/// or declared dead, after [`Backoff`]'s jittered delay (a tokio sleep; the randomness comes
/// from the operating system). The session then restores every subscription and resyncs every
/// book by itself. Between two calls (`&mut self` methods), the caller can subscribe, add or
/// remove markets and unsubscribe: the commands go out at the next call.
/// [`into_stream`](Self::into_stream) turns a client whose subscriptions are settled into a
/// [`Stream`](futures_util::Stream) of events.
///
/// `next_event` may be dropped unfinished (a `tokio::select!` branch that lost, a timeout)
/// while it waits for a frame or for a reconnection delay, which is where it spends its time:
/// nothing is lost. Dropped while it writes a command, that command may be sent again at the
/// next call.
///
/// Reconnecting stops, and `next_event` returns the error, for what a retry cannot fix: a
/// refused certificate ([`Error::Certificate`]), a URL that is not `wss://` nor loopback
/// ([`Error::InsecureUrl`]), a key that cannot sign ([`Error::Api`] refused before sending),
/// and [`StreamClientConfig::max_refused_handshakes`] handshakes in a row refused with a 4xx
/// status (401, 403, 404, ...). Everything else (DNS, connect, TLS, timeouts, 429, 5xx, a
/// closed or cut connection, silence) is retried for as long as it takes, each failure
/// reported as [`StreamEvent::Disconnected`]. A call after such an error starts again.
///
/// ```no_run
/// use kalshi_core::stream::session::Event;
/// use kalshi_core::stream::{Channel, Subscribe};
/// use kalshi_transport_hyper::{AsyncClient, StreamClient, StreamClientConfig, StreamEvent};
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let client = AsyncClient::from_env()?;
/// let mut stream = StreamClient::connect(&client, StreamClientConfig::default()).await?;
/// let ticker = "KXHIGHNY-26DEC06-B45.5";
/// let key = stream.subscribe(Subscribe::new([Channel::OrderbookDelta]).market_tickers([ticker]))?;
/// loop {
///     match stream.next_event().await? {
///         StreamEvent::Session(Event::BookSnapshot { market_ticker }
///         | Event::BookUpdated { market_ticker }
///         | Event::Resynced { market_ticker, .. }) => {
///             let book = stream.book(&market_ticker).expect("in sync");
///             println!("{market_ticker}: best YES bid {:?}", book.best_yes_bid());
///         }
///         StreamEvent::Disconnected { error, reconnect_in } => {
///             eprintln!("lost ({error}); again in {reconnect_in:?}");
///         }
///         _ => {}
///     }
/// #   stream.add_markets(key, ["KXHIGHNY-26DEC06-B47.5"])?;
/// }
/// # }
/// ```
pub struct StreamClient {
    client: AsyncClient,
    config: StreamClientConfig,
    session: Session,
    backoff: Backoff,
    conn: Option<StreamConnection>,
    /// Commands taken from the session, removed once written (see the cancel-safety note).
    outbox: VecDeque<String>,
    /// When to try again, while there is no connection.
    reconnect_at: Option<Instant>,
    refused: u32,
    events: VecDeque<StreamEvent>,
    /// The fills delivered, and the gap to fetch after a reconnection.
    fills: FillLedger,
    /// A reconnection happened: fetch the missed fills once `fill` is subscribed again.
    backfill_due: bool,
}

impl fmt::Debug for StreamClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamClient")
            .field("session", &self.session)
            .field("conn", &self.conn)
            .field("reconnect_at", &self.reconnect_at)
            .finish_non_exhaustive()
    }
}

impl StreamClient {
    /// Opens the stream of `client`'s environment with its key
    /// ([`AsyncClient::connect_stream`]). This first attempt is not retried: its error is
    /// returned as it is (a wrong key, an unreachable host, a server without a stream).
    pub async fn connect(
        client: &AsyncClient,
        config: StreamClientConfig,
    ) -> Result<StreamClient, Error> {
        let conn = client.connect_stream(&config.connection).await?;
        let now = Instant::now();
        let mut session = Session::new(config.session.clone());
        session.on_connected(now);
        let mut backoff = Backoff::new(config.backoff.clone());
        backoff.on_connected(now);
        Ok(StreamClient {
            client: client.clone(),
            config,
            session,
            backoff,
            conn: Some(conn),
            outbox: VecDeque::new(),
            reconnect_at: None,
            refused: 0,
            events: VecDeque::new(),
            fills: FillLedger::new(FILLS_REMEMBERED),
            backfill_due: false,
        })
    }

    /// Subscribes (sent at the next [`next_event`](Self::next_event), and again after every
    /// reconnection). Refuses what the exchange would refuse, before sending.
    pub fn subscribe(&mut self, sub: Subscribe) -> Result<SubscriptionKey, Error> {
        let fills = sub.channels.contains(&Channel::Fill);
        let key = self.session.subscribe(sub)?;
        if fills {
            // The watch begins now, on the system clock (the backfill's lower bound).
            self.fills
                .start(i64::try_from(Timestamp::now().as_millis()).unwrap_or(i64::MAX));
        }
        Ok(key)
    }

    /// Ends a subscription and drops its books. False for an unknown key.
    pub fn unsubscribe(&mut self, key: SubscriptionKey) -> bool {
        self.session.unsubscribe(key)
    }

    /// Adds markets to a subscription ([`Session::add_markets`]).
    pub fn add_markets<S: Into<String>>(
        &mut self,
        key: SubscriptionKey,
        tickers: impl IntoIterator<Item = S>,
    ) -> Result<(), Error> {
        Ok(self.session.add_markets(key, tickers)?)
    }

    /// Removes markets from a subscription ([`Session::remove_markets`]).
    pub fn remove_markets<S: Into<String>>(
        &mut self,
        key: SubscriptionKey,
        tickers: impl IntoIterator<Item = S>,
    ) -> Result<(), Error> {
        Ok(self.session.remove_markets(key, tickers)?)
    }

    /// A market's book, only while it is in sync.
    pub fn book(&self, market_ticker: &str) -> Option<&LocalOrderbook> {
        self.session.book(market_ticker)
    }

    /// The session: subscriptions, their `sid`s, every book in sync, counters.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// True while a connection is up.
    pub fn is_connected(&self) -> bool {
        self.conn.is_some()
    }

    /// Runs the loop until there is an event for the caller (see the [type's docs](Self)).
    /// Returns an error only when reconnecting stops.
    pub async fn next_event(&mut self) -> Result<StreamEvent, Error> {
        loop {
            if let Some(event) = self.events.pop_front() {
                return Ok(event);
            }
            match self.session.poll_event() {
                Some(Event::ConnectionDead) => {
                    let dead_after = self.session.config().dead_after;
                    self.lost(Error::Timeout {
                        message: format!("no frame from the exchange for {dead_after:?}"),
                        maybe_sent: true,
                    });
                    continue;
                }
                Some(Event::Message(StreamMessage::Fill(d))) => {
                    if self.fills.stream_fill(&d.msg) {
                        return Ok(StreamEvent::Session(Event::Message(StreamMessage::Fill(d))));
                    }
                    continue; // delivered already (by the stream or by a backfill)
                }
                Some(event @ Event::Subscribed { .. }) => {
                    let fill = matches!(
                        &event,
                        Event::Subscribed {
                            channel: Channel::Fill,
                            ..
                        }
                    );
                    if fill && self.backfill_due {
                        // Queued first: a future dropped during the backfill loses nothing
                        // (the gap stays for the next reconnection).
                        self.events.push_back(StreamEvent::Session(event));
                        self.backfill_due = false;
                        self.recover_fills().await;
                        continue;
                    }
                    return Ok(StreamEvent::Session(event));
                }
                Some(event) => return Ok(StreamEvent::Session(event)),
                None => {}
            }
            if self.conn.is_some() {
                self.drive().await;
            } else {
                self.reconnect().await?;
            }
        }
    }

    /// The events as a [`Stream`](futures_util::Stream), forever (reconnecting as needed);
    /// it ends after the first error (when reconnecting stops). Subscribe first: the client
    /// is inside the stream.
    pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<StreamEvent, Error>> {
        futures_util::stream::unfold(Some(self), |client| async move {
            let mut client = client?;
            match client.next_event().await {
                Ok(event) => Some((Ok(event), Some(client))),
                Err(e) => Some((Err(e), None)),
            }
        })
    }

    /// Closes the connection (a close frame, then the socket).
    pub async fn close(mut self) -> Result<(), Error> {
        match self.conn.take() {
            Some(conn) => conn.close().await,
            None => Ok(()),
        }
    }

    /// One step while connected: send, read one frame or time out, run the timers.
    async fn drive(&mut self) {
        let Some(conn) = self.conn.as_mut() else {
            return;
        };
        while let Some(text) = self.session.poll_transmit() {
            self.outbox.push_back(text);
        }
        while let Some(text) = self.outbox.front() {
            if let Err(e) = conn.send_text(text).await {
                return self.lost(e);
            }
            self.outbox.pop_front();
        }
        let now = Instant::now();
        let deadline = self.session.poll_timeout();
        if deadline.is_some_and(|d| d <= now) {
            return self.session.on_timeout(now);
        }
        // Without a deadline (none while connected, in practice) look again every second.
        let wait = deadline.map_or(Duration::from_secs(1), |d| d - now);
        match conn.recv_timeout(wait).await {
            Ok(Some(Frame::Text(text))) => self.session.on_text(text.as_bytes(), Instant::now()),
            Ok(Some(_)) => self.session.on_activity(Instant::now()),
            Ok(None) => {
                let now = Instant::now();
                if deadline.is_some_and(|d| d <= now) {
                    self.session.on_timeout(now);
                }
            }
            Err(e) => self.lost(e),
        }
    }

    /// The connection is gone: the session hears of it, the next attempt is scheduled.
    fn lost(&mut self, error: Error) {
        self.conn = None; // dropping it closes the socket
        self.outbox.clear();
        let now = Instant::now();
        self.session.on_disconnected(now);
        self.fills.on_disconnected();
        self.schedule(error, now);
    }

    fn schedule(&mut self, error: Error, now: Instant) {
        let delay = self.backoff.next_delay(now, crate::jitter());
        self.reconnect_at = Some(now + delay);
        self.events.push_back(StreamEvent::Disconnected {
            error,
            reconnect_in: delay,
        });
    }

    /// Fetches the fills missed while the stream was away (all pages), keeps the new ones and
    /// queues them as one event; on failure the gap stays for the next reconnection.
    async fn recover_fills(&mut self) {
        let Some(request) = self.fills.backfill() else {
            return;
        };
        let mut missed = Vec::new();
        {
            let pages = self.client.stream_all(request);
            futures_util::pin_mut!(pages);
            while let Some(fill) = pages.next().await {
                match fill {
                    Ok(fill) => missed.push(fill),
                    Err(e) => {
                        self.events.push_back(StreamEvent::FillsNotRecovered(e));
                        return;
                    }
                }
            }
        }
        // Oldest first, as the stream would have delivered them; the ledger keeps the new ones.
        missed.reverse();
        missed.retain(|fill| self.fills.rest_fill(fill));
        self.fills.backfill_done();
        if !missed.is_empty() {
            self.events.push_back(StreamEvent::FillsRecovered(missed));
        }
    }

    /// Waits for the scheduled time and tries to connect once.
    async fn reconnect(&mut self) -> Result<(), Error> {
        if let Some(at) = self.reconnect_at {
            tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await;
            self.reconnect_at = None;
        }
        match self.client.connect_stream(&self.config.connection).await {
            Ok(conn) => {
                let now = Instant::now();
                self.conn = Some(conn);
                self.refused = 0;
                self.backoff.on_connected(now);
                self.session.on_connected(now);
                self.events.push_back(StreamEvent::Reconnected);
                self.backfill_due = self.fills.is_started();
                Ok(())
            }
            Err(e) => {
                match classify(&e) {
                    Failure::Fatal => return Err(e),
                    Failure::Refused => {
                        self.refused += 1;
                        if self.refused >= self.config.max_refused_handshakes {
                            self.refused = 0;
                            self.backoff.reset();
                            return Err(e);
                        }
                    }
                    Failure::Transient => self.refused = 0,
                }
                self.schedule(e, Instant::now());
                Ok(())
            }
        }
    }
}
