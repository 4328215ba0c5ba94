//! Serving the built app from `dist/`: hashed assets cached forever, everything else
//! revalidated, and unknown paths answered with `index.html` so client-side routes load. A
//! release build writes each file compressed beside it (`.br`, `.gz`), sent to browsers that
//! accept it; other files are compressed on the fly.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};

pub fn service(dist: &Path) -> Router {
    let index = ServeFile::new(dist.join("index.html")).precompressed_br().precompressed_gzip();
    let serve = ServeDir::new(dist).precompressed_br().precompressed_gzip().fallback(index);
    Router::new().fallback_service(serve).layer(middleware::from_fn(cache_control))
}

async fn cache_control(request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let value = if immutable && response.status().is_success() { "public, max-age=31536000, immutable" } else { "no-cache" };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// Whether the file name carries a content hash (`name-0123456789abcdef.ext`), or the file is
/// in a directory named so (`/app-0123456789abcdef/…`, the app's wasm and JS, which load each
/// other by name): `cargo xtask build` gives every asset whose content can change one of these.
pub fn is_hashed_asset(path: &str) -> bool {
    let path = path.trim_start_matches('/');
    let file = path.rsplit('/').next().unwrap_or("");
    let in_hashed_dir = path.split_once('/').is_some_and(|(dir, _)| has_hash(dir));
    in_hashed_dir || has_hash(file.split('.').next().unwrap_or(""))
}

fn has_hash(name: &str) -> bool {
    name.rsplit_once('-').is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognizes_hashed_file_names() {
        assert!(is_hashed_asset("/rihub-app-0123456789abcdef.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        assert!(is_hashed_asset("/app-0123456789abcdef/rihub_app_bg.wasm"));
        assert!(is_hashed_asset("/app-0123456789abcdef/snippets/rihub-app-1/js/idb.js"));
        assert!(!is_hashed_asset("/initiatives/0123456789abcdef"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/initiatives/wtdc22-afr1"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
    }
}
