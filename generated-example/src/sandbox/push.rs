//! Push events: every change the sandbox makes to a school (organisations added, renamed or
//! deleted; members added, updated or deleted, from any endpoint or lever) is POSTed to the
//! configured URL, the way WeCard pushes to a school's service, encrypted with the app's key and
//! secret, and retried until the receiver acknowledges it.
//!
//! Decisions where the sources are silent (see the `events:` section of `spec/wecard.yaml`):
//! - One delivery per event and per app the school has enabled, each encrypted with that app's
//!   credentials; member payloads leave out the 需申请 fields the app was not granted, as replies
//!   do. An app whose key or secret cannot make an AES-128 cipher gets a failed attempt in the
//!   journal and no request.
//! - Acknowledged means HTTP 2xx with a JSON body whose `code` is 0; anything else (another
//!   status, another code, a body that is not that JSON, a timeout, a refused connection) is a
//!   failure and is retried on the schedule: by default at once, then after 15 s, 15 s, 30 s,
//!   3 min, 30 min four times and 1 h (WeCard's payment notifications; the contact events give
//!   no schedule), each attempt timing out after 5 s. After the last attempt the event is
//!   dropped (the journal says so).
//! - Deliveries are made one at a time, in the order the changes happened: an event being
//!   retried holds back the ones after it, so a receiver sees events in order.
//! - Changes made before the server starts (the demo data, a restored snapshot) are not pushed.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use wecard_runtime::events::{Cipher, Encoding, PushBody};

use super::config::AppConfig;
use super::handlers::visible_to;
use crate::wecard::Event;

/// The default schedule: the wait before each attempt (WeCard's payment-notification page:
/// at once, then 15 s, 15 s, 30 s, 3 min, 30 min ×4, 1 h).
pub const DEFAULT_RETRY_SCHEDULE: [Duration; 10] = [
    Duration::ZERO,
    Duration::from_secs(15),
    Duration::from_secs(15),
    Duration::from_secs(30),
    Duration::from_secs(180),
    Duration::from_secs(1800),
    Duration::from_secs(1800),
    Duration::from_secs(1800),
    Duration::from_secs(1800),
    Duration::from_secs(3600),
];

/// How long one delivery attempt may take by default.
pub const DEFAULT_PUSH_TIMEOUT: Duration = Duration::from_secs(5);

/// Where and how the sandbox pushes events.
#[derive(Debug, Clone, PartialEq)]
pub struct PushConfig {
    /// The receiver's URL.
    pub url: String,
    /// The wait before each attempt; its length is the number of attempts.
    pub schedule: Vec<Duration>,
    /// How long one attempt may take (not scaled).
    pub timeout: Duration,
    /// Multiplies every wait of the schedule (`0.001` turns 15 s into 15 ms); 1 by default.
    pub scale: f64,
    /// How `raw_data` is written (hex by default).
    pub encoding: Encoding,
}

impl PushConfig {
    /// Pushes to `url` on the default schedule and timeout, in hex.
    pub fn new(url: &str) -> Self {
        Self {
            url: url.to_string(),
            schedule: DEFAULT_RETRY_SCHEDULE.to_vec(),
            timeout: DEFAULT_PUSH_TIMEOUT,
            scale: 1.0,
            encoding: Encoding::Hex,
        }
    }

    /// Sets the waits before each attempt.
    pub fn schedule(mut self, schedule: Vec<Duration>) -> Self {
        self.schedule = schedule;
        self
    }

    /// Sets the timeout of one attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Scales the schedule's waits (a negative or non-finite factor counts as 1).
    pub fn scale(mut self, scale: f64) -> Self {
        self.scale = scale;
        self
    }

    /// Sets the encoding of `raw_data`.
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// The wait before attempt `index` (0-based), scaled; `None` past the last attempt.
    pub fn wait_before(&self, index: usize) -> Option<Duration> {
        let wait = *self.schedule.get(index)?;
        let scale = if self.scale.is_finite() && self.scale >= 0.0 {
            self.scale
        } else {
            1.0
        };
        Some(wait.mul_f64(scale))
    }
}

