//! Authentication: password hashing, session tokens and cookies, sign-in throttling, and
//! the middleware that turns a session cookie into a `CurrentUser` (remembered for a moment).

pub mod current_user;
pub mod password;
pub mod resolved;
pub mod revocations;
pub mod session;
pub mod throttle;
pub mod token;
