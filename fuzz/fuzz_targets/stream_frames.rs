//! `kalshi_core::stream::message::parse` on arbitrary text frames: never panics; an error is
//! `Error::MalformedFrame` keeping the frame (its first `MAX_KEPT_BODY` bytes and its length);
//! a frame that parses is JSON whose envelope agrees with the message (`kind()` is its `type`;
//! `sid()`, `seq()` and `command_id()` are its `sid`, `seq` and `id` where the message carries
//! them); the message written back (`to_json`) parses to an equal message; `Debug` of both
//! does not panic.
//!
//! Input: the frame's bytes, as the transport hands them over. A pure function of the bytes.
#![no_main]

use kalshi_core::Error;
use kalshi_core::response::MAX_KEPT_BODY;
use kalshi_core::stream::StreamMessage;
use kalshi_core::stream::message::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let m = match parse(data) {
        Ok(m) => m,
        Err(Error::MalformedFrame { message, frame }) => {
            assert_eq!(frame.total_len(), data.len());
            assert_eq!(frame.bytes(), &data[..data.len().min(MAX_KEPT_BODY)]);
            assert!(!message.is_empty());
            return;
        }
        Err(other) => panic!("not MalformedFrame: {other:?}"),
    };
    let _ = format!("{m:?}");

    // The envelope, read independently as plain JSON. (A document too deep for serde_json's
    // recursion limit as a `Value` is skipped: only the envelope's own depth matters to parse.)
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        assert_eq!(Some(m.kind()), v["type"].as_str(), "kind of {m:?}");
        let (id, sid, seq) = (v["id"].as_u64(), v["sid"].as_u64(), v["seq"].as_u64());
        match &m {
            StreamMessage::Subscribed { msg, .. } => {
                assert_eq!(m.sid(), Some(msg.sid));
                assert_eq!(m.command_id(), id);
            }
            StreamMessage::Unsubscribed { .. } | StreamMessage::Ok { .. } => {
                assert_eq!((m.command_id(), m.sid(), m.seq()), (id, sid, seq));
            }
            StreamMessage::ListSubscriptions { .. } | StreamMessage::Error { .. } => {
                assert_eq!((m.command_id(), m.sid(), m.seq()), (id, None, None));
            }
            StreamMessage::Unknown { .. } => {
                assert_eq!((m.command_id(), m.sid(), m.seq()), (None, sid, seq));
            }
            // Every subscription data message: `sid` is required, `seq` as sent.
            _ => {
                assert!(sid.is_some(), "a data message without sid: {m:?}");
                assert_eq!((m.command_id(), m.sid(), m.seq()), (None, sid, seq));
            }
        }
    }

    // Written back, it reads back the same.
    let out = m.to_json();
    match parse(out.as_bytes()) {
        Ok(back) => assert_eq!(back, m, "{out}"),
        Err(e) => panic!("{m:?} written as {out} does not parse: {e}"),
    }
});
