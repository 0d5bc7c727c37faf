//! The `snaplab …` commands as one typed value (SPEC §18): the command line parses the words
//! once ([`Emulator::from_words`]); the session, the world and the console match on the enum.

use std::fmt;

/// Declares the commands once: the variant, its words, whether it only reads, the parameters
/// it takes (issue 12: any other is refused) and whether it can dry-run.
macro_rules! commands {
    ($( $(#[$doc:meta])* $variant:ident => [$($word:literal),+], $access:ident,
        [$($param:literal),*], $dry:ident; )*) => {
        /// A `snaplab` command: what ECS does inside the guest or outside any API.
        ///
        /// Words no command has parse too ([`Emulator::Unknown`]): like an unknown API action,
        /// they are refused when the world runs them (`InvalidAction`), after the line's other
        /// checks.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum Emulator {
            $( $(#[$doc])* $variant, )*
            /// Words that name no command, as typed.
            Unknown(UnknownWords),
        }

        impl Emulator {
            /// Every known command.
            pub const ALL: &'static [Emulator] = &[$(Emulator::$variant),*];

            /// The command's words (`["guest", "write"]`), as typed.
            pub fn words(&self) -> Vec<&str> {
                match self {
                    $( Emulator::$variant => vec![$($word),+], )*
                    Emulator::Unknown(words) => words.0.iter().map(String::as_str).collect(),
                }
            }

            /// Whether the command only reads the world (a waiter may repeat it; the session
            /// commits nothing when it changed nothing).
            pub fn is_read_only(&self) -> bool {
                match self {
                    $( Emulator::$variant => commands!(@read_only $access), )*
                    Emulator::Unknown(_) => false,
                }
            }

            /// The parameters the command takes, besides `DryRun` (see
            /// [`can_dry_run`](Self::can_dry_run)); the world refuses any other
            /// (`crate::world::params::check`). Words that name no command take none.
            pub fn params(&self) -> &'static [&'static str] {
                match self {
                    $( Emulator::$variant => &[$($param),*], )*
                    Emulator::Unknown(_) => &[],
                }
            }

            /// Whether `--DryRun true` can check the command without running it: the world
            /// runs it on a scratch copy (`World::exec`) and answers `DryRunOperation`. The
            /// commands the session runs on the whole store (export, import) cannot, and
            /// refuse `--DryRun` with a clear error instead of running.
            pub fn can_dry_run(&self) -> bool {
                match self {
                    $( Emulator::$variant => commands!(@dry $dry), )*
                    Emulator::Unknown(_) => false,
                }
            }
        }
    };
    (@read_only reads) => { true };
    (@read_only changes) => { false };
    (@dry dry_run) => { true };
    (@dry no_dry_run) => { false };
}

commands! {
    /// `snaplab service activate`: activates the snapshot service (SPEC §3).
    ServiceActivate => ["service", "activate"], changes, [], dry_run;
    /// `snaplab guest write --DiskId d-… (--Block N --Text t | --Offset B --Base64 b)`.
    GuestWrite => ["guest", "write"], changes, ["DiskId", "Block", "Text", "Offset", "Base64"], dry_run;
    /// `snaplab guest fill --DiskId d-… --FromBlock N --Blocks M [--Seed S]`.
    GuestFill => ["guest", "fill"], changes, ["DiskId", "FromBlock", "Blocks", "Seed"], dry_run;
    /// `snaplab guest read --DiskId d-… --Block N`.
    GuestRead => ["guest", "read"], reads, ["DiskId", "Block"], dry_run;
    /// `snaplab guest checksum --DiskId d-…`.
    GuestChecksum => ["guest", "checksum"], reads, ["DiskId"], dry_run;
    /// `snaplab snapshot checksum --SnapshotId s-…`.
    SnapshotChecksum => ["snapshot", "checksum"], reads, ["SnapshotId"], dry_run;
    /// `snaplab snapshot delete-preview (--SnapshotId s-… | --SnapshotIds '[…]')`.
    SnapshotDeletePreview => ["snapshot", "delete-preview"], reads, ["SnapshotId", "SnapshotIds"], dry_run;
    /// `snaplab snapshot copy-info --SnapshotId s-…`.
    SnapshotCopyInfo => ["snapshot", "copy-info"], reads, ["SnapshotId"], dry_run;
    /// `snaplab disk reset-preview --DiskId d-… --SnapshotId s-…`.
    DiskResetPreview => ["disk", "reset-preview"], reads, ["DiskId", "SnapshotId"], dry_run;
    /// `snaplab billing estimate …` (R-BIL-1).
    BillingEstimate => ["billing", "estimate"], reads, ["RegionId", "SnapshotId", "DiskId"], dry_run;
    /// `snaplab chain blocks --DiskId d-…`.
    ChainBlocks => ["chain", "blocks"], reads, ["DiskId"], dry_run;
    /// `snaplab clock show`.
    ClockShow => ["clock", "show"], reads, [], dry_run;
    /// `snaplab clock next`: jumps to the next scheduled event.
    ClockNext => ["clock", "next"], changes, [], dry_run;
    /// `snaplab clock advance (--Seconds N | --To T)`.
    ClockAdvance => ["clock", "advance"], changes, ["Seconds", "To"], dry_run;
    /// `snaplab clock run-until-idle`.
    ClockRunUntilIdle => ["clock", "run-until-idle"], changes, [], dry_run;
    /// `snaplab world show`.
    WorldShow => ["world", "show"], reads, [], dry_run;
    /// `snaplab world reset [--Seed N] [--BlockSize B]`: replaces the world with a new one.
    WorldReset => ["world", "reset"], changes, ["Seed", "BlockSize"], dry_run;
    /// `snaplab world export`: the whole world as one document. The session runs it (it
    /// reads the whole store), never the world.
    WorldExport => ["world", "export"], reads, [], no_dry_run;
    /// `snaplab world import --Json …`: replaces the world with an exported one. The session
    /// runs it (it rewrites the whole store), never the world.
    WorldImport => ["world", "import"], changes, ["Json"], no_dry_run;
}

/// The words of a `snaplab` line that name no command (see [`Emulator::Unknown`]). Made only by
/// [`Emulator::from_words`], so that it never holds a known command's words: parsing
/// [`Emulator::words`] again gives the same value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnknownWords(Vec<String>);

impl Emulator {
    /// The command `words` name (as typed: command words are case-sensitive), or
    /// [`Emulator::Unknown`].
    pub fn from_words<S: AsRef<str>>(words: &[S]) -> Emulator {
        let typed: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
        Emulator::ALL
            .iter()
            .find(|c| c.words() == typed)
            .cloned()
            .unwrap_or_else(|| Emulator::Unknown(UnknownWords(typed.iter().map(|w| w.to_string()).collect())))
    }
}

/// The words joined by spaces, e.g. `guest write` (as in `snaplab guest write`).
impl fmt::Display for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words().join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_round_trips_through_its_words() {
        for c in Emulator::ALL {
            assert_eq!(&Emulator::from_words(&c.words()), c, "{c}");
        }
        let unknown = Emulator::from_words(&["world", "explode"]);
        assert!(matches!(unknown, Emulator::Unknown(_)));
        assert_eq!(unknown.words(), ["world", "explode"]);
        assert_eq!(Emulator::from_words(&unknown.words()), unknown);
        assert_eq!(unknown.to_string(), "world explode");
        // Words are case-sensitive, and a prefix of a command is no command.
        assert!(matches!(Emulator::from_words(&["World", "show"]), Emulator::Unknown(_)));
        assert!(matches!(Emulator::from_words(&["world"]), Emulator::Unknown(_)));
        assert!(matches!(
            Emulator::from_words(&["world", "show", "now"]),
            Emulator::Unknown(_)
        ));
    }

    #[test]
    fn read_only_commands() {
        let reads: Vec<String> = Emulator::ALL
            .iter()
            .filter(|c| c.is_read_only())
            .map(|c| c.to_string())
            .collect();
        assert_eq!(
            reads,
            [
                "guest read",
                "guest checksum",
                "snapshot checksum",
                "snapshot delete-preview",
                "snapshot copy-info",
                "disk reset-preview",
                "billing estimate",
                "chain blocks",
                "clock show",
                "world show",
                "world export",
            ]
        );
        assert!(!Emulator::from_words(&["nope"]).is_read_only());
    }
}
