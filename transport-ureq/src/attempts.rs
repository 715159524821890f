//! The core's sans-IO state machines ([`Call`], [`PlaceOrder`]) behind one interface, so that
//! one driver loop (in `lib.rs`) carries both out: sign, wait for the rate limiter, send,
//! report, sleep.

use http::Method;
use kalshi_core::orders::{CreateOrder, PlaceOrder, Placed};
use kalshi_core::retry::{AttemptFailure, Call, Next, RetryPolicy};
use kalshi_core::{Operation, Timestamp};

/// One call carried through its attempts.
pub(crate) trait Attempts {
    /// The typed result.
    type Output;

    /// The operation's name in the API reference, for [`crate::Error::OutcomeUnknown`].
    fn name(&self) -> &'static str;

    /// The method of the next request (it picks the rate-limit bucket before signing).
    fn next_method(&self) -> Method;

    /// The rate-limit cost of the next request, in tokens.
    fn next_cost(&self) -> u64;

    /// The signed request of the next attempt.
    fn request(
        &mut self,
        core: &kalshi_core::Client,
        now: Timestamp,
    ) -> Result<http::Request<Vec<u8>>, kalshi_core::Error>;

    /// The answer to the last request.
    fn on_response(
        &mut self,
        response: &http::Response<Vec<u8>>,
        random: u64,
    ) -> Next<Self::Output>;

    /// A transport failure of the last request.
    fn on_failure(&mut self, failure: AttemptFailure<'_>, random: u64) -> Next<Self::Output>;
}

/// Any operation, through [`Call`].
pub(crate) struct OpCall<'a, O: Operation> {
    op: &'a O,
    call: Call<'a, O>,
}

impl<'a, O: Operation> OpCall<'a, O> {
    pub(crate) fn new(op: &'a O, policy: &'a RetryPolicy) -> Self {
        OpCall {
            op,
            call: Call::new(op, policy),
        }
    }
}

impl<O: Operation> Attempts for OpCall<'_, O> {
    type Output = O::Output;

    fn name(&self) -> &'static str {
        O::NAME
    }

    fn next_method(&self) -> Method {
        O::METHOD
    }

    fn next_cost(&self) -> u64 {
        self.op.cost()
    }

    fn request(
        &mut self,
        core: &kalshi_core::Client,
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

/// An order placement, through [`PlaceOrder`]: creates, then (after a 409 on a repeat) the
/// pages of the lookup.
pub(crate) struct Placing<'a> {
    op: &'a CreateOrder,
    place: PlaceOrder<'a>,
    /// Set once a repeated create answered 409 and the core moved on to the lookup (it never
    /// goes back): the next requests are `GET`s of `GetOrders`.
    looking_up: bool,
}

impl<'a> Placing<'a> {
    pub(crate) fn new(op: &'a CreateOrder, policy: &'a RetryPolicy) -> Self {
        Placing {
            op,
            place: PlaceOrder::new(op, policy),
            looking_up: false,
        }
    }
}

impl Attempts for Placing<'_> {
    type Output = Placed;

    fn name(&self) -> &'static str {
        CreateOrder::NAME
    }

    fn next_method(&self) -> Method {
        if self.looking_up {
            Method::GET
        } else {
            CreateOrder::METHOD
        }
    }

    fn next_cost(&self) -> u64 {
        if self.looking_up {
            self.op.lookup().cost()
        } else {
            self.op.cost()
        }
    }

    fn request(
        &mut self,
        core: &kalshi_core::Client,
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
            && response.status() == http::StatusCode::CONFLICT
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
