// Package monitor is the lead pipeline: keyword rules, matching, dedupe,
// lead creation, alert scheduling and analytics counters.
//
// The keyword engine (rule.go, normalize.go, matcher.go) implements the
// matching spec in the eval data (shared/eval/matching/README.md): rules are
// parsed by ParseRule, compiled into an immutable Matcher by Compile, and a
// message is analyzed once (Analyze) and matched by MatchDoc or Match.
// RunMatch (matchcli.go) is the command-line contract of that spec.
//
// monitor never imports telebot, gotd, stripe or openai (TestDeps checks):
// whatever it needs from Telegram, billing or the LLM arrives through small
// interfaces declared in this package.
package monitor
