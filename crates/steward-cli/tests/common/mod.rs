//! What the binary's tests share: the `steward` command with a clean environment, and `steward serve` started as a
//! child process on a free port, waited for, and stopped when dropped.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn steward() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_steward"));
    // Each test sets what it needs; nothing leaks in from the developer's shell.
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("STEWARD_")) {
        c.env_remove(k);
    }
    c.env("STEWARD_LOG", "warn");
    c
}

/// A `steward serve` child process, stopped when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub async fn start_server(url: &str) -> Server {
    let port = free_port();
    let child = steward()
        .args(["--database-url", url, "serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start steward serve");
    let server = Server { child, base: format!("http://127.0.0.1:{port}") };
    let deadline = Instant::now() + Duration::from_secs(30);
    let http = reqwest::Client::new();
    loop {
        if let Ok(r) = http.get(format!("{}/health", server.base)).send().await {
            if r.status().is_success() {
                return server;
            }
        }
        assert!(Instant::now() < deadline, "steward serve did not answer /health within 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
