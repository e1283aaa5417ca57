//! The HTTP side of `hwf fetch`: one agent per run, the server's rate limit kept, answers 429 and
//! 502–504 retried with back-off, and a cache of answers on disk keyed by the request, so that a
//! repeated fetch does not call the server again unless asked to.

use super::FetchError;
use crate::model::scenario::hex;
use crate::publish::atomic;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

/// How many times an answer 429 (too many requests) or 502–504 is retried before giving up.
pub const RETRIES: u32 = 5;
/// The longest wait before a retry, in seconds, whatever the server's `Retry-After` says.
pub const MAX_WAIT_SECS: u64 = 60;

/// What the client needs besides the request.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// Folder of cached answers; `None` for no cache.
    pub cache: Option<PathBuf>,
    /// Call the server even where the cache has the answer (and cache the new one).
    pub refresh: bool,
    /// The longest one call may take, connection and body included.
    pub timeout: Duration,
    /// The most bytes one answer may have.
    pub max_bytes: u64,
}

impl ClientOptions {
    /// The default cache folder: `$HWF_CACHE`, else `$XDG_CACHE_HOME/hwf`, else `$HOME/.cache/hwf`
    /// (with `fetch` below it), or none where no such variable is set.
    pub fn default_cache() -> Option<PathBuf> {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        var("HWF_CACHE")
            .or_else(|| var("XDG_CACHE_HOME").map(|p| p.join("hwf")))
            .or_else(|| var("HOME").map(|p| p.join(".cache").join("hwf")))
            .map(|p| p.join("fetch"))
    }
}

/// One call as made (or answered from the cache): what the provenance file records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Call {
    /// `GET` or `POST`.
    pub method: String,
    /// The full URL, query included.
    pub url: String,
    /// The request body (`POST`), as sent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub body: Option<String>,
    /// When the answer was received from the server (UTC, RFC 3339).
    pub retrieved: String,
    /// SHA-256 of the answer's bytes.
    pub sha256: String,
    /// The answer's length in bytes.
    pub bytes: u64,
    /// Whether this run took the answer from the cache.
    #[serde(default)]
    pub from_cache: bool,
}

/// A successful answer.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The body.
    pub body: Vec<u8>,
    /// The call, for the record.
    pub call: Call,
}

/// The server's limit on calls: at most `max_calls` in any `span`.
#[derive(Clone, Debug)]
struct Window {
    max_calls: usize,
    span: Duration,
    calls: VecDeque<Instant>,
}

impl Window {
    /// Waits until one more call keeps within the limit, and counts it.
    fn admit(&mut self) {
        loop {
            let now = Instant::now();
            while self
                .calls
                .front()
                .is_some_and(|&t| now.duration_since(t) >= self.span)
            {
                self.calls.pop_front();
            }
            if self.calls.len() < self.max_calls.max(1) {
                self.calls.push_back(now);
                return;
            }
            let oldest = self.calls[0];
            std::thread::sleep(self.span.saturating_sub(now.duration_since(oldest)));
        }
    }
}

/// An HTTP client for statistics APIs: rate-limited, retrying, caching.
pub struct Client {
    agent: ureq::Agent,
    opts: ClientOptions,
    window: Window,
    /// Calls that went to the network in this run (not the cache), for summaries and tests.
    pub network_calls: usize,
    /// Why answers could not be kept in the cache (once per run): the fetch goes on without it.
    pub cache_trouble: Option<String>,
}

impl Client {
    /// A client with no rate limit until [`Client::limit_rate`] is told the server's.
    pub fn new(opts: ClientOptions) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .http_status_as_error(false)
            .user_agent(concat!("hwf/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client {
            agent,
            opts,
            window: Window {
                max_calls: usize::MAX,
                span: Duration::ZERO,
                calls: VecDeque::new(),
            },
            network_calls: 0,
            cache_trouble: None,
        }
    }

    /// Keeps to at most `max_calls` calls in any `span` from now on (the API's `/config`).
    pub fn limit_rate(&mut self, max_calls: usize, span: Duration) {
        self.window.max_calls = max_calls.max(1);
        self.window.span = span;
    }

