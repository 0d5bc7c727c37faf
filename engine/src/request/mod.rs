//! What the world is asked to do: a [`Request`] — an API action of a product or an emulator
//! command, its [`Params`] and its region — whoever wrote it.
//!
//! Two producers, one consumer: the command line parses words into a request
//! ([`crate::cli::parse`], which adds the CLI's own `--output`/`--waiter` around it in a
//! [`crate::cli::Command`]); the JS API builds one from a JavaScript object ([`object`], no
//! command line in between); the world runs it ([`crate::world::World::exec`]) and reads its
//! parameters through the typed getters of [`Params`]. The getters fail with [`CliError`],
//! which lives here for that reason (the parser fails with it too).

mod emulator;
mod error;
pub mod object;
mod params;

pub use emulator::{Emulator, UnknownWords};
pub use error::{CliError, Expected, FieldFlag, FieldProblem, Limit, QuoteKind};
pub use params::{parse_integer, Filter, Params, Tag};

pub(crate) use params::is_param_name;

/// A product whose API the world emulates (`aliyun <product> <Action>`). Each has its own
/// action table in the world ([`crate::world::World::exec`] dispatches on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Product {
    /// Elastic Compute Service: instances, disks, snapshots, images, tags.
    Ecs,
}

impl Product {
    /// Every product, in the order the CLI's messages list them.
    pub const ALL: [Product; 1] = [Product::Ecs];

    /// The product as the CLI writes it (lower case).
    pub fn as_str(self) -> &'static str {
        match self {
            Product::Ecs => "ecs",
        }
    }

    /// The product named `name`, in any letter case (like the real CLI); `None` for a
    /// product the world does not emulate.
    pub fn from_name(name: &str) -> Option<Product> {
        Product::ALL.into_iter().find(|p| p.as_str().eq_ignore_ascii_case(name))
    }
}

/// What a request addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `aliyun <product> <Action>`: an API call.
    Api {
        /// The product.
        product: Product,
        /// The API action, e.g. `CreateSnapshot`.
        action: String,
    },
    /// `snaplab <words…>`: an emulator command, e.g. [`Emulator::GuestWrite`].
    Snaplab(Emulator),
}

impl Target {
    /// Whether the request only reads: `Describe…`/`List…` actions and the read-only emulator
    /// commands ([`Emulator::is_read_only`]). A waiter may repeat it, and the session does not
    /// commit it when it changed nothing.
    pub fn is_read_only(&self) -> bool {
        match self {
            Target::Api { action, .. } => action.starts_with("Describe") || action.starts_with("List"),
            Target::Snaplab(command) => command.is_read_only(),
        }
    }
}

/// One request: its target, its parameters (by their API names, in the order given) and the
/// CLI's `--region`, which is kept apart from the parameters (`RegionId` is a parameter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The API action or emulator command.
    pub target: Target,
    /// The `--Name value` parameters, in order.
    pub params: Params,
    /// `--region <id>`, if given.
    pub region: Option<String>,
}

impl Request {
    /// A request with no parameters.
    pub fn new(target: Target) -> Self {
        Request {
            target,
            params: Params::new(),
            region: None,
        }
    }

    /// An ECS API request with no parameters.
    pub fn ecs(action: &str) -> Self {
        Request::new(Target::Api {
            product: Product::Ecs,
            action: action.to_string(),
        })
    }
}

impl AsRef<Request> for Request {
    fn as_ref(&self) -> &Request {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_by_name() {
        assert_eq!(Product::from_name("ecs"), Some(Product::Ecs));
        assert_eq!(Product::from_name("ECS"), Some(Product::Ecs));
        assert_eq!(Product::from_name("oss"), None);
        assert_eq!(Product::Ecs.as_str(), "ecs");
    }

    #[test]
    fn read_only_targets() {
        let api = |a: &str| Target::Api {
            product: Product::Ecs,
            action: a.into(),
        };
        assert!(api("DescribeSnapshots").is_read_only());
        assert!(api("ListTagResources").is_read_only());
        assert!(!api("CreateSnapshot").is_read_only());
        assert!(Target::Snaplab(Emulator::ClockShow).is_read_only());
        assert!(!Target::Snaplab(Emulator::ClockAdvance).is_read_only());
    }
}
