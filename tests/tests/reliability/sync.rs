//! Many counselors' tablets sync at once, and the same visits arrive several times at the same
//! moment: every device sends its counselor's whole offline queue, each from another starting
//! point, then some random batches of it again. Each visit is stored exactly once, acknowledged
//! as stored exactly once, with its follow-up and first revision, and nothing is lost.

use std::collections::HashMap;
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use shared::visits::{NewVisit, SyncStatus};
use tests::visits::setup;

const DEVICES_EACH: usize = 6;
const VISITS_EACH: usize = 120;
const BATCH: usize = 25;
const EXTRA_BATCHES: usize = 2;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlapping_batches_from_many_tablets_at_once_store_each_visit_exactly_once() {
    let (app, school, campaign) = setup().await;
    let app = Arc::new(app);
    let mut all = Vec::new();
    let mut signing_in = tokio::task::JoinSet::new();
    for class in school.colleges.iter().flat_map(|c| c.classes.iter()) {
        let queue: Vec<NewVisit> = (0..VISITS_EACH)
            .map(|i| super::visit(campaign, class.students[i % class.students.len()].id, class.counselor.id, i))
            .collect();
        all.extend(queue.iter().cloned());
        let queue = Arc::new(queue);
        for device in 0..DEVICES_EACH {
            let (app, counselor, queue) = (app.clone(), class.counselor.clone(), queue.clone());
            // Each tablet signs in on its own.
            signing_in.spawn(async move { (app.signed_in(&counselor).await, queue, device) });
        }
    }
    let devices = signing_in.join_all().await;
    let tablets = devices.len();
    let start = Arc::new(tokio::sync::Barrier::new(tablets));
    let mut syncing = tokio::task::JoinSet::new();
    for (client, queue, device) in devices {
        let (app, start) = (app.clone(), start.clone());
        syncing.spawn(async move {
            start.wait().await;
            super::sync_in_batches(&app.address, &client, &sending_order(&queue, device), BATCH).await
        });
    }
    let (mut results, mut requests, mut tried) = (Vec::new(), 0, 0);
    for synced in syncing.join_all().await {
        assert_eq!((&synced.cut, &synced.wrong), (&None, &None));
        (requests, tried) = (requests + synced.requests, tried + synced.tried);
        results.extend(synced.results);
    }
    assert_eq!(results.len(), tried, "an answer for every visit sent");

    let mut acknowledged: HashMap<&str, (usize, i64)> = HashMap::new();
    for r in &results {
        assert!(matches!(r.status, SyncStatus::Stored | SyncStatus::Duplicate), "{r:?}");
        let id = r.visit_id.expect("a stored visit's id").get();
        let entry = acknowledged.entry(r.client_id.as_str()).or_insert((0, id));
        assert_eq!(entry.1, id, "{}: one visit, one id", r.client_id);
        entry.0 += usize::from(r.status == SyncStatus::Stored);
    }
    let stored = super::stored_visits(&app).await;
    for visit in &all {
        let (stored_now, id) = acknowledged.get(visit.client_id.as_str()).copied().unwrap_or_default();
        assert_eq!(stored_now, 1, "{}: acknowledged as stored exactly once", visit.client_id);
        assert_eq!(stored.get(&visit.client_id), Some(&id), "{}: in the database under its id", visit.client_id);
    }
    assert_eq!(stored.len(), all.len(), "no other visit");
    assert_eq!(super::half_stored_visits(&app).await, 0);
    super::report(
        "sync",
        &[
            ("tablets syncing at once", tablets),
            ("sync requests", requests),
            ("visit writes tried", results.len()),
            ("stored", all.len()),
            ("acknowledged as already stored", results.len() - all.len()),
        ],
    );
}

/// A tablet sends the whole queue starting at a place of its own, then random parts of it again.
fn sending_order(queue: &[NewVisit], device: usize) -> Vec<NewVisit> {
    let mut rng = StdRng::seed_from_u64(device as u64);
    let offset = device * queue.len() / DEVICES_EACH;
    let mut order: Vec<NewVisit> = queue[offset..].iter().chain(&queue[..offset]).cloned().collect();
    order.extend(queue.choose_multiple(&mut rng, EXTRA_BATCHES * BATCH).cloned());
    order
}
