//! The words that say what a version or a date means: "or later" makes a version a minimum,
//! "must" makes it required, "if" makes it a condition, "retired" makes a date a cutoff.
//!
//! Each list is a case-insensitive regular expression that takes `'` and `’` alike and is
//! matched against the text as written, so byte offsets stay those of the text. A rule then
//! reads as "the clause has a ... word", and the vocabulary lives in one place. The lists are
//! English usage, never the name of a product.

use std::sync::LazyLock;

use regex::Regex;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("literal regex")
}

/// A cue that only reads a window of the text next to a version: the words just before it
/// or the clause just after it. Keeping the window in code rather than in the pattern
/// (`[^,;]{0,40}$`) keeps the patterns small, which is what keeps them fast.
pub(super) struct Cue {
    pattern: LazyLock<Regex>,
    window: Window,
}

/// Which part of a text a [`Cue`] reads.
enum Window {
    /// The last N bytes: the words right before a version.
    Tail(usize),
    /// The first N bytes up to the first `,`, `;` or `.`: the clause right after it.
    Head(usize),
}

impl Cue {
    /// Whether the cue's window of `text` matches.
    pub(super) fn is_match(&self, text: &str) -> bool {
        let window = match self.window {
            Window::Tail(n) => {
                let mut start = text.len().saturating_sub(n);
                while !text.is_char_boundary(start) {
                    start += 1;
                }
                &text[start..]
            }
            Window::Head(n) => {
                let mut end = n.min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let head = &text[..end];
                // A full stop inside a number ("2.0") does not end the clause.
                let stop = head
                    .char_indices()
                    .find(|&(i, c)| {
                        matches!(c, ',' | ';')
                            || (c == '.'
                                && !head[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
                    })
                    .map_or(head.len(), |(i, _)| i);
                &head[..stop]
            }
        };
        self.pattern.is_match(window)
    }
}

/// Whether a sentence has any word that could make one of its versions a requirement: a
/// cheap test that spares the other rules the sentences that cannot hold one.
pub(super) static ANY_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:or|and|onwards?|forward|minim\w*|least|requir\w*|need\w*|must|depend\w*|support\w*|below|than|prior|before|under|upgrad\w*|updat\w*|migrat\w*|move|install\w*|use|using|run\w*|verify|ensure|make|confirm|check|download|deploy)\b|\+",
    )
});

/// Right after a version: it is a floor ("2.4.18.0 or any newer version", "1.2+",
/// "2.0 onwards", "1.9 is the minimum requirement").
pub(super) static MIN_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:\s+(?:is|are)\s+the\s+only\s+supported\b|\s+(?:is|are)\s+the\s+(?:minimum|lowest|earliest)(?:\s+(?:required|supported))?\s+(?:version|build|release|requirement)s?\b|\+(?:$|[^\w.])|(?:\*\*|__|\(|\)|\]|`|-based|\s|\([^()]{1,60}\))*(?:operating\s+system\s+|OS\s+|(?-i:[A-Z][a-z]{2,})\s+)?(?:(?:,\s*)?(?:or|and)\s+(?:any\s+|a\s+)?(?:later|higher|newer|above|greater|more\s+recent)\b|or\s+(?:any\s+)?(?:later|newer|higher)\s+(?:version|build|release)s?\b|onwards?\b|forward\b|at\s+a\s+minimum\b|\(minimum\)|minimum\b))",
    )
});

/// Right before a version: it is a floor ("at least version", "minimum version of X is",
/// "the minimum required version (").
pub(super) static MIN_BEFORE: Cue = Cue {
    pattern: LazyLock::new(|| {
        re(
            r"(?i)(?:(?:^|\s)(?:>=|≥|&gt;=)|\bat\s+least(?:\s+(?:version|build|release)s?)?|\bminim(?:um|al)(?:\s+of)?|\bminimal\s+build\s+of[^,.;:]*|\bminim(?:um|al)\b[^,;:]*\b(?:version|build|release)s?\b(?:[^,;:]*\b(?:is|are)\b)?|\bno(?:t)?\s+(?:earlier|older|lower)\s+than)[\s:=(\[*_`]*(?:version\s+|v\s*)?$",
        )
    }),
    window: Window::Tail(100),
};
/// Right before a version, a minimum of something else for the version's scope ("the minimum
/// value of `_MSC_FULL_VER` for Visual Studio 2019 versions 16.8 and 16.9 is ..."): the
/// version says which release, not what is required of it.
pub(super) static MINIMUM_FOR: Cue = Cue {
    pattern: LazyLock::new(|| re(r"(?i)\bminim(?:um|al)\b[^,;:]*\bfor\b[^,;:]*$")),
    window: Window::Tail(100),
};

