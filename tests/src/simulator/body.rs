//! The response body type: a whole buffer, or (for fault injection) a body that declares more
//! bytes than it sends and then fails, so hyper closes the connection mid-body.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};

/// A response body.
#[derive(Debug, Default)]
pub(crate) struct SimBody {
    data: Option<Bytes>,
    cut: Option<Cut>,
}

#[derive(Debug)]
struct Cut {
    /// The length announced in `Content-Length`.
    declared: u64,
    /// Whether the one pause (letting hyper flush what was sent) happened.
    paused: bool,
}

impl SimBody {
    /// A complete body.
    pub(crate) fn full(data: impl Into<Bytes>) -> Self {
        let data: Bytes = data.into();
        SimBody {
            data: (!data.is_empty()).then_some(data),
            cut: None,
        }
    }

    /// A body that announces `data`'s full length (at least 16 bytes more than it sends)
    /// but sends only its first half, then fails.
    pub(crate) fn truncated(data: Bytes) -> Self {
        let half = data.slice(..data.len() / 2);
        let declared = (data.len() as u64).max(half.len() as u64 + 16);
        SimBody {
            data: (!half.is_empty()).then_some(half),
            cut: Some(Cut {
                declared,
                paused: false,
            }),
        }
    }

    /// Takes the bytes of a complete body (empty for a cut one).
    pub(crate) fn take_bytes(&mut self) -> Bytes {
        if self.cut.is_some() {
            return Bytes::new();
        }
        self.data.take().unwrap_or_default()
    }

    /// Whether this body will be cut off.
    #[cfg(test)]
    pub(crate) fn is_cut(&self) -> bool {
        self.cut.is_some()
    }
}

impl Body for SimBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if let Some(data) = this.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        match &mut this.cut {
            None => Poll::Ready(None),
            Some(cut) if !cut.paused => {
                // Yield once so the connection flushes the partial body before it fails.
                cut.paused = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Some(_) => Poll::Ready(Some(Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "response body cut off by simulator fault injection",
            )))),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && self.cut.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        match &self.cut {
            Some(cut) => SizeHint::with_exact(cut.declared),
            None => SizeHint::with_exact(self.data.as_ref().map_or(0, |d| d.len() as u64)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn full_bodies() {
        let b = SimBody::full("hello");
        assert_eq!(b.size_hint().exact(), Some(5));
        assert!(!b.is_end_stream());
        assert_eq!(run(b.collect()).unwrap().to_bytes(), "hello");
        let empty = SimBody::full("");
        assert!(empty.is_end_stream());
        assert_eq!(empty.size_hint().exact(), Some(0));
    }

    #[test]
    fn truncated_bodies_announce_more_than_they_send() {
        let b = SimBody::truncated(Bytes::from_static(b"0123456789abcdefghijklmnopqrstuvwxyz"));
        assert!(b.is_cut());
        assert_eq!(b.size_hint().exact(), Some(36));
        let mut b = b;
        let first = run(b.frame()).unwrap().unwrap().into_data().unwrap();
        assert_eq!(first, "0123456789abcdefgh");
        assert!(run(b.frame()).unwrap().is_err());
        let tiny = SimBody::truncated(Bytes::from_static(b"{}"));
        assert_eq!(tiny.size_hint().exact(), Some(17));
    }
}
