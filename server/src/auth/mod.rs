//! Authentication: password hashing, session tokens and cookies, the login rate limiter, and
//! the middleware that turns a session cookie into a `CurrentUser` (remembered for a moment).

pub mod password;
pub mod rate_limit;
pub mod resolved;
pub mod session;
pub mod token;
