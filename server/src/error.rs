//! One error type for every request. Each variant picks its HTTP status and stable code once,
//! here; handlers only use `?`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rihub_domain::error_code::ErrorCode;
use rihub_domain::validation::FieldError;
use serde_json::json;

use crate::db::DbError;
use crate::limits::Reached;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign in to continue")]
    Unauthenticated,
    #[error("email or password is wrong, or the account is disabled")]
    BadCredentials,
    #[error("too many attempts; try again in {retry_after} seconds")]
    RateLimited { retry_after: u64 },
    #[error("{}", .0.message())]
    LimitReached(Reached),
    #[error("you are not allowed to do this")]
    Forbidden,
    #[error("requests must come from this site")]
    BadOrigin,
    #[error("{0} does not exist")]
    NotFound(&'static str),
    #[error("some fields are not valid")]
    Invalid(Vec<FieldError>),
    #[error("{message}")]
    BadRequest { code: ErrorCode, message: String },
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String, current: Option<serde_json::Value> },
    #[error("the request body is larger than allowed")]
    TooLarge,
    #[error("send the body as JSON (Content-Type: application/json)")]
    NotJson,
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    /// The stable code clients see.
    pub fn code(&self) -> ErrorCode {
        self.status_and_code().1
    }

    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated),
            AppError::BadCredentials => (StatusCode::UNAUTHORIZED, ErrorCode::BadCredentials),
            AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            AppError::LimitReached(Reached::SocketsPerSession | Reached::SocketsPerUser) => {
                (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManySockets)
            }
            AppError::LimitReached(Reached::Rate { .. }) => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            AppError::Forbidden => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            AppError::BadOrigin => (StatusCode::FORBIDDEN, ErrorCode::BadOrigin),
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Invalid),
            AppError::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, *code),
            AppError::Conflict { code, .. } => (StatusCode::CONFLICT, *code),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge),
            AppError::NotJson => (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::NotJson),
            AppError::Db(DbError::Duplicate) => (StatusCode::CONFLICT, ErrorCode::Exists),
            AppError::Db(_) | AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        }
    }
}

impl AppError {
    /// What the client is told, and for an internal failure the id of the request, under which
    /// its detail (never sent: it may hold the database's own words) is logged.
    pub fn public(&self) -> (String, Option<String>) {
        match self {
            AppError::Db(DbError::Duplicate) => ("a record with this key already exists".to_string(), None),
            AppError::Db(_) | AppError::Internal(_) => {
                let id = crate::db::random_id();
                tracing::error!(request_id = %id, error = %self, "request failed");
                (format!("internal error; please retry, and report request {id} if it persists"), Some(id))
            }
            other => (other.to_string(), None),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let (message, request_id) = self.public();
        let mut body = json!({"error": {"code": code.as_str(), "message": message}});
        if let Some(id) = request_id {
            body["error"]["request_id"] = json!(id);
        }
        match &self {
            AppError::Invalid(fields) => body["error"]["fields"] = json!(fields),
            AppError::Conflict { current: Some(current), .. } => body["error"]["current"] = current.clone(),
            _ => {}
        }
        let mut response = (status, Json(body)).into_response();
        let retry_after = match &self {
            AppError::RateLimited { retry_after } => Some(*retry_after),
            AppError::LimitReached(reached) => Some(reached.retry_after()),
            _ => None,
        };
        if let Some(retry_after) = retry_after
            && let Ok(v) = HeaderValue::from_str(&retry_after.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

/// A refused write, said the way the HTTP API says it.
impl From<rihub_domain::sync::outcome::Refusal> for AppError {
    fn from(refusal: rihub_domain::sync::outcome::Refusal) -> AppError {
        use rihub_domain::sync::outcome::Refusal;
        match refusal {
            Refusal::NotFound => AppError::NotFound("record"),
            Refusal::Exists => AppError::Db(DbError::Duplicate),
            Refusal::Forbidden => AppError::Forbidden,
            Refusal::Invalid(fields) => AppError::Invalid(fields),
            Refusal::Stale => AppError::Conflict {
                code: ErrorCode::StaleRevision,
                message: "someone saved a newer version; review it and save again".into(),
                current: None,
            },
            Refusal::Refused(code) => AppError::BadRequest { code: ErrorCode::Refused, message: code },
            Refusal::NotOpen => {
                AppError::Conflict { code: ErrorCode::NotOpen, message: "the consultation is not open yet".into(), current: None }
            }
            Refusal::NotClosed => {
                AppError::Conflict { code: ErrorCode::NotClosed, message: "the consultation has not closed yet".into(), current: None }
            }
            Refusal::Closed => AppError::Conflict { code: ErrorCode::Closed, message: "the consultation has closed".into(), current: None },
        }
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> AppError {
        match rejection {
            JsonRejection::JsonDataError(e) => AppError::BadRequest { code: ErrorCode::InvalidBody, message: e.body_text() },
            JsonRejection::JsonSyntaxError(e) => AppError::BadRequest { code: ErrorCode::MalformedJson, message: e.body_text() },
            JsonRejection::MissingJsonContentType(_) => AppError::NotJson,
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
            other => AppError::BadRequest { code: ErrorCode::BadRequest, message: other.body_text() },
        }
    }
}

/// A JSON body whose rejections become `AppError`s with stable codes.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> AppError {
        AppError::BadRequest { code: ErrorCode::BadQuery, message: rejection.body_text() }
    }
}

/// A query string whose rejections become `bad_query`.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct ApiQuery<T>(pub T);

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> AppError {
        AppError::BadRequest { code: ErrorCode::BadPath, message: rejection.body_text() }
    }
}

/// Path parameters whose rejections become `bad_path`.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

pub type AppResult<T> = Result<T, AppError>;
