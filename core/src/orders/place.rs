//! Placing an order so that it exists exactly once, whatever the network does.

use std::time::Duration;

use super::{CreateOrder, CreateOrderResponse, GetOrders, Order};
use crate::pagination::Pages;
use crate::retry::{AttemptFailure, Attempts, Next, RetryDecision, RetryPolicy};
use crate::{Client, Error, Operation, Timestamp};

/// How an order placement ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placed {
    /// The exchange accepted the create and answered.
    Created(CreateOrderResponse),
    /// An earlier attempt whose answer was lost had already placed the order; this is it, as
    /// found by its `client_order_id`.
    AlreadyExisted(Box<Order>),
}

impl Placed {
    /// The exchange's order id.
    pub fn order_id(&self) -> &str {
        match self {
            Placed::Created(r) => &r.order_id,
            Placed::AlreadyExisted(o) => &o.order_id,
        }
    }
}

enum Phase {
    Creating,
    /// Looking the order up after a retried create answered 409.
    LookingUp(Box<Lookup>),
}

struct Lookup {
    pages: Pages<GetOrders>,
    conflict: Error,
    attempts: u32,
}

/// Places one order, sans-IO, with retries that never double it.
///
/// The create is repeated with the same `client_order_id` after a timeout, a cut connection,
/// a 5xx or a 429. If a repeat answers 409 (the id is taken, so an earlier attempt landed), the
/// order is looked up by its id on its market and returned as [`Placed::AlreadyExisted`].
/// A 409 on the very first attempt is the caller's own duplicate and is returned as
/// [`Error::Conflict`].
///
/// Drive it like [`crate::retry::Call`]: `request`, send, then `on_response` or `on_failure`.
pub struct PlaceOrder<'a> {
    op: &'a CreateOrder,
    policy: &'a RetryPolicy,
    attempts: u32,
    phase: Phase,
}

impl<'a> PlaceOrder<'a> {
    /// Places `op` under `policy`.
    pub fn new(op: &'a CreateOrder, policy: &'a RetryPolicy) -> Self {
        PlaceOrder {
            op,
            policy,
            attempts: 0,
            phase: Phase::Creating,
        }
    }

    /// Create attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The method of the next request: `POST` for a create, `GET` for a page of the lookup
    /// (so a rate limiter can pick the right bucket before the request is signed).
    pub fn next_method(&self) -> http::Method {
        match self.phase {
            Phase::Creating => http::Method::POST,
            Phase::LookingUp(_) => http::Method::GET,
        }
    }

    /// The next request to send (a create, or a page of the lookup).
    pub fn request(
        &mut self,
        client: &Client,
        now: Timestamp,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        match &mut self.phase {
            Phase::Creating => {
                let req = client.request(self.op, now)?;
                self.attempts += 1;
                Ok(req)
            }
            Phase::LookingUp(l) => {
                let Lookup {
                    pages, attempts, ..
                } = &mut **l;
                let op = pages
                    .next_op()
                    .ok_or_else(|| Error::invalid("lookup", "no lookup page left"))?;
                let req = client.request(op, now)?;
                *attempts += 1;
                Ok(req)
            }
        }
    }

    /// Reports the answer to the last request.
    pub fn on_response<B: AsRef<[u8]>>(
        &mut self,
        response: &http::Response<B>,
        random: u64,
    ) -> Next<Placed> {
        match &mut self.phase {
            Phase::Creating => match crate::response::parse_response::<CreateOrder, B>(response) {
                Ok(r) => Next::Done(Ok(Placed::Created(r))),
                Err(conflict @ Error::Conflict(_)) if self.attempts > 1 => {
                    let mut lookup = self.op.lookup();
                    lookup.limit = Some(1000);
                    self.phase = Phase::LookingUp(Box::new(Lookup {
                        pages: Pages::new(lookup),
                        conflict,
                        attempts: 0,
                    }));
                    Next::Retry(Duration::ZERO)
                }
                Err(e) => match self.policy.decide(
                    self.op.idempotency(),
                    self.attempts,
                    AttemptFailure::Answered(&e),
                    random,
                ) {
                    RetryDecision::RetryAfter(d) => Next::Retry(d),
                    _ => Next::Done(Err(e)),
                },
            },
            Phase::LookingUp(l) => {
                match crate::response::parse_response::<GetOrders, B>(response) {
                    Ok(page) => {
                        let Lookup {
                            pages,
                            conflict,
                            attempts,
                        } = &mut **l;
                        let items = pages.on_page(page);
                        if let Some(found) = self.op.find_in(&items) {
                            return Next::Done(Ok(Placed::AlreadyExisted(Box::new(found.clone()))));
                        }
                        if pages.next_op().is_some() {
                            *attempts = 0;
                            Next::Retry(Duration::ZERO)
                        } else {
                            Next::Done(Err(conflict.clone()))
                        }
                    }
                    Err(e) => match self.policy.decide(
                        GetOrders::IDEMPOTENCY,
                        l.attempts,
                        AttemptFailure::Answered(&e),
                        random,
                    ) {
                        RetryDecision::RetryAfter(d) => Next::Retry(d),
                        _ => Next::Done(Err(e)),
                    },
                }
            }
        }
    }

    /// Reports that the last request failed in transport.
    pub fn on_failure(&mut self, failure: AttemptFailure<'_>, random: u64) -> Next<Placed> {
        let (idempotency, attempts) = match &self.phase {
            Phase::Creating => (self.op.idempotency(), self.attempts),
            Phase::LookingUp(l) => (GetOrders::IDEMPOTENCY, l.attempts),
        };
        self.policy
            .decide(idempotency, attempts, failure, random)
            .after_failure()
    }
}

impl Attempts for PlaceOrder<'_> {
    type Output = Placed;

    fn name(&self) -> &'static str {
        CreateOrder::NAME
    }

    fn next_method(&self) -> http::Method {
        PlaceOrder::next_method(self)
    }

    fn next_cost(&self) -> u64 {
        match self.phase {
            Phase::Creating => self.op.cost(),
            Phase::LookingUp(_) => self.op.lookup().cost(),
        }
    }

    fn next_cost_with(&self, costs: &crate::rate_limit::EndpointCosts) -> u64 {
        match self.phase {
            Phase::Creating => costs.cost_of(self.op),
            Phase::LookingUp(_) => costs.cost_of(&self.op.lookup()),
        }
    }

    /// True even while looking the order up: the create may have landed.
    fn executes_something(&self) -> bool {
        true
    }

    fn request(
        &mut self,
        client: &Client,
        now: Timestamp,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        PlaceOrder::request(self, client, now)
    }

    fn on_response<B: AsRef<[u8]>>(
        &mut self,
        response: &http::Response<B>,
        random: u64,
    ) -> Next<Placed> {
        PlaceOrder::on_response(self, response, random)
    }

    fn on_failure(&mut self, failure: AttemptFailure<'_>, random: u64) -> Next<Placed> {
        PlaceOrder::on_failure(self, failure, random)
    }
}
