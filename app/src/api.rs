//! HTTP calls to rihub's API. Failures keep their kind: offline is not "not found",
//! refused is not "failed", so each page can say the right thing.

use gloo_net::http::{Method, Request, RequestBuilder};
use rihub_domain::api::ErrorBody;
use rihub_domain::error_code::ErrorCode;
use rihub_domain::validation::FieldError;
use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No answer: the network or the server is down. Retryable.
    Offline,
    Unauthenticated,
    Forbidden,
    NotFound,
    /// Field-level validation problems.
    Invalid(Vec<FieldError>),
    /// Refused because of the record's state (`stale_revision`, `exists` …), with the current
    /// version when the server sent it.
    Conflict {
        code: ErrorCode,
        current: Option<serde_json::Value>,
    },
    /// Another refusal, by stable code.
    Refused(ErrorCode),
    /// The server failed. Retryable.
    Server,
    /// This device could not save the change (storage full or refused), with the browser's reason.
    NotSaved(String),
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    finish(Request::get(path)).await
}

pub async fn send<B: Serialize, T: DeserializeOwned>(method: Method, path: &str, body: &B) -> Result<T, ApiError> {
    let request = RequestBuilder::new(path).method(method).json(body).map_err(|_| ApiError::Server)?;
    finish_request(request.send().await).await
}

async fn finish<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, ApiError> {
    finish_request(request.send().await).await
}

async fn finish_request<T: DeserializeOwned>(sent: Result<gloo_net::http::Response, gloo_net::Error>) -> Result<T, ApiError> {
    let response = sent.map_err(|_| ApiError::Offline)?;
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiError::Offline)?;
    if (200..300).contains(&status) {
        let text = if text.is_empty() { "null" } else { &text };
        return serde_json::from_str(text).map_err(|_| ApiError::Server);
    }
    let error = serde_json::from_str::<ErrorBody>(&text).map(|b| b.error).ok();
    let code = error.as_ref().map(|e| e.code).unwrap_or(ErrorCode::Unknown);
    Err(match (status, code) {
        (401, ErrorCode::Unauthenticated) => ApiError::Unauthenticated,
        (403, ErrorCode::Forbidden) => ApiError::Forbidden,
        (404, _) => ApiError::NotFound,
        (422, _) => ApiError::Invalid(error.map(|e| e.fields).unwrap_or_default()),
        (409, _) => ApiError::Conflict { code, current: error.and_then(|e| e.current) },
        (502..=504, _) => ApiError::Offline,
        (500..=599, _) => ApiError::Server,
        _ => ApiError::Refused(code),
    })
}
