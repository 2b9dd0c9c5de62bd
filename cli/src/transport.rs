//! HTTP (ureq): one adapter for every request core asks for (the attempts of a `Call`, the
//! credentials chain's fetches), and how a failure without an answer maps to core's
//! `TransportFailure`.

use std::io::Read;
use std::time::Duration;

use camskit::{Endpoint, Error, HttpRequest, MAX_RESPONSE_BYTES, RequestSpec, Signer};

use crate::args::CallOptions;
use crate::failure::{Failure, api_failure};

/// Drives one logical call with the core's machine: sends each attempt, sleeps when told,
/// prints each retry on stderr.
pub fn drive(
    signer: &Signer,
    spec: &RequestSpec,
    options: &CallOptions,
) -> Result<camskit::Response, Failure> {
    use camskit::Step;
    let mut machine = camskit::Call::new(signer.clone(), spec, options.policy.clone())?
        .with_timeout_ms(options.timeout.saturating_mul(1000));
    let now_ms = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    };
    let mut last: Option<camskit::SignedRequest> = None;
    loop {
        match machine.poll(now_ms(), *uuid::Uuid::new_v4().as_bytes()) {
            Step::Send(signed) => {
                // Resolve the name first: a name that does not resolve is a failure before
                // anything was sent (ureq reports it as a plain I/O error, which could come
                // later too).
                let sent = resolves(signer.endpoint())
                    .map_err(|e| (camskit::TransportFailure::RefusedBeforeSend, e))
                    .and_then(|()| {
                        send(
                            &machine.http_request(&signed),
                            MAX_RESPONSE_BYTES as u64 + 1,
                        )
                    });
                match sent {
                    Ok(answer) => {
                        let h: Vec<(&str, &str)> = answer
                            .headers
                            .iter()
                            .map(|(n, v)| (n.as_str(), v.as_str()))
                            .collect();
                        machine.on_response(now_ms(), answer.status, &h, &answer.body);
                    }
                    Err((failure, message)) => {
                        machine.on_transport_error(now_ms(), failure, &message);
                    }
                }
                last = Some(signed);
            }
            Step::Wait(wait) => {
                eprintln!(
                    "camskit: attempt {} failed: {}; retrying in {} ms",
                    wait.attempt, wait.reason, wait.millis
                );
                std::thread::sleep(Duration::from_millis(wait.millis));
            }
            Step::Done(Ok(answer)) => return Ok(answer),
            Step::Done(Err(Error::Api(api))) if api.kind != camskit::ErrorKind::OutcomeUnknown => {
                return Err(api_failure(&api, last.as_ref()));
            }
            Step::Done(Err(Error::Transport {
                reason,
                outcome_unknown: false,
            })) => {
                let host = last.as_ref().map_or("", |s| host_of(&s.url));
                return Err(Failure::Usage(format!("cannot reach {host}: {reason}")));
            }
            Step::Done(Err(e)) => return Err(e.into()),
        }
    }
}

/// The largest answer read for a credentials-chain fetch (STS, OIDC, ECS metadata, a
/// credentials URI), in bytes.
pub const MAX_FETCH_BYTES: u64 = 1 << 20;

/// An HTTP answer.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Sends one request core asked for (an attempt of a `Call`, or a fetch of the credentials
/// chain), waiting at most its `timeout_ms` and reading at most `limit` bytes of the answer.
/// Redirects are never followed: they would carry the credentials to another host. A failure
/// without an answer says whether the request could have been sent.
pub fn send(
    request: &HttpRequest,
    limit: u64,
) -> Result<Answer, (camskit::TransportFailure, String)> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_millis(request.timeout_ms)))
        .build()
        .into();
    let mut builder = ureq::http::Request::builder()
        .method(request.method.as_str())
        .uri(request.url.as_str());
    for (n, v) in &request.headers {
        builder = builder.header(n.as_str(), v.as_str());
    }
    let built = |e: ureq::http::Error| {
        (
            camskit::TransportFailure::RefusedBeforeSend,
            format!("cannot build the request: {e}"),
        )
    };
    // A GET without a body has none (no `content-length: 0`); anything else sends its bytes.
    let result = match (&request.body, request.method.as_str()) {
        (None, "GET") => agent.run(builder.body(()).map_err(built)?),
        (body, _) => agent.run(
            builder
                .body(body.as_deref().unwrap_or_default().as_bytes())
                .map_err(built)?,
        ),
    };
    let mut response = result.map_err(|e| (transport_failure(&e), e.to_string()))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut body = Vec::new();
    response
        .body_mut()
        .with_config()
        .limit(limit)
        .reader()
        .read_to_end(&mut body)
        .map_err(|e| {
            (
                camskit::TransportFailure::ResetAfterSend,
                format!("reading the answer failed: {e}"),
            )
        })?;
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// Resolves the endpoint's host and port (core's `Endpoint::socket_target`) as the HTTP
/// client will.
fn resolves(endpoint: &Endpoint) -> Result<(), String> {
    use std::net::ToSocketAddrs;
    let host = endpoint.host();
    match endpoint
        .socket_target()
        .to_socket_addrs()
        .map(|mut a| a.next())
    {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(format!("{host} has no address")),
        Err(e) => Err(format!("cannot resolve {host}: {e}")),
    }
}

/// Could the request have been sent? Failures to resolve or connect happen before anything is
/// written; a failed TLS handshake too, and it fails the same way again (core does not retry
/// it); anything later may have reached the server.
fn transport_failure(e: &ureq::Error) -> camskit::TransportFailure {
    use camskit::TransportFailure::*;
    use ureq::Timeout;
    match e {
        // ureq's own TLS set-up (a host name TLS cannot verify) and rustls's configuration.
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => HandshakeFailed,
        ureq::Error::Io(io) if tls_handshake_error(io) => HandshakeFailed,
        ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::BadUri(_)
        | ureq::Error::ConnectProxyFailed(_)
        | ureq::Error::Timeout(Timeout::Resolve | Timeout::Connect) => RefusedBeforeSend,
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused
                    | std::io::ErrorKind::AddrNotAvailable
                    | std::io::ErrorKind::NotFound
            ) =>
        {
            RefusedBeforeSend
        }
        ureq::Error::Timeout(_) => TimedOut,
        _ => ResetAfterSend,
    }
}

/// A rustls error (ureq passes the handshake's as an I/O error) that only the handshake
/// raises: the certificate did not verify, no common TLS version or cipher, the server
/// refused the handshake. Errors that could also come after the request was written (a bad
/// record, a decryption failure, another alert) are not among them.
fn tls_handshake_error(io: &std::io::Error) -> bool {
    use rustls::AlertDescription as A;
    let Some(tls) = io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) else {
        return false;
    };
    match tls {
        rustls::Error::InvalidCertificate(_)
        | rustls::Error::NoCertificatesPresented
        | rustls::Error::UnsupportedNameType
        | rustls::Error::PeerIncompatible(_)
        | rustls::Error::InvalidCertRevocationList(_)
        | rustls::Error::InappropriateHandshakeMessage { .. }
        | rustls::Error::NoApplicationProtocol => true,
        rustls::Error::AlertReceived(alert) => matches!(
            alert,
            A::HandshakeFailure
                | A::ProtocolVersion
                | A::InsufficientSecurity
                | A::BadCertificate
                | A::UnsupportedCertificate
                | A::CertificateRevoked
                | A::CertificateExpired
                | A::CertificateUnknown
                | A::UnknownCA
                | A::CertificateRequired
                | A::InappropriateFallback
                | A::UnrecognisedName
                | A::NoApplicationProtocol
        ),
        _ => false,
    }
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest)
}
