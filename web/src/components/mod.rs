//! Pieces of the console frame shared by every page.

pub mod nav;
pub mod topbar;
