//! The sans-IO state machines of the core ([`Call`], [`PlaceOrder`]) behind one interface, so
//! that one async loop carries them out.

use http::{Method, StatusCode};
use kalshi_core::orders::{CreateOrder, PlaceOrder, Placed};
use kalshi_core::rate_limit::Bucket;
use kalshi_core::retry::{AttemptFailure, Call, Next};
use kalshi_core::{Client, Operation, Timestamp};

/// One operation carried through its attempts by [`AsyncClient::drive`](crate::AsyncClient).
pub(crate) trait Driver {
    /// The typed result.
    type Output;
    /// The operation's name in the API reference, for [`crate::Error::OutcomeUnknown`].
    fn name(&self) -> &'static str;
    /// The bucket and token cost of the next request, known before it is signed (so that a
    /// rate-limit wait does not age its signature).
    fn next_cost(&self) -> (Bucket, u64);
    /// Whether the call may change the exchange's state (false for reads, whose lost answers
    /// are reported as the transport error itself, never as [`crate::Error::OutcomeUnknown`]).
    fn executes_something(&self) -> bool;
    /// The signed request of the next attempt.
    fn request(
        &mut self,
        core: &Client,
        now: Timestamp,
    ) -> Result<http::Request<Vec<u8>>, kalshi_core::Error>;
    /// The answer to the last request.
    fn on_response(
        &mut self,
        response: &http::Response<Vec<u8>>,
        random: u64,
    ) -> Next<Self::Output>;
    /// The last request failed in transport.
    fn on_failure(&mut self, failure: AttemptFailure<'_>, random: u64) -> Next<Self::Output>;
}

/// [`Call`] of one operation.
pub(crate) struct OpCall<'a, O: Operation> {
    op: &'a O,
    call: Call<'a, O>,
}

impl<'a, O: Operation> OpCall<'a, O> {
    pub(crate) fn new(op: &'a O, policy: &'a kalshi_core::retry::RetryPolicy) -> Self {
        OpCall {
            op,
            call: Call::new(op, policy),
        }
    }
}

impl<O: Operation> Driver for OpCall<'_, O> {
    type Output = O::Output;

    fn name(&self) -> &'static str {
        O::NAME
    }

    fn next_cost(&self) -> (Bucket, u64) {
        (Bucket::for_method(&O::METHOD), self.op.cost())
    }

    fn executes_something(&self) -> bool {
        !matches!(O::METHOD, Method::GET | Method::HEAD)
    }

    fn request(
        &mut self,
        core: &Client,
        now: Timestamp,
    ) -> Result<http::Request<Vec<u8>>, kalshi_core::Error> {
        self.call.request(core, now)
    }

    fn on_response(
        &mut self,
        response: &http::Response<Vec<u8>>,
        random: u64,
    ) -> Next<Self::Output> {
        self.call.on_response(response, random)
    }

    fn on_failure(&mut self, failure: AttemptFailure<'_>, random: u64) -> Next<Self::Output> {
        self.call.on_failure(failure, random)
    }
}

/// [`PlaceOrder`]: creates, then, after a 409 on a repeat, the lookup pages.
pub(crate) struct Placing<'a> {
    op: &'a CreateOrder,
    place: PlaceOrder<'a>,
    /// Whether the creates are over and the lookup `GetOrders` pages are being read. The core
    /// keeps its phase private; it switches exactly when a create answered 409 and the call
    /// asked for another request.
    looking_up: bool,
}

impl<'a> Placing<'a> {
    pub(crate) fn new(op: &'a CreateOrder, policy: &'a kalshi_core::retry::RetryPolicy) -> Self {
        Placing {
            op,
            place: PlaceOrder::new(op, policy),
            looking_up: false,
        }
    }
}

impl Driver for Placing<'_> {
    type Output = Placed;

    fn name(&self) -> &'static str {
        CreateOrder::NAME
    }

    fn next_cost(&self) -> (Bucket, u64) {
        if self.looking_up {
            (Bucket::Read, self.op.lookup().cost())
        } else {
            (Bucket::for_method(&CreateOrder::METHOD), self.op.cost())
        }
    }

    /// Even while looking the order up: the create may have landed.
    fn executes_something(&self) -> bool {
        true
    }

    fn request(
        &mut self,
        core: &Client,
        now: Timestamp,
    ) -> Result<http::Request<Vec<u8>>, kalshi_core::Error> {
        self.place.request(core, now)
    }

    fn on_response(
        &mut self,
        response: &http::Response<Vec<u8>>,
        random: u64,
    ) -> Next<Self::Output> {
        let next = self.place.on_response(response, random);
        if !self.looking_up
            && response.status() == StatusCode::CONFLICT
            && matches!(next, Next::Retry(_))
        {
            self.looking_up = true;
        }
        next
    }

    fn on_failure(&mut self, failure: AttemptFailure<'_>, random: u64) -> Next<Self::Output> {
        self.place.on_failure(failure, random)
    }
}
