//! Notifications by e-mail: the outbox in the database is sent through the district's SMTP relay every few
//! seconds, each message once (retried a few times when the relay fails).

use crate::settings::Settings;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;
use steward_store::Store;

/// The relay's host and port from `smtp://host:port` (port 25 when left out).
pub fn relay(url: &str) -> Result<(String, u16), String> {
    let u = url::Url::parse(url).map_err(|e| format!("'{url}' is not a URL ({e})"))?;
    if u.scheme() != "smtp" {
        return Err(format!("'{url}' is not an smtp:// address"));
    }
    let host = u.host_str().filter(|h| !h.is_empty()).ok_or_else(|| format!("'{url}' names no host"))?;
    Ok((host.trim_matches(['[', ']']).to_owned(), u.port().unwrap_or(25)))
}

/// Sends what is in the outbox until the server stops. Does nothing without a relay.
pub async fn keep_mailing(store: Store, settings: std::sync::Arc<Settings>) {
    let Ok((host, port)) = relay(&settings.smtp_url) else { return };
    let Ok(from) = settings.mail_from.parse::<Mailbox>() else { return };
    // A relay on the district's network, without TLS or authentication.
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host)
        .port(port)
        .timeout(Some(Duration::from_secs(10)))
        .build();
    let base = settings.public_url.trim_end_matches('/').to_owned();
    let mut every = tokio::time::interval(Duration::from_secs(2));
    loop {
        every.tick().await;
        let outbox = match store.outbox(50).await {
            Ok(o) => o,
            Err(e) => {
                tracing::warn!(error = %e, "reading the e-mail outbox failed");
                continue;
            }
        };
        for (n, to) in outbox {
            let sent = match message(&from, &to, &n.subject, &format!("{}\n\n{base}{}\n", n.body, n.link)) {
                Ok(m) => match transport.send(m).await {
                    Ok(_) => true,
                    Err(e) => {
                        tracing::warn!(notification = n.id, error = %e, "the SMTP relay refused a notification");
                        false
                    }
                },
                Err(e) => {
                    tracing::warn!(notification = n.id, error = %e, "a notification could not be made into an e-mail");
                    false
                }
            };
            if let Err(e) = store.mark_emailed(n.id, sent).await {
                tracing::warn!(notification = n.id, error = %e, "recording an e-mail failed");
            }
        }
    }
}

fn message(from: &Mailbox, to: &str, subject: &str, body: &str) -> Result<Message, String> {
    let to: Mailbox = to.parse().map_err(|e| format!("bad recipient: {e}"))?;
    Message::builder().from(from.clone()).to(to).subject(subject).body(body.to_owned()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relays_are_smtp_addresses() {
        assert_eq!(relay("smtp://127.0.0.1:2525").unwrap(), ("127.0.0.1".into(), 2525));
        assert_eq!(relay("smtp://mail.cedar.example").unwrap().1, 25);
        assert!(relay("https://mail.example").unwrap_err().contains("smtp://"));
        assert!(relay("smtp://").is_err());
    }
}