/// Right before a version: versions under it are cut off ("versions below", "older than",
/// "lesser than", "prior to").
pub(super) static BELOW: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\bversions?\s*(?:<|&lt;)\s*$|\bbelow|\b(?:lesser|less|lower|older|earlier)\s+than(?:\s+(?-i:[A-Z])[\w.-]*){0,3}|\bprior\s+to|\bbefore|\bunder)[\s:(\[*_`]*(?:version\s+|v\s*)?$",
    )
});

/// Right after a version: it is a ceiling, the opposite of a floor ("or earlier", "or
/// below", "and older").
pub(super) static CEILING_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:\*\*|__|\)|\]|`|\s)*(?:,\s*)?(?:or|and)\s+(?:any\s+)?(?:earlier|older|lower|below|prior|previous)\b",
    )
});

/// Before a version in its clause: it is a ceiling or a range's end ("up to", "last
/// supported", "at most", "through").
pub(super) static CEILING_BEFORE: Cue = Cue {
    pattern: LazyLock::new(|| {
        re(
            r"(?i)\b(?:up\s+to(?:\s+and\s+including)?|last\s+supported|at\s+most|maximum|through|until|till|downgrad[a-z]*|roll\s+back)\b[^,;]*$",
        )
    }),
    window: Window::Tail(60),
};
/// Right after a floor, it is only recommended: "(version 2.0.55 or later recommended)".
pub(super) static RECOMMENDED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^[\s*_)]*(?:is\s+|are\s+)?(?:strongly\s+)?(?:recommended|suggested|preferred|advised)\b",
    )
});

/// A pronoun that points back at a product named in the sentence before ("If you'd like to
/// use it locally, version 2.0.68 or later is required").
pub(super) static PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:it|its|this\s+tool|this\s+module)\b"));

/// A version that points back at one named elsewhere ("The version indicated must be at
/// least 3.8.0"): whose it is lies outside the sentence, not in the notice's title.
pub(super) static POINTING_BACK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bthe\s+version\s+(?:indicated|shown|above|listed|specified|mentioned|given|noted|referenced|displayed|returned)\b",
    )
});

/// "with" opening a scope in the middle of a clause ("with version 0.1.5 and later, each
/// question ..."), unless something required it ("requires a cluster with Kubernetes 1.27").
pub(super) static WITH_SCOPE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bwith\b"));

/// A clause that requires something: obligation, need, dependency, a prerequisite.
pub(super) static OBLIGATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:must|required?|requires|requirements?|need|needs|needed|have\s+to|has\s+to|depends\s+on|prerequisites?|mandatory|only\s+supports?|only\s+supported|(?:lowest|earliest|oldest)\s+supported|make\s+sure|ensure|verify|confirm|check\s+that|should\s+be\s+(?:on|using|running|at)|minimum|at\s+least)\b",
    )
});

/// A clause that tells the reader what to do: an imperative at its start ("Upgrade to
/// Kubernetes version 1.20.6 or greater", "Use version 2.18 or later to run it locally").
pub(super) static IMPERATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^[\s*_>]*(?:(?:first|then|now|also|please)\s+)?(?:upgrade|update|install|use|download|run|ensure|verify|confirm|deploy|migrate|move)\b",
    )
});

/// An act toward a version: "upgrade your clusters to use microsoft.flux version 1.23.0",
/// "migrate to 3.0 by Nov 2025". Required when the clause sets a date or the sentence an
/// obligation. A full stop inside a name ("ASP.NET") does not end the clause.
pub(super) static ACT_TO: Cue = Cue {
    pattern: LazyLock::new(|| {
        re(
            r"(?i)(?:\b(?:upgrade|update|migrate|move|transition|switch)(?:s|ing)?\b|\bbe\s+(?:upgraded|updated|migrated|moved)\b)(?:[^,;.]|\.[A-Za-z])*\bto\b(?:\s+(?:use|run|install))?(?:[^,;.]|\.[A-Za-z])*$",
        )
    }),
    window: Window::Tail(110),
};
/// A sentence that lays out an upgrade path: the first step's version is a stepping stone,
/// not a floor ("you must upgrade your databases to Project Server 2016 first in order to
/// upgrade to Project Server 2019", "you must first upgrade to 2010, then upgrade to 2013").
pub(super) static UPGRADE_PATH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:first\b[^.]{0,80}?\b(?:upgrad|migrat|mov)\w*|(?:upgrad|migrat|mov)\w*\b[^.]{0,120}?\bfirst)\b[^.]*?\b(?:then|in\s+order\s+to|before)\b[^.]*?\b(?:upgrad|migrat|mov)\w*",
    )
});

