//! Snaplab's engine: the Alibaba Cloud ECS snapshot service, emulated.
//!
//! The core is sans-I/O: the world, the block engine and the command line are plain
//! synchronous Rust. Block bytes and metadata persist through the [`store::Store`] trait,
//! implemented by an in-memory store (every target) and an IndexedDB store (wasm only,
//! the one module that touches browser APIs). On wasm, [`js`] is the JS API (SPEC §19).

pub mod blocks;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod error;
pub mod ids;
#[cfg(target_arch = "wasm32")]
pub mod js;
pub mod replies;
pub mod request;
pub mod session;
#[cfg(any(test, feature = "testing"))]
pub mod session_faults;
pub mod store;
pub mod world;

/// The engine's version, as built.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