    /// `GET url`.
    ///
    /// # Errors
    ///
    /// As [`Client::call`].
    pub fn get(&mut self, what: &str, url: &str) -> Result<Answer, FetchError> {
        self.call(what, url, None)
    }

    /// `POST url` with a JSON body.
    ///
    /// # Errors
    ///
    /// As [`Client::call`].
    pub fn post(&mut self, what: &str, url: &str, body: &str) -> Result<Answer, FetchError> {
        self.call(what, url, Some(body))
    }

    /// One request: from the cache when it holds the answer (and `refresh` is off), else from the
    /// server under its rate limit, retrying 429 and 502–504.
    ///
    /// # Errors
    ///
    /// [`FetchError::Status`] for any other answer than 200, or a retried one still failing;
    /// [`FetchError::Transport`] when the server cannot be reached, the call times out or the answer
    /// is cut short or too large. An answer that cannot be kept in the cache is used all the same
    /// ([`Client::cache_trouble`] says why).
    pub fn call(
        &mut self,
        what: &str,
        url: &str,
        body: Option<&str>,
    ) -> Result<Answer, FetchError> {
        let method = if body.is_some() { "POST" } else { "GET" };
        let key = cache_key(method, url, body);
        if !self.opts.refresh
            && let Some(hit) = self.cached(&key)
        {
            return Ok(hit);
        }
        let mut attempt = 0;
        let (bytes, retrieved) = loop {
            self.window.admit();
            self.network_calls += 1;
            let (status, bytes, retry_after) = self.once(what, url, body)?;
            let retry = matches!(status, 429 | 502 | 503 | 504);
            if status == 200 {
                break (bytes, now_rfc3339());
            }
            if !retry || attempt >= RETRIES {
                return Err(FetchError::Status {
                    what: what.to_string(),
                    method,
                    url: url.to_string(),
                    status,
                    detail: problem_detail(&bytes),
                    tries: attempt + 1,
                });
            }
            let wait = retry_after
                .unwrap_or_else(|| (1u64 << attempt).max(self.window.span.as_secs()))
                .min(MAX_WAIT_SECS);
            std::thread::sleep(Duration::from_secs(wait));
            attempt += 1;
        };
        let call = Call {
            method: method.to_string(),
            url: url.to_string(),
            body: body.map(str::to_string),
            retrieved,
            sha256: hex(&Sha256::digest(&bytes)),
            bytes: bytes.len() as u64,
            from_cache: false,
        };
        // A cache that cannot be written (a read-only home, a full disk) costs only the next
        // fetch's calls: said once, and the answer used.
        if let Err(e) = self.store(&key, &call, &bytes)
            && self.cache_trouble.is_none()
        {
            self.cache_trouble = Some(e.to_string());
        }
        Ok(Answer { body: bytes, call })
    }

    /// One network call, its status, body and `Retry-After` (seconds).
    fn once(
        &self,
        what: &str,
        url: &str,
        body: Option<&str>,
    ) -> Result<(u16, Vec<u8>, Option<u64>), FetchError> {
        let transport = |e: ureq::Error| FetchError::Transport {
            what: what.to_string(),
            url: url.to_string(),
            message: transport_message(&e, self.opts.timeout, self.opts.max_bytes),
        };
        let mut resp = match body {
            Some(b) => self
                .agent
                .post(url)
                .header("Content-Type", "application/json")
                .send(b)
                .map_err(transport)?,
            None => self.agent.get(url).call().map_err(transport)?,
        };
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(self.opts.max_bytes)
            .read_to_vec()
            .map_err(transport)?;
        Ok((status, bytes, retry_after))
    }

    fn cached(&self, key: &str) -> Option<Answer> {
        let dir = self.opts.cache.as_ref()?;
        let meta = std::fs::read(dir.join(format!("{key}.json"))).ok()?;
        let mut call: Call = serde_json::from_slice(&meta).ok()?;
        let body = std::fs::read(dir.join(format!("{key}.body"))).ok()?;
        // A cache entry whose body no longer matches its record is not used (and is overwritten).
        if hex(&Sha256::digest(&body)) != call.sha256 {
            return None;
        }
        call.from_cache = true;
        Some(Answer { body, call })
    }