/// One delivery attempt, as the journal keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryAttempt {
    /// The event's number, in the order changes happened (from 1).
    pub sequence: u64,
    /// The event code (`addUser`).
    pub event: String,
    /// The school the change happened in.
    pub school_code: String,
    /// The app the push was for.
    pub app_key: String,
    /// The attempt's number (from 1).
    pub attempt: u32,
    /// What happened.
    pub outcome: DeliveryOutcome,
    /// The wait before the next attempt (scaled), or `None`: acknowledged, or given up.
    pub retry_in: Option<Duration>,
}

/// How one delivery attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// HTTP 2xx and a JSON body whose `code` is 0.
    Acked,
    /// An answer, but not the acknowledgement: its status and (the start of) its body.
    Refused {
        /// The HTTP status.
        status: u16,
        /// The body, cut at 200 characters.
        body: String,
    },
    /// No answer: a timeout, a refused connection, or a push that could not be made.
    Failed {
        /// Why.
        reason: String,
    },
}

/// One event to deliver to one app.
struct Job {
    sequence: u64,
    school_code: String,
    app_key: String,
    cipher: Result<Cipher, String>,
    event: Event,
}

/// The journal of attempts and the count of deliveries not yet finished, shared by the sandbox
/// and its delivery task.
#[derive(Debug)]
pub(super) struct PushLog {
    attempts: Mutex<Vec<DeliveryAttempt>>,
    pending: watch::Sender<usize>,
}

impl PushLog {
    fn record(&self, attempt: DeliveryAttempt) {
        self.attempts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(attempt);
    }

    /// Every attempt so far, oldest first.
    pub(super) fn attempts(&self) -> Vec<DeliveryAttempt> {
        self.attempts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits until every queued delivery is acknowledged or given up.
    pub(super) async fn settled(&self) {
        let mut pending = self.pending.subscribe();
        // The sender lives as long as `self`, so waiting cannot fail.
        let _ = pending.wait_for(|count| *count == 0).await;
    }
}

/// The sandbox's side of pushing: queues events for the delivery task.
#[derive(Debug)]
pub(super) struct Pusher {
    queue: mpsc::UnboundedSender<Job>,
    log: Arc<PushLog>,
    encoding: Encoding,
    next_sequence: u64,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("sequence", &self.sequence)
            .field("event", &self.event.code())
            .finish_non_exhaustive()
    }
}

impl Pusher {
    /// The pusher and the delivery task to spawn on the sandbox's runtime.
    pub(super) fn new(
        config: PushConfig,
    ) -> (
        Self,
        Arc<PushLog>,
        impl Future<Output = ()> + Send + 'static,
    ) {
        let (queue, jobs) = mpsc::unbounded_channel();
        let log = Arc::new(PushLog {
            attempts: Mutex::new(Vec::new()),
            pending: watch::Sender::new(0),
        });
        let pusher = Self {
            queue,
            log: Arc::clone(&log),
            encoding: config.encoding,
            next_sequence: 1,
        };
        let task = deliver(config, jobs, Arc::clone(&log));
        (pusher, log, task)
    }

    /// Queues `events` of school `ocode` for every app in `apps` that the school enabled.
    pub(super) fn queue<'a>(
        &mut self,
        ocode: &str,
        events: Vec<Event>,
        apps: impl Iterator<Item = &'a AppConfig> + Clone,
    ) {
        for event in events {
            let sequence = self.next_sequence;
            self.next_sequence += 1;
            for app in apps.clone().filter(|app| app.schools.contains(ocode)) {
                let cipher = Cipher::new(&app.app_key, &app.app_secret)
                    .map(|cipher| cipher.with_encoding(self.encoding))
                    .map_err(|error| error.to_string());
                let job = Job {
                    sequence,
                    school_code: ocode.to_string(),
                    app_key: app.app_key.clone(),
                    cipher,
                    event: for_app(app, &event),
                };
                self.log.pending.send_modify(|count| *count += 1);
                if self.queue.send(job).is_err() {
                    // The delivery task is gone (the sandbox is stopping): nothing will deliver.
                    self.log.pending.send_modify(|count| *count -= 1);
                }
            }
        }
    }
}

