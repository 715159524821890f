//! Client order ids: the idempotency key that makes order creates safe to repeat.

/// A fresh random client order id (a UUID v4 string such as
/// `8c35ecb3-328f-4f52-8c7c-0f4b9862f8d1`), from the operating system's random source.
///
/// Falls back to a time-and-counter id only if the OS refuses randomness.
pub fn new_client_order_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let t = crate::Timestamp::now().as_millis();
        b[..8].copy_from_slice(&t.to_be_bytes());
        b[8..].copy_from_slice(&(n ^ u64::from(std::process::id())).to_be_bytes());
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = |r: std::ops::Range<usize>| b[r].iter().map(|x| format!("{x:02x}")).collect::<String>();
    format!(
        "{}-{}-{}-{}-{}",
        h(0..4),
        h(4..6),
        h(6..8),
        h(8..10),
        h(10..16)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_uuid_v4_and_distinct() {
        let a = super::new_client_order_id();
        let b = super::new_client_order_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert_eq!(a.matches('-').count(), 4);
    }
}