/// Right before a version, a place rather than a target: "migrate your plans to use as
/// engagements in Project Server 2016" acts toward engagements, not toward 2016.
pub(super) static PLACE_BEFORE: Cue = Cue {
    pattern: LazyLock::new(|| {
        re(
            r"(?i)\b(?:in|as|from|within|inside)\s+(?:the\s+)?(?:[\w.-]+\s+){0,4}$|\bfor\s+(?:\w+\s+){0,2}(?:access|use|support)\s+(?:to|with|of)\s+(?:the\s+)?(?:[\w.-]+\s+){0,3}$",
        )
    }),
    window: Window::Tail(60),
};

/// Right before or after a version, an update of a release spelled out ("Update Rollup 11 for
/// Exchange 2010 SP3", "Exchange 2013 Cumulative Update 21", "Service Pack 3 (SP3) and Update
/// Rollup 11"): the floor is finer than the version read, and reading it alone would require
/// less than the notice does, so it is no requirement.
pub(super) static UPDATE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:update\s+rollup|rollup|cumulative\s+update|service\s+pack|(?:CU|RU|UR|SP)\s*[0-9]+\s+(?:for|of))\s*(?:[0-9]+\s+(?:\([A-Z]+[0-9]+\)\s+)?(?:for\s+|of\s+)?(?:[\w.-]+\s+){0,4})?$",
    )
});

/// See [`UPDATE_BEFORE`].
pub(super) static UPDATE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^[*_]*\s*(?:\([^)]*\)\s*)?(?:(?:and|with|plus)\s+)?(?:(?:the\s+)?latest\s+)?(?:update\s+rollup|rollup|cumulative\s+update|service\s+pack|(?:CU|RU|UR|SP)[0-9])",
    )
});

/// Right before a version, a setting being turned on: "to enable TLS 1.1 & 1.2 support" is a
/// configuration step, not a version anyone must be at.
pub(super) static ENABLE_BEFORE: Cue = Cue {
    pattern: LazyLock::new(|| {
        re(
            r"(?i)\b(?:enable|enables|enabling|turn\s+on|activate)\s+(?:the\s+)?(?:[\w.&-]+\s+){0,3}$",
        )
    }),
    window: Window::Tail(50),
};

