//! The client follows the spec's method: a `GET` endpoint is sent as a GET with its fields and
//! the access token in the query, a `POST` endpoint as a JSON body. Checked against a loopback
//! server that records each request line and body.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wecard_tests::generated::get_method::client::{Client, ClientConfig};
use wecard_tests::generated::get_method::{AddPersonRequest, FindPeopleRequest};

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    body: String,
}

/// Reads one HTTP/1.1 request (headers, then `content-length` bytes of body).
async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Seen> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_string();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buffer.len() < header_end + length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let mut request_line = head.lines().next()?.split(' ');
    Some(Seen {
        method: request_line.next()?.to_string(),
        target: request_line.next()?.to_string(),
        body: String::from_utf8_lossy(&buffer[header_end..]).to_string(),
    })
}

/// Serves the fixture API on 127.0.0.1, recording every request.
async fn serve() -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                while let Some(request) = read_request(&mut stream).await {
                    let reply = if request.target.starts_with("/token") {
                        r#"{"access_token":"tok-1","expires_in":7200}"#
                    } else if request.target.starts_with("/people/add") {
                        r#"{"errcode":0,"errmsg":"ok"}"#
                    } else {
                        r#"{"errcode":0,"errmsg":"ok","names":["张三"]}"#
                    };
                    log.lock().unwrap().push(request);
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{reply}",
                        reply.len()
                    );
                    if stream.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, seen)
}

#[tokio::test]
async fn get_endpoints_travel_in_the_query_and_post_endpoints_in_the_body() {
    let (url, seen) = serve().await;
    let client = Client::new(ClientConfig::new("key", "secret", "school").base_url(url));
    let reply = client
        .find_people(&FindPeopleRequest {
            keywords: "张 三&x".into(),
            page: Some(2),
            ids: Some(vec![7, 8]),
        })
        .await
        .unwrap();
    assert_eq!(reply.names, Some(vec!["张三".to_string()]));
    client
        .add_person(&AddPersonRequest {
            name: "李四".into(),
        })
        .await
        .unwrap();

    let seen = seen.lock().unwrap().clone();
    let methods: Vec<(&str, &str)> = seen
        .iter()
        .map(|s| {
            (
                s.method.as_str(),
                s.target.split('?').next().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        methods,
        [
            ("POST", "/token"),
            ("GET", "/people"),
            ("POST", "/people/add")
        ]
    );
    // The token request is the generated one: credentials from the config, the fixed value
    // from the spec's one_of rule.
    let token: serde_json::Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(
        token,
        serde_json::json!({"app_key": "key", "app_secret": "secret", "grant_type": "client_credentials", "ocode": "school"})
    );
    let get = &seen[1];
    assert!(get.body.is_empty(), "a GET has no body: {get:?}");
    let query = get
        .target
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or_default();
    let mut pairs: Vec<&str> = query.split('&').collect();
    pairs.sort_unstable();
    assert_eq!(
        pairs,
        [
            "access_token=tok-1",
            "ids=7",
            "ids=8",
            "keywords=%E5%BC%A0%20%E4%B8%89%26x",
            "page=2"
        ]
    );
    let post = &seen[2];
    assert_eq!(post.target, "/people/add?access_token=tok-1");
    let body: serde_json::Value = serde_json::from_str(&post.body).unwrap();
    assert_eq!(body, serde_json::json!({"name": "李四"}));
}

#[test]
fn the_endpoint_trait_carries_the_spec_method() {
    use wecard_runtime::{Endpoint, HttpMethod};
    assert_eq!(<FindPeopleRequest as Endpoint>::METHOD, HttpMethod::Get);
    assert_eq!(<AddPersonRequest as Endpoint>::METHOD, HttpMethod::Post);
}