/// The event as `app` may see it: member payloads without the fields it was not granted.
fn for_app(app: &AppConfig, event: &Event) -> Event {
    let visible = |member| visible_to(app, member).unwrap_or_else(|_| member.clone());
    match event {
        Event::AddUser(member) => Event::AddUser(visible(member)),
        Event::UpdateUser(member) => Event::UpdateUser(visible(member)),
        Event::DeleteUser(member) => Event::DeleteUser(visible(member)),
        other => other.clone(),
    }
}

/// The delivery task: one job at a time, each until acknowledged or out of attempts.
async fn deliver(config: PushConfig, mut jobs: mpsc::UnboundedReceiver<Job>, log: Arc<PushLog>) {
    let client = reqwest::Client::builder()
        .timeout(config.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build();
    while let Some(job) = jobs.recv().await {
        match &client {
            Ok(client) => deliver_one(&config, client, &job, &log).await,
            Err(error) => log.record(attempt(&job, 1, failed(error.to_string()), None)),
        }
        log.pending
            .send_modify(|count| *count = count.saturating_sub(1));
    }
}

async fn deliver_one(config: &PushConfig, client: &reqwest::Client, job: &Job, log: &PushLog) {
    let body = match &job.cipher {
        Ok(cipher) => PushBody::seal(cipher, &job.app_key, &job.school_code, &job.event)
            .map_err(|error| error.to_string()),
        Err(error) => Err(error.clone()),
    };
    let body = match body.and_then(|body| serde_json::to_vec(&body).map_err(|e| e.to_string())) {
        Ok(body) => body,
        Err(reason) => {
            log.record(attempt(job, 1, failed(reason), None));
            return;
        }
    };
    let mut index = 0;
    while let Some(wait) = config.wait_before(index) {
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        index += 1;
        let outcome = post(client, &config.url, body.clone()).await;
        let acked = outcome == DeliveryOutcome::Acked;
        let retry_in = if acked {
            None
        } else {
            config.wait_before(index)
        };
        let number = u32::try_from(index).unwrap_or(u32::MAX);
        log.record(attempt(job, number, outcome, retry_in));
        if acked {
            return;
        }
    }
}

async fn post(client: &reqwest::Client, url: &str, body: Vec<u8>) -> DeliveryOutcome {
    let sent = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(error) => return failed(error.to_string()),
    };
    let status = response.status();
    let text = match response.text().await {
        Ok(text) => text,
        Err(error) => return failed(error.to_string()),
    };
    // Only `code` matters: a receiver that answers `{"code":0}` without a message is believed.
    let acked = status.is_success()
        && serde_json::from_str::<serde_json::Value>(&text)
            .is_ok_and(|reply| reply.get("code").and_then(serde_json::Value::as_i64) == Some(0));
    if acked {
        DeliveryOutcome::Acked
    } else {
        DeliveryOutcome::Refused {
            status: status.as_u16(),
            body: text.chars().take(200).collect(),
        }
    }
}

fn failed(reason: String) -> DeliveryOutcome {
    DeliveryOutcome::Failed { reason }
}

fn attempt(
    job: &Job,
    number: u32,
    outcome: DeliveryOutcome,
    retry_in: Option<Duration>,
) -> DeliveryAttempt {
    DeliveryAttempt {
        sequence: job.sequence,
        event: job.event.code().to_string(),
        school_code: job.school_code.clone(),
        app_key: job.app_key.clone(),
        attempt: number,
        outcome,
        retry_in,
    }
}
