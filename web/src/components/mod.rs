//! Pieces of the console frame shared by every page.

pub mod activation;
pub mod clock;
pub mod nav;
pub mod terminal;
pub mod topbar;
pub mod ui;
pub mod world;
