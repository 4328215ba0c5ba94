//! The stable codes of everything the server refuses: an HTTP error's `code`, a socket error's
//! `code`, and what a refused mutation amounts to (`Refusal::code`). The server answers with
//! them, the app says them in the person's language (`app/src/labels.rs`, one arm per code),
//! and `docs/sync-protocol.md` lists them (a test fails on a code it does not name). Add codes;
//! never rename one.

use serde::{Deserialize, Serialize};

macro_rules! error_codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal,)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum ErrorCode {
            $($(#[$doc])* #[serde(rename = $code)] $name,)*
            /// A code this build does not know: a newer server's.
            #[serde(other, rename = "unknown")]
            Unknown,
        }

        impl ErrorCode {
            /// Every code the server may send.
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$name),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$name => $code,)*
                    ErrorCode::Unknown => "unknown",
                }
            }
        }
    };
}

error_codes! {
    /// No session, or it has ended.
    Unauthenticated = "unauthenticated",
    BadCredentials = "bad_credentials",
    /// Too many attempts or requests; `Retry-After` says when to try again.
    RateLimited = "rate_limited",
    TooManySockets = "too_many_sockets",
    Forbidden = "forbidden",
    /// A state-changing request from another site.
    BadOrigin = "bad_origin",
    NotFound = "not_found",
    /// Fields break the rules; the error lists them.
    Invalid = "invalid",
    InvalidBody = "invalid_body",
    MalformedJson = "malformed_json",
    BadRequest = "bad_request",
    BadQuery = "bad_query",
    BadPath = "bad_path",
    TooLarge = "too_large",
    NotJson = "not_json",
    Exists = "exists",
    /// An edit of the HTTP API from a revision that is no longer current.
    StaleRevision = "stale_revision",
    /// A rule of the record's kind refused it (the detail names the rule).
    Refused = "refused",
    /// The consultation is not open yet.
    NotOpen = "not_open",
    /// The consultation has not closed yet.
    NotClosed = "not_closed",
    /// The consultation has closed.
    Closed = "closed",
    HasProjects = "has_projects",
    /// An administrator may not remove their own administrator role.
    LastAdmin = "last_admin",
    SelfDisable = "self_disable",
    /// An invitation used, expired or unknown.
    InviteUnusable = "invite_unusable",
    TooManyMutations = "too_many_mutations",
    /// A socket message that is not one of the protocol's.
    Malformed = "malformed",
    /// The client speaks another protocol version.
    Protocol = "protocol",
    /// The server failed; the detail is logged under the request id sent with it.
    Internal = "internal",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_travel_as_their_names_and_unknown_ones_are_kept_apart() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::json!(code.as_str()));
            assert_eq!(serde_json::from_value::<ErrorCode>(json).unwrap(), *code);
        }
        assert_eq!(serde_json::from_str::<ErrorCode>(r#""from_the_future""#).unwrap(), ErrorCode::Unknown);
    }

    #[test]
    fn the_protocol_document_names_every_code() {
        let doc = include_str!("../../docs/sync-protocol.md");
        let errors = doc.split("\n## Errors").nth(1).and_then(|s| s.split("\n## ").next()).expect("an Errors section");
        for code in ErrorCode::ALL {
            assert!(errors.contains(&format!("`{}`", code.as_str())), "docs/sync-protocol.md, Errors, lacks `{}`", code.as_str());
        }
    }
}
