//! The words product names are made of, and the words around them that are not names.
//!
//! English usage only: none of these lists names a product. They are kept apart from the
//! rules in `product` so the vocabulary can be read, and grown, in one place.

/// Words that end a name when met walking back from a version, but may stand between the
/// version and the name ("Azure CLI version needs to be 2.70.0", "SCVMM server running
/// version 2019"): skipped before the first word of the name is found.
#[rustfmt::skip]
pub(super) const BRIDGE: &[&str] = &[
    "version", "versions", "v", "ver", "build", "builds", "release", "releases", "is", "are",
    "be", "been", "being", "at", "least", "minimum", "minimal", "required", "running", "run",
    "runs", "using", "use", "uses", "on", "to", "must", "should", "needs", "need", "has", "have",
    "upgraded", "updated", "deployed", "installed", "or", "lesser", "less", "lower", "older",
    "earlier", "than", "below", "prior", "before", "with", "that", "which", "of",
];

/// Lower-case nouns that belong to a product's name ("Connected Machine agent", "the
/// `acrtransfer` extension").
#[rustfmt::skip]
pub(super) const NOUNS: &[&str] = &[
    "agent", "agents", "extension", "extensions", "module", "modules", "client", "clients",
    "cli", "sdk", "runtime", "provider", "library", "driver", "drivers", "plugin", "plug-in",
    "operator", "server", "servers", "service", "tool", "tools", "framework", "package", "app",
    "console", "gateway", "controller", "appliance", "bridge", "connector", "redistributable",
    "firmware", "engine", "browser", "chart", "cmdlets", "kernel", "os", "operating", "system",
    "systems", "platform", "platforms", "map", "maps",
];

/// Words that, written with a capital, still do not name a product: sentence openers
/// (conjunctions too: "Although Azure Media Services is being retired"), articles, pronouns, months, answers ("Yes, you need ...") and kinds of page ("... FAQ").
#[rustfmt::skip]
pub(super) const NOT_NAMES: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "your", "our", "its", "their", "all",
    "any", "each", "every", "if", "when", "for", "with", "from", "in", "on", "to", "and", "or",
    "you", "we", "it", "they", "make", "ensure", "install", "use", "upgrade", "update",
    "running", "using", "installing", "having", "enabling", "expected", "estimated", "planned",
    "scheduled", "tentative",
    "download", "verify", "check", "run", "set", "note", "important", "tip", "warning",
    "caution", "customers", "only", "also", "then", "after", "before", "since", "by", "as",
    "although", "though", "while", "because", "unless", "once", "whether", "whereas", "until",
    "not",
    "version", "versions", "build", "builds", "minimum", "require", "requires", "required", "need", "needs",
    "must", "should", "support", "supported", "see", "yes", "no", "faq", "faqs", "overview",
    "enforce", "enforces", "enforced", "mandate", "mandates",
    "tutorial", "quickstart", "ga",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "new", "latest", "current", "older", "earlier",
    "eligible", "existing", "affected", "compatible",
];

/// Nouns that name a quantity or a place, not a product: "requires port 443", "8 GB".
#[rustfmt::skip]
pub(super) const NOT_PRODUCTS: &[&str] = &[
    "port", "ports", "step", "steps", "item", "items", "line", "lines", "page", "pages", "table",
    "figure", "section", "option", "options", "level", "number", "size", "days", "hours",
    "minutes", "seconds", "times", "nodes", "node", "pods", "replicas", "instances",
    "characters", "bits", "bytes", "percent", "gb", "mb", "tb", "kb", "ghz", "mhz", "cores",
    "vcpus", "vcpu", "cpus", "ram", "memory", "disk", "storage", "error", "code", "kb",
];

/// Words that describe a version rather than name a product ("the latest version", "a
/// supported version").
#[rustfmt::skip]
pub(super) const DESCRIBING: &[&str] = &[
    "latest", "newest", "newer", "older", "earlier", "current", "previous", "next", "same",
    "specific", "supported", "unsupported", "required", "recommended", "preview", "stable",
    "new", "old", "correct", "compatible", "installed", "updated", "upgraded", "full", "base",
    "major", "minor", "patch", "different", "particular", "certain", "given", "default",
    "appropriate", "right", "proper", "desired", "target", "initial", "final", "first", "last",
    "second", "any", "each", "every", "which", "what", "whose", "my", "api", "schema", "image",
    "agent", "extension", "client", "server", "module", "cluster", "release", "software",
    "product", "tool", "driver", "package", "library", "platform", "system", "os", "kernel",
    "supports", "support", "requires", "require", "needs", "need", "uses", "use", "using",
    "runs", "run", "running", "has", "have", "install", "upgrade", "update", "download", "get",
    "check", "see", "find", "set", "choose", "select", "specify", "enter", "and", "or", "of",
    "to", "for", "from", "in", "on", "at", "by", "is", "are", "was", "be", "older", "lower",
    "higher",
];

/// Auxiliaries and adverbs between a subject and its verb ("SQL Server 2012 will go out of
/// support", "Azure AD Connect V1 has been retired").
#[rustfmt::skip]
pub(super) const AUXILIARIES: &[&str] = &[
    "will", "would", "be", "been", "being", "is", "are", "was", "were", "has", "have", "had",
    "may", "might", "can", "could", "should", "planned", "scheduled", "going", "to", "go",
    "goes", "went", "also", "now", "no", "longer", "officially", "fully", "completely", "soon",
    "get", "gets", "reach", "reaches", "reached", "versions", "version",
];