    fn store(&self, key: &str, call: &Call, body: &[u8]) -> Result<(), FetchError> {
        let Some(dir) = &self.opts.cache else {
            return Ok(());
        };
        let err = |e: &dyn std::fmt::Display| FetchError::Cache {
            path: dir.clone(),
            message: e.to_string(),
        };
        std::fs::create_dir_all(dir).map_err(|e| err(&e))?;
        // The body first: a record is only ever beside the body it describes.
        atomic::write(&dir.join(format!("{key}.body")), body).map_err(|e| err(&e))?;
        let record = serde_json::to_vec_pretty(call).map_err(|e| err(&e))?;
        atomic::write(&dir.join(format!("{key}.json")), &record).map_err(|e| err(&e))
    }
}

/// The cache's name for a request: SHA-256 of method, URL and body.
fn cache_key(method: &str, url: &str, body: Option<&str>) -> String {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update(b"\n");
    h.update(url.as_bytes());
    h.update(b"\n");
    h.update(body.unwrap_or("").as_bytes());
    hex(&h.finalize())
}

/// Says what went wrong with a call in words: time-outs, answers cut short, unreachable hosts.
fn transport_message(e: &ureq::Error, timeout: Duration, max_bytes: u64) -> String {
    match e {
        ureq::Error::Timeout(_) => format!(
            "no complete answer within {} s (raise --timeout if the server is slow)",
            timeout.as_secs_f64()
        ),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the answer ended before its declared length (a truncated body); nothing was kept"
                .into()
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "the connection was refused (is the address right?)".into()
        }
        ureq::Error::BodyExceedsLimit(_) => format!(
            "the answer is larger than {max_bytes} bytes (HWF_MAX_INPUT_BYTES raises the limit)"
        ),
        ureq::Error::HostNotFound => "the host name could not be resolved".into(),
        ureq::Error::ConnectionFailed => "could not connect to the server".into(),
        other => other.to_string(),
    }
}

/// The server's own words on an error: a problem document's `title` and `detail`, or the start of
/// the body as text.
fn problem_detail(body: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
        let parts: Vec<&str> = ["title", "detail", "message"]
            .iter()
            .filter_map(|k| v.get(*k).and_then(|x| x.as_str()))
            .filter(|s| !s.trim().is_empty())
            .collect();
        if !parts.is_empty() {
            return parts.join(": ");
        }
    }
    let text = String::from_utf8_lossy(body);
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

/// Now, in UTC, as RFC 3339 to the second.
pub fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

/// Seconds since 1970 in UTC as RFC 3339 (`2026-12-03T15:43:13Z`).
pub fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let (y, m, d) = crate::ingest::xlsx::civil_from_days(days);
    let s = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        // 2026-12-03 15:43:13 UTC, worked out by `date -u -d @1796312593`.
        assert_eq!(rfc3339(1_796_312_593), "2026-12-03T15:43:13Z");
        // A leap day: 2024-02-29 12:00:00 UTC is 1709208000.
        assert_eq!(rfc3339(1_709_208_000), "2024-02-29T12:00:00Z");
    }

    #[test]
    fn problem_documents_give_their_title_and_detail() {
        let b = br#"{"type":"about:blank","title":"Bad Request","status":400,"detail":"Missing selection for mandatory variable Tid"}"#;
        assert_eq!(
            problem_detail(b),
            "Bad Request: Missing selection for mandatory variable Tid"
        );
        assert_eq!(
            problem_detail(b"<html>\n<body>Not   found</body></html>"),
            "<html> <body>Not found</body></html>"
        );
    }

    #[test]
    fn the_window_admits_no_more_calls_than_allowed() {
        let mut w = Window {
            max_calls: 2,
            span: Duration::from_millis(300),
            calls: VecDeque::new(),
        };
        let start = Instant::now();
        for _ in 0..5 {
            w.admit();
        }
        // Calls 3–4 wait for the first window to pass, call 5 for the second: at least 600 ms.
        assert!(start.elapsed() >= Duration::from_millis(600));
    }
}
