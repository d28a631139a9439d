//! How a tablet cuts the visits it kept offline into requests to `POST /api/visits/sync`, and
//! how large a request the server takes there. Both sides read these numbers from here, so that
//! the tablet never builds a request the server refuses for its size.
//!
//! A visit's JSON is at most about 215 KB (the validator's limits, as serde_json writes them:
//! see `backend/src/api/visits/validate.rs::MAX_VISIT_JSON_BYTES`), so every chunk, even one
//! visit alone, fits the server's limit. Should something in between (a proxy) refuse a chunk
//! for its size all the same, the tablet halves it until single visits go one by one.

use std::ops::Range;

/// The most bytes the tablet puts in one sync request. Half a MiB: under the 1 MiB a common
/// reverse proxy takes by default (nginx's `client_max_body_size`). A single visit larger than
/// this goes in a request of its own.
pub const CHUNK_BYTES: usize = 512 * 1024;

/// The most visits in one request (the server takes up to 100).
pub const CHUNK_VISITS: usize = 50;

/// The sync route's body limit by default: twice the tablet's chunk, and four times the largest
/// visit the validator accepts. Every other route keeps the small JSON limit.
pub const SYNC_BODY_BYTES: usize = 2 * CHUNK_BYTES;

/// `{"visits":[` and `]}` around the visits.
const ENVELOPE: usize = r#"{"visits":[]}"#.len();

/// The size of `{"visits":[…]}` holding visits whose JSON has these sizes (commas included).
pub fn request_bytes(sizes: &[usize]) -> usize {
    ENVELOPE + sizes.iter().sum::<usize>() + sizes.len().saturating_sub(1)
}

/// The request's body for visits already written as JSON: exactly `request_bytes` long.
pub fn request_body(visits: &[&str]) -> String {
    format!(r#"{{"visits":[{}]}}"#, visits.join(","))
}

/// Cuts visits, in order, into consecutive chunks of at most `max_visits` visits whose request
/// is at most `max_bytes`; a visit too large for any chunk gets one of its own (the server
/// decides whether it takes it). Every visit is in exactly one chunk.
pub fn chunks(sizes: &[usize], max_bytes: usize, max_visits: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < sizes.len() {
        let mut end = start + 1;
        while end < sizes.len() && end - start < max_visits && request_bytes(&sizes[start..=end]) <= max_bytes {
            end += 1;
        }
        out.push(start..end);
        start = end;
    }
    out
}

/// A chunk refused for its size, cut in two halves to send one after the other; a single
/// visit cannot be cut (`None`): it is too large to send.
pub fn halves(chunk: Range<usize>) -> Option<(Range<usize>, Range<usize>)> {
    if chunk.len() < 2 {
        return None;
    }
    let middle = chunk.start + chunk.len() / 2;
    Some((chunk.start..middle, middle..chunk.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covers_in_order(chunks: &[Range<usize>], len: usize) -> bool {
        let mut next = 0;
        for c in chunks {
            if c.start != next || c.is_empty() {
                return false;
            }
            next = c.end;
        }
        next == len
    }

    #[test]
    fn the_body_is_exactly_as_long_as_reckoned() {
        let visits = [r#"{"a":1}"#, r#"{"b":"长"}"#, "{}"];
        let sizes: Vec<usize> = visits.iter().map(|v| v.len()).collect();
        assert_eq!(request_body(&visits).len(), request_bytes(&sizes));
        assert_eq!(request_body(&[]), r#"{"visits":[]}"#);
        assert_eq!(request_bytes(&[]), 13);
    }

    #[test]
    fn chunks_stay_under_the_byte_budget_and_the_count_and_keep_every_visit_once_in_order() {
        // Sixty visits of 60 KB (long notes in Chinese): never fifty in one request.
        let sizes = vec![60_000; 60];
        let cut = chunks(&sizes, CHUNK_BYTES, CHUNK_VISITS);
        assert!(covers_in_order(&cut, 60));
        assert!(cut.iter().all(|c| request_bytes(&sizes[c.clone()]) <= CHUNK_BYTES), "{cut:?}");
        assert_eq!(cut.len(), 8, "{cut:?}");
        // Small visits: the count is the limit.
        let small = vec![300; 120];
        let cut = chunks(&small, CHUNK_BYTES, CHUNK_VISITS);
        assert_eq!(cut, vec![0..50, 50..100, 100..120]);
        // Mixed sizes, a budget met exactly, then a visit over it alone.
        let mixed = [10, 20, 5, 40, 1, 2];
        let budget = request_bytes(&mixed[..3]);
        assert_eq!(chunks(&mixed, budget, 10), vec![0..3, 3..4, 4..6]);
        assert_eq!(chunks(&[], CHUNK_BYTES, CHUNK_VISITS), Vec::<Range<usize>>::new());
    }

    #[test]
    fn a_visit_larger_than_the_budget_goes_alone() {
        let sizes = [100, 5_000, 100, 100];
        let cut = chunks(&sizes, 1_000, 50);
        assert_eq!(cut, vec![0..1, 1..2, 2..4]);
    }

    #[test]
    fn a_refused_chunk_is_halved_down_to_single_visits() {
        assert_eq!(halves(0..50), Some((0..25, 25..50)));
        assert_eq!(halves(7..10), Some((7..8, 8..10)));
        assert_eq!(halves(3..4), None);
        assert_eq!(halves(3..3), None);
        // Halving again and again ends in every visit alone, each once.
        let mut work = Vec::new();
        work.push(0..37);
        let mut singles = Vec::new();
        while let Some(chunk) = work.pop() {
            match halves(chunk.clone()) {
                Some((a, b)) => work.extend([b, a]),
                None => singles.push(chunk.start),
            }
        }
        assert_eq!(singles, (0..37).collect::<Vec<_>>());
    }

    #[test]
    fn the_server_takes_every_chunk_the_tablet_builds() {
        const { assert!(CHUNK_BYTES <= SYNC_BODY_BYTES) };
    }
}
