//! Walking every page of a paginated list.

use std::collections::VecDeque;
use std::fmt;

use kalshi_core::pagination::{Pages, Paginated};

use crate::{BlockingClient, Error};

/// The items of every page of a [`Paginated`] list; see [`BlockingClient::iter_all`].
///
/// Each page is fetched through [`BlockingClient::execute`] (with its retries) when the
/// previous page's items are used up. After an error, which it yields, the iterator ends.
pub struct Items<'c, O: Paginated> {
    client: &'c BlockingClient,
    pages: Pages<O>,
    buffer: VecDeque<O::Item>,
    pages_read: usize,
    done: bool,
}

impl<'c, O: Paginated> Items<'c, O> {
    pub(crate) fn new(client: &'c BlockingClient, first: O) -> Self {
        Items {
            client,
            pages: Pages::new(first),
            buffer: VecDeque::new(),
            pages_read: 0,
            done: false,
        }
    }

    /// Pages fetched so far.
    pub fn pages_read(&self) -> usize {
        self.pages_read
    }
}

impl<O: Paginated> Iterator for Items<'_, O> {
    type Item = Result<O::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(Ok(item));
            }
            if self.done {
                return None;
            }
            let Some(op) = self.pages.next_op() else {
                self.done = true;
                return None;
            };
            match self.client.execute(op) {
                Ok(page) => {
                    self.pages_read += 1;
                    self.buffer.extend(self.pages.on_page(page));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

impl<O: Paginated> fmt::Debug for Items<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages_read", &self.pages_read)
            .field("buffered", &self.buffer.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