/// Right before a version, another version and an opening parenthesis: the version in
/// parentheses is another name of the one before it ("build 10.0.22621 (22H2) or later",
/// "version 2004 and higher (Build 19041 and higher)").
pub(super) static ALIAS_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)[0-9][\w.]*[*_]*(?:\s+(?:and|or)\s+(?:later|higher|newer|above))?\s*\(\s*[*_`]*(?:(?:build|version)\s+)?$",
    )
});

/// Words that make a prerequisite optional, which is not a requirement ("Users may decide to
/// install IIS 7.0 or above").
pub(super) static OPTIONAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:optional(?:ly)?|if\s+needed|if\s+desired|nice\s+to\s+have|(?:may|might|can|could)\s+(?:also\s+)?(?:decide|choose|opt|want|wish)\s+to)\b",
    )
});

/// Obligation verbs a required version can follow in its clause ("requires TLS 1.2",
/// "needs to upgrade to 2.4.18.0", "only supports TLS 1.2", "must support TLS 1.2", "Key
/// Vault enforces TLS 1.2 or higher").
pub(super) static OBLIGATION_VERB: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:requires?|enforces?|mandates?|required\s+to\s+(?:upgrade|update|move)\s+to|needs?\s+(?:to\s+(?:upgrade|update|move|be|use|run|install|have)\s+(?:to\s+|on\s+)?)?|must\s+(?:upgrade\s+to|update\s+to|be\s+(?:on|running|using|at)|use|run|install|have|support)|depends\s+on|only\s+supports?|should\s+(?:be\s+(?:on|using|running)|use))\b",
    )
});

/// The main clause's own obligation after a condition ("if you still use V1, you need to
/// upgrade to V2"): a modal that binds the reader, not a verb of the condition.
pub(super) static MAIN_OBLIGATION: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:must|need\s+to|needs\s+to|have\s+to|has\s+to|(?:is|are)\s+required\s+to)\b")
});

/// Right after a floor, its verb is negated: the floor is exempt, not required ("2.4.131.0
/// and higher do not require TLS enforcement", "1.2 or later isn't affected").
pub(super) static NEGATED_AFTER: Cue = Cue {
    pattern: LazyLock::new(|| {
        re(
            r"(?i)(?:\b(?:do|does|did|is|are|will|can|could|would|should)\s+not\b|\b(?:don|doesn|didn|isn|aren|won|can|couldn|wouldn|shouldn)['’]t\b|\b(?:cannot|never|no\s+longer)\b)",
        )
    }),
    window: Window::Head(30),
};
/// A lead-in, heading or parent that makes a list or table one of requirements: what the
/// reader needs, must have, or what is supported ("Runs on:").
pub(super) static REQUIREMENT_CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:prerequisites?|requirements?|required|requires?|minimum|minimal|before\s+you\s+(?:begin|start)|you\s+(?:need|must)|make\s+sure|ensure|supported|support\s+matrix|compatib\w*|following\s+(?:builds|versions)|runs?\s+on)\b",
    )
});

/// A clause that opens a condition or a scope: what follows is not required of everyone
/// ("if you run 1.3.21 or older", "for deployments with 1.1.749.0 or higher").
pub(super) static CONDITION_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:if|when|whenever|unless|once|while|where|for|with|from|starting|beginning|since|after|in|on|whether|because|as|to\s+(?:use|run|update|upgrade|install|enable|access|get|sign|log|connect|deploy|create|configure|work|allow|take|make|learn|see|check|set|start|keep|avoid|prevent|help|try|build|develop|manage|migrate|move))\b",
    )
});

/// "We can only X if Y": the condition is what is required.
pub(super) static ONLY_IF: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bonly\b[^.]*\bif\b"));

/// Conjunctions that open a condition in the middle of a sentence.
pub(super) static CONDITION_INSIDE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:if|when|whenever|unless|once|whether)\b"));

/// What happens below a floor: the consequence that turns "versions below V" into a
/// requirement.
pub(super) static CONSEQUENCE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:stops?\s+working|stop\s+functioning|fails?|won['’]t\s+(?:work|be\s+supported|function)|will\s+not\s+(?:work|be\s+supported|function)|can['’]t\s+be\s+(?:installed|used|deployed)|cannot\s+be\s+(?:installed|used|deployed)|no\s+longer\s+(?:work|supported|function)\w*|unsupported|not\s+supported|isn['’]t\s+supported|aren['’]t\s+supported|out\s+of\s+support|end\s+of\s+support|retire[sd]?|deprecated|blocked|must\s+(?:upgrade|update)|(?:need|needs|have|has)\s+to\s+(?:upgrade|update)|required\s+to\s+(?:upgrade|update))\b",
    )
});

/// Words that make a "by D" an act-by date for what the sentence is about ("upgrade by D",
/// "must be on ... by D").
pub(super) static ACT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:upgrade|update|migrate|move|transition|switch|install\w*|run|apply|complete|enable|configure|register|rotate|be\s+on|be\s+using|be\s+running|required|must|need|needs|deadline|minimum|should\s+be|replace|renew|act|action)\b",
    )
});

/// Words that make a sentence a recommendation rather than a requirement, and purposes that
/// are a benefit ("Upgrade to V or later to receive more informative error messages").
/// In a lead-in they make its list one of recommendations.
pub(super) static RECOMMENDATION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:recommend(?:s|ed|ation)?|encourage[sd]?|suggest(?:s|ed)?|advise[sd]?|prefer(?:red|ably)?|consider|ideally|best\s+practice|optional(?:ly)?|as\s+soon\s+as\s+you\s+can|to\s+(?:receive|get|gain|see|take\s+advantage\s+of|benefit\s+from|enjoy)\s+(?:\w+\s+){0,2}?(?:more|better|improved|new|newer|latest|additional|enhanced|richer))\b",
    )
});

/// After the floor phrase, the version is the subject of what it can do: a capability, not a
/// requirement ("1.2.65.0 and later support ...", "version 1.1.873.0 or later makes a
/// backup").
pub(super) static CAPABILITY_AFTER: Cue = Cue {
    pattern: LazyLock::new(|| {
        re(
            r"(?i)\b(?:can|could|(?-i:may)|supports?|makes?|enables?|allows?|lets?|includes?|contains?|provides?|adds?|introduces?|fix(?:es)?|resolves?|offers?|brings?|gives?|ships?|uses?|creates?|automatically|now|(?:is|are)\s+(?:affected|impacted|vulnerable|exposed))\b",
        )
    }),
    window: Window::Head(40),
};
/// A clause that describes availability or a capability, not a need ("available in",
/// "introduced in", "you can").
pub(super) static AVAILABILITY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:available|availability|introduced|added\s+in|new\s+in|released|ships\s+with|comes\s+with|you\s+can|can\s+be\s+used|is\s+compatible|are\s+compatible|works\s+with|includes|contains|fixed\s+in|resolved\s+in|starting\s+with|beginning\s+with|also\s+supported|preinstalled|pre-installed|affected|impacted|vulnerable|(?:is|are)\s+(?:the\s+)?default|(?:is|are)\s+(?:only\s+)?enabled\s+(?:on|in|for)|default\s+(?:for|in|on|when)|in\s+this\s+(?:release|version|update|build))\b",
    )
});

/// A negation before a version in its clause ("don't install this release on Windows Server
/// 2016 or newer", "can't be used with 2.1.12.0 or later").
pub(super) static NEGATION: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:\b(?:not|never|no\s+longer|cannot|unsupported)\b|n['’]t\b)"));

/// The past: what used to be required ("was required", "previously").
pub(super) static PAST: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:was\s+required|were\s+required|previously|used\s+to|formerly|originally)\b")
});

/// Units after a number: a quantity, not a version ("1.6 GHz", "8 GB", "4 cores").
pub(super) static UNIT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\+?(?:\*\*|__|\s)*(?:-\s*)?(?:[kmgtp]i?b\b|[kmgt]hz\b|gb/s|mb/s|gbps|mbps|kbps|iops|cores?\b|v?cpus?\b|vcores?\b|threads?\b|nodes?\b|pods?\b|gpus?\b|bits?\b|bytes?\b|ms\b|milliseconds?|seconds?\b|secs?\b|minutes?\b|mins?\b|hours?\b|hrs?\b|days?\b|weeks?\b|months?\b|years?\b|%|percent|x\b|times\b|dpi\b|inch|inches|characters?\b|chars?\b|replicas?\b|instances?\b|users?\b|devices?\b|objects?\b|servers?\b|machines?\b|vms?\b|clusters?\b|steps?\b|items?\b|attempts?\b|retries\b|requests?\b|connections?\b|ports?\b|mb\b|gb\b|tb\b)",
    )
});

/// Before a number: it is a quantity or a reference, not a version ("port 443", "step 3",
/// "$5", "KB5070773").
pub(super) static QUANTITY_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:ports?|steps?|items?|lines?|pages?|tables?|figures?|sections?|options?|errors?|codes?|events?|ids?|rules?|phase|tier|level|kb|size|sizes|count|number|no\.|#|\$|€|£)|\btop|\bfirst|\blast|\bnext|\bevery|\bup\s+to|\bover|\bunder|\bmax(?:imum)?|\bwithin|\bapproximately|\babout|\baround|\bexactly)[\s:*_`]*$",
    )
});

