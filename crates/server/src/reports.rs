//! `/reports/`: the folder of published reports (`trustgate report
//! --publish DIR`), served as files to anyone.
//!
//! `ServeDir` already refuses a path that climbs out (`..`, a root, a
//! drive), but it opens whatever the remaining path names, and the
//! operating system follows symbolic links: a link in the folder to
//! `/etc/…` or to the records database would be served. So the files are
//! opened through [`Confined`], which resolves every path it is asked for
//! (all links followed, to the real file) and answers "not found" unless the
//! real path is inside the folder's own real path. A link to another file
//! in the folder still works; the folder itself may be a link.
//!
//! What it cannot stop: someone who can write to the folder swapping a
//! checked file for a link between the check and the open. Whoever can write
//! there can publish anything anyway.

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use tower_http::services::ServeDir;
use tower_http::services::fs::{Backend, TokioBackend, TokioFile};

/// The published reports under `dir`, index pages for folders.
pub(crate) fn service(
    dir: Arc<Path>,
) -> ServeDir<tower_http::services::fs::DefaultServeDirFallback, Confined> {
    let backend = Confined {
        root: Arc::clone(&dir),
    };
    ServeDir::with_backend(&*dir, backend).append_index_html_on_directories(true)
}

/// Files as [`TokioBackend`] opens them, but only those whose real path is
/// inside `root`'s.
#[derive(Debug, Clone)]
pub(crate) struct Confined {
    root: Arc<Path>,
}

type Boxed<T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send>>;

impl Confined {
    /// The real path of `path`, if it is inside the folder; otherwise
    /// "not found", as for a file that is not there.
    async fn inside(root: &Path, path: &Path) -> io::Result<PathBuf> {
        let root = tokio::fs::canonicalize(root).await?;
        let real = tokio::fs::canonicalize(path).await?;
        if real.starts_with(&root) {
            Ok(real)
        } else {
            tracing::warn!("a published report's path leads out of the reports folder; not served");
            Err(io::Error::from(io::ErrorKind::NotFound))
        }
    }
}

impl Backend for Confined {
    type File = TokioFile;
    type Metadata = std::fs::Metadata;
    type OpenFuture = Boxed<TokioFile>;
    type MetadataFuture = Boxed<std::fs::Metadata>;

    fn open(&self, path: PathBuf) -> Self::OpenFuture {
        let root = Arc::clone(&self.root);
        Box::pin(async move {
            let real = Confined::inside(&root, &path).await?;
            TokioBackend.open(real).await
        })
    }

    fn metadata(&self, path: PathBuf) -> Self::MetadataFuture {
        let root = Arc::clone(&self.root);
        Box::pin(async move {
            let real = Confined::inside(&root, &path).await?;
            tokio::fs::metadata(real).await
        })
    }
}
