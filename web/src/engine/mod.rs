//! The engine session in the page, shared through a Yew context.
//!
//! On start the provider opens the IndexedDB store `snaplab` and a [`Session`] on it
//! ([`handle`]). Every command line — a page's Describe query, a button's action, a terminal
//! line, a clock tick — goes through **one queue** ([`queue`]) and runs to its end before the
//! next starts (`exec_line` needs `&mut Session`): the session is taken out of its cell while a
//! line runs, so no borrow is ever held across an await. After an action whose reply says it
//! changed the world ([`LineReply::changed`](snaplab_engine::session::LineReply::changed)) the
//! context's [`Engine::version`](handle::Engine::version) goes up, and every [`use_query`] re-runs ([`hooks`]).
//!
//! The clock moves the world without a command that changes it (a tick, a `--waiter`'s polls):
//! such a line changes what the pages show only when something was in progress (a `Progress`,
//! an instance transition) or a scheduled event fell due ([`ClockProbe`](queue::ClockProbe)); otherwise only the
//! simulated time changed, which only the clock control shows ([`ClockTime`](handle::ClockTime)).
//!
//! Actions (not queries) are appended to the command log, which the terminal shows: every
//! action done with the mouse shows its equivalent command line there. Pages write their lines
//! with [`Line`] and read replies through [`reply`]'s views and [`json`].
//!
//! [`Session`]: snaplab_engine::session::Session

mod handle;
mod hooks;
pub mod json;
mod line;
mod queue;
mod reply;

// What the rest of the console uses (the modules' other items are theirs).
pub use handle::{EngineProvider, Status};
pub use hooks::{use_clock_time, use_dry_run, use_engine, use_query, use_query_at, Check};
pub use line::Line;
pub use queue::{current_line, CurrentLine};
pub use queue::{LogEntry, Source};
pub use reply::{answer, Answer, EcsErr};

#[cfg(target_arch = "wasm32")]
type PageStore = snaplab_engine::store::idb::IdbStore;
#[cfg(not(target_arch = "wasm32"))]
type PageStore = snaplab_engine::store::memory::MemoryStore;

/// The IndexedDB database of the console's world.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub const DB_NAME: &str = "snaplab";
