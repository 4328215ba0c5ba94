//! Argon2id password hashing.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};

/// Shortest password accepted for a new account.
pub const MIN_LENGTH: usize = 10;
/// Longest accepted: hashing a megabyte of password is a denial-of-service vector.
pub const MAX_LENGTH: usize = 256;

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// Whether `password` matches `stored`. A malformed stored hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()).unwrap_or(false)
}

/// A hash of a random password, checked against when the account does not exist so that a
/// failed login takes the same time either way (no account enumeration by timing).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash(&super::token::new_token()).unwrap_or_default())
}

/// Hashing is deliberately slow (tens of milliseconds of CPU each). It runs on threads of its
/// own, at most one fewer than the machine's cores at a time, so that a storm of sign-ins
/// queues here instead of stalling the workers that answer everything else.
fn hashing_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        tokio::sync::Semaphore::new(cores.saturating_sub(1).max(1))
    })
}

/// Runs `work` (hashing) off the async workers, in one of the hashing slots.
async fn off_the_workers<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let _slot = hashing_slots().acquire().await.ok()?;
    tokio::task::spawn_blocking(work).await.ok()
}

/// `verify` against `stored`, off the async workers; with no stored hash (no such account),
/// against a dummy one, so that both cases take the same time.
pub async fn verify_off_workers(password: &str, stored: Option<String>) -> bool {
    let password = password.to_string();
    off_the_workers(move || verify(&password, stored.as_deref().unwrap_or(dummy_hash())) && stored.is_some()).await.unwrap_or(false)
}

/// `hash`, off the async workers.
pub async fn hash_off_workers(password: &str) -> Result<String, String> {
    let password = password.to_string();
    match off_the_workers(move || hash(&password).map_err(|e| e.to_string())).await {
        Some(hashed) => hashed,
        None => Err("the hashing task stopped".into()),
    }
}

pub fn acceptable(password: &str) -> bool {
    (MIN_LENGTH..=MAX_LENGTH).contains(&password.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_password() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("wrong horse battery", &h));
        assert!(!verify("anything", "not a hash"));
    }
}