/// Right before a number of any shape: it numbers a part of a document ("section 9.2 of RFC
/// 7540", "step 3.1"), not a release.
pub(super) static SECTION_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:sections?|chapters?|clauses?|paragraphs?|articles?|appendix|appendices|steps?|figures?|tables?|pages?|items?|exhibits?|§)[\s:*_`]*$",
    )
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn may_the_month_is_not_may_the_modal() {
        assert!(!CAPABILITY_AFTER.is_match(" by May 15, 2026."));
        assert!(CAPABILITY_AFTER.is_match(" may be used"));
    }

    #[test]
    fn floors_and_ceilings() {
        for after in [
            " or later",
            " or any newer version",
            "** or higher",
            "+",
            " and above are supported",
            " onwards",
            "-based or later",
            " or a later version",
            " at a minimum",
        ] {
            assert!(MIN_AFTER.is_match(after), "{after:?}");
        }
        for after in [" or earlier", " and older", ". or later", " to install"] {
            assert!(!MIN_AFTER.is_match(after), "{after:?}");
        }
        for before in [
            "at least version ",
            "if you're not on at least ",
            "the minimum version of the agent is ",
            "the minimum .net framework version required is ",
            "minimum version ",
            "minimal build of ",
        ] {
            assert!(MIN_BEFORE.is_match(before), "{before:?}");
        }
        for before in ["versions below ", "version lesser than ", "older than v"] {
            assert!(BELOW.is_match(before), "{before:?}");
        }
        assert!(CEILING_AFTER.is_match(" or older"));
        assert!(UNIT_AFTER.is_match(" GHz or higher"));
        assert!(UNIT_AFTER.is_match(" GB"));
        assert!(!UNIT_AFTER.is_match(" or later"));
        assert!(QUANTITY_BEFORE.is_match("port "));
    }
}
